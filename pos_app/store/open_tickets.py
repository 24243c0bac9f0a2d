"""Tickets not closed yet: the open ticket (its intent and payments, rewritten after every
action, so a crash loses nothing) and the tickets held (parked) to be recalled later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from pos_app.engine import TicketState
from pos_app.store.database import DirectStatement, Transaction
from pos_app.store.models.shifts import ParkedTicket, TicketHeader
from pos_app.store.models.tickets import OpenTicket
from pos_app.store.ticket_state_codec import dump_ticket_state, load_ticket_state

# The open ticket's row, written after every action: inserted at the first one, then
# updated (its opening time stays).
_SAVE = DirectStatement(
    f"INSERT INTO {OpenTicket.__tablename__} "
    "(ticket_id, opened_at, updated_at, state, payments) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (ticket_id) DO UPDATE SET "
    "updated_at = excluded.updated_at, state = excluded.state, payments = excluded.payments",
    [None, OpenTicket.opened_at.type, OpenTicket.updated_at.type, None, None],
)
_DELETE = DirectStatement(f"DELETE FROM {OpenTicket.__tablename__} WHERE ticket_id = ?", [None])


@dataclass(frozen=True)
class StoredTicket:
    """A ticket not closed yet, as stored: its intent and its payments (the till's JSON)."""

    ticket_id: str
    opened_at: datetime
    state: TicketState
    payments: str


@dataclass(frozen=True)
class HeldTicket:
    """A held ticket with what its header says: its number and member."""

    ticket: StoredTicket
    parked_at: datetime
    number: str
    member_name: str | None


class OpenTicketRepository:
    """The open ticket's row in one unit of work."""

    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction

    def save(
        self,
        ticket_id: str,
        opened_at: datetime,
        now: datetime,
        state: TicketState,
        payments: str,
    ) -> None:
        """Write the open ticket's intent and payments (one upsert on the connection)."""
        _SAVE.execute(
            self._transaction.connection,
            (ticket_id, opened_at, now, dump_ticket_state(state), payments),
        )

    def latest(self) -> StoredTicket | None:
        """The open ticket last written, if any (the one a restarted till goes on with)."""
        row = self._transaction.session.scalars(
            select(OpenTicket).order_by(OpenTicket.updated_at.desc()).limit(1)
        ).one_or_none()
        if row is None:
            return None
        return StoredTicket(
            row.ticket_id, row.opened_at, load_ticket_state(row.state), row.payments
        )

    def remove(self, ticket_id: str) -> None:
        _DELETE.execute(self._transaction.connection, (ticket_id,))

    def reopen(self, ticket: StoredTicket, now: datetime) -> None:
        """A held ticket becomes the open one."""
        self.remove(ticket.ticket_id)
        self.save(ticket.ticket_id, ticket.opened_at, now, ticket.state, ticket.payments)


class HeldTicketRepository:
    """Held tickets in one unit of work (the ORM)."""

    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction

    def hold(self, ticket: StoredTicket, parked_at: datetime) -> None:
        self._transaction.session.add(
            ParkedTicket(
                ticket_id=ticket.ticket_id,
                opened_at=ticket.opened_at,
                parked_at=parked_at,
                state=dump_ticket_state(ticket.state),
                payments=ticket.payments,
            )
        )

    def take(self, ticket_id: str) -> StoredTicket | None:
        """The held ticket ``ticket_id``, no longer held; None if it is not on hold."""
        session = self._transaction.session
        parked = session.get(ParkedTicket, ticket_id)
        if parked is None:
            return None
        session.delete(parked)
        session.flush()
        return StoredTicket(
            parked.ticket_id, parked.opened_at, load_ticket_state(parked.state), parked.payments
        )

    def all(self) -> list[HeldTicket]:
        """Every held ticket, oldest first, with its number and member."""
        rows = self._transaction.session.execute(
            select(ParkedTicket, TicketHeader)
            .outerjoin(TicketHeader, TicketHeader.ticket_id == ParkedTicket.ticket_id)
            .order_by(ParkedTicket.parked_at)
        )
        return [
            HeldTicket(
                StoredTicket(
                    parked.ticket_id,
                    parked.opened_at,
                    load_ticket_state(parked.state),
                    parked.payments,
                ),
                parked.parked_at,
                header.number if header is not None else "",
                header.member_name if header is not None else None,
            )
            for parked, header in rows
        ]
