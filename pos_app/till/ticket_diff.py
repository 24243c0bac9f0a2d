"""Telling the cashier what a recalculation changed, and refusals that say which coupon,
promotion and line they are about.

After every action the whole ticket is priced again (R4): a coupon can fall to 0.00, a
promotion can stop applying, a gift line can come or go. :func:`what_changed` compares
the ticket before and after and says so in words, with the line to bring into view.
:func:`explained_refusal` rewrites an engine refusal of a redemption or a promotion
trigger so that it names the coupon or promotion and the lines concerned (the rule's
own message stays in it).
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.engine import (
    CancelPromotion,
    PriceBook,
    PricedLine,
    PricedTicket,
    Refusal,
    RefusalCode,
    RemoveCoupon,
    TicketState,
)
from pos_app.till.names import Names


class NamedRefusal(Refusal):
    """An engine refusal reworded to name the coupon, promotion and lines for the
    cashier; ``rule_message`` keeps the rule's own words (scenario replays report them)."""

    def __init__(self, original: Refusal, message: str) -> None:
        super().__init__(original.code, message)
        self.rule_message = original.message


@dataclass(frozen=True)
class TicketNotice:
    """One thing the cashier should know: the words, the line it is about (to scroll
    to), and whether it is a warning (something got worse for the customer)."""

    text: str
    line_id: str | None = None
    warning: bool = False


def _quoted(name: str) -> str:
    return f"“{name}”"


def what_changed(
    before: PricedTicket | None, after: PricedTicket, names: Names, command: object = None
) -> list[TicketNotice]:
    """What changed from ``before`` to ``after`` beyond what ``command`` asked for."""
    if before is None or after.closed:
        return []
    fmt = after.currency.format
    notices: list[TicketNotice] = []
    for code, outcome in after.coupons.items():
        earlier = before.coupons.get(code)
        if outcome.amount <= 0 and (earlier is None or earlier.amount > 0):
            notices.append(
                TicketNotice(
                    f"Coupon {_quoted(names.coupon(code))} is now worth {fmt(outcome.amount)}:"
                    " remove it (or add what it needs) to take payment",
                    outcome.line_ids[0] if outcome.line_ids else None,
                    warning=True,
                )
            )
    cancelled = command.promotion_id if isinstance(command, CancelPromotion) else None
    for promotion_id, amount in before.promotions.items():
        now = after.promotions.get(promotion_id)
        if promotion_id == cancelled:
            continue
        name = _quoted(names.promotion(promotion_id))
        if now is None or now <= 0:
            line = _first_line_with(before, promotion_id)
            notices.append(TicketNotice(f"Promotion {name} no longer applies", line, True))
        elif now < amount:
            notices.append(
                TicketNotice(
                    f"Promotion {name} now saves {fmt(now)} instead of {fmt(amount)}",
                    _first_line_with(after, promotion_id),
                    warning=True,
                )
            )
    if not isinstance(command, RemoveCoupon):
        for code in before.coupons:
            if code not in after.coupons:
                notices.append(TicketNotice(f"Coupon {_quoted(names.coupon(code))} was removed"))
    before_gifts = {line.line_id: line for line in before.lines if line.is_gift}
    after_gifts = {line.line_id: line for line in after.lines if line.is_gift}
    for gift_id, gift in after_gifts.items():
        if gift_id not in before_gifts:
            notices.append(TicketNotice(f"Free gift added: {_gift(gift)}", gift_id))
    for gift_id, gift in before_gifts.items():
        if gift_id not in after_gifts:
            notices.append(TicketNotice(f"Free gift removed: {_gift(gift)}", None, True))
    return notices


def _gift(line: PricedLine) -> str:
    return line.name if line.qty == 1 else f"{line.qty} × {line.name}"


def _first_line_with(ticket: PricedTicket, promotion_id: str) -> str | None:
    for line in ticket.lines:
        if promotion_id in line.promotion_ids or promotion_id in line.claiming_promotions:
            return line.line_id
    return None


def changed_line(before: PricedTicket | None, after: PricedTicket) -> str | None:
    """The line to bring into view: a new one, else the last whose price changed."""
    if before is None:
        return after.lines[-1].line_id if after.lines else None
    old = {line.line_id: line for line in before.lines}
    changed = None
    for line in after.lines:
        if line.line_id not in old:
            return line.line_id
        if old[line.line_id] != line:
            changed = line.line_id
    return changed


def _names_of(lines: list[PricedLine]) -> str:
    names = [line.name for line in lines]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def explained_refusal(
    refusal: Refusal,
    *,
    code: str | None = None,
    promotion_id: str | None = None,
    book: PriceBook,
    state: TicketState,
    priced: PricedTicket,
    names: Names,
) -> Refusal:
    """``refusal`` of a redemption (``code``) or a trigger (``promotion_id``), naming
    the coupon or promotion and the lines it is about."""
    if code is not None:
        coupon = book.coupons.get(code)
        if coupon is None:
            return refusal
        matching = [
            line
            for line in priced.lines
            if not line.is_gift
            and (item := book.items.get(line.sku)) is not None
            and coupon.items.matches(item)
        ]
        who = f"Coupon {_quoted(names.coupon(code))}"
        if refusal.code is RefusalCode.PRESENT_EXECUTED:
            hit = [line for line in matching if line.presented or line.adjusted_price is not None]
            what = f" ({_names_of(hit)} presented or re-priced)" if hit else ""
            return NamedRefusal(refusal, f"{who}{what}: {refusal.message}")
        if refusal.code is RefusalCode.DISCOUNT_EXECUTED:
            discounted = {d.line_id for d in state.discounts if d.line_id is not None}
            order_wide = any(d.line_id is None for d in state.discounts)
            hit = [line for line in matching if line.line_id in discounted or order_wide]
            what = f" ({_names_of(hit)} under a store discount)" if hit else ""
            return NamedRefusal(refusal, f"{who}{what}: {refusal.message}")
        return NamedRefusal(refusal, _reworded(refusal.message, f"Coupon {code}", who))
    if promotion_id is not None:
        promotion = book.promotions.get(promotion_id)
        if promotion is None:
            return refusal
        who = f"Promotion {_quoted(names.promotion(promotion_id))}"
        if refusal.code is RefusalCode.NOT_APPLICABLE and "eligible" in refusal.message:
            matching = [
                line
                for line in priced.lines
                if not line.is_gift
                and (item := book.items.get(line.sku)) is not None
                and any(f.matches(item) for f in promotion.item_filters())
            ]
            if matching:
                taken = _names_of(matching)
                verb = "is" if len(matching) == 1 else "are"
                return NamedRefusal(
                    refusal,
                    f"{who} does not apply: {taken} {verb} already in another promotion"
                    " or covered by a coupon",
                )
        label = f"Promotion {promotion.name or promotion.id}"
        return NamedRefusal(refusal, _reworded(refusal.message, label, who))
    return refusal


def _reworded(message: str, prefix: str, who: str) -> str:
    """The engine's ``message`` under ``who`` instead of its own ``prefix``."""
    if message.startswith(prefix):
        return who + message[len(prefix) :]
    return f"{who}: {message}"
