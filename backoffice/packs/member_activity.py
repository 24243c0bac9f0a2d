"""What a member holds and did, for customer service (COUPON-PACK-RULES K4, K5, K9, K10):
their packs and each coupon's validity and state (where and when it was used: the
ticket's number and the store), their purchases with any refund, and the gifts they got.

``sees_store`` and ``sees_group`` narrow it to the stores an account looks after: a store
manager sees the packs bought at their stores, those purchases and refunds, and a
coupon's ticket only when it was used at one of their stores; gifts and campaign packs
(given by the group) are not theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record
from backoffice.chain.record_listing import names_of
from backoffice.models.conflicts import Conflict
from backoffice.models.intake import ReceivedEvent
from backoffice.models.packs import CouponPack, PackCoupon, PackGift, PackGrant, PackPurchase
from backoffice.models.sales import RedeemedCode, SaleTicket
from backoffice.packs.refund_records import RefundView, refunds_of
from pos_app.protocol.outcomes import ConflictReason

VALID = "valid"
NOT_YET_VALID = "not_yet_valid"
USED = "used"
EXPIRED = "expired"
WITHDRAWN = "withdrawn"
COUPON_WITHDRAWN = ConflictReason.COUPON_WITHDRAWN.value


@dataclass(frozen=True)
class Use:
    """Where and when a coupon was used; ``store``/``ticket`` are empty when the account
    does not see that store."""

    at: datetime
    store: str
    ticket: str


@dataclass(frozen=True)
class CouponLine:
    """One coupon of a member's pack: its name, code, window (``valid_to`` exclusive), state."""

    code: str
    name: str
    valid_from: datetime
    valid_to: datetime
    state: str
    use: Use | None


@dataclass(frozen=True)
class PurchaseLine:
    """A purchase of a pack: where, when, the price with its currency, and any refund."""

    purchase_id: int
    pack_id: int
    pack_name: str
    channel: str
    store: str
    store_id: str
    price: Decimal
    currency: str
    purchased_at: datetime
    status: str
    refund: RefundView | None


@dataclass(frozen=True)
class PackLine:
    """One pack the member holds: how they got it, and its coupons."""

    grant_id: int
    pack_id: int
    pack_name: str
    source: str
    received_at: datetime
    coupons: list[CouponLine]
    purchase: PurchaseLine | None = None

    @property
    def used(self) -> list[CouponLine]:
        return [coupon for coupon in self.coupons if coupon.state == USED]


@dataclass(frozen=True)
class GiftLine:
    """A gift record: the pack, how many, when and by whom."""

    pack_id: int
    pack_name: str
    quantity: int
    gifted_at: datetime
    gifted_by: str


@dataclass(frozen=True)
class LateUse:
    """A coupon of a refunded pack a till took offline after it was withdrawn: a conflict
    the store manager follows up (``resolved`` once they did)."""

    coupon: str
    pack_name: str
    store: str
    ticket: str
    found_at: datetime
    resolved: bool


@dataclass
class MemberActivity:
    """Everything :func:`member_activity` found, newest first in each list."""

    packs: list[PackLine] = field(default_factory=list)
    purchases: list[PurchaseLine] = field(default_factory=list)
    gifts: list[GiftLine] = field(default_factory=list)
    late_uses: list[LateUse] = field(default_factory=list)


def coupon_uses(session: Session, codes: Iterable[str]) -> dict[str, tuple[RedeemedCode, str]]:
    """Each redeemed code's claim and the ticket number its till printed."""
    wanted = list(codes)
    if not wanted:
        return {}
    rows = session.execute(
        select(RedeemedCode, ReceivedEvent.body)
        .join(SaleTicket, SaleTicket.id == RedeemedCode.sale_id)
        .join(ReceivedEvent, ReceivedEvent.id == SaleTicket.event_id)
        .where(RedeemedCode.code.in_(wanted))
    ).all()
    found = {}
    for claim, body in rows:
        payload = body.get("payload") if isinstance(body, dict) else None
        number = payload.get("number") if isinstance(payload, dict) else None
        found[claim.code] = (claim, str(number or "a ticket without a number"))
    return found


def coupon_state(
    coupon: PackCoupon, entitlement_status: str | None, used: bool, now: datetime
) -> str:
    """A coupon's state as customer service reads it (K2: ``valid_to`` exclusive)."""
    if used or entitlement_status == "redeemed":
        return USED
    if entitlement_status == "revoked":
        return WITHDRAWN
    if entitlement_status == "expired" or coupon.valid_to <= now:
        return EXPIRED
    if coupon.valid_from > now:
        return NOT_YET_VALID
    return VALID


