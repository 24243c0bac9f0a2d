"""What the day holds, as the screens and ``pos-app`` read it: the held tickets, the X
report, the closed sales and a sale found for a return.

:class:`ShiftDesk` only reads, through the services that keep these
(:class:`~pos_app.till.held_tickets.HeldTickets`,
:class:`~pos_app.till.shift.BusinessDay`, :class:`~pos_app.till.returns.Returns`); the
shift's actions are commands (:mod:`pos_app.till.shift_commands`) given to
:meth:`pos_app.till.till.Till.handle`. The outcomes those commands and reads give
(:class:`ParkedSummary`, :class:`RefundDone`) are named here too.
"""

from __future__ import annotations

from decimal import Decimal

from pos_app.store.closed_tickets import ListedSale
from pos_app.store.refund_records import SaleForReturn
from pos_app.till.held_tickets import HeldTickets, ParkedSummary
from pos_app.till.returns import RefundDone, Returns
from pos_app.till.shift import BusinessDay
from pos_app.till.shift_report import X_REPORT, ShiftReport

__all__ = ["ParkedSummary", "RefundDone", "ShiftDesk"]


class ShiftDesk:
    """The read side of one till's shift. The till's owner thread only."""

    def __init__(self, held: HeldTickets, day: BusinessDay, returns: Returns) -> None:
        self._held = held
        self._day = day
        self._returns = returns

    def parked(self) -> list[ParkedSummary]:
        """The held tickets, oldest first, each priced as it stands."""
        return self._held.listing()

    def report(self, kind: str = X_REPORT, counted_cash: Decimal | None = None) -> ShiftReport:
        """The X report of the open day (nothing is written)."""
        return self._day.report(kind, counted_cash)

    def closed_tickets(self) -> list[ListedSale]:
        """Every closed sale with its number and lines, oldest first."""
        return self._returns.closed_sales()

    def find_sale(self, number: str) -> SaleForReturn:
        """The closed sale numbered ``number`` for a return, or a refusal naming it."""
        return self._returns.find_sale(number)
