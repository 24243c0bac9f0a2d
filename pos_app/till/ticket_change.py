"""What an action changed, as every handler of the till returns it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pos_app.engine import PricedTicket
from pos_app.protocol.taxes import TicketTaxes
from pos_app.till.pack_sales import SoldPack
from pos_app.till.payments import Payment


@dataclass(frozen=True)
class TicketChange:
    """What an action changed, for a screen to refresh from: the ticket as priced, its
    payments and what is still due, and how many events wait for the back office.
    After closing, these describe the ticket just closed (``closed_ticket_id``); the
    till itself is already on a new, empty ticket."""

    ticket_id: str
    priced: PricedTicket
    payments: tuple[Payment, ...]
    amount_due: Decimal
    outbox_pending: int
    closed_ticket_id: str | None = None
    line_id: str | None = None  # the line an AddItem (or a SellPack) just rang up
    number: str = ""  # the short ticket number ("D1-02-000147"), once it has one
    member_name: str | None = None
    cashier: str = ""  # who closed the sale (a closed ticket's change only)
    taxes: TicketTaxes | None = None
    outcome: object = None  # what a shift command made: a return, a report, ...
    packs_sold: tuple[SoldPack, ...] = ()  # on a closed ticket: each pack and its coupons

    @property
    def change_given(self) -> Decimal:
        return sum((p.change for p in self.payments), Decimal(0))

    @property
    def total_due(self) -> Decimal:
        """What the customer pays: the total, plus the tax in a tax-exclusive store."""
        return self.taxes.amount_due(self.priced.total) if self.taxes else self.priced.total
