"""The shift's rows: the open shift of this till, the short ticket numbers it gives, and
the headers the shift keeps of every ticket (sale or return, status, member, taxes).

Numbers are ``STORE-TILL-SEQUENCE`` (``D1-02-000147``): the store's short code, the
till's number in its store, and a sequence that counts up for the till's whole life,
through every Z report (the device row keeps the last one given; the business day may
be printed beside a number, it is never needed to find a sale). A number is given at a
ticket's first write, in that write's transaction, so a number is never given twice
(a unique index says so too), there is no gap, and a voided or parked ticket keeps its
own. Z reports are numbered by a sequence of their own.

Tickets numbered before numbers ran for the till's whole life may share a number with
a ticket of another day (``number_reused``): such a number is found with its business
day (``D1-01-000001 2026-11-20``), and without one the lookup says which days hold it
(:class:`NumberReused`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.store.column_types import Instant, Money
from pos_app.store.database import DirectStatement, Transaction
from pos_app.store.models.packs import PackSale
from pos_app.store.models.shifts import LineTax, Refund, RefundLine, Shift, TicketHeader
from pos_app.store.models.tickets import LineAdjustment, TicketLine
from pos_app.store.models.tickets import Payment as PaymentRow
from pos_app.store.till_file import mark_history_of

OPEN = "open"
PARKED = "parked"
CLOSED = "closed"
VOIDED = "voided"
SALE = "sale"
REFUND = "refund"

_HEADER_NUMBER = DirectStatement("SELECT number FROM ticket_headers WHERE ticket_id = ?", [None])
_OPEN_SHIFT = DirectStatement(
    "SELECT shift_id, last_seq FROM shifts WHERE closed_at IS NULL ORDER BY shift_id DESC LIMIT 1",
    [],
)
_NEW_SHIFT = DirectStatement(
    "INSERT INTO shifts (business_day, opened_at, last_seq) VALUES (?, ?, 0)",
    [None, Instant()],
)
_TAKE_SEQ = DirectStatement("UPDATE shifts SET last_seq = ? WHERE shift_id = ?", [None, None])
_TAKE_NUMBER = DirectStatement(
    "UPDATE device SET last_ticket_number = last_ticket_number + 1 WHERE id = 1"
    " RETURNING last_ticket_number, till_number",
    [],
)
_TAKE_Z_NUMBER = DirectStatement(
    "UPDATE device SET last_z_number = last_z_number + 1 WHERE id = 1 RETURNING last_z_number",
    [],
)
_NEW_HEADER = DirectStatement(
    "INSERT INTO ticket_headers (ticket_id, number, shift_id, kind, status, member_id,"
    " member_name, tax_inclusive, tax, paid) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)",
    [None, None, None, None, None, None, Money(), Money()],
)
_SET_STATUS = DirectStatement(
    "UPDATE ticket_headers SET status = ? WHERE ticket_id = ?", [None, None]
)
_CLOSE_HEADER = DirectStatement(
    "UPDATE ticket_headers SET status = ?, tax_inclusive = ?, tax = ?, paid = ?"
    " WHERE ticket_id = ?",
    [None, None, Money(), Money(), None],
)
_VOID_HEADER = DirectStatement(
    "UPDATE ticket_headers SET status = ?, paid = ? WHERE ticket_id = ?", [None, Money(), None]
)
_SET_MEMBER = DirectStatement(
    "UPDATE ticket_headers SET member_id = ?, member_name = ? WHERE ticket_id = ?",
    [None, None, None],
)
_HEADER = DirectStatement(
    "SELECT number, member_id, member_name FROM ticket_headers WHERE ticket_id = ?", [None]
)
_REFUND_HEADER = DirectStatement.insert(
    TicketHeader,
    ("ticket_id", "number", "shift_id", "kind", "status", "tax_inclusive", "tax", "paid"),
)
_INSERT_LINE_TAX = DirectStatement.insert(LineTax, ("ticket_id", "line_id", "rate", "tax"))
_BUSINESS_DAY = DirectStatement("SELECT business_day FROM shifts WHERE shift_id = ?", [None])


def store_code(store_id: str | None) -> str:
    """A store's short code for ticket numbers: its first letter and its digits
    (``DEMO-1`` → ``D1``), at most six characters."""
    text = "".join(ch for ch in (store_id or "") if ch.isascii() and ch.isalnum()).upper()
    if not text:
        return "T"
    digits = "".join(ch for ch in text if ch.isdigit())
    return (text[0] + digits)[:6] if digits else text[:3]


def format_number(code: str, till_number: int, seq: int) -> str:
    return f"{code}-{till_number:02d}-{seq:06d}"


def business_day(moment: datetime) -> str:
    """The business day a moment falls in: its local date (``2026-11-21``)."""
    return moment.astimezone().date().isoformat()


def open_shift_id(connection: Any, now: datetime) -> tuple[int, int]:
    """The open shift (opened now if none is) and its last sequence number, on the
    sqlite3 ``connection`` in its transaction."""
    row = _OPEN_SHIFT.execute(connection).fetchone()
    if row is not None:
        return int(row[0]), int(row[1])
    cursor = _NEW_SHIFT.execute(connection, (business_day(now), now))
    return int(cursor.lastrowid), 0


def new_ticket_number(connection: Any, now: datetime, store_id: str | None) -> tuple[int, str]:
    """The till's next number, in the open shift (taken: the till's sequence and the
    day's count move on, in the caller's transaction)."""
    shift_id, given_today = open_shift_id(connection, now)
    _TAKE_SEQ.execute(connection, (given_today + 1, shift_id))
    row = _TAKE_NUMBER.execute(connection).fetchone()
    if row is None:
        raise LookupError("the till has no device row; start it once before selling")
    if int(row[0]) == 1:  # the till's first number: from now on it never starts fresh
        mark_history_of(connection, "the first ticket number")
    return shift_id, format_number(store_code(store_id), int(row[1]), int(row[0]))


def new_z_number(connection: Any) -> int:
    """The till's next Z report number (taken, in the caller's transaction)."""
    row = _TAKE_Z_NUMBER.execute(connection).fetchone()
    if row is None:
        raise LookupError("the till has no device row; start it once before closing a day")
    return int(row[0])


def ensure_header(
    connection: Any,
    ticket_id: str,
    now: datetime,
    store_id: str | None,
    *,
    kind: str = SALE,
    tax_inclusive: bool = True,
) -> str:
    """The ticket's number, given now (with its header row) if it has none yet."""
    row = _HEADER_NUMBER.execute(connection, (ticket_id,)).fetchone()
    if row is not None:
        return str(row[0])
    shift_id, number = new_ticket_number(connection, now, store_id)
    _NEW_HEADER.execute(
        connection,
        (ticket_id, number, shift_id, kind, OPEN, tax_inclusive, Decimal(0), Decimal(0)),
    )
    return number


