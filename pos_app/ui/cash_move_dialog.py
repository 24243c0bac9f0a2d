"""Cash into or out of the drawer outside a sale: in or out, the amount on a numpad, and
a reason tapped from a list (cash out asks a manager's PIN when the till says so)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.till.drawer import CASH_IN, CASH_OUT
from pos_app.till.staff_commands import CASH_IN_REASONS, CASH_OUT_REASONS
from pos_app.ui.numpad import Numpad
from pos_app.ui.style import TOUCH, touch_button


class CashMoveDialog(QDialog):
    """In or Out, an amount and a reason. Promises ``move_requested(kind, amount,
    reason)`` (kind ``in`` or ``out``) from the confirm key; then it closes. Main thread."""

    move_requested = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cash in / out")
        self.setModal(True)
        self.kind = CASH_IN
        self.reason = ""
        self.currency = ""  # the store's currency code, said with the amount
        self.cash_in = touch_button("Cash in", "toggle", name="cash_in", min_width=150)
        self.cash_out = touch_button("Cash out", "toggle", name="cash_out", min_width=150)
        for button, kind in ((self.cash_in, CASH_IN), (self.cash_out, CASH_OUT)):
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, k=kind: self.choose_kind(k))
        self.numpad = Numpad()
        self.numpad.text_changed.connect(lambda _text: self._refresh())
        self._by_kind: dict[str, dict[str, QPushButton]] = {}
        self._reasons = QGridLayout()
        row = 0
        for kind, texts in ((CASH_IN, CASH_IN_REASONS), (CASH_OUT, CASH_OUT_REASONS)):
            group: dict[str, QPushButton] = {}
            for reason in texts:
                button = touch_button(reason, "toggle", min_width=200)
                button.setCheckable(True)
                button.clicked.connect(lambda _=False, r=reason: self.choose_reason(r))
                self._reasons.addWidget(button, row, 0)
                group[reason] = button
                row += 1
            self._by_kind[kind] = group
        self.reasons = self._by_kind[CASH_IN]
        self.confirm = touch_button("Record", "primary", name="record_cash", min_width=200)
        self.confirm.clicked.connect(self._confirm)
        cancel = touch_button("Cancel", min_width=120)
        cancel.clicked.connect(self.reject)
        kinds = QHBoxLayout()
        kinds.addWidget(self.cash_in)
        kinds.addWidget(self.cash_out)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.confirm, 1)
        side = QVBoxLayout()
        side.addWidget(QLabel("Why?"))
        side.addLayout(self._reasons)
        side.addStretch(1)
        columns = QHBoxLayout()
        columns.addWidget(self.numpad)
        columns.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(kinds)
        layout.addLayout(columns)
        layout.addLayout(buttons)
        self.setMinimumWidth(4 * TOUCH + 420)
        self.choose_kind(CASH_IN)

    def start(self, currency: str = "") -> None:
        self.currency = currency
        self.numpad.clear()
        self.choose_kind(CASH_IN)
        self.open()

    def choose_kind(self, kind: str) -> None:
        self.kind = kind
        self.cash_in.setChecked(kind == CASH_IN)
        self.cash_out.setChecked(kind == CASH_OUT)
        for buttons_kind, buttons in self._by_kind.items():
            for button in buttons.values():
                button.setVisible(buttons_kind == kind)
                button.setChecked(False)
        self.reasons = self._by_kind[kind]
        self.reason = ""
        self._refresh()

    def choose_reason(self, reason: str) -> None:
        self.reason = reason
        for text, button in self.reasons.items():
            button.setChecked(text == reason)
        self._refresh()

    def _refresh(self) -> None:
        ready = bool(self.numpad.text()) and bool(self.reason)
        self.confirm.setEnabled(ready)
        what = "Take out" if self.kind == CASH_OUT else "Put in"
        amount = self.numpad.text()
        money = f"{amount} {self.currency}".strip()
        self.confirm.setText(f"{what} {money}" if amount else "Record")

    def _confirm(self) -> None:
        if self.numpad.text() and self.reason:
            self.move_requested.emit(self.kind, self.numpad.text(), self.reason)
            self.accept()
