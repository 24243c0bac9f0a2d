"""The cashier's choices about promotions on a ticket: trigger one, cancel one (R12)."""

from __future__ import annotations

from dataclasses import replace

from pos_app.engine.actions.context import ActionContext, Change, text
from pos_app.engine.commands import CancelPromotion, TriggerPromotion
from pos_app.engine.errors import Refusal, RefusalCode
from pos_app.engine.promotions import Promotion


def trigger_promotion(ticket: ActionContext, command: TriggerPromotion) -> Change:
    """Apply a promotion by hand (auto-execute off, or cancelled earlier) (R12)."""
    ticket.require_open()
    promotion = _promotion(ticket, command.promotion_id)
    label = f"Promotion {promotion.name or promotion.id}"
    if promotion.id in ticket.priced.promotions:
        raise Refusal(RefusalCode.ALREADY_APPLIED, f"{label} is already applied")
    promotion.validity.check(ticket.clock(), label)
    state = replace(
        ticket.state,
        triggered=(*(p for p in ticket.state.triggered if p != promotion.id), promotion.id),
        cancelled=tuple(p for p in ticket.state.cancelled if p != promotion.id),
    )
    priced = ticket.recalculate(state)
    if promotion.id not in priced.promotions:
        reason = priced.not_applied.get(promotion.id, "no eligible item on the ticket")
        raise Refusal(RefusalCode.NOT_APPLICABLE, f"{label} does not apply: {reason}")
    return Change(state, priced)


def cancel_promotion(ticket: ActionContext, command: CancelPromotion) -> Change:
    """Take a promotion off this ticket; an automatic one stays off until triggered."""
    ticket.require_open()
    promotion = _promotion(ticket, command.promotion_id)
    if promotion.id not in ticket.priced.promotions:
        label = promotion.name or promotion.id
        raise Refusal(RefusalCode.NOT_APPLICABLE, f"Promotion {label} is not in effect")
    cancelled = ticket.state.cancelled
    if promotion.auto_execute and promotion.id not in cancelled:
        cancelled = (*cancelled, promotion.id)
    return Change(
        replace(
            ticket.state,
            triggered=tuple(p for p in ticket.state.triggered if p != promotion.id),
            cancelled=cancelled,
        )
    )


def _promotion(ticket: ActionContext, promotion_id: object) -> Promotion:
    promotion = ticket.book.promotions.get(text(promotion_id, "Promotion id"))
    if promotion is None:
        raise Refusal(RefusalCode.UNKNOWN, f"Unknown promotion {promotion_id}")
    return promotion
