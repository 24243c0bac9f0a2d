"""Trigger or cancel promotions by hand: those whose auto-execute is off (or that were
cancelled on this ticket), each on or off by the engine's rules."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.ui.line_actions import ActionStates
from pos_app.ui.style import repolish, touch_button


class PromotionDialog(QDialog):
    """A row per promotion the cashier may act on: name, state, Trigger and Cancel.

    Promises: ``trigger_requested(id)`` / ``cancel_requested(id)``; :meth:`set_states`
    redraws the rows (live, as the ticket changes). Main thread only.
    """

    trigger_requested = Signal(str)
    cancel_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Promotions")
        self.setModal(True)
        self.setMinimumWidth(640)
        self._grid = QGridLayout()
        self._grid.setSpacing(8)
        self.trigger_buttons: dict[str, QPushButton] = {}
        self.cancel_buttons: dict[str, QPushButton] = {}
        self._rows: list[QWidget] = []
        self._ids: tuple[str, ...] | None = None
        self.titles: dict[str, QLabel] = {}
        self.states: dict[str, QLabel] = {}
        self.empty = QLabel("No promotion to trigger on this ticket")
        self.status = QLabel("")
        self.status.setObjectName("dialog_status")
        self.status.setWordWrap(True)
        close = touch_button("Done", "primary")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Promotions whose auto-execute is off run only when triggered."))
        layout.addLayout(self._grid)
        layout.addWidget(self.empty)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(close)

    def show_message(self, text: str, *, error: bool = False) -> None:
        """A refusal or notice from the till (a promotion triggered or refused)."""
        self.status.setText(text)
        self.status.setProperty("kind", "error" if error else "")
        repolish(self.status)

    def set_states(self, states: ActionStates) -> None:
        ids = tuple(choice.promotion_id for choice in states.promotions)
        if ids != self._ids:
            self._build(ids)
        for choice in states.promotions:
            status = (
                "in effect"
                if choice.in_effect
                else ("manual" if not choice.auto_execute else "cancelled on this ticket")
            )
            reason = "" if choice.trigger.enabled or choice.in_effect else choice.trigger.reason
            self.titles[choice.promotion_id].setText(choice.name)
            self.states[choice.promotion_id].setText(status + (f"\n{reason}" if reason else ""))
            trigger = self.trigger_buttons[choice.promotion_id]
            trigger.setEnabled(choice.trigger.enabled)
            trigger.setToolTip(choice.trigger.reason)
            self.cancel_buttons[choice.promotion_id].setEnabled(choice.cancel.enabled)
        self.empty.setVisible(not states.promotions)

    def _build(self, ids: tuple[str, ...]) -> None:
        for widget in self._rows:
            self._grid.removeWidget(widget)
            widget.deleteLater()
        self._rows = []
        self.trigger_buttons = {}
        self.cancel_buttons = {}
        self.titles = {}
        self.states = {}
        for row, promotion_id in enumerate(ids):
            title = QLabel()
            state = QLabel()
            state.setWordWrap(True)
            trigger = touch_button("Trigger", "primary")
            trigger.clicked.connect(lambda _=False, p=promotion_id: self.trigger_requested.emit(p))
            cancel = touch_button("Cancel", "danger")
            cancel.clicked.connect(lambda _=False, p=promotion_id: self.cancel_requested.emit(p))
            for column, widget in enumerate((title, state, trigger, cancel)):
                self._grid.addWidget(widget, row, column)
                widget.show()
                self._rows.append(widget)
            self.titles[promotion_id] = title
            self.states[promotion_id] = state
            self.trigger_buttons[promotion_id] = trigger
            self.cancel_buttons[promotion_id] = cancel
        self._grid.setColumnStretch(1, 1)
        self._ids = ids
