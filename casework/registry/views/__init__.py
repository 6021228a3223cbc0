"""Registry screens on the viewflow Material frontend, one module per use case; every lookup
goes through ``permissions``. ``viewset`` wires the registry's own pages; other apps' pages
about households are attached in ``casework/urls.py``."""
