"""The screens' controllers: no widgets, no layout, only what the screens ask of the
till and the typed news they redraw from.

One controller per concern, each a :class:`~pos_app.ui.controllers.ops_controller.OpsController`
running its work as ops on the till's runner (the devices on their own):
:mod:`.ticket_controller` (the one door for commands, and the ticket on screen),
:mod:`.manager_controller` (manager mode), :mod:`.shift_controller` (held tickets,
returns, reports), :mod:`.members_controller` (member lookup, wallets) and
:mod:`.device_controller` (printer, drawer, kiosk). They share one
:class:`~pos_app.ui.controllers.messages.Messages` and hear of each other only through
the signals :func:`~pos_app.ui.controllers.till_controllers.build_controllers` connects.
What a command brings besides the ticket is looked up in one table
(:mod:`.command_outcomes`), its message-bar line in another (:mod:`.notices`).
"""