def close_header(
    connection: Any,
    ticket_id: str,
    *,
    status: str,
    tax_inclusive: bool,
    tax: Decimal,
    paid: Decimal,
) -> None:
    """Record how a ticket ended: closed (``paid`` is what the customer paid)."""
    _CLOSE_HEADER.execute(connection, (status, tax_inclusive, tax, paid, ticket_id))


class NumberReused(LookupError):
    """More than one ticket carries a number (numbered before numbers ran for the
    till's whole life): the business days that hold it, oldest first."""

    def __init__(self, number: str, days: Sequence[str]) -> None:
        super().__init__(f"{number} was given on {', '.join(days)}")
        self.number = number
        self.days = tuple(days)


def find_by_number(session: Session, number: str, kind: str = SALE) -> TicketHeader | None:
    """The one closed ticket of ``kind`` with ``number`` (``NUMBER`` or ``NUMBER BUSINESS-DAY``,
    without regard to case or surrounding spaces); None if there is none. A number two
    tickets share (``number_reused``) without a day raises :class:`NumberReused`."""
    wanted, _, day = number.strip().upper().partition(" ")
    query = (
        select(TicketHeader, Shift.business_day)
        .join(Shift, Shift.shift_id == TicketHeader.shift_id)
        .where(
            TicketHeader.number == wanted,
            TicketHeader.kind == kind,
            TicketHeader.status == CLOSED,
        )
        .order_by(TicketHeader.shift_id)
    )
    if day.strip():
        query = query.where(Shift.business_day == day.strip())
    found = list(session.execute(query))
    if len(found) > 1:
        raise NumberReused(wanted, [business_day for _, business_day in found])
    return found[0][0] if found else None


