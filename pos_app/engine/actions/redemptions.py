"""The actions on a ticket's coupons: redeem one under R6-R11, take one off."""

from __future__ import annotations

from dataclasses import replace

from pos_app.engine.actions.context import ActionContext, Change, text
from pos_app.engine.commands import Redeem, RemoveCoupon
from pos_app.engine.coupons import GROUP_PURCHASE, CouponDefinition
from pos_app.engine.errors import Refusal, RefusalCode
from pos_app.engine.ticket_state import LineState, Redemption


def redeem(ticket: ActionContext, command: Redeem) -> Change:
    """Redeem a coupon under R6–R11; refusals in the rules' precedence order."""
    ticket.require_open()
    code, state, book = command.code, ticket.state, ticket.book
    coupon = book.coupons.get(text(code, "Coupon code"))
    if coupon is None:
        raise Refusal(RefusalCode.UNKNOWN, f"Unknown coupon code {code}")
    if state.redemption(coupon.code) is not None:
        raise Refusal(RefusalCode.ALREADY_APPLIED, f"Coupon {code} is already on this ticket")
    coupon.validity.check(ticket.clock(), f"Coupon {code}")
    only_gifts = False  # its items are on the ticket only as gift lines
    if coupon.has_applicable_items:
        lines = [
            line
            for line in state.lines
            if (item := book.items.get(line.sku)) is not None and coupon.items.matches(item)
        ]
        only_gifts = not lines and _has_gift_of(ticket, coupon)
        if not lines and not only_gifts:
            raise Refusal(
                RefusalCode.NOT_APPLICABLE,
                f"Coupon {code} applies to none of the items on the ticket"
                f" ({_items_of(ticket, coupon)})",
            )
    else:
        lines = list(state.lines)
        if not lines:
            what = "holds only coupon packs, which take no coupon" if state.packs else "is empty"
            raise Refusal(RefusalCode.NOT_APPLICABLE, f"Coupon {code}: the ticket {what}")
    if not coupon.is_custom and coupon.has_applicable_items:
        if any(line.presented or line.adjusted_price is not None for line in lines):
            raise Refusal(RefusalCode.PRESENT_EXECUTED)
        discounted = ticket.locally_discounted_lines()
        if any(line.line_id in discounted for line in lines):
            raise Refusal(RefusalCode.DISCOUNT_EXECUTED)
    redemption = Redemption(code=coupon.code)
    if coupon.has_applicable_items:
        before = {}
        for line in lines:
            priced_line = ticket.priced.line(line.line_id)
            claiming = priced_line.claiming_promotions if priced_line else ()
            before[line.line_id] = frozenset(claiming)
        redemption = Redemption(
            code=coupon.code,
            claimed_lines=tuple(line.line_id for line in lines),
            promotions_before=before,
        )
    new_state = replace(state, redemptions=(*state.redemptions, redemption))
    priced = ticket.recalculate(new_state)
    outcome = priced.coupons[coupon.code]
    if not outcome.line_ids and not only_gifts:
        raise Refusal(RefusalCode.NOT_APPLICABLE, _no_line_left(ticket, coupon, lines))
    if not outcome.min_spend_met and coupon.min_spend is not None:
        fmt = book.currency.format
        raise Refusal(
            RefusalCode.NOT_APPLICABLE,
            f"Coupon {code}: its minimum spend of {fmt(coupon.min_spend)} is not reached",
        )
    return Change(new_state, priced)


def remove_coupon(ticket: ActionContext, command: RemoveCoupon) -> Change:
    ticket.require_open()
    code = text(command.code, "Coupon code")
    state = ticket.state
    if state.redemption(code) is None:
        raise Refusal(RefusalCode.UNKNOWN, f"Coupon {code} is not on this ticket")
    return Change(replace(state, redemptions=tuple(r for r in state.redemptions if r.code != code)))


def _has_gift_of(ticket: ActionContext, coupon: CouponDefinition) -> bool:
    """Whether one of the coupon's items is on the ticket as a gift line: the coupon is
    then redeemed at 0.00 and blocks closing (Details, seed §5.2, §7)."""
    items = ticket.book.items
    return any(
        line.is_gift and (item := items.get(line.sku)) is not None and coupon.items.matches(item)
        for line in ticket.priced.lines
    )


def _items_of(ticket: ActionContext, coupon: CouponDefinition) -> str:
    items = ticket.book.items
    names = sorted(items[sku].name if sku in items else sku for sku in coupon.items.skus)
    names += sorted(f"any {category}" for category in coupon.items.categories)
    shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
    return f"it takes {shown}"


def _line_label(ticket: ActionContext, line: LineState) -> str:
    item = ticket.book.items.get(line.sku)
    number = ticket.state.lines.index(line) + 1
    return f"{item.name if item else line.sku} (line {number})"


def _no_line_left(ticket: ActionContext, coupon: CouponDefinition, lines: list[LineState]) -> str:
    """Why a redeemed coupon found nothing to deduct from: every unit of its items is
    taken by an earlier group-purchase coupon (R7), or every line it applies to is
    held by a coupon it cannot share a line with (R10)."""
    named = ", ".join(_line_label(ticket, line) for line in lines)
    if coupon.effective_kind == GROUP_PURCHASE:
        return (
            f"Coupon {coupon.code}: every unit of {named} is already covered by another"
            " group-purchase coupon; add the item again as a new line to use it"
        )
    holders = sorted(
        {
            r.code
            for r in ticket.state.redemptions
            if any(line.line_id in r.claimed_lines for line in lines)
        }
    )
    by = f" by coupon {', '.join(holders)}" if holders else ""
    return f"Coupon {coupon.code}: {named} is already covered{by}"
