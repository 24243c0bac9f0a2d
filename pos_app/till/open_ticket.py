"""The ticket in progress: the engine's ticket, the payments taken, its short number and
its member, written after every action (S1: a crash loses nothing, a new till on the
same database goes on with it)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal

from pos_app.engine import (
    Close,
    CouponDefinition,
    Currency,
    PriceBook,
    PricedTicket,
    RedemptionPreview,
    Refusal,
    Ticket,
    TicketCommand,
    TicketState,
)
from pos_app.protocol.taxes import TicketTaxes
from pos_app.store.open_tickets import StoredTicket
from pos_app.store.unit_of_work import TillDatabase, UnitOfWork
from pos_app.till.clock import Clock, aware
from pos_app.till.configuration import LiveConfiguration
from pos_app.till.payments import Payment, amount_due, dump_payments, load_payments
from pos_app.till.ticket_change import TicketChange
from pos_app.till.ticket_ids import TicketIds

Member = tuple[str, str]  # (member id, name)


class OpenTicket:
    """The one ticket being rung up, its payments, number and member. An action either
    succeeds, its new state written before it returns, or is refused and changes
    nothing (the engine's ticket is put back when the write fails). Not thread-safe:
    one owner at a time. ``clock`` gives the device time written; ``pricing_clock``
    the local wall-clock time validity windows are checked against."""

    def __init__(
        self,
        database: TillDatabase,
        configuration: LiveConfiguration,
        clock: Clock,
        pricing_clock: Clock,
    ) -> None:
        self._database = database
        self._configuration = configuration
        self._clock = clock
        self._pricing_clock = pricing_clock
        self._ids = TicketIds()
        self._taxes: tuple[PricedTicket, TicketTaxes] | None = None
        self._ticket_id: str
        self._opened_at: datetime | None
        self._payments: tuple[Payment, ...]
        self._ticket: Ticket
        self._number: str | None
        self._member: Member | None
        with database.unit_of_work() as uow:
            stored = uow.open_tickets.latest()
            header = uow.shifts.header(stored.ticket_id) if stored is not None else None
        if stored is None:
            self.start_new()
        else:
            member = None
            if header is not None and header.member_id:
                member = (header.member_id, header.member_name or "")
            self.load(stored, header.number if header is not None else None, member)

    # ------------------------------------------------------------ reading

    @property
    def ticket_id(self) -> str:
        return self._ticket_id

    @property
    def state(self) -> TicketState:
        return self._ticket.state

    @property
    def priced(self) -> PricedTicket:
        return self._ticket.priced

    @property
    def book(self) -> PriceBook:
        """The book this ticket is priced under (with its provisional codes, S14)."""
        return self._ticket.book

    @property
    def currency(self) -> Currency:
        return self._configuration.currency

    @property
    def payments(self) -> tuple[Payment, ...]:
        return self._payments

    @property
    def opened_at(self) -> datetime | None:
        return self._opened_at

    @property
    def number(self) -> str | None:
        """The short number, once the ticket's first action gave it one."""
        return self._number

    @property
    def member(self) -> Member | None:
        return self._member

    @property
    def member_id(self) -> str | None:
        return self._member[0] if self._member else None

    @property
    def taxes(self) -> TicketTaxes:
        """The ticket's taxes as it is priced now (worked out once per pricing)."""
        priced = self._ticket.priced
        if self._taxes is None or self._taxes[0] is not priced:
            self._taxes = (priced, self._configuration.taxes_of(priced))
        return self._taxes[1]

    @property
    def total_due(self) -> Decimal:
        """What the ticket costs the customer (its total, plus tax when added)."""
        return self.taxes.amount_due(self._ticket.priced.total)

    @property
    def amount_due(self) -> Decimal:
        return amount_due(self.total_due, self._payments)

    def refusal_for(self, command: TicketCommand) -> Refusal | None:
        """The engine's refusal of ``command``, tried on a copy of the ticket."""
        return self._ticket.refusal_for(command)

    def stored(self, now: datetime) -> StoredTicket:
        """The ticket as it is stored (held, or voided into the audit log)."""
        return StoredTicket(
            self._ticket_id, self._opened_at or now, self.state, dump_payments(self._payments)
        )

    def change(
        self, pending: int, *, outcome: object = None, line_id: str | None = None
    ) -> TicketChange:
        """The ticket as it stands, with ``pending`` events waiting; ``outcome``: what a
        command made (a return, a report ...), ``line_id``: the line it rang up."""
        return TicketChange(
            ticket_id=self._ticket_id,
            priced=self._ticket.priced,
            payments=self._payments,
            amount_due=self.amount_due,
            outbox_pending=pending,
            number=self._number or "",
            member_name=self._member[1] if self._member else None,
            taxes=self.taxes,
            outcome=outcome,
            line_id=line_id,
        )

    def current(self) -> TicketChange:
        """The ticket as it stands, with the outbox's count read now."""
        with self._database.unit_of_work() as uow:
            return self.change(uow.outbox.pending_count())

    # ------------------------------------------------------------ ids

    def new_line_id(self) -> str:
        """The next line id of this ticket (never one it mentioned before)."""
        return self._ids.next_line_id(self._ticket_id, self.state)

    def new_discount_id(self) -> str:
        return self._ids.next_discount_id(self._ticket_id, self.state)

    # ------------------------------------------------------------ acting

    def apply(
        self,
        command: TicketCommand,
        with_coupons: Sequence[CouponDefinition] = (),
        *,
        line_id: str | None = None,
    ) -> TicketChange:
        """Carry out ``command`` on the ticket (priced with ``with_coupons`` too: a
        provisional code, S14) and write the new state; a refusal or a failed write
        leaves the ticket as it was. ``line_id``: the line the command rings up."""
        before = self._ticket
        state = before.state
        if with_coupons:
            book = self._configuration.book_for(state, with_coupons)
            self._ticket = Ticket(book, self._pricing_clock, state)
        try:
            self._ticket.apply(command)  # a Refusal leaves the engine's ticket as it was
        except BaseException:
            self._ticket = before
            raise
        try:
            pending = self.save()
        except BaseException:
            self._ticket = before if with_coupons else self._ticket_of(state)
            raise
        return self.change(pending, line_id=line_id)

    def preview_redemption(
        self, code: str, with_coupons: Sequence[CouponDefinition] = ()
    ) -> RedemptionPreview:
        """The engine's preview of redeeming ``code`` (priced with ``with_coupons`` too,
        as :meth:`apply` would); the ticket is untouched."""
        ticket = self._ticket
        if with_coupons:
            book = self._configuration.book_for(ticket.state, with_coupons)
            ticket = Ticket(book, self._pricing_clock, ticket.state)
        return ticket.preview_redemption(code)

    def set_payments(self, payments: tuple[Payment, ...]) -> TicketChange:
        pending = self.save(payments)
        self._payments = payments
        return self.change(pending)

    def set_member(self, member: Member | None) -> TicketChange:
        """Put ``member`` on the ticket (None: take the member off), written with the
        ticket (which gets its number and row)."""
        member_id, name = member if member is not None else (None, None)

        def on_header(uow: UnitOfWork) -> None:
            uow.shifts.set_member(self._ticket_id, member_id, name)

        pending = self.save(also=on_header)
        self._member = member
        return self.change(pending)

    def save(
        self,
        payments: tuple[Payment, ...] | None = None,
        also: Callable[[UnitOfWork], None] | None = None,
    ) -> int:
        """Write the ticket's state and ``payments`` (its own, by default) in one durable
        transaction on the connection alone, numbering the ticket at its first write;
        ``also`` (a callable taking the unit of work) writes more in it. Returns the
        outbox's pending count."""
        now = aware(self._clock())
        opened_at = self._opened_at or now
        with self._database.unit_of_work() as uow:
            number = self.number_in(uow, now)
            uow.open_tickets.save(
                self._ticket_id,
                opened_at,
                now,
                self._ticket.state,
                dump_payments(self._payments if payments is None else payments),
            )
            if also is not None:
                also(uow)
            pending = uow.outbox.pending_count()
            uow.commit()
        self._opened_at = opened_at
        self._number = number
        return pending

    def number_in(self, uow: UnitOfWork, now: datetime) -> str:
        """The ticket's number, given in ``uow`` (with its header) if it has none yet."""
        if self._number is not None:
            return self._number
        config = self._configuration.current
        return uow.shifts.ensure_number(
            self._ticket_id, now, config.store_id, tax_inclusive=config.tax_inclusive
        )

    def reprice(self) -> None:
        """Price the ticket again under the current configuration (its intent unchanged)."""
        self._ticket = self._ticket_of(self._ticket.state)

    # ------------------------------------------------------------ closing

    def close(self) -> PricedTicket:
        """The engine closes the ticket (its prices kept); :meth:`put_back` undoes it
        when writing the sale fails."""
        return self._ticket.apply(Close())

    def put_back(self, state: TicketState) -> None:
        self._ticket = self._ticket_of(state)

    def _ticket_of(self, state: TicketState) -> Ticket:
        return Ticket(self._configuration.book_for(state), self._pricing_clock, state)

    # ------------------------------------------------------------ switching tickets

    def start_new(self) -> None:
        """An empty ticket with a new id, no number and no member yet."""
        self._ticket_id = str(uuid.uuid4())
        self._opened_at = None
        self._payments = ()
        self._ticket = Ticket(self._configuration.book, self._pricing_clock)
        self._number = None
        self._member = None

    def load(self, stored: StoredTicket, number: str | None, member: Member | None) -> None:
        """Go on with a stored ticket (restored at start, or recalled from hold)."""
        self._ticket_id = stored.ticket_id
        self._opened_at = stored.opened_at
        self._payments = load_payments(stored.payments)
        self._ticket = self._ticket_of(stored.state)
        self._number = number
        self._member = member
