"""``ticket.closed`` events stored set-based (S3, S4, S6 at chain scale, S15).

A run of checked ``ticket.closed`` events is written with a handful of statements
whatever its length: one ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` claims the
idempotency keys (a key already stored is a resend: its first outcome stands), one
claims the (store, ticket) pairs (a ticket already stored is TICKET_ALREADY_RECEIVED),
one writes every line, one claims the single-use codes (a code already claimed by
another ticket is COUPON_ALREADY_REDEEMED), then the conflicts and the outcomes that are
not ``accepted``. Events and sales go in the upload's order (the order they are listed
in); single-use codes, which uploads of different tills share, go in code order, so two
uploads meeting on the same codes wait for each other in one order. The outcomes are
exactly those of the event-by-event intake (:mod:`backoffice.sync.intake.events`), which stays
the path of every other event type and the fallback that isolates an event the database
refuses.

Redeemed entitlements are not written to the change log here: that needs the change
log's lock, which no upload should wait on. :func:`store_sales` returns their codes and
:func:`backoffice.sync.redemptions.publish_redemptions` marks them after the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, select, tuple_, update
from sqlalchemy.sql.schema import Table

from backoffice.clock import iso_time
from backoffice.models.conflicts import Conflict
from backoffice.models.intake import ReceivedEvent
from backoffice.models.records import Record
from backoffice.models.sales import RedeemedCode, SaleLine, SaleTicket
from backoffice.sync.intake.bulk_insert import insert_rows
from backoffice.sync.intake.events import repeat_result
from backoffice.sync.intake.sales_orm import (
    ENTITLEMENT,
    PROVISIONAL_CODE,
    SINGLE_USE_COUPON,
    clash_sentence,
    coupon_names,
)
from backoffice.sync.intake.verdict import EventResult, Verdict
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.outcomes import ConflictReason, DuplicateReason, Outcome
from pos_app.protocol.payloads import EventHeader, TicketClosed

EVENTS: Table = ReceivedEvent.__table__  # type: ignore[assignment]
TICKETS: Table = SaleTicket.__table__  # type: ignore[assignment]
LINES: Table = SaleLine.__table__  # type: ignore[assignment]
CLAIMS: Table = RedeemedCode.__table__  # type: ignore[assignment]
CONFLICTS: Table = Conflict.__table__  # type: ignore[assignment]
RECORDS: Table = Record.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class CheckedSale:
    """One ``ticket.closed`` event that passed every check, ready to store."""

    key: str
    fingerprint: str
    header: EventHeader
    ticket: TicketClosed
    body: dict[str, Any]


@dataclass
class SalesOutcome:
    """What storing a run did: a result per key, and the entitlements it spent."""

    results: dict[str, EventResult] = field(default_factory=dict)
    spent_entitlements: list[str] = field(default_factory=list)


def store_sales(
    connection: Connection, device: DeviceIdentity, sales: Sequence[CheckedSale], now: datetime
) -> SalesOutcome:
    """Store ``sales`` (distinct keys) in ``connection``'s transaction; the caller commits."""
    outcome = SalesOutcome()
    event_ids = _claim_keys(connection, device, sales, now)
    for row in _rows_by_key(connection, [s.key for s in sales if s.key not in event_ids]):
        outcome.results[row.idempotency_key] = repeat_result(row, _fingerprint(sales, row), device)
    new_sales = [sale for sale in sales if sale.key in event_ids]
    verdicts: dict[str, Verdict] = {}
    stored = _claim_tickets(connection, device, new_sales, event_ids, now, verdicts)
    _insert_lines(connection, stored)
    clashes, spent = _claim_codes(connection, device, stored, now)
    _record_conflicts(connection, device, stored, clashes, event_ids, now, verdicts)
    _update_outcomes(connection, verdicts, event_ids)
    for sale in new_sales:
        verdict = verdicts.get(sale.key, Verdict.accepted())
        outcome.results[sale.key] = EventResult(
            idempotency_key=sale.key,
            outcome=verdict.outcome,
            reason=verdict.reason,
            detail=verdict.detail,
            conflict_key=sale.key if verdict.outcome is Outcome.CONFLICT else None,
        )
    outcome.spent_entitlements = spent
    return outcome


