"""A limited pack's units (COUPON-PACK-RULES K4, K13): sold, granted to tills to sell
offline, held by a sale waiting for the store manager, or free.

Only free units are sold at the mall, granted to a till or reserved online, so
``sold + at tills + held + free`` is the inventory limit and nothing is ever sold past
it: a till sells only the units it was granted (or reserved online), and reports each
sale (``received``). Callers hold the pack's row lock
(:func:`~backoffice.packs.issuance.lock_pack`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backoffice.models.pack_sales import PackAllotment, TillPackSale
from backoffice.models.packs import CouponPack
from pos_app.protocol.outcomes import ConflictReason

CONFLICT = "conflict"


def units_at_tills(session: Session, pack_id: int) -> int:
    """Units granted to tills and not yet reported sold."""
    rows = session.execute(
        select(PackAllotment.granted, PackAllotment.received).where(
            PackAllotment.pack_id == pack_id
        )
    ).all()
    return sum(max(0, granted - received) for granted, received in rows)


def units_held(session: Session, pack_id: int) -> int:
    """Units of till sales past a member's limit that wait for the store manager: a
    refund frees them, an accepted exception sells them (K14)."""
    return int(
        session.scalar(
            select(func.count(TillPackSale.id)).where(
                TillPackSale.pack_id == pack_id,
                TillPackSale.status == CONFLICT,
                TillPackSale.reason == ConflictReason.PACK_LIMIT_EXCEEDED,
            )
        )
        or 0
    )


def units_out(session: Session, pack: CouponPack) -> int:
    """Units neither sold nor free: with the tills, or held."""
    return units_at_tills(session, pack.id) + units_held(session, pack.id)


def free_units(session: Session, pack: CouponPack) -> int | None:
    """Units nobody has: to sell, grant or reserve; None for unlimited inventory."""
    if pack.inventory_limit is None:
        return None
    return max(0, pack.inventory_limit - pack.sold_count - units_out(session, pack))


def allotment_of(session: Session, pack_id: int, device_id: str, now: datetime) -> PackAllotment:
    """The till's allotment of the pack, created empty the first time."""
    found = session.scalar(
        select(PackAllotment).where(
            PackAllotment.pack_id == pack_id, PackAllotment.device_id == device_id
        )
    )
    if found is None:
        found = PackAllotment(
            pack_id=pack_id, device_id=device_id, granted=0, received=0, updated_at=now
        )
        session.add(found)
        session.flush()
    return found


def grant(
    session: Session, pack: CouponPack, allotment: PackAllotment, units: int, now: datetime
) -> int:
    """Grant up to ``units`` free units to a till; returns how many it got."""
    free = free_units(session, pack)
    given = units if free is None else min(units, free)
    if given > 0:
        allotment.granted += given
        allotment.updated_at = now
    return max(0, given)


def take_reported_unit(session: Session, pack: CouponPack, device_id: str, now: datetime) -> bool:
    """A till reports one sale of ``pack``: the unit comes from its allotment, or else
    from the free units. False when there was none (the sale went past the limit)."""
    if pack.inventory_limit is None:
        return True
    allotment = allotment_of(session, pack.id, device_id, now)
    covered = allotment.granted > allotment.received
    if not covered:
        covered = bool(free_units(session, pack))
        allotment.granted += 1  # the till counts the sale as one of its units: so do we
    allotment.received += 1
    allotment.updated_at = now
    return covered
