"""The main window's parts: screen panels (:mod:`.ring_up_panel`, :mod:`.counter_panel`,
:mod:`.ticket_panel` with its :mod:`.message_bar`, :mod:`.status_panel`) and dialog
groups (:mod:`.sale_dialogs`, :mod:`.member_dialogs`, :mod:`.shift_dialogs`,
:mod:`.manager_dialogs`). Each builds its widgets and connects its own signals to the
controllers; none imports another (the window connects the keys of one to the dialogs
of another).
"""
