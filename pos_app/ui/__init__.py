"""The touchscreen till: PySide6 screens for the cashier and the store manager.

The only package that imports Qt. Screens talk to :mod:`pos_app.till` through the
controllers of :mod:`pos_app.ui.controllers` (one per concern: the ticket and its
commands, manager mode, the shift, members, the devices), which run every till action
as a background op (:mod:`pos_app.ui.ops`) and hand the results back as typed signals;
the main window is composed of :mod:`pos_app.ui.panels` that each connect their own. The pieces are
built from :mod:`pos_app.wiring` in :mod:`pos_app.ui.app`.
"""
