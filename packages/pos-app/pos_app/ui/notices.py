"""The line the message bar shows after a command succeeds, in the cashier's words."""

from __future__ import annotations

from pos_app.engine import (
    CancelPromotion,
    PriceBook,
    Redeem,
    RemoveCoupon,
    RemoveLine,
    TriggerPromotion,
)
from pos_app.till.commands import (
    OverrideAutoExecute,
    ResolveConflict,
    SetPermission,
    TillCommand,
    VoidTicket,
)
from pos_app.till.till import TicketChange

PERMISSION_LABELS = {
    "present": "Presenting",
    "adjust_price": "Price adjustment",
    "discount": "Discounts",
}


def promotion_name(book: PriceBook | None, promotion_id: str) -> str:
    promotion = book.promotions.get(promotion_id) if book is not None else None
    return promotion.name if promotion is not None and promotion.name else promotion_id


def notice_for(command: TillCommand, change: TicketChange, book: PriceBook | None) -> str | None:
    """What to tell the cashier once ``command`` went through, or None (the ticket shows it)."""
    match command:
        case RemoveLine():
            return "Line voided"
        case TriggerPromotion():
            return f"Promotion {promotion_name(book, command.promotion_id)} applied"
        case CancelPromotion():
            return f"Promotion {promotion_name(book, command.promotion_id)} cancelled"
        case Redeem():
            return f"Coupon {command.code} redeemed"
        case RemoveCoupon():
            return f"Coupon {command.code} removed"
        case VoidTicket():
            return "Ticket voided"
        case ResolveConflict():
            return "Conflict resolved"
        case OverrideAutoExecute():
            state = "on" if command.auto_execute else "off"
            name = promotion_name(book, command.promotion_id)
            return f"Auto-execute of {name} is {state} at this till"
        case SetPermission():
            label = PERMISSION_LABELS.get(command.action, command.action)
            return f"{label}: {'allowed for cashiers' if command.allowed else 'manager only'}"
    return None