def _coupon_lines(
    session: Session,
    coupons: list[PackCoupon],
    now: datetime,
    sees_store: Callable[[str], bool],
    stores: dict[str, str],
    coupon_names: dict[str, str],
) -> dict[int, list[CouponLine]]:
    uses = coupon_uses(session, (coupon.code for coupon in coupons))
    by_grant: dict[int, list[CouponLine]] = {}
    for coupon in coupons:
        record = find_record(session, "entitlement", coupon.code)
        status = None if record is None else str(record.data.get("status") or "")
        claim = uses.get(coupon.code)
        use = None
        if claim is not None:
            redeemed, number = claim
            visible = sees_store(redeemed.store_id)
            use = Use(
                redeemed.redeemed_at,
                stores.get(redeemed.store_id, redeemed.store_id) if visible else "",
                number if visible else "",
            )
        state = coupon_state(coupon, status, claim is not None, now)
        by_grant.setdefault(coupon.grant_id, []).append(
            CouponLine(
                coupon.code,
                coupon_names.get(coupon.coupon_code, coupon.coupon_code),
                coupon.valid_from,
                coupon.valid_to,
                state,
                use,
            )
        )
    return by_grant


def member_activity(
    session: Session,
    member_id: str,
    *,
    now: datetime,
    sees_store: Callable[[str], bool],
    sees_group: bool,
) -> MemberActivity:
    """The member's packs, coupons, purchases (with refunds) and gifts (see above)."""
    stores = names_of(session, "store")
    coupon_names = names_of(session, "coupon")
    pack_names = {row[0]: row[1] for row in session.execute(select(CouponPack.id, CouponPack.name))}
    purchases = session.scalars(
        select(PackPurchase)
        .where(PackPurchase.member_id == member_id)
        .order_by(PackPurchase.purchased_at.desc(), PackPurchase.id.desc())
    ).all()
    refunds = refunds_of(session, [purchase.id for purchase in purchases])
    activity = MemberActivity()
    purchase_lines: dict[int, PurchaseLine] = {}
    for purchase in purchases:
        line = PurchaseLine(
            purchase.id,
            purchase.pack_id,
            pack_names.get(purchase.pack_id, "A deleted pack"),
            purchase.channel,
            stores.get(purchase.store_id, purchase.store_id),
            purchase.store_id,
            purchase.price,
            purchase.currency,
            purchase.purchased_at,
            purchase.status,
            refunds.get(purchase.id),
        )
        purchase_lines[purchase.id] = line
        if sees_store(purchase.store_id):
            activity.purchases.append(line)
    grants = session.scalars(
        select(PackGrant)
        .where(PackGrant.member_id == member_id)
        .order_by(PackGrant.starts_at.desc(), PackGrant.id.desc())
    ).all()
    coupons = session.scalars(
        select(PackCoupon)
        .where(PackCoupon.member_id == member_id)
        .order_by(PackCoupon.valid_from, PackCoupon.code)
    ).all()
    by_grant = _coupon_lines(session, list(coupons), now, sees_store, stores, coupon_names)
    for grant in grants:
        bought = purchase_lines.get(grant.purchase_id) if grant.purchase_id else None
        if bought is None and not sees_group:
            continue  # a gift or a distribution: the group's, not a store's
        if bought is not None and not sees_store(bought.store_id):
            continue
        activity.packs.append(
            PackLine(
                grant.id,
                grant.pack_id,
                pack_names.get(grant.pack_id, "A deleted pack"),
                grant.source,
                grant.starts_at,
                by_grant.get(grant.id, []),
                bought,
            )
        )
    activity.late_uses = _late_uses(session, activity.packs, stores, sees_store)
    if sees_group:
        for gift in session.scalars(
            select(PackGift)
            .where(PackGift.member_id == member_id)
            .order_by(PackGift.gifted_at.desc(), PackGift.id.desc())
        ):
            activity.gifts.append(
                GiftLine(
                    gift.pack_id,
                    pack_names.get(gift.pack_id, "A deleted pack"),
                    gift.quantity,
                    gift.gifted_at,
                    gift.gifted_by,
                )
            )
    return activity


def _late_uses(
    session: Session,
    packs: list[PackLine],
    stores: dict[str, str],
    sees_store: Callable[[str], bool],
) -> list[LateUse]:
    """The ``COUPON_WITHDRAWN`` conflicts about the coupons of the member's packs."""
    withdrawn = {
        coupon.code: (coupon.name, pack.pack_name)
        for pack in packs
        for coupon in pack.coupons
        if coupon.state == WITHDRAWN
    }
    if not withdrawn:
        return []
    rows = session.execute(
        select(Conflict, ReceivedEvent.body)
        .join(ReceivedEvent, ReceivedEvent.id == Conflict.event_id)
        .where(Conflict.reason == COUPON_WITHDRAWN)
        .order_by(Conflict.detected_at.desc(), Conflict.id.desc())
    ).all()
    found = []
    for conflict, body in rows:
        if not sees_store(conflict.store_id):
            continue
        codes = conflict.detail.get("codes") if isinstance(conflict.detail, dict) else None
        payload = body.get("payload") if isinstance(body, dict) else None
        number = payload.get("number") if isinstance(payload, dict) else None
        for clash in codes if isinstance(codes, list) else []:
            code = clash.get("code") if isinstance(clash, dict) else None
            if code in withdrawn:
                name, pack_name = withdrawn[code]
                found.append(
                    LateUse(
                        name,
                        pack_name,
                        stores.get(conflict.store_id, conflict.store_id),
                        str(number or "a ticket without a number"),
                        conflict.detected_at,
                        conflict.resolved_at is not None,
                    )
                )
    return found
