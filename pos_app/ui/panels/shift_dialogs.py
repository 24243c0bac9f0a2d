"""The shift's dialogs: held tickets to recall, a return, the day report (X, and Z to
close the day), and voiding the open ticket with a reason."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from pos_app.engine import Currency
from pos_app.till.commands import ReturnPackLine, VoidTicket
from pos_app.till.shift_commands import CloseShift, RecallTicket, RefundSale
from pos_app.ui.controllers.command_outcomes import CommandOutcome
from pos_app.ui.controllers.payloads import ParkedTickets
from pos_app.ui.controllers.problems import INVALID, Problem
from pos_app.ui.controllers.till_controllers import TillControllers
from pos_app.ui.held_tickets import HeldTicketsDialog
from pos_app.ui.report_dialog import ReportDialog
from pos_app.ui.return_dialog import ReturnDialog
from pos_app.ui.void_dialog import VoidTicketDialog


class ShiftDialogs(QObject):
    """The ``held_tickets``, ``return_dialog``, ``report`` and ``void_dialog`` dialogs
    (made once, kept, window-modal over ``window``), and what they ask of the
    controllers: recall a ticket, find a sale and refund lines of it, the X report,
    close the day, void the ticket. A refusal shows in the return or report dialog
    when one is open. Main thread only.
    """

    def __init__(
        self, controllers: TillControllers, window: QWidget, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._ticket = ticket = controllers.ticket
        self._shift = shift = controllers.shift
        self._messages = controllers.messages
        self.held_tickets = HeldTicketsDialog(window)
        self.return_dialog = ReturnDialog(window)
        self.report = ReportDialog(window)
        self.void_dialog = VoidTicketDialog(window)

        self.held_tickets.recall_requested.connect(lambda tid: ticket.do(RecallTicket(tid)))
        self.return_dialog.find_requested.connect(shift.find_sale)
        self.return_dialog.refund_requested.connect(
            lambda number, lines, method: ticket.do(RefundSale(number, method, lines))
        )
        self.return_dialog.pack_return_requested.connect(
            lambda number, line_id, method: ticket.do(ReturnPackLine(number, line_id, method))
        )
        ticket.succeeded.connect(self._after_command)
        self.report.x_requested.connect(shift.load_report)
        self.report.close_day_requested.connect(lambda counted: ticket.do(CloseShift(counted)))
        self.report.print_requested.connect(controllers.devices.print_report)
        self.void_dialog.void_requested.connect(lambda reason: ticket.do(VoidTicket(reason)))
        shift.parked_listed.connect(self._parked_listed)
        shift.sale_found.connect(self.return_dialog.show_sale)
        shift.returned.connect(lambda _returned: self.return_dialog.accept())
        shift.report_ready.connect(self.report.show_report)
        controllers.messages.refused.connect(self._show_problem)

    def open_held_tickets(self) -> None:
        self.held_tickets.show_tickets([], self._currency())
        self.held_tickets.status.setText("Loading…")
        self.held_tickets.open()
        self._shift.load_parked()

    def _parked_listed(self, parked: ParkedTickets) -> None:
        self.held_tickets.show_tickets(list(parked.tickets), self._currency())

    def _currency(self) -> Currency:
        book = self._ticket.book
        return book.currency if book is not None else Currency("USD")

    def open_returns(self) -> None:
        self.return_dialog.start()

    def open_day_report(self) -> None:
        self.report.start()

    def open_void(self) -> None:
        """Void ticket: the reasons, then a confirmation (an empty ticket: nothing to void)."""
        change = self._ticket.change
        if change is None or not change.priced.lines:
            self._messages.refuse_input(INVALID, "The ticket is empty: nothing to void")
            return
        number = f"ticket {change.number}" if change.number else "this ticket"
        fmt = change.priced.currency.format
        self.void_dialog.ask(f"{number} ({fmt(change.total_due)})")

    def _after_command(self, outcome: CommandOutcome) -> None:
        """A pack refunded from the return screen: the dialog closes (the notice says it)."""
        if isinstance(outcome.command, ReturnPackLine) and self.return_dialog.isVisible():
            self.return_dialog.accept()

    def _show_problem(self, problem: Problem) -> None:
        if self.report.isVisible():
            self.report.show_problem(problem.message)
        if self.return_dialog.isVisible():
            self.return_dialog.show_message(problem.message, error=True)