@dataclass(frozen=True)
class HeaderView:
    """What a ticket's header says of it: its number and its member."""

    number: str
    member_id: str | None
    member_name: str | None


@dataclass(frozen=True)
class ShiftView:
    """One business day of this till as its reports need it."""

    shift_id: int
    business_day: str
    opened_at: datetime


@dataclass(frozen=True)
class DayRows:
    """The rows a day's report adds up: each ticket's header (number, kind, status,
    paid), the closed sales' payments (method, amount), lines with their tax (net,
    rate, tax; None when the line has no tax row) and adjustments (kind, source,
    amount), the coupon packs sold (name, price), and the returns (method, amount) with
    their lines (amount, tax, rate)."""

    headers: tuple[tuple[str, str, str, Decimal], ...] = ()
    payments: tuple[tuple[str, Decimal], ...] = ()
    lines: tuple[tuple[Decimal, Decimal | None, Decimal | None], ...] = ()
    adjustments: tuple[tuple[str, str, Decimal], ...] = ()
    refunds: tuple[tuple[str, Decimal], ...] = ()
    refund_lines: tuple[tuple[Decimal, Decimal, Decimal | None], ...] = ()
    packs: tuple[tuple[str, Decimal], ...] = ()


class ShiftRecords:
    """The shift's rows in one unit of work: ticket numbers and headers (on its sqlite3
    connection, in any unit), and the shifts themselves and their reports (the ORM)."""

    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction

    # ------------------------------------------------------------ numbers and headers

    def ensure_number(
        self, ticket_id: str, now: datetime, store_id: str | None, *, tax_inclusive: bool
    ) -> str:
        """The ticket's number, given now (with its header row) if it has none yet."""
        return ensure_header(
            self._transaction.connection, ticket_id, now, store_id, tax_inclusive=tax_inclusive
        )

    def new_number(self, now: datetime, store_id: str | None) -> tuple[int, str]:
        """The next number of the open shift (opened now if none is): (shift id, number)."""
        return new_ticket_number(self._transaction.connection, now, store_id)

    def header(self, ticket_id: str) -> HeaderView | None:
        row = _HEADER.execute(self._transaction.connection, (ticket_id,)).fetchone()
        return None if row is None else HeaderView(str(row[0]), row[1], row[2])

    def set_status(self, ticket_id: str, status: str) -> None:
        _SET_STATUS.execute(self._transaction.connection, (status, ticket_id))

    def set_member(self, ticket_id: str, member_id: str | None, name: str | None) -> None:
        _SET_MEMBER.execute(self._transaction.connection, (member_id, name, ticket_id))

    def close_sale(
        self,
        ticket_id: str,
        *,
        tax_inclusive: bool,
        tax: Decimal,
        paid: Decimal,
        line_taxes: Iterable[tuple[str, Decimal, Decimal]],
    ) -> None:
        """A sale closed: its lines' taxes ((line id, rate, tax)) and its header closed
        with what the customer paid."""
        connection = self._transaction.connection
        _INSERT_LINE_TAX.execute_many(
            connection, [(ticket_id, line_id, rate, t) for line_id, rate, t in line_taxes]
        )
        close_header(
            connection, ticket_id, status=CLOSED, tax_inclusive=tax_inclusive, tax=tax, paid=paid
        )

    def void(self, ticket_id: str, total: Decimal) -> None:
        """A ticket voided, at what it came to."""
        _VOID_HEADER.execute(self._transaction.connection, (VOIDED, total, ticket_id))

    def add_refund(
        self,
        refund_id: str,
        number: str,
        shift_id: int,
        *,
        tax_inclusive: bool,
        tax: Decimal,
        paid: Decimal,
    ) -> None:
        """The header of a return (closed at once): ``paid`` is what went back."""
        _REFUND_HEADER.execute(
            self._transaction.connection,
            (refund_id, number, shift_id, REFUND, CLOSED, tax_inclusive, tax, paid),
        )

    # ------------------------------------------------------------ shifts

    def business_day_of(self, shift_id: int) -> str:
        row = _BUSINESS_DAY.execute(self._transaction.connection, (shift_id,)).fetchone()
        return str(row[0]) if row is not None else ""

    def current(self) -> ShiftView | None:
        """The open shift, or None before the day's first ticket."""
        shift = current_shift(self._transaction.session)
        return (
            None
            if shift is None
            else ShiftView(shift.shift_id, shift.business_day, shift.opened_at)
        )

    def open(self, now: datetime) -> ShiftView:
        """The open shift, opened now if there is none."""
        shift_id, _ = open_shift_id(self._transaction.connection, now)
        shift = self._transaction.session.get(Shift, shift_id)
        assert shift is not None
        return ShiftView(shift.shift_id, shift.business_day, shift.opened_at)

    def next_z_number(self) -> int:
        """The till's next Z report number (taken: a rollback gives it back)."""
        return new_z_number(self._transaction.connection)

    def close(
        self,
        shift_id: int,
        now: datetime,
        counted_cash: Decimal | None,
        report: object,
        z_number: int,
    ) -> None:
        """Close the day with its Z report (kept as it was printed and synced) under
        the Z number :meth:`next_z_number` gave."""
        shift = self._transaction.session.get(Shift, shift_id)
        if shift is None:
            raise LookupError(f"no shift {shift_id}")
        shift.closed_at = now
        shift.counted_cash = counted_cash
        shift.z_number = z_number
        shift.report = json.dumps(report, sort_keys=True)

    def day_rows(self, shift_id: int) -> DayRows:
        """What the report of shift ``shift_id`` adds up (see :class:`DayRows`)."""
        session = self._transaction.session
        headers = list(
            session.scalars(
                select(TicketHeader)
                .where(TicketHeader.shift_id == shift_id)
                .order_by(TicketHeader.number)
            )
        )
        closed = [h.ticket_id for h in headers if h.kind == SALE and h.status == CLOSED]
        payments = session.execute(
            select(PaymentRow.method, PaymentRow.amount).where(PaymentRow.ticket_id.in_(closed))
        )
        lines = session.execute(
            select(TicketLine.net, LineTax.rate, LineTax.tax)
            .outerjoin(
                LineTax,
                (LineTax.ticket_id == TicketLine.ticket_id)
                & (LineTax.line_id == TicketLine.line_id),
            )
            .where(TicketLine.ticket_id.in_(closed))
        )
        adjustments = session.execute(
            select(LineAdjustment.kind, LineAdjustment.source, LineAdjustment.amount).where(
                LineAdjustment.ticket_id.in_(closed)
            )
        )
        packs = session.execute(
            select(PackSale.pack_name, PackSale.price)
            .where(PackSale.ticket_id.in_(closed))
            .order_by(PackSale.sold_at)
        )
        refunds = list(session.scalars(select(Refund).where(Refund.shift_id == shift_id)))
        refund_lines = session.execute(
            select(RefundLine.amount, RefundLine.tax, LineTax.rate)
            .join(Refund, Refund.refund_id == RefundLine.refund_id)
            .outerjoin(
                LineTax,
                (LineTax.ticket_id == Refund.ticket_id) & (LineTax.line_id == RefundLine.line_id),
            )
            .where(RefundLine.refund_id.in_([r.refund_id for r in refunds]))
        )
        return DayRows(
            headers=tuple((h.number, h.kind, h.status, h.paid) for h in headers),
            payments=tuple((method, amount) for method, amount in payments),
            lines=tuple((net, rate, tax) for net, rate, tax in lines),
            adjustments=tuple((kind, source, amount) for kind, source, amount in adjustments),
            refunds=tuple((r.method, r.amount) for r in refunds),
            refund_lines=tuple((amount, tax, rate) for amount, tax, rate in refund_lines),
            packs=tuple((name, price) for name, price in packs),
        )


def current_shift(session: Session) -> Shift | None:
    """The open shift, or None before the day's first ticket."""
    return session.scalars(
        select(Shift).where(Shift.closed_at.is_(None)).order_by(Shift.shift_id.desc()).limit(1)
    ).one_or_none()
