"""``ticket.closed`` stored set-based (S3, S4, S6 at chain scale, S15): the sales' path.

A run of checked ``ticket.closed`` events is written with a handful of statements
whatever its length: one ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` claims the
idempotency keys (a key already stored is a resend: its first outcome stands), one
claims the (store, ticket) pairs (a ticket already stored is TICKET_ALREADY_RECEIVED:
a store's ticket is one sale), one writes every line, one claims the single-use codes
(:mod:`~backoffice.sync.intake.redeemed_codes`: a code another ticket claimed first is
a COUPON_ALREADY_REDEEMED conflict), one claims the ticket numbers
(:mod:`~backoffice.sync.intake.sale_numbers`: a number the till already used for another
sale is a TICKET_NUMBER_REUSED conflict), then the conflicts and the outcomes that are
not ``accepted``. Events and sales go in the upload's order. Two uploads racing with one key
or one ticket meet at the unique constraint: the loser's row is skipped and it answers
with the winner's.

Redeemed entitlements are not written to the change log here: that needs the change
log's lock, which no upload should wait on. The codes spent are returned, and
:func:`backoffice.sync.redemptions.publish_redemptions` marks them after the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import Table

from backoffice.clock import iso_time
from backoffice.models.intake import ReceivedEvent
from backoffice.models.sales import SaleLine, SaleTicket
from backoffice.sync.intake.anomalies import record_anomalies
from backoffice.sync.intake.bulk_insert import insert_rows
from backoffice.sync.intake.checks import CheckedEvent
from backoffice.sync.intake.redeemed_codes import StoredSale, claim_codes, record_clashes
from backoffice.sync.intake.repeats import repeat_result
from backoffice.sync.intake.sale_numbers import claim_numbers, record_number_clashes
from backoffice.sync.intake.verdict import EventResult, IntakeOutcome, Verdict
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.outcomes import DuplicateReason, Outcome
from pos_app.protocol.payloads import TicketClosed

EVENTS: Table = ReceivedEvent.__table__  # type: ignore[assignment]
TICKETS: Table = SaleTicket.__table__  # type: ignore[assignment]
LINES: Table = SaleLine.__table__  # type: ignore[assignment]


def receive_sales(
    session: Session, device: DeviceIdentity, run: Sequence[CheckedEvent], now: datetime
) -> IntakeOutcome:
    """A run of checked ``ticket.closed`` events (distinct keys) stored in ``session``'s
    transaction, on its connection; the caller commits."""
    session.flush()  # what the session holds goes first, in the upload's order
    return store_sales(session.connection(), device, run, now)


def store_sales(
    connection: Connection, device: DeviceIdentity, run: Sequence[CheckedEvent], now: datetime
) -> IntakeOutcome:
    """Store ``run`` in ``connection``'s transaction: one result per event, in order."""
    event_ids = _claim_keys(connection, device, run, now)
    results: dict[str, EventResult] = {}
    for row in _rows_by_key(connection, [event.key for event in run if event.key not in event_ids]):
        fingerprint = next(e.fingerprint for e in run if e.key == row.idempotency_key)
        results[row.idempotency_key] = repeat_result(row, fingerprint, device)
    new_sales = [event for event in run if event.key in event_ids]
    verdicts: dict[str, Verdict] = {}
    stored = _claim_tickets(connection, device, new_sales, event_ids, now, verdicts)
    _insert_lines(connection, stored)
    record_anomalies(connection, device, stored, now)  # held out of revenue, never dropped
    clashes, spent = claim_codes(connection, device, stored, now)
    record_clashes(connection, device, stored, clashes, now, verdicts)
    numbers_reused = claim_numbers(connection, device, stored, now)
    record_number_clashes(connection, device, stored, numbers_reused, now, verdicts)
    _update_outcomes(connection, verdicts, event_ids)
    for event in new_sales:
        verdict = verdicts.get(event.key, Verdict.accepted())
        results[event.key] = EventResult(
            idempotency_key=event.key,
            outcome=verdict.outcome,
            reason=verdict.reason,
            detail=verdict.detail,
            conflict_key=event.key if verdict.outcome is Outcome.CONFLICT else None,
        )
    return IntakeOutcome([results[event.key] for event in run], spent)


def _ticket(event: CheckedEvent) -> TicketClosed:
    assert isinstance(event.payload, TicketClosed), f"event {event.key} is no checked sale"
    return event.payload


def _claim_keys(
    connection: Connection, device: DeviceIdentity, run: Sequence[CheckedEvent], now: datetime
) -> dict[str, int]:
    """Insert an event row per key not seen before; their ids by key."""
    rows = []
    for event in run:
        assert event.header is not None
        rows.append(
            {
                "idempotency_key": event.key,
                "payload_hash": event.fingerprint,
                "device_id": device.device_id,
                "store_id": device.store_id,
                "event_type": event.header.type,
                "event_version": event.header.version,
                "device_seq": event.header.device_seq,
                "device_time": event.header.device_time,
                "received_at": now,
                "outcome": Outcome.ACCEPTED.value,
                "reason": None,
                "detail": None,
                "body": event.body,
            }
        )
    if not rows:
        return {}
    inserted = insert_rows(
        connection,
        EVENTS,
        rows,
        ignore_conflicts=True,
        returning=(EVENTS.c.id, EVENTS.c.idempotency_key),
    )
    return {row.idempotency_key: row.id for row in inserted}


