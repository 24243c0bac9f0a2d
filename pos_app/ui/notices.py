"""The line the message bar shows after a command succeeds, in the cashier's words."""

from __future__ import annotations

from pos_app.engine import (
    CancelPromotion,
    PriceBook,
    Redeem,
    RemoveCoupon,
    RemoveLine,
    SellPack,
    TriggerPromotion,
)
from pos_app.till.commands import (
    OverrideAutoExecute,
    RefundPackSale,
    ResolveConflict,
    SetPermission,
    TillCommand,
    VoidTicket,
)
from pos_app.till.names import Names
from pos_app.till.shift_commands import (
    AttachMember,
    CloseShift,
    DetachMember,
    ParkTicket,
    RecallTicket,
    RefundSale,
    Scan,
)
from pos_app.till.shift_desk import RefundDone
from pos_app.till.till import TicketChange

PERMISSION_LABELS = {
    "present": "Presenting",
    "adjust_price": "Price adjustment",
    "discount": "Discounts",
    "void": "Voiding",
}


def coupon_name(book: PriceBook | None, code: str) -> str:
    return book.coupon_name(code) if book is not None else code


def promotion_name(book: PriceBook | None, promotion_id: str) -> str:
    promotion = book.promotions.get(promotion_id) if book is not None else None
    return promotion.name if promotion is not None and promotion.name else promotion_id


def notice_for(
    command: TillCommand,
    change: TicketChange,
    book: PriceBook | None,
    names: Names | None = None,
) -> str | None:
    """What to tell the cashier once ``command`` went through, or None (the ticket shows it)."""
    names = names or Names()
    match command:
        case RemoveLine():
            return "Line voided"
        case TriggerPromotion():
            return f"Promotion {promotion_name(book, command.promotion_id)} applied"
        case CancelPromotion():
            return f"Promotion {promotion_name(book, command.promotion_id)} cancelled"
        case Redeem():
            return f"Coupon {coupon_name(book, command.code)} redeemed"
        case RemoveCoupon():
            return f"Coupon {coupon_name(book, command.code)} removed"
        case VoidTicket():
            return f"Ticket voided ({command.reason})" if command.reason else "Ticket voided"
        case ParkTicket():
            return f"Ticket {change.outcome} is on hold; a new ticket is open"
        case RecallTicket():
            return f"Ticket {change.number} recalled"
        case AttachMember():
            return f"Member {change.member_name} is on the ticket"
        case DetachMember():
            return "Member taken off the ticket"
        case RefundSale() if isinstance(change.outcome, RefundDone):
            done = change.outcome
            amount = done.plan.sale.currency.format(done.amount)
            return (
                f"Return {done.number} of ticket {done.refund_of}: {amount} back by {done.method}"
            )
        case Scan() if change.line_id is None:
            return f"Coupon {coupon_name(book, command.code)} redeemed"
        case CloseShift():
            return "The day is closed: the next ticket starts a new day"
        case ResolveConflict():
            return "Conflict resolved"
        case SellPack():
            pack = book.packs.get(command.pack_id) if book is not None else None
            name = pack.name if pack is not None else "Coupon pack"
            return f"{name} added: its coupons are issued when the sale closes"
        case RefundPackSale():
            return "Pack refunded and recorded: pay the price back; its coupons are withdrawn"
        case OverrideAutoExecute():
            state = "on" if command.auto_execute else "off"
            name = promotion_name(book, command.promotion_id)
            return f"Auto-execute of {name} is {state} at this till"
        case SetPermission():
            label = PERMISSION_LABELS.get(command.action, command.action)
            return f"{label}: {'allowed for cashiers' if command.allowed else 'manager only'}"
    return None