def _fingerprint(sales: Sequence[CheckedSale], row: Any) -> str:
    return next(sale.fingerprint for sale in sales if sale.key == row.idempotency_key)


def _claim_keys(
    connection: Connection, device: DeviceIdentity, sales: Sequence[CheckedSale], now: datetime
) -> dict[str, int]:
    """Insert an event row per key not seen before; their ids by key."""
    rows = [
        {
            "idempotency_key": sale.key,
            "payload_hash": sale.fingerprint,
            "device_id": device.device_id,
            "store_id": device.store_id,
            "event_type": sale.header.type,
            "event_version": sale.header.version,
            "device_seq": sale.header.device_seq,
            "device_time": sale.header.device_time,
            "received_at": now,
            "outcome": Outcome.ACCEPTED.value,
            "reason": None,
            "detail": None,
            "body": sale.body,
        }
        for sale in sales
    ]
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


@dataclass(frozen=True)
class _StoredSale:
    sale: CheckedSale
    sale_id: int


def _claim_tickets(
    connection: Connection,
    device: DeviceIdentity,
    sales: Sequence[CheckedSale],
    event_ids: dict[str, int],
    now: datetime,
    verdicts: dict[str, Verdict],
) -> list[_StoredSale]:
    """Insert a sale per ticket the store does not have yet; a later event of a ticket
    already received (before, or earlier in this run) is TICKET_ALREADY_RECEIVED."""
    first_of: dict[str, CheckedSale] = {}
    for sale in sales:
        first_of.setdefault(sale.ticket.ticket_id, sale)
    rows = [
        {
            "event_id": event_ids[sale.key],
            "ticket_id": ticket_id,
            "store_id": device.store_id,
            "device_id": device.device_id,
            "currency": sale.ticket.currency,
            "total": Decimal(sale.ticket.total),
            "opened_at": sale.ticket.opened_at,
            "closed_at": sale.ticket.closed_at,
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
    stored: list[_StoredSale] = []
    for sale in sales:
        ticket_id = sale.ticket.ticket_id
        first = first_of[ticket_id]
        if first is sale and ticket_id in sale_ids:
            stored.append(_StoredSale(sale, sale_ids[ticket_id]))
            continue
        if first is not sale and ticket_id in sale_ids:  # twice in this run
            received_at, first_key = now, first.key
        else:
            received_at, first_key = earlier[ticket_id]
        verdicts[sale.key] = Verdict(
            Outcome.DUPLICATE,
            DuplicateReason.TICKET_ALREADY_RECEIVED,
            f"payload.ticket_id: ticket {ticket_id} of store {device.store_id} was already"
            f" received at {iso_time(received_at)} under idempotency key {first_key}",
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


def _insert_lines(connection: Connection, stored: Sequence[_StoredSale]) -> None:
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
        for position, line in enumerate(item.sale.ticket.lines)
    ]
    insert_rows(connection, LINES, rows)


def _single_use_sources(connection: Connection, codes: set[str]) -> dict[str, str]:
    """Which of ``codes`` may be redeemed once, and why (as :func:`single_use_source`)."""
    if not codes:
        return {}
    query = select(RECORDS.c.kind, RECORDS.c.record_id, RECORDS.c.data).where(
        tuple_(RECORDS.c.kind, RECORDS.c.record_id).in_(
            [(kind, code) for code in sorted(codes) for kind in (ENTITLEMENT, "coupon")]
        )
    )
    sources: dict[str, str] = {}
    for kind, code, data in connection.execute(query):
        if kind == ENTITLEMENT:
            sources[code] = ENTITLEMENT
        elif data.get("single_use") is True:
            sources.setdefault(code, SINGLE_USE_COUPON)
    return sources


def _claim_codes(
    connection: Connection, device: DeviceIdentity, stored: Sequence[_StoredSale], now: datetime
) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Claim each single-use code for the first sale redeeming it; the clashes of the
    others by key, and the entitlements spent."""
    wanted = {coupon.code for item in stored for coupon in item.sale.ticket.coupons}
    sources = _single_use_sources(connection, wanted)
    claims: dict[str, dict[str, Any]] = {}
    uses: list[tuple[_StoredSale, str]] = []
    for item in stored:
        ticket = item.sale.ticket
        provisional = {coupon.code for coupon in ticket.coupons if coupon.provisional}
        for code in sorted({coupon.code for coupon in ticket.coupons}):
            source = sources.get(code) or (PROVISIONAL_CODE if code in provisional else None)
            if source is None:
                continue
            uses.append((item, code))
            claims.setdefault(
                code,
                {
                    "code": code,
                    "source": source,
                    "sale_id": item.sale_id,
                    "ticket_id": ticket.ticket_id,
                    "store_id": device.store_id,
                    "device_id": device.device_id,
                    "redeemed_at": now,
                    "published": source != ENTITLEMENT,
                },
            )
    if not claims:
        return {}, []
    claimed = insert_rows(
        connection,
        CLAIMS,
        [claims[code] for code in sorted(claims)],
        ignore_conflicts=True,
        returning=(CLAIMS.c.code,),
    )
    won = {code for (code,) in claimed}
    lost = sorted(set(claims) - won)
    holders: dict[str, Any] = {}
    if lost:
        holders = {
            row.code: row
            for row in connection.execute(select(CLAIMS).where(CLAIMS.c.code.in_(lost)))
        }
    clashes: dict[str, list[dict[str, Any]]] = {}
    spent: list[str] = []
    for item, code in uses:
        claim = claims[code]
        if code in won and claim["sale_id"] == item.sale_id:
            if claim["source"] == ENTITLEMENT:
                spent.append(code)
            continue
        first = holders.get(code) or _claim_view(claim)
        if first.ticket_id == item.sale.ticket.ticket_id and first.store_id == device.store_id:
            continue  # the same sale, sent again under a new key
        clashes.setdefault(item.sale.key, []).append(
            {
                "code": code,
                "source": claim["source"],
                "first_ticket_id": first.ticket_id,
                "first_store_id": first.store_id,
                "first_device_id": first.device_id,
                "first_redeemed_at": iso_time(first.redeemed_at),
            }
        )
    return clashes, spent


@dataclass(frozen=True)
class _ClaimView:
    ticket_id: str
    store_id: str
    device_id: str
    redeemed_at: datetime


def _claim_view(row: dict[str, Any]) -> _ClaimView:
    return _ClaimView(row["ticket_id"], row["store_id"], row["device_id"], row["redeemed_at"])


def _record_conflicts(
    connection: Connection,
    device: DeviceIdentity,
    stored: Sequence[_StoredSale],
    clashes: dict[str, list[dict[str, Any]]],
    event_ids: dict[str, int],
    now: datetime,
    verdicts: dict[str, Verdict],
) -> None:
    rows = []
    names = coupon_names(connection, [c["code"] for found in clashes.values() for c in found])
    for item in stored:
        found = clashes.get(item.sale.key)
        if not found:
            continue
        rows.append(
            {
                "conflict_key": item.sale.key,
                "reason": ConflictReason.COUPON_ALREADY_REDEEMED.value,
                "event_id": event_ids[item.sale.key],
                "store_id": device.store_id,
                "device_id": device.device_id,
                "detail": {"ticket_id": item.sale.ticket.ticket_id, "codes": found},
                "detected_at": now,
                "resolved_at": None,
                "resolution": None,
                "resolution_note": None,
                "resolved_by": None,
            }
        )
        verdicts[item.sale.key] = Verdict(
            Outcome.CONFLICT,
            ConflictReason.COUPON_ALREADY_REDEEMED,
            clash_sentence(found, device.store_id, names),
        )
    insert_rows(connection, CONFLICTS, rows)


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
