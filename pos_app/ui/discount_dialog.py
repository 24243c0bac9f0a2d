"""The store discount dialog: on the selected line or the whole order, a percent or an
amount, typed on a numpad."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.line_actions import ActionStates
from pos_app.ui.numpad import Numpad
from pos_app.ui.style import touch_button

QUICK_PERCENTS = ("5", "10", "15", "20")


class DiscountDialog(QDialog):
    """Chooses a store discount (stage 4) and asks for it.

    Promises: ``discount_requested(whole_order, kind, value)`` with kind "percent" or
    "amount" when Apply is tapped with a value; then it closes. The scope buttons follow
    the engine's rules (:meth:`set_states`). Main thread only.
    """

    discount_requested = Signal(bool, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Discount")
        self.setModal(True)
        self.line_scope = touch_button("This line", "action")
        self.order_scope = touch_button("Whole order", "action")
        self.percent = touch_button("Percent %", "action")
        self.amount = touch_button("Amount", "action")
        self._scopes = QButtonGroup(self)
        self._kinds = QButtonGroup(self)
        for group, members in (
            (self._scopes, (self.line_scope, self.order_scope)),
            (self._kinds, (self.percent, self.amount)),
        ):
            group.setExclusive(True)
            for button in members:
                button.setCheckable(True)
                group.addButton(button)
        self.percent.setChecked(True)
        self.reason = QLabel("")
        self.reason.setObjectName("hint")
        self.reason.setWordWrap(True)
        self.numpad = Numpad()
        quick = QHBoxLayout()
        self.quick: dict[str, QPushButton] = {}
        for value in QUICK_PERCENTS:
            button = touch_button(f"{value}%", "key")
            button.clicked.connect(lambda _=False, v=value: self._quick(v))
            quick.addWidget(button)
            self.quick[value] = button
        self.apply = touch_button("Apply discount", "primary")
        self.apply.clicked.connect(self._apply)
        cancel = touch_button("Cancel")
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        for row in ((self.line_scope, self.order_scope), (self.percent, self.amount)):
            line = QHBoxLayout()
            for button in row:
                line.addWidget(button)
            layout.addLayout(line)
        layout.addWidget(self.reason)
        layout.addLayout(quick)
        layout.addWidget(self.numpad)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.apply)
        layout.addLayout(buttons)

    def set_states(self, states: ActionStates) -> None:
        """Enable the scopes the rules allow and pick the first allowed one."""
        self.line_scope.setEnabled(states.discount_line.enabled)
        self.order_scope.setEnabled(states.discount_order.enabled)
        reasons = []
        if not states.discount_line.enabled and states.discount_line.reason:
            reasons.append(f"This line: {states.discount_line.reason}")
        if not states.discount_order.enabled and states.discount_order.reason:
            reasons.append(f"Whole order: {states.discount_order.reason}")
        self.reason.setText("\n".join(reasons))
        if states.discount_line.enabled:
            self.line_scope.setChecked(True)
        elif states.discount_order.enabled:
            self.order_scope.setChecked(True)
        self.apply.setEnabled(states.discount_line.enabled or states.discount_order.enabled)

    def _quick(self, value: str) -> None:
        self.percent.setChecked(True)
        self.numpad.set_text(value)

    def _apply(self) -> None:
        value = self.numpad.text()
        if not value:
            self.reason.setText("Type the discount on the numpad")
            return
        whole = self.order_scope.isChecked()
        kind = "percent" if self.percent.isChecked() else "amount"
        self.discount_requested.emit(whole, kind, value)
        self.accept()
