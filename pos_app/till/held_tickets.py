"""Held (parked) tickets: the open ticket set aside with its coupons, member and payments
while another is rung up, and recalled later, also after a restart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pos_app.engine import Ticket
from pos_app.store.shift_records import OPEN, PARKED
from pos_app.store.unit_of_work import TillDatabase
from pos_app.till.clock import Clock, aware
from pos_app.till.configuration import LiveConfiguration
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.open_ticket import OpenTicket
from pos_app.till.ticket_change import TicketChange


@dataclass(frozen=True)
class ParkedSummary:
    """A held ticket as the recall list shows it."""

    ticket_id: str
    number: str
    parked_at: datetime
    lines: int
    total: Decimal
    member_name: str | None
    first_items: str


@dataclass(frozen=True)
class HeldTickets:
    """Holding and recalling the open ticket, each written in one transaction (S1). The
    till's owner thread only."""

    database: TillDatabase
    ticket: OpenTicket
    configuration: LiveConfiguration
    clock: Clock
    pricing_clock: Clock

    def refusal_to_hold(self) -> TillRefusal | None:
        if not self.ticket.state.lines:
            return TillRefusal(TillCode.NOTHING_TO_PARK, "The ticket is empty: nothing to hold")
        return None

    def hold(self) -> TicketChange:
        """Hold the open ticket (with its coupons, member and payments); start another.
        The change's outcome is the held ticket's number."""
        refusal = self.refusal_to_hold()
        if refusal is not None:
            raise refusal
        ticket, now = self.ticket, aware(self.clock())
        with self.database.unit_of_work() as uow:
            uow.held_tickets.hold(ticket.stored(now), now)
            number = ticket.number_in(uow, now)
            uow.open_tickets.remove(ticket.ticket_id)
            uow.shifts.set_status(ticket.ticket_id, PARKED)
            pending = uow.outbox.pending_count()
            uow.commit()
        ticket.start_new()
        return ticket.change(pending, outcome=number)

    def recall(self, ticket_id: object) -> TicketChange:
        """Bring a held ticket back; an open ticket with lines is held in its place."""
        ticket, now = self.ticket, aware(self.clock())
        with self.database.unit_of_work() as uow:
            held = uow.held_tickets.take(ticket_id) if isinstance(ticket_id, str) else None
            if held is None:
                raise TillRefusal(TillCode.UNKNOWN_TICKET, "That ticket is no longer on hold")
            if ticket.state.lines:
                uow.held_tickets.hold(ticket.stored(now), now)
                ticket.number_in(uow, now)
                uow.shifts.set_status(ticket.ticket_id, PARKED)
            uow.open_tickets.remove(ticket.ticket_id)
            uow.open_tickets.reopen(held, now)
            uow.shifts.set_status(held.ticket_id, OPEN)
            header = uow.shifts.header(held.ticket_id)
            pending = uow.outbox.pending_count()
            uow.commit()
        member = None
        if header is not None and header.member_id:
            member = (header.member_id, header.member_name or "")
        ticket.load(held, header.number if header is not None else None, member)
        return ticket.change(pending)

    def listing(self) -> list[ParkedSummary]:
        """The held tickets, oldest first, each priced as it stands."""
        with self.database.unit_of_work() as uow:
            held = uow.held_tickets.all()
        configuration = self.configuration
        out = []
        for entry in held:
            state = entry.ticket.state
            priced = Ticket(configuration.book_for(state), self.pricing_clock, state).priced
            out.append(
                ParkedSummary(
                    ticket_id=entry.ticket.ticket_id,
                    number=entry.number,
                    parked_at=entry.parked_at,
                    lines=len(priced.lines),
                    total=configuration.taxes_of(priced).amount_due(priced.total),
                    member_name=entry.member_name,
                    first_items=", ".join(line.name for line in priced.lines[:3]),
                )
            )
        return out
