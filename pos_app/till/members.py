"""Member lookup at the till: find members by phone number and show the coupons they
hold (entitlements), each with whether it can be redeemed here and now."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from pos_app.engine import PriceBook
from pos_app.store.member_directory import members_by_phone, redeemed_here
from pos_app.store.till_configuration import USABLE_ENTITLEMENT_STATUSES
from pos_app.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class MemberCoupon:
    """One coupon a member holds: its own code, the coupon definition it redeems as, and
    whether it can be redeemed now (``reason`` says why not)."""

    code: str
    coupon_code: str
    name: str
    kind: str
    status: str
    valid_from: str | None
    valid_to: str | None
    usable: bool
    reason: str = ""


@dataclass(frozen=True)
class MemberCard:
    """A member found by phone, with their coupons grouped by coupon definition."""

    member_id: str
    name: str
    phone: str
    coupons: tuple[MemberCoupon, ...]

    def groups(self) -> dict[str, tuple[MemberCoupon, ...]]:
        """The coupons by the definition they redeem as (what a pack issued), in order."""
        out: dict[str, list[MemberCoupon]] = {}
        for coupon in self.coupons:
            out.setdefault(coupon.coupon_code, []).append(coupon)
        return {key: tuple(value) for key, value in out.items()}


def look_up_members(
    sessions: sessionmaker[Session], book: PriceBook, phone: str
) -> tuple[MemberCard, ...]:
    """Members whose phone matches ``phone`` (the whole number, or its last 7 digits or
    more), each with their coupons. A coupon is usable when its status is active, the
    till's price book knows its code, and this till has not already taken it."""
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
                )
            )
        cards.append(MemberCard(record.member_id, record.name, record.phone, tuple(coupons)))
    return tuple(cards)
