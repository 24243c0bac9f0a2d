"""``ticket.closed``: store the sale, claim its single-use codes, find redemption conflicts.

A single-use code is an entitlement's code or a coupon whose definition has
``single_use``. Its first redemption claims it (a primary key, so two tills
racing cannot both win); a later ticket redeeming it is stored all the same and
becomes a ``COUPON_ALREADY_REDEEMED`` conflict (S6). A redeemed entitlement is
marked ``redeemed`` in the change log, so other tills learn it is spent.

A store's ticket is one sale: a ``ticket.closed`` whose ticket was already received
under another idempotency key is answered ``duplicate`` (TICKET_ALREADY_RECEIVED)
and stored as an event only. (store_id, ticket_id) is unique in ``sale_tickets``, so
two uploads racing with the same ticket meet there and the loser finds the winner.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record
from backoffice.clock import iso_time
from backoffice.models.intake import ReceivedEvent
from backoffice.models.records import Record
from backoffice.models.sales import RedeemedCode, SaleLine, SaleTicket
from backoffice.sync.conflicts import record_conflict
from backoffice.sync.intake.verdict import Verdict
from backoffice.sync.redemptions import mark_redeemed
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.outcomes import ConflictReason, DuplicateReason, Outcome
from pos_app.protocol.payloads import TicketClosed

log = logging.getLogger(__name__)

ENTITLEMENT = "entitlement"
SINGLE_USE_COUPON = "coupon"
PROVISIONAL_CODE = "provisional"


def record_sale(
    session: Session,
    event: ReceivedEvent,
    ticket: TicketClosed,
    device: DeviceIdentity,
    now: datetime,
) -> Verdict:
    """Store ``ticket`` as a sale of ``device``'s store; a conflict if a code was already
    used; a duplicate if the store already has this ticket (under another key)."""
    earlier = _received_sale(session, device.store_id, ticket.ticket_id)
    if earlier is not None:
        return _already_received(session, earlier, event, device)
    sale = SaleTicket(
        event_id=event.id,
        ticket_id=ticket.ticket_id,
        store_id=device.store_id,
        device_id=device.device_id,
        currency=ticket.currency,
        total=Decimal(ticket.total),
        opened_at=ticket.opened_at,
        closed_at=ticket.closed_at,
        received_at=now,
        lines=[
            SaleLine(
                position=position,
                line_id=line.line_id,
                sku=line.sku,
                name=line.name,
                qty=line.qty,
                unit_price=Decimal(line.unit_price),
                gross=Decimal(line.gross),
                net=Decimal(line.net),
                adjustments=[adjustment.model_dump() for adjustment in line.adjustments],
            )
            for position, line in enumerate(ticket.lines)
        ],
    )
    try:
        with session.begin_nested():
            session.add(sale)
            session.flush()
    except IntegrityError:  # another upload of the same ticket stored it a moment ago
        earlier = _received_sale(session, device.store_id, ticket.ticket_id)
        if earlier is None:
            raise
        return _already_received(session, earlier, event, device)

    clashes: list[dict[str, Any]] = []
    spent_entitlements: list[str] = []
    # Claims go in code order and before the change-log lock, so two uploads never
    # wait on each other's claims in opposite orders (no deadlock on PostgreSQL).
    provisional = {coupon.code for coupon in ticket.coupons if coupon.provisional}
    for code in sorted({coupon.code for coupon in ticket.coupons}):
        source = single_use_source(session, code)
        if source is None and code in provisional:
            source = PROVISIONAL_CODE  # a platform code accepted offline: one use (S14)
        if source is None:
            continue
        clash = _claim_code(session, code, source, sale, now)
        if clash is not None:
            clashes.append(clash)
        elif source == ENTITLEMENT:
            spent_entitlements.append(code)
    for code in spent_entitlements:
        _mark_entitlement_redeemed(session, code, device, now)
    if not clashes:
        return Verdict.accepted()
    record_conflict(
        session,
        conflict_key=event.idempotency_key,
        reason=ConflictReason.COUPON_ALREADY_REDEEMED,
        event_id=event.id,
        device=device,
        detail={"ticket_id": ticket.ticket_id, "codes": clashes},
        now=now,
    )
    names = coupon_names(session, [clash["code"] for clash in clashes])
    detail = clash_sentence(clashes, device.store_id, names)
    return Verdict(Outcome.CONFLICT, ConflictReason.COUPON_ALREADY_REDEEMED, detail)


def coupon_names(executor: Session | Connection, codes: Iterable[str]) -> dict[str, str]:
    """The names people know the redeemed ``codes`` by: a coupon's own name, or for a
    member's entitlement, its coupon's name. A code with no named record is left out."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = executor.execute(
        select(Record.kind, Record.record_id, Record.data).where(
            Record.kind.in_(("coupon", "entitlement")), Record.record_id.in_(wanted)
        )
    ).all()
    names: dict[str, str] = {}
    coupon_of: dict[str, str] = {}
    for kind, code, data in rows:
        if kind == "coupon" and isinstance(data.get("name"), str):
            names[code] = data["name"]
        elif kind == "entitlement" and isinstance(data.get("coupon_code"), str):
            coupon_of[code] = data["coupon_code"]
    if coupon_of:
        defined = coupon_names(executor, set(coupon_of.values()) - set(coupon_of))
        for code, coupon_code in coupon_of.items():
            if defined.get(coupon_code):
                names[code] = defined[coupon_code]
    return {code: name for code, name in names.items() if name}


