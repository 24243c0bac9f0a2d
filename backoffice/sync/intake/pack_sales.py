"""Pack sales uploaded by the tills (COUPON-PACK-RULES K12-K15): ``pack.sold``,
``pack.refunded``, and a store manager's accepted exception.

A ``pack.sold`` is stored once per ``sale_id``, whatever becomes of it (K14). Its unit
comes from the till's quota (or a free unit, K13). Within the member's limits counted
over every purchase confirmed here (K4) it is accepted: a purchase with the till's
coupons, under the till's own codes (K15), each an ``entitlement`` record that reaches
every till. Past a limit (a sale through another till got here first) it is a
``PACK_LIMIT_EXCEEDED`` conflict: kept, its coupons withdrawn (``revoked``), its unit
held until the store manager refunds it (``pack.refunded``) or accepts the exception
(``conflict.resolved`` with ``accepted``).

Locks: the pack rows a batch names, in id order, before anything else
(:func:`lock_packs_sold_in`); then the change log.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record
from backoffice.models.intake import ReceivedEvent
from backoffice.models.pack_sales import TillPackSale
from backoffice.models.packs import CouponPack, PackCoupon, PackPurchase
from backoffice.models.sales import RedeemedCode
from backoffice.packs.errors import PackNotFound, PackStateError
from backoffice.packs.inventory import CONFLICT, take_reported_unit
from backoffice.packs.issuance import (
    EntitlementOf,
    issue_cycle_with_codes,
    lock_pack,
    open_grant,
    put_entitlement,
)
from backoffice.packs.members import find_member
from backoffice.packs.pack_refund import ALREADY_REFUNDED, refund_purchase
from backoffice.packs.purchase import PAID, PURCHASE, check_member_limits
from backoffice.packs.till_records import publish_purchase_record
from backoffice.sync.conflicts import record_conflict
from backoffice.sync.intake.verdict import Verdict
from backoffice.sync.pack_supplies import code_block
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.events import EventType
from pos_app.protocol.outcomes import ConflictReason, DuplicateReason, Outcome, RejectReason
from pos_app.protocol.pack_codes import parse_block_code
from pos_app.protocol.pack_validity import ValidityWindow, window_of_record
from pos_app.protocol.payloads import PackRefunded, PackSold

log = logging.getLogger(__name__)

ACCEPTED = "accepted"
REFUNDED = "refunded"
WITH_ORDER = "with_order"
REVOKED = "revoked"
ISSUED = "issued"
REDEEMED = "redeemed"
ACCEPTED_EXCEPTION = "accepted"  # the conflict.resolved resolution that sells a held sale


def _pack_number(pack_id: object) -> int | None:
    return (
        int(pack_id)
        if isinstance(pack_id, str) and pack_id.isascii() and pack_id.isdigit()
        else None
    )


def lock_packs_sold_in(session: Session, events: Sequence[object]) -> None:
    """Lock the pack rows the batch's ``pack.sold`` events name, in id order, before any
    event takes the change-log lock: every writer then takes packs before the log, in
    one order, so two uploads (or an upload and a gift) never deadlock on PostgreSQL."""
    numbers = set()
    for event in events:
        if isinstance(event, dict) and event.get("type") == EventType.PACK_SOLD:
            payload = event.get("payload")
            if isinstance(payload, dict):
                number = _pack_number(payload.get("pack_id"))
                if number is not None:
                    numbers.add(number)
    for number in sorted(numbers):
        try:
            lock_pack(session, number)
        except PackNotFound:
            continue


def _rejected(detail: str) -> Verdict:
    return Verdict.rejected(RejectReason.MALFORMED_EVENT, detail)


def _coupons_of(
    sold: PackSold, device: DeviceIdentity, session: Session
) -> list[tuple[EntitlementOf, ValidityWindow]] | str:
    """The sale's coupons with their windows, or why they cannot be (the field at fault)."""
    found = []
    for index, coupon in enumerate(sold.coupons):
        where = f"payload.coupons[{index}]"
        parsed = parse_block_code(coupon.code)
        block = code_block(session, parsed[0]) if parsed is not None else None
        if parsed is None or block is None or block.device_id != device.device_id:
            return f"{where}.code: {coupon.code} is not a code of a block reserved for this till"
        if parsed[1] >= block.size:
            return f"{where}.code: {coupon.code} is past the end of its block"
        if session.get(PackCoupon, coupon.code) is not None or find_record(
            session, "entitlement", coupon.code
        ):
            return f"{where}.code: {coupon.code} was already issued"
        if not find_record(session, "coupon", coupon.coupon_code):
            return f"{where}.coupon_code: unknown coupon {coupon.coupon_code}"
        valid_from, valid_to = coupon.valid_from.isoformat(), coupon.valid_to.isoformat()
        try:
            window = window_of_record(valid_from, valid_to)
        except ValueError as exc:
            return f"{where}.valid_to: {exc}"
        found.append(
            (
                EntitlementOf(
                    coupon.code, sold.member_id, coupon.coupon_code, valid_from, valid_to
                ),
                window,
            )
        )
    if len({coupon.code for coupon, _ in found}) != len(found):
        return "payload.coupons: a code appears twice"
    return found


