"""Checkout: cash with the amount tendered and the change, card, a split of both, and
closing the sale (refused, with the rule's message, while a coupon is worth 0)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.till.till import TicketChange
from pos_app.ui.controllers.problems import Problem
from pos_app.ui.line_actions import ActionStates
from pos_app.ui.numpad import Numpad
from pos_app.ui.style import repolish, touch_button

NOTES = ("5", "10", "20", "50", "100")


class CheckoutDialog(QDialog):
    """Takes payment for the open ticket and closes it.

    The numpad holds the amount: Cash tenders it (empty: the exact amount due), Card
    charges it (empty: all that is due); a note button tenders that note. A split is
    simply several payments. Promises ``cash_requested(text)``, ``card_requested(text)``,
    ``clear_requested()`` and ``close_requested()``; :meth:`show_change` and
    :meth:`show_problem` redraw it. Main thread only.
    """

    cash_requested = Signal(str)
    card_requested = Signal(str)
    clear_requested = Signal()
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Checkout")
        self.setModal(True)
        self.setMinimumSize(860, 600)
        self.total = QLabel()
        self.total.setObjectName("total")
        self.due = QLabel()
        self.due.setObjectName("due")
        self.change_label = QLabel()
        self.change_label.setObjectName("total")
        self.payments = QLabel()
        self.payments.setWordWrap(True)
        self.message = QLabel("")
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setProperty("kind", "none")
        self.hint = QLabel("")
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        summary = QFrame()
        summary.setObjectName("totals")
        grid = QGridLayout(summary)
        grid.addWidget(QLabel("Total"), 0, 0)
        grid.addWidget(self.total, 0, 1)
        grid.addWidget(QLabel("Due"), 1, 0)
        grid.addWidget(self.due, 1, 1)
        grid.addWidget(QLabel("Change"), 2, 0)
        grid.addWidget(self.change_label, 2, 1)
        grid.addWidget(QLabel("Payments"), 3, 0)
        grid.addWidget(self.payments, 3, 1)
        self.numpad = Numpad()
        self.cash = touch_button("Cash", "primary")
        self.cash.clicked.connect(lambda: self._tender(self.cash_requested))
        self.card = touch_button("Card", "primary")
        self.card.clicked.connect(lambda: self._tender(self.card_requested))
        self.notes: dict[str, QPushButton] = {}
        notes = QHBoxLayout()
        for note in NOTES:
            button = touch_button(note, "key")
            button.clicked.connect(lambda _=False, n=note: self.cash_requested.emit(n))
            notes.addWidget(button)
            self.notes[note] = button
        self.clear = touch_button("Clear payments", "danger")
        self.clear.clicked.connect(self.clear_requested.emit)
        self.close_sale = touch_button("Close sale", "pay")
        self.close_sale.clicked.connect(self.close_requested.emit)
        back = touch_button("Back to ticket")
        back.clicked.connect(self.reject)
        left = QVBoxLayout()
        left.addWidget(summary)
        left.addWidget(self.message)
        left.addWidget(self.hint)
        left.addStretch(1)
        left.addWidget(self.clear)
        left.addWidget(back)
        right = QVBoxLayout()
        right.addLayout(notes)
        right.addWidget(self.numpad)
        tender = QHBoxLayout()
        tender.addWidget(self.cash)
        tender.addWidget(self.card)
        right.addLayout(tender)
        right.addWidget(self.close_sale)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self._change: TicketChange | None = None

    def _tender(self, signal: SignalInstance) -> None:
        text = self.numpad.text()
        self.numpad.clear()
        if not text and self._change is not None:
            text = self._change.priced.currency.format(self._change.amount_due)
        signal.emit(text)

    def show_change(self, change: TicketChange) -> None:
        self._change = change
        priced = change.priced
        fmt = priced.currency.format
        self.total.setText(f"{priced.currency.code} {fmt(priced.total)}")
        self.due.setText(fmt(change.amount_due))
        self.change_label.setText(fmt(change.change_given))
        self.payments.setText(
            "\n".join(
                f"{p.method.capitalize()} {fmt(p.amount)}"
                + (f" (tendered {fmt(p.tendered)}, change {fmt(p.change)})" if p.change else "")
                for p in change.payments
            )
            or "none yet"
        )
        nothing_due = change.amount_due <= 0
        self.cash.setEnabled(not nothing_due)
        self.card.setEnabled(not nothing_due)
        for button in self.notes.values():
            button.setEnabled(not nothing_due)
        self.clear.setEnabled(bool(change.payments))
        self.close_sale.setEnabled(change.amount_due == Decimal(0) and bool(priced.lines))

    def set_states(self, states: ActionStates) -> None:
        """Say live why the sale cannot close (for example a coupon worth 0)."""
        self.hint.setText("" if states.close.enabled else states.close.reason)

    def show_problem(self, problem: Problem | None) -> None:
        self.message.setText(problem.message if problem else "")
        self.message.setProperty("kind", "error" if problem else "none")
        self.message.setProperty("code", problem.code if problem else "")
        repolish(self.message)
