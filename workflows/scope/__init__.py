"""The scope keys of workflow processes (``workflows.models.ProcessScope``): written here, read by
``workflows.scoping``."""