def record_pack_sale(
    session: Session, event: ReceivedEvent, sold: PackSold, device: DeviceIdentity, now: datetime
) -> Verdict:
    """Store a till's pack sale once, and accept it or make it a conflict (see above)."""
    earlier = session.scalar(select(TillPackSale).where(TillPackSale.sale_id == sold.sale_id))
    if earlier is not None:
        return Verdict(
            Outcome.DUPLICATE,
            DuplicateReason.PACK_SALE_ALREADY_RECEIVED,
            f"payload.sale_id: pack sale {sold.sale_id} was already received",
        )
    number = _pack_number(sold.pack_id)
    pack = session.get(CouponPack, number) if number is not None else None
    if pack is None:
        return _rejected(f"payload.pack_id: no pack {sold.pack_id}")
    pack = lock_pack(session, pack.id)
    member = find_member(session, sold.member_id)
    if member is None:
        return _rejected(f"payload.member_id: no member {sold.member_id}")
    coupons = _coupons_of(sold, device, session)
    if isinstance(coupons, str):
        return _rejected(coupons)
    sale = TillPackSale(
        sale_id=sold.sale_id,
        event_id=event.id,
        device_id=device.device_id,
        store_id=device.store_id,
        ticket_id=sold.ticket_id,
        line_id=sold.line_id,
        pack_id=pack.id,
        pack_name=sold.pack_name,
        member_id=member.member_id,
        price=Decimal(sold.price),
        currency=sold.currency,
        sold_at=sold.sold_at,
        local_date=sold.local_date,
        reservation_key=sold.reservation_key,
        coupons=[c.model_dump(mode="json") for c in sold.coupons],
        status=ACCEPTED,
        received_at=now,
    )
    session.add(sale)
    actor = f"device:{device.device_id}"
    reason, detail = None, ""
    if not take_reported_unit(session, pack, device.device_id, now):
        reason = ConflictReason.PACK_SOLD_OUT
        detail = f"pack {pack.id} ({pack.name}) has no unit left for this sale (K13)"
    else:
        try:
            check_member_limits(session, pack, member.member_id, sold.local_date)
        except PackStateError as refusal:
            reason = ConflictReason.PACK_LIMIT_EXCEEDED
            detail = f"{member.name or member.member_id}: {refusal.problem}"
    if reason is None:
        _sell(session, sale, pack, coupons, now=now, actor=actor)
        return Verdict.accepted()
    sale.status, sale.reason, sale.conflict_key = CONFLICT, reason, event.idempotency_key
    for coupon, _window in coupons:
        put_entitlement(
            session,
            coupon,
            pack_id=pack.id,
            pack_name=sold.pack_name,
            status=REVOKED,
            now=now,
            actor=actor,
        )
    record_conflict(
        session,
        conflict_key=event.idempotency_key,
        reason=reason,
        event_id=event.id,
        device=device,
        detail={
            "sale_id": sold.sale_id,
            "ticket_id": sold.ticket_id,
            "pack_id": sold.pack_id,
            "pack_name": sold.pack_name,
            "member_id": member.member_id,
            "member_name": member.name,
            "price": sold.price,
            "codes": [coupon.code for coupon, _ in coupons],
            "why": detail,
        },
        now=now,
    )
    log.warning("pack sale %s from device %s: %s", sold.sale_id, device.device_id, detail)
    return Verdict(Outcome.CONFLICT, reason, detail)


def _sell(
    session: Session,
    sale: TillPackSale,
    pack: CouponPack,
    coupons: list[tuple[EntitlementOf, ValidityWindow]],
    *,
    now: datetime,
    actor: str,
) -> None:
    """The sale as a purchase of the pack with the till's coupons (K4, K15)."""
    purchase = PackPurchase(
        pack_id=pack.id,
        member_id=sale.member_id,
        order_id=sale.sale_id,
        channel=WITH_ORDER,
        store_id=sale.store_id,
        price=sale.price,
        currency=sale.currency,
        purchased_at=sale.sold_at,
        local_date=sale.local_date,
        auto_refund=pack.auto_refund,
        status=PAID,
    )
    session.add(purchase)
    pack.sold_count += 1
    session.flush()
    sale.purchase_id = purchase.id
    publish_purchase_record(session, purchase, now=now, actor=actor)
    grant = open_grant(
        session,
        pack,
        sale.member_id,
        source=PURCHASE,
        starts_at=sale.sold_at,
        now=now,
        purchase_id=purchase.id,
    )
    redeemed = set(
        session.scalars(
            select(RedeemedCode.code).where(RedeemedCode.code.in_([c.code for c, _ in coupons]))
        )
    )
    issue_cycle_with_codes(
        session,
        grant,
        coupons,
        pack_name=sale.pack_name,
        status_of=lambda code: REDEEMED if code in redeemed else ISSUED,
        now=now,
        actor=actor,
    )


