"""The actions on a ticket's store discounts (stage 4): apply one, take one off."""

from __future__ import annotations

from dataclasses import replace

from pos_app.engine.actions.context import ActionContext, Change, invalid, text
from pos_app.engine.commands import ApplyDiscount, RemoveDiscount
from pos_app.engine.errors import Refusal, RefusalCode
from pos_app.engine.money import AmountError, parse_percent
from pos_app.engine.ticket_state import StoreDiscount


def apply_discount(ticket: ActionContext, command: ApplyDiscount) -> Change:
    """A store discount (stage 4): percent or amount, on a line or the whole order."""
    ticket.require_open()
    discount_id = text(command.discount_id, "Discount id")
    percent, amount, line_id = command.percent, command.amount, command.line_id
    if (percent is None) == (amount is None):
        raise invalid("A discount needs a percent or an amount, not both")
    try:
        pct = parse_percent(percent) if percent is not None else None
    except AmountError as exc:
        raise invalid(f"The discount percent {exc}") from None
    amt = ticket.amount(amount, "The discount amount") if amount is not None else None
    line = ticket.line(line_id) if line_id is not None else None
    if ticket.state.discount(discount_id) is not None:
        raise Refusal(RefusalCode.ALREADY_APPLIED, f"Discount {discount_id} is already applied")
    if line is not None:
        ticket.require_not_covered(line)
    discount = StoreDiscount(
        discount_id, percent=pct, amount=amt, line_id=line.line_id if line else None
    )
    return Change(replace(ticket.state, discounts=(*ticket.state.discounts, discount)))


def remove_discount(ticket: ActionContext, command: RemoveDiscount) -> Change:
    ticket.require_open()
    discount_id = text(command.discount_id, "Discount id")
    state = ticket.state
    if state.discount(discount_id) is None:
        raise Refusal(RefusalCode.UNKNOWN, f"Discount {discount_id} is not on this ticket")
    return Change(
        replace(
            state,
            discounts=tuple(d for d in state.discounts if d.discount_id != discount_id),
        )
    )
