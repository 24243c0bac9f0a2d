"""The shift's controller: held tickets, finding a sale to return, the day's reports,
and the returns and Z reports the till's commands make."""

from __future__ import annotations

from pos_app.till.refunds import SaleForReturn
from pos_app.till.shift_commands import ParkTicket, RecallTicket
from pos_app.till.shift_report import X_REPORT, ShiftReport
from pos_app.ui.controllers.command_outcomes import CommandOutcome
from pos_app.ui.controllers.ops_controller import OpsController
from pos_app.ui.controllers.payloads import ParkedTickets, ReturnDone
from pos_app.ui.typed_signals import typed_signal


class ShiftController(OpsController):
    """Loads what the shift screens show; the till's shift desk is used inside ops only.

    Signals (every one emitted on the main thread, from an op's result):

    - ``parked_listed`` (:class:`ParkedTickets`): the held tickets.
    - ``sale_found`` (:class:`SaleForReturn`): a closed sale found for a return.
    - ``returned`` (:class:`ReturnDone`): a return made (``RefundSale``), with its slip.
    - ``report_ready`` (:class:`ShiftReport`): the X report asked for, or the Z report of
      a day just closed (``CloseShift``).
    """

    parked_listed = typed_signal(ParkedTickets)
    sale_found = typed_signal(SaleForReturn)
    returned = typed_signal(ReturnDone)
    report_ready = typed_signal(ShiftReport)

    def follow_command(self, outcome: CommandOutcome) -> None:
        """A command went through (``TicketController.succeeded``): a return or a Z
        report it made is announced; after a Hold or a Recall the held tickets are
        listed again."""
        if isinstance(outcome.command, ParkTicket | RecallTicket):
            self.load_parked()  # the Held tickets key counts them
        if outcome.returned is not None:
            self.returned.emit(outcome.returned)
        if outcome.report is not None:
            self.report_ready.emit(outcome.report)

    def load_parked(self) -> None:
        """List the held tickets (``parked_listed``)."""
        desk = self._runtime.till.desk
        self._run(lambda: ParkedTickets(tuple(desk.parked())), self.parked_listed.emit)

    def load_report(self) -> None:
        """The X report of the day so far (``report_ready``); nothing is written."""
        desk = self._runtime.till.desk
        self._run(lambda: desk.report(X_REPORT), self.report_ready.emit)

    def find_sale(self, number: str) -> None:
        """A closed sale for a return (``sale_found``), or a refusal naming the number."""
        desk = self._runtime.till.desk
        self._run(lambda: desk.find_sale(number), self.sale_found.emit)