def _sale_coupons(sale: TillPackSale) -> list[tuple[EntitlementOf, ValidityWindow]]:
    coupons = []
    for raw in sale.coupons:
        entitlement = EntitlementOf(
            raw["code"], sale.member_id, raw["coupon_code"], raw["valid_from"], raw["valid_to"]
        )
        coupons.append((entitlement, window_of_record(raw["valid_from"], raw["valid_to"])))
    return coupons


def accept_held_sale(
    session: Session, conflict_key: str, device: DeviceIdentity, now: datetime
) -> bool:
    """The store manager accepted the exception (K14): the held sale is sold after all,
    with its unit and its coupons (valid again, or redeemed if a ticket took one).
    False if the conflict is no held pack sale of this store."""
    sale = session.scalar(
        select(TillPackSale).where(
            TillPackSale.conflict_key == conflict_key, TillPackSale.store_id == device.store_id
        )
    )
    if sale is None or sale.status != CONFLICT or sale.reason != ConflictReason.PACK_LIMIT_EXCEEDED:
        return False
    pack = lock_pack(session, sale.pack_id)
    sale.status = ACCEPTED
    _sell(session, sale, pack, _sale_coupons(sale), now=now, actor=f"device:{device.device_id}")
    return True


def record_pack_refund(
    session: Session,
    event: ReceivedEvent,
    refund: PackRefunded,
    device: DeviceIdentity,
    now: datetime,
) -> Verdict:
    """The till's recorded reversal of a pack sale in conflict (K14): the sale is kept,
    marked refunded with what was paid back, how and by whom; its coupons stay withdrawn
    and its held unit is free again. A sale the back office accepted was returned at the
    till (a manager's refund request): it is refunded through the one refund path.
    Refunding it again changes nothing."""
    sale = session.scalar(
        select(TillPackSale).where(
            TillPackSale.sale_id == refund.sale_id, TillPackSale.store_id == device.store_id
        )
    )
    if sale is None:
        return _rejected(f"payload.sale_id: no pack sale {refund.sale_id} at this store")
    if sale.status == REFUNDED:
        return Verdict.accepted()
    if sale.status != CONFLICT:
        return _refund_request(session, event, sale, refund, device, now)
    lock_pack(session, sale.pack_id)
    sale.status = REFUNDED
    sale.refund_amount = Decimal(refund.amount)
    sale.refund_method = refund.method
    sale.refunded_by = refund.manager
    sale.refunded_at = refund.refunded_at
    sale.refund_note = refund.note
    return Verdict.accepted()


def _refund_request(
    session: Session,
    event: ReceivedEvent,
    sale: TillPackSale,
    refund: PackRefunded,
    device: DeviceIdentity,
    now: datetime,
) -> Verdict:
    """A pack returned at the till, manager-approved: refunded like any other refund
    (:func:`~backoffice.packs.pack_refund.refund_purchase`). If a coupon of it was used at
    another till meanwhile, the back office keeps the pack sold and the store manager
    gets a ``PACK_REFUND_REFUSED`` conflict saying which coupon."""
    if sale.purchase_id is None:
        return _rejected(f"payload.sale_id: pack sale {refund.sale_id} was never accepted")
    try:
        refund_purchase(
            session,
            sale.purchase_id,
            note=refund.note or "returned at the till",
            now=now,
            actor=f"till:{refund.manager}",
            method=refund.method,
        )
    except PackStateError as refused:
        if refused.code == ALREADY_REFUNDED:
            return Verdict.accepted()
        record_conflict(
            session,
            conflict_key=event.idempotency_key,
            reason=ConflictReason.PACK_REFUND_REFUSED,
            event_id=event.id,
            device=device,
            detail={
                "sale_id": sale.sale_id,
                "pack_name": sale.pack_name,
                "member_id": sale.member_id,
                "price": str(sale.price),
                "why": refused.problem,
            },
            now=now,
        )
        return Verdict(Outcome.CONFLICT, ConflictReason.PACK_REFUND_REFUSED, refused.problem)
    return Verdict.accepted()
