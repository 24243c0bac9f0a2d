"""What people read instead of internal ids: promotion, coupon and store-discount names,
a label for every adjustment, and "why this price" in plain sentences.

Screens, receipts and reports name things through :class:`Names`; an id never reaches
a person (a store discount is "Store discount 10%", a promotion its name, a coupon
its name).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pos_app.engine import Adjustment, PriceBook, PricedLine, PricedTicket, TicketState
from pos_app.engine.money import Currency

PROMOTION = "Promotion"
COUPON = "Coupon"
STORE_DISCOUNT = "Store discount"


def discount_label(percent: object, amount: object, currency: Currency) -> str:
    """A store discount as people read it: "Store discount 10%", "Store discount 2.00"."""
    if percent is not None:
        text = format(percent, "f") if not isinstance(percent, str) else percent
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return f"{STORE_DISCOUNT} {text}%"
    if amount is not None:
        try:
            return f"{STORE_DISCOUNT} {currency.format(amount)}"  # type: ignore[arg-type]
        except (TypeError, ValueError, ArithmeticError):
            return STORE_DISCOUNT
    return STORE_DISCOUNT


@dataclass(frozen=True)
class Names:
    """Names of a ticket's promotions, coupons and store discounts: the price book's,
    looked up when asked (a till's book can hold a chain's promotions and a hundred
    thousand entitlements: nothing is copied), and the ticket's store discounts."""

    book: PriceBook | None = None
    discounts: Mapping[str, str] = field(default_factory=dict)

    def promotion(self, promotion_id: str) -> str:
        found = self.book.promotions.get(promotion_id) if self.book is not None else None
        return found.name if found is not None and found.name else PROMOTION

    def coupon(self, code: str) -> str:
        found = self.book.coupons.get(code) if self.book is not None else None
        return found.name if found is not None and found.name else COUPON

    def discount(self, discount_id: str) -> str:
        return self.discounts.get(discount_id) or STORE_DISCOUNT

    def adjustment(self, adjustment: Adjustment) -> str:
        """The label of one adjustment: "Presented", "Burger meal", "Free gift: ..."."""
        family, _, detail = adjustment.kind.partition(":")
        if family == "present":
            return "Presented"
        if family == "price_adjustment":
            return "Price adjusted"
        if family == "promotion":
            name = self.promotion(adjustment.source)
            return f"Free gift: {name}" if detail == "gift" else name
        if family == "coupon":
            return self.coupon(adjustment.source)
        if family == "discount":
            return self.discount(adjustment.source)
        return family.replace("_", " ").capitalize()


def names_for(book: PriceBook, state: TicketState | None = None) -> Names:
    """The names of everything ``book`` defines, and of ``state``'s store discounts."""
    discounts = {}
    if state is not None:
        discounts = {
            d.discount_id: discount_label(d.percent, d.amount, book.currency)
            for d in state.discounts
        }
    return Names(book, discounts)


def why_sentences(line: PricedLine, ticket: PricedTicket, names: Names) -> list[str]:
    """Why ``line`` costs what it costs, in sentences a customer can be read."""
    fmt = ticket.currency.format
    if line.is_gift:
        first = f"{line.name} is a free gift ({fmt(line.gross)} at the menu price)."
    elif line.qty == 1:
        first = f"{line.name} costs {fmt(line.unit_price)}."
    else:
        first = (
            f"{line.qty} × {line.name} at {fmt(line.unit_price)} each come to {fmt(line.gross)}."
        )
    out = [first]
    for adjustment in line.adjustments:
        out.append(_sentence(adjustment, names, ticket.currency))
    if line.adjustments:
        out.append(f"You pay {fmt(line.net)} for this line.")
    else:
        out.append("No promotion, coupon or discount changes this price.")
    return out


def _sentence(adjustment: Adjustment, names: Names, currency: Currency) -> str:
    fmt = currency.format
    amount = adjustment.amount
    family, _, detail = adjustment.kind.partition(":")
    took = f"takes {fmt(amount)} off" if amount >= 0 else f"adds {fmt(-amount)}"
    if family == "present":
        return f"The store gives this line away: {fmt(amount)} off."
    if family == "price_adjustment":
        note = adjustment.note.replace("price adjusted to ", "") if adjustment.note else ""
        to = f" to {note} each" if note else ""
        return f"The price was changed{to}, which {took}."
    if family == "promotion":
        name = names.promotion(adjustment.source)
        if detail == "gift":
            return f"The promotion “{name}” makes it free: {fmt(amount)} off."
        return f"The promotion “{name}” {took}."
    if family == "coupon":
        return f"The coupon “{names.coupon(adjustment.source)}” {took}."
    if family == "discount":
        return f"The {names.discount(adjustment.source).lower()} {took}."
    return f"An adjustment {took}."
