"""What redeeming a coupon would do to a ticket, before it is done.

A group-purchase coupon takes its units out of promotions (R7, seed §5.1), so one worth
less than the promotion it displaces raises the bill; under R10 a platform coupon can
also take lines away from a member voucher already on the ticket. The till asks first
and says so in words: "This coupon saves 5.00 but replaces a 6.00 promotion: the bill
goes up 1.00". :meth:`pos_app.engine.Ticket.preview_redemption` builds the preview
from the ticket as it is and as it would be; nothing changes on the ticket.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from pos_app.engine.money import ZERO
from pos_app.engine.priced_ticket import PricedTicket

_PROMOTION_STAGE = 3


@dataclass(frozen=True)
class RedemptionPreview:
    """A redemption's effect: the coupon's own ``saving``; what it takes away from the
    promotions (``displaced_promotions``) and from the other coupons and discounts
    (``displaced_discounts``) on the ticket; and ``bill_change``, the new total minus the
    current one (positive: the bill goes up). ``bill_change`` always equals
    ``displaced_promotions + displaced_discounts - saving``. ``priced`` is the ticket as
    it would be."""

    code: str
    saving: Decimal
    displaced_promotions: Decimal
    displaced_discounts: Decimal
    bill_change: Decimal
    displaced_promotion_count: int
    priced: PricedTicket

    @classmethod
    def between(cls, before: PricedTicket, after: PricedTicket, code: str) -> RedemptionPreview:
        """The preview of redeeming ``code``: ``before`` is the ticket now, ``after`` the
        ticket with the coupon redeemed."""
        promotions_before = _promotion_amounts(before)
        promotions_after = _promotion_amounts(after)
        displaced = {
            pid: amount - promotions_after.get(pid, ZERO)
            for pid, amount in promotions_before.items()
            if amount > promotions_after.get(pid, ZERO)
        }
        outcome = after.coupons.get(code)
        saving = outcome.amount if outcome is not None else after.currency.zero
        return cls(
            code=code,
            saving=saving,
            displaced_promotions=sum(promotions_before.values(), ZERO)
            - sum(promotions_after.values(), ZERO),
            displaced_discounts=_other_discounts(before, code) - _other_discounts(after, code),
            bill_change=after.total - before.total,
            displaced_promotion_count=len(displaced),
            priced=after,
        )

    @property
    def raises_bill(self) -> bool:
        return self.bill_change > 0

    def warning(self, money: Callable[[Decimal], str] | None = None) -> str | None:
        """What the cashier is told before a redemption that raises the bill (None when it
        does not): what the coupon saves, what it replaces, how much the bill goes up.
        ``money`` writes an amount as the screen shows money (default: the currency's
        plain decimal, ``"5.00"``)."""
        if not self.raises_bill:
            return None
        fmt = money or self.priced.currency.format
        replaced: list[str] = []
        if self.displaced_promotions > 0:
            if self.displaced_promotion_count == 1:
                replaced.append(f"a {fmt(self.displaced_promotions)} promotion")
            else:
                replaced.append(f"{fmt(self.displaced_promotions)} of promotions")
        if self.displaced_discounts > 0:
            replaced.append(f"{fmt(self.displaced_discounts)} of other coupons and discounts")
        return (
            f"This coupon saves {fmt(self.saving)} but replaces {' and '.join(replaced)}:"
            f" the bill goes up {fmt(self.bill_change)}"
        )


def _promotion_amounts(priced: PricedTicket) -> dict[str, Decimal]:
    """Per promotion, what it takes off the item lines (a gift line's value costs the bill
    nothing, so a gift is not counted)."""
    amounts: dict[str, Decimal] = {}
    for line in priced.item_lines:
        if line.is_gift:
            continue
        for adjustment in line.adjustments:
            if adjustment.stage == _PROMOTION_STAGE:
                amounts[adjustment.source] = (
                    amounts.get(adjustment.source, ZERO) + adjustment.amount
                )
    return amounts


def _other_discounts(priced: PricedTicket, code: str) -> Decimal:
    """What every coupon but ``code`` and every store discount take off the ticket."""
    total = sum((outcome.amount for c, outcome in priced.coupons.items() if c != code), ZERO)
    return total + sum(priced.discounts.values(), ZERO)