def clash_sentence(
    clashes: list[dict[str, Any]], own_store_id: str, names: Mapping[str, str]
) -> str:
    """The clashes as a store manager reads them: the coupon (by its name where known),
    where and when it was first redeemed, in words (the ids stay in the conflict's
    detail for support)."""
    sentences = []
    for clash in clashes:
        where = "another till of this store"
        if clash["first_store_id"] != own_store_id:
            where = "another store"
        when = str(clash["first_redeemed_at"])[:16].replace("T", " ")
        coupon = names.get(clash["code"]) or clash["code"]
        sentences.append(f"{coupon} was already redeemed at {where} on {when} UTC")
    return "; ".join(sentences)


def _received_sale(session: Session, store_id: str, ticket_id: str) -> SaleTicket | None:
    return session.scalar(
        select(SaleTicket).where(SaleTicket.store_id == store_id, SaleTicket.ticket_id == ticket_id)
    )


def _already_received(
    session: Session, earlier: SaleTicket, event: ReceivedEvent, device: DeviceIdentity
) -> Verdict:
    first = session.get(ReceivedEvent, earlier.event_id)
    first_key = first.idempotency_key if first is not None else "?"
    log.info(
        "event %s from device %s: ticket %s of store %s was already received (key %s)",
        event.idempotency_key,
        device.device_id,
        earlier.ticket_id,
        earlier.store_id,
        first_key,
    )
    return Verdict(
        Outcome.DUPLICATE,
        DuplicateReason.TICKET_ALREADY_RECEIVED,
        f"payload.ticket_id: ticket {earlier.ticket_id} of store {earlier.store_id} was"
        f" already received at {iso_time(earlier.received_at)} under idempotency key"
        f" {first_key}",
    )


def single_use_source(session: Session, code: str) -> str | None:
    """Whether ``code`` may be redeemed only once, and why (entitlement or single-use coupon)."""
    if find_record(session, "entitlement", code) is not None:
        return ENTITLEMENT
    coupon = find_record(session, "coupon", code)
    if coupon is not None and coupon.data.get("single_use") is True:
        return SINGLE_USE_COUPON
    return None


def _claim_code(
    session: Session, code: str, source: str, sale: SaleTicket, now: datetime
) -> dict[str, Any] | None:
    """Claim ``code`` for ``sale``; the earlier claim, described, if another ticket has it."""
    first = session.get(RedeemedCode, code)
    if first is None:
        try:
            with session.begin_nested():
                session.add(
                    RedeemedCode(
                        code=code,
                        source=source,
                        sale_id=sale.id,
                        ticket_id=sale.ticket_id,
                        store_id=sale.store_id,
                        device_id=sale.device_id,
                        redeemed_at=now,
                    )
                )
                session.flush()
            return None
        except IntegrityError:  # another till's upload claimed it a moment ago
            first = session.get(RedeemedCode, code)
            if first is None:
                raise
    if first.ticket_id == sale.ticket_id and first.store_id == sale.store_id:
        return None  # the same sale, sent again under a new key: not a second redemption
    return {
        "code": code,
        "source": source,
        "first_ticket_id": first.ticket_id,
        "first_store_id": first.store_id,
        "first_device_id": first.device_id,
        "first_redeemed_at": iso_time(first.redeemed_at),
    }


def _mark_entitlement_redeemed(
    session: Session, code: str, device: DeviceIdentity, now: datetime
) -> None:
    mark_redeemed(session, [code], now, f"device:{device.device_id}")
