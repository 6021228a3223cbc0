"""The dashboard's snapshot services: ``build`` (the counting and writing, run by a worker)
and ``requests`` (asking for a build: the scheduler daily, a manager on the page)."""
