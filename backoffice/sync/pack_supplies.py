"""What a till gets before it sells packs (COUPON-PACK-RULES K13, K15): its quota of each
limited pack it may sell with an order, its blocks of coupon codes, and, while online,
one unit reserved for a sale.

A till's quota: every sync tops its units of each limited pack on sale at its store
up to a target, its fair share of what is left (the units not yet sold spread over the
store's tills, at most :data:`DEFAULT_TILL_QUOTA`), from the free units only. Online, a
reservation grants it one more unit for the sale at hand, after the back office's own
checks of the sale and the member's limits (K12). Codes: a till with fewer than
:data:`LOW_CODES` left gets a new block of :data:`BLOCK_SIZE`.
"""

from __future__ import annotations

from datetime import datetime
from math import ceil

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backoffice.models.pack_sales import PackCodeBlock, PackReservation
from backoffice.models.packs import CouponPack
from backoffice.models.trust import Device
from backoffice.packs.definition import Channel, PackType
from backoffice.packs.errors import PackNotFound, PackStateError
from backoffice.packs.inventory import allotment_of, free_units, grant
from backoffice.packs.issuance import ACTIVE, lock_pack, pack_zone
from backoffice.packs.members import find_member
from backoffice.packs.purchase import SOLD_OUT, PurchaseRequest, check_sale
from backoffice.packs.schedule import local_date
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.pack_codes import block_prefix
from pos_app.protocol.pack_supplies import (
    REFUSED,
    RESERVED,
    Allotment,
    CodeBlock,
    PackSupplies,
    PackSuppliesRequest,
    Reservation,
    ReservationRequest,
)

DEFAULT_TILL_QUOTA = 10
BLOCK_SIZE = 1000
LOW_CODES = 250
RECENT_BLOCKS = 5
UNKNOWN_PACK = "UNKNOWN_PACK"
UNKNOWN_MEMBER = "UNKNOWN_MEMBER"


def limited_packs_on_sale(session: Session, store_id: str, now: datetime) -> list[CouponPack]:
    """Published paid packs with limited inventory sold with an order at ``store_id``
    whose sales period is not over, by id (the order their rows are locked in)."""
    packs = session.scalars(
        select(CouponPack)
        .where(
            CouponPack.pack_type == PackType.paid.value,
            CouponPack.status == ACTIVE,
            CouponPack.inventory_limit.is_not(None),
        )
        .order_by(CouponPack.id)
    ).all()
    return [
        pack
        for pack in packs
        if Channel.with_order.value in pack.channels
        and store_id in pack.store_ids
        and pack.sales_last_day is not None
        and local_date(now, pack_zone(pack)) <= pack.sales_last_day
    ]


def till_target(session: Session, pack: CouponPack) -> int:
    """The units a till of one of the pack's stores should hold: its share of the units
    not yet sold, at most :data:`DEFAULT_TILL_QUOTA`."""
    tills = session.scalar(
        select(func.count(Device.device_id)).where(
            Device.store_id.in_(list(pack.store_ids)), Device.revoked_at.is_(None)
        )
    )
    left = max(0, (pack.inventory_limit or 0) - pack.sold_count)
    return min(DEFAULT_TILL_QUOTA, ceil(left / max(1, int(tills or 0))))


def _block(block: PackCodeBlock) -> CodeBlock:
    return CodeBlock(prefix=block_prefix(block.id), size=block.size, reserved_at=block.reserved_at)


def pack_supplies(
    session: Session, device: DeviceIdentity, request: PackSuppliesRequest, now: datetime
) -> PackSupplies:
    """Top the till's quotas up and, when it runs low on codes, reserve it a block."""
    allotments = []
    for listed in limited_packs_on_sale(session, device.store_id, now):
        pack = lock_pack(session, listed.id)
        allotment = allotment_of(session, pack.id, device.device_id, now)
        missing = till_target(session, pack) - (allotment.granted - allotment.received)
        if missing > 0:
            grant(session, pack, allotment, missing, now)
        allotments.append(Allotment(pack_id=str(pack.id), granted=allotment.granted))
    if request.codes_left < LOW_CODES:
        session.add(
            PackCodeBlock(
                device_id=device.device_id,
                store_id=device.store_id,
                size=BLOCK_SIZE,
                reserved_at=now,
            )
        )
        session.flush()
    blocks = session.scalars(
        select(PackCodeBlock)
        .where(PackCodeBlock.device_id == device.device_id)
        .order_by(PackCodeBlock.id.desc())
        .limit(RECENT_BLOCKS)
    ).all()
    return PackSupplies(allotments=allotments, code_blocks=[_block(b) for b in reversed(blocks)])


def code_block(session: Session, block_number: int) -> PackCodeBlock | None:
    return session.get(PackCodeBlock, block_number)


def _answer(reservation: PackReservation) -> Reservation:
    return Reservation(
        outcome=RESERVED if reservation.outcome == RESERVED else REFUSED,
        reason=reservation.reason,
        detail=reservation.detail,
        granted=reservation.granted,
    )


def reserve_for_sale(
    session: Session, device: DeviceIdentity, request: ReservationRequest, now: datetime
) -> Reservation:
    """One unit of the pack for a sale at the till, after the back office's checks of the
    sale and the member's limits over what it confirmed (K12, K13); the same key asked
    again gets the same answer."""
    earlier = session.scalar(
        select(PackReservation).where(PackReservation.reservation_key == request.reservation_key)
    )
    if earlier is not None:
        return _answer(earlier)
    try:
        pack = lock_pack(
            session,
            int(request.pack_id) if request.pack_id.isascii() and request.pack_id.isdigit() else 0,
        )
    except PackNotFound:
        return Reservation(outcome=REFUSED, reason=UNKNOWN_PACK, detail="no such pack")
    member = find_member(session, request.member_id)
    if member is None:
        return Reservation(outcome=REFUSED, reason=UNKNOWN_MEMBER, detail="no such member")
    reservation = PackReservation(
        reservation_key=request.reservation_key,
        device_id=device.device_id,
        pack_id=pack.id,
        member_id=member.member_id,
        outcome=RESERVED,
        reserved_at=now,
    )
    try:
        sale = PurchaseRequest(pack.id, Channel.with_order.value, device.store_id, member.member_id)
        check_sale(session, pack, sale, member, now, check_inventory=False)
        if free_units(session, pack) is not None:
            allotment = allotment_of(session, pack.id, device.device_id, now)
            if grant(session, pack, allotment, 1, now) == 0:
                raise PackStateError("inventory", f"pack {pack.id} is sold out (K4)", SOLD_OUT)
            reservation.granted = allotment.granted
    except PackStateError as refusal:
        reservation.outcome, reservation.reason = REFUSED, refusal.code
        reservation.detail = refusal.problem
    session.add(reservation)
    session.flush()
    return _answer(reservation)
