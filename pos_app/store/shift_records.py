"""The shift's rows: the open shift of this till, the short ticket numbers it gives, and
the headers the shift keeps of every ticket (sale or return, status, member, taxes).

Numbers are ``STORE-TILL-SEQUENCE`` (``D1-02-000147``): the store's short code, the
till's number in its store, and a sequence that starts again at 1 in each shift (a
business day, closed by the Z report). A number is given at a ticket's first write, in
that write's transaction, so a number is never given twice and a voided or parked
ticket keeps its own.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.store.column_types import Instant, Money
from pos_app.store.database import DirectStatement
from pos_app.store.models.shifts import Shift, TicketHeader

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
_TILL_NUMBER = DirectStatement("SELECT till_number FROM device WHERE id = 1", [])
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
    """The next number of the open shift (taken: the shift's sequence moves on)."""
    shift_id, last = open_shift_id(connection, now)
    seq = last + 1
    _TAKE_SEQ.execute(connection, (seq, shift_id))
    row = _TILL_NUMBER.execute(connection).fetchone()
    till_number = int(row[0]) if row is not None else 1
    return shift_id, format_number(store_code(store_id), till_number, seq)


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


def set_status(connection: Any, ticket_id: str, status: str) -> None:
    _SET_STATUS.execute(connection, (status, ticket_id))


def close_header(
    connection: Any,
    ticket_id: str,
    *,
    status: str,
    tax_inclusive: bool,
    tax: Decimal,
    paid: Decimal,
) -> None:
    """Record how a ticket ended: closed (``paid`` is what the customer paid) or voided
    (``paid`` is what it came to)."""
    _CLOSE_HEADER.execute(connection, (status, tax_inclusive, tax, paid, ticket_id))


def header_of(session: Session, ticket_id: str) -> TicketHeader | None:
    return session.get(TicketHeader, ticket_id)


def find_by_number(session: Session, number: str, kind: str = SALE) -> TicketHeader | None:
    """The ticket with ``number`` (the latest shift's, as numbers start again each day),
    matched without regard to case or surrounding spaces."""
    wanted = number.strip().upper()
    return session.scalars(
        select(TicketHeader)
        .where(TicketHeader.number == wanted, TicketHeader.kind == kind)
        .order_by(TicketHeader.shift_id.desc())
        .limit(1)
    ).one_or_none()


def current_shift(session: Session) -> Shift | None:
    """The open shift, or None before the day's first ticket."""
    return session.scalars(
        select(Shift).where(Shift.closed_at.is_(None)).order_by(Shift.shift_id.desc()).limit(1)
    ).one_or_none()


def set_member(session: Session, ticket_id: str, member_id: str | None, name: str | None) -> None:
    header = session.get(TicketHeader, ticket_id)
    if header is not None:
        header.member_id = member_id
        header.member_name = name
