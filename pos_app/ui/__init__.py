"""The touchscreen till: PySide6 screens for the cashier and the store manager.

The only package that imports Qt. Screens talk to :mod:`pos_app.till` through
:class:`~pos_app.ui.till_controller.TillController`, which runs every till action as a
background op (:mod:`pos_app.ui.ops`) and hands the results back as signals; the
pieces are built from :mod:`pos_app.wiring` in :mod:`pos_app.ui.app`.
"""