def _rows_by_key(connection: Connection, keys: Sequence[str]) -> list[Any]:
    if not keys:
        return []
    return list(connection.execute(select(EVENTS).where(EVENTS.c.idempotency_key.in_(keys))))


def _claim_tickets(
    connection: Connection,
    device: DeviceIdentity,
    sales: Sequence[CheckedEvent],
    event_ids: dict[str, int],
    now: datetime,
    verdicts: dict[str, Verdict],
) -> list[StoredSale]:
    """Insert a sale per ticket the store does not have yet; a later event of a ticket
    already received (before, or earlier in this run) is TICKET_ALREADY_RECEIVED."""
    tickets = {sale.key: _ticket(sale) for sale in sales}
    first_of: dict[str, CheckedEvent] = {}
    for sale in sales:
        first_of.setdefault(tickets[sale.key].ticket_id, sale)
    rows = [
        {
            "event_id": event_ids[sale.key],
            "ticket_id": ticket_id,
            "store_id": device.store_id,
            "device_id": device.device_id,
            "currency": tickets[sale.key].currency,
            "total": Decimal(tickets[sale.key].total),
            "opened_at": tickets[sale.key].opened_at,
            "closed_at": tickets[sale.key].closed_at,
            "received_at": now,
        }
        for ticket_id, sale in first_of.items()
    ]
    sale_ids: dict[str, int] = {}
    if rows:
        inserted = insert_rows(
            connection,
            TICKETS,
            rows,
            ignore_conflicts=True,
            returning=(TICKETS.c.id, TICKETS.c.ticket_id),
        )
        sale_ids = {row.ticket_id: row.id for row in inserted}
    missing = [ticket_id for ticket_id in first_of if ticket_id not in sale_ids]
    earlier = _earlier_sales(connection, device.store_id, missing)
    stored: list[StoredSale] = []
    for sale in sales:
        ticket = tickets[sale.key]
        first = first_of[ticket.ticket_id]
        if first is sale and ticket.ticket_id in sale_ids:
            stored.append(
                StoredSale(sale.key, event_ids[sale.key], ticket, sale_ids[ticket.ticket_id])
            )
            continue
        if first is not sale and ticket.ticket_id in sale_ids:  # twice in this run
            received_at, first_key = now, first.key
        else:
            received_at, first_key = earlier[ticket.ticket_id]
        verdicts[sale.key] = Verdict(
            Outcome.DUPLICATE,
            DuplicateReason.TICKET_ALREADY_RECEIVED,
            f"payload.ticket_id: ticket {ticket.ticket_id} of store {device.store_id} was"
            f" already received at {iso_time(received_at)} under idempotency key {first_key}",
        )
    return stored


def _earlier_sales(
    connection: Connection, store_id: str, ticket_ids: Sequence[str]
) -> dict[str, tuple[datetime, str]]:
    """When each ticket was first received, and under which key."""
    if not ticket_ids:
        return {}
    query = (
        select(SaleTicket.ticket_id, SaleTicket.received_at, ReceivedEvent.idempotency_key)
        .join(ReceivedEvent, ReceivedEvent.id == SaleTicket.event_id)
        .where(SaleTicket.store_id == store_id, SaleTicket.ticket_id.in_(ticket_ids))
    )
    return {ticket_id: (at, key) for ticket_id, at, key in connection.execute(query)}


def _insert_lines(connection: Connection, stored: Sequence[StoredSale]) -> None:
    rows = [
        {
            "sale_id": item.sale_id,
            "position": position,
            "line_id": line.line_id,
            "sku": line.sku,
            "name": line.name,
            "qty": line.qty,
            "unit_price": Decimal(line.unit_price),
            "gross": Decimal(line.gross),
            "net": Decimal(line.net),
            "adjustments": [adjustment.model_dump() for adjustment in line.adjustments],
        }
        for item in stored
        for position, line in enumerate(item.ticket.lines)
    ]
    insert_rows(connection, LINES, rows)


def _update_outcomes(
    connection: Connection, verdicts: dict[str, Verdict], event_ids: dict[str, int]
) -> None:
    """Events were stored as accepted; the others get their outcome now."""
    rows = [
        {
            "event_id": event_ids[key],
            "new_outcome": verdict.outcome.value,
            "new_reason": verdict.reason,
            "new_detail": verdict.detail,
        }
        for key, verdict in sorted(verdicts.items())
    ]
    if rows:
        connection.execute(
            update(EVENTS)
            .where(EVENTS.c.id == bindparam("event_id"))
            .values(
                outcome=bindparam("new_outcome"),
                reason=bindparam("new_reason"),
                detail=bindparam("new_detail"),
            ),
            rows,
        )
