"""The back office's entry point: the ``pos-backoffice`` command line."""
