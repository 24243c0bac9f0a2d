"""The end of a sale: checkout (cash, card, split payments, close) and the receipt
preview (a closed sale's receipt or a return's slip, printing and reprinting)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from pos_app.engine import Close
from pos_app.printing import Receipt
from pos_app.till.commands import ClearPayments, PayCard, PayCash
from pos_app.till.till import TicketChange
from pos_app.ui.checkout_dialog import CheckoutDialog
from pos_app.ui.controllers.payloads import ClosedSale, ReturnDone
from pos_app.ui.controllers.problems import Problem
from pos_app.ui.controllers.till_controllers import TillControllers
from pos_app.ui.line_actions import ActionStates
from pos_app.ui.receipt_preview import ReceiptPreviewDialog


class SaleDialogs(QObject):
    """The ``checkout`` and ``receipt_preview`` dialogs (made once, kept, shown
    window-modal over ``window``), and what they ask of the controllers.

    Checkout follows the ticket while open and shows a refusal in place; a closed sale
    closes it and shows the receipt, as does a return its slip; the preview says how
    printing went. Main thread only.
    """

    def __init__(
        self, controllers: TillControllers, window: QWidget, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._ticket = ticket = controllers.ticket
        self._devices = devices = controllers.devices
        self.checkout = CheckoutDialog(window)
        self.receipt_preview = ReceiptPreviewDialog(window)

        checkout = self.checkout
        checkout.cash_requested.connect(lambda text: ticket.do(PayCash(text.strip())))
        checkout.card_requested.connect(lambda text: ticket.do(PayCard(text.strip())))
        checkout.clear_requested.connect(lambda: ticket.do(ClearPayments()))
        checkout.close_requested.connect(self._close_requested)
        self.receipt_preview.print_requested.connect(self._print_requested)
        ticket.changed.connect(self._show_change)
        ticket.actions_changed.connect(self._show_actions)
        ticket.sale_closed.connect(self._sale_closed)
        controllers.messages.refused.connect(self._show_problem)
        controllers.shift.returned.connect(self._returned)
        devices.printed.connect(self.receipt_preview.show_print_status)
        devices.print_failed.connect(self._print_failed)

    def open_checkout(self) -> None:
        change = self._ticket.change
        if change is None or not change.priced.lines:
            return
        self.checkout.numpad.clear()
        self.checkout.show_problem(None)
        self.checkout.show_change(change)
        self.checkout.set_states(self._ticket.actions)
        self.checkout.open()

    def _close_requested(self) -> None:
        self.checkout.show_problem(None)
        self._ticket.do(Close())

    def _show_change(self, change: TicketChange) -> None:
        if self.checkout.isVisible():
            self.checkout.show_change(change)
            self.checkout.show_problem(None)

    def _show_actions(self, states: ActionStates) -> None:
        if self.checkout.isVisible():
            self.checkout.set_states(states)

    def _show_problem(self, problem: Problem) -> None:
        if self.checkout.isVisible():
            self.checkout.show_problem(problem)

    def _sale_closed(self, sale: ClosedSale) -> None:
        self.checkout.accept()
        self._show_receipt(sale.receipt)

    def _returned(self, outcome: ReturnDone) -> None:
        self._show_receipt(outcome.receipt)

    def _show_receipt(self, receipt: Receipt) -> None:
        printer = self._devices.printer
        self.receipt_preview.show_receipt(receipt, printer, printing=printer is not None)
        self.receipt_preview.open()

    def _print_requested(self, reprint: bool) -> None:
        self.receipt_preview.show_print_status("Printing…")
        self._devices.print_receipt(self.receipt_preview.receipt, reprint=reprint)

    def _print_failed(self, problem: Problem) -> None:
        self.receipt_preview.show_print_status(problem.message, failed=True)
