"""The wallet of the member the open ticket is for: their packs and coupons, each with
whether it can be redeemed on this ticket now and, if not, why (not valid yet, expired,
spent, or the engine's own refusal for this ticket), and the coupon packs this till
sells them now (COUPON-PACK-RULES K12, K15)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from pos_app.engine import Currency, Redeem
from pos_app.store.unit_of_work import TillDatabase
from pos_app.till.members import MemberCard, MemberCoupon, group_by_pack, member_card
from pos_app.till.pack_sales import PackOnSale
from pos_app.till.till import Till

ON_THIS_TICKET = "on this ticket"


@dataclass(frozen=True)
class Wallet:
    """The ticket's member (``member``: their packs, each with its coupons; a coupon's
    ``usable`` is for the open ticket, now) and the packs the till sells them now."""

    member: MemberCard
    packs_on_sale: tuple[PackOnSale, ...]
    currency: Currency

    def price(self, pack: PackOnSale) -> str:
        """A pack's price as the cashier says it: "USD 10.00"."""
        return f"{self.currency.code} {self.currency.format(pack.price)}"

    @property
    def coupons(self) -> tuple[MemberCoupon, ...]:
        return self.member.coupons


def open_wallet(till: Till, database: TillDatabase) -> Wallet | None:
    """The wallet of the open ticket's member, or None when the ticket is for no member.
    Reads the till and its database: the till's owner thread only."""
    if till.member is None:
        return None
    card = member_card(database, till.book, till.member[0], till.pricing_time())
    if card is None:
        return None
    on_ticket = set(till.priced.coupons)
    coupons = []
    for coupon in card.coupons:
        if coupon.code in on_ticket:
            coupon = replace(coupon, usable=False, reason=ON_THIS_TICKET)
        elif coupon.usable:
            refusal = till.refusal_for(Redeem(coupon.code))
            if refusal is not None:
                coupon = replace(coupon, usable=False, reason=refusal.message)
        coupons.append(coupon)
    member = replace(card, packs=group_by_pack(coupons))
    return Wallet(member=member, packs_on_sale=till.packs_on_sale(), currency=till.currency)
