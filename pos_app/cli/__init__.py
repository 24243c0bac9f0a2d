"""The till's entry points: the ``pos-app`` command line and the window it opens. Only
these (and the app start in :mod:`pos_app.cli.window`) use :mod:`pos_app.wiring`."""
