"""Member lookup at the till: find members by phone number and show the coupons they
hold (entitlements), grouped by the pack that issued them, each with whether it can be
redeemed here and now."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from pos_app.engine import PriceBook
from pos_app.store.member_directory import members_by_phone, redeemed_here
from pos_app.store.till_configuration import USABLE_ENTITLEMENT_STATUSES
from pos_app.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class MemberCoupon:
    """One coupon a member holds: its own code, the coupon definition it redeems as, the
    pack that issued it (None if none), and whether it can be redeemed now (``reason``
    says why not)."""

    code: str
    coupon_code: str
    name: str
    kind: str
    status: str
    valid_from: str | None
    valid_to: str | None
    usable: bool
    reason: str = ""
    pack_id: str | None = None
    pack_name: str | None = None


@dataclass(frozen=True)
class MemberPack:
    """A member's coupons from one pack (``pack_id`` None: the coupons not from a pack),
    with the pack's name as the back office issued it."""

    pack_id: str | None
    name: str
    coupons: tuple[MemberCoupon, ...]

    @property
    def usable(self) -> int:
        """How many of its coupons can be redeemed now."""
        return sum(1 for coupon in self.coupons if coupon.usable)


NOT_FROM_A_PACK = "Other coupons"


@dataclass(frozen=True)
class MemberCard:
    """A member found by phone, with their coupons grouped by the pack that issued them."""

    member_id: str
    name: str
    phone: str
    packs: tuple[MemberPack, ...]

    @property
    def coupons(self) -> tuple[MemberCoupon, ...]:
        """Every coupon the member holds, pack by pack."""
        return tuple(coupon for pack in self.packs for coupon in pack.coupons)


def group_by_pack(coupons: Iterable[MemberCoupon]) -> tuple[MemberPack, ...]:
    """``coupons`` by the pack that issued them (known by ``pack_id``): packs by name,
    then id; within a pack, by coupon name, then code. The coupons not from a pack (no
    ``pack_id``) come last, in a group of their own. A pack takes the name its coupons
    carry ("Pack <id>" if none does)."""
    by_pack: dict[str, list[MemberCoupon]] = {}
    loose: list[MemberCoupon] = []
    for coupon in coupons:
        if coupon.pack_id:
            by_pack.setdefault(coupon.pack_id, []).append(coupon)
        else:
            loose.append(coupon)
    packs = []
    for pack_id, held in by_pack.items():
        held.sort(key=_coupon_order)
        name = next((c.pack_name for c in held if c.pack_name), f"Pack {pack_id}")
        packs.append(MemberPack(pack_id, name, tuple(held)))
    packs.sort(key=lambda pack: (pack.name, pack.pack_id or ""))
    if loose:
        packs.append(MemberPack(None, NOT_FROM_A_PACK, tuple(sorted(loose, key=_coupon_order))))
    return tuple(packs)


def _coupon_order(coupon: MemberCoupon) -> tuple[str, str]:
    return coupon.name, coupon.code


def look_up_members(
    sessions: sessionmaker[Session], book: PriceBook, phone: str
) -> tuple[MemberCard, ...]:
    """Members whose phone matches ``phone`` (the whole number, or its last 7 digits or
    more), each with their coupons grouped by pack (:func:`group_by_pack`). A coupon is
    usable when its status is active, the till's price book knows its code, and this
    till has not already taken it."""
    with UnitOfWork(sessions) as uow:
        records = members_by_phone(uow.session, phone)
        codes = [e.code for r in records for e in r.entitlements]
        spent = redeemed_here(uow.session, codes)
    cards = []
    for record in records:
        coupons = []
        for entitlement in record.entitlements:
            definition = book.coupons.get(entitlement.coupon_code)
            reason = ""
            if entitlement.status not in USABLE_ENTITLEMENT_STATUSES:
                reason = f"status {entitlement.status}"
            elif entitlement.code in spent:
                reason = f"already redeemed (ticket {spent[entitlement.code]})"
            elif entitlement.code not in book.coupons:
                reason = f"coupon {entitlement.coupon_code} unknown at this till"
            coupons.append(
                MemberCoupon(
                    code=entitlement.code,
                    coupon_code=entitlement.coupon_code,
                    name=(definition.name if definition else "") or entitlement.coupon_code,
                    kind=definition.kind if definition else "",
                    status=entitlement.status,
                    valid_from=entitlement.valid_from,
                    valid_to=entitlement.valid_to,
                    usable=not reason,
                    reason=reason,
                    pack_id=entitlement.pack_id,
                    pack_name=entitlement.pack_name,
                )
            )
        cards.append(
            MemberCard(record.member_id, record.name, record.phone, group_by_pack(coupons))
        )
    return tuple(cards)
