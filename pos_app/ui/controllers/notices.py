"""The line the message bar shows after a command succeeds, in the cashier's words.

One table (:data:`NOTICES`) maps a command class to the function that words it; a
command not in it says nothing (the ticket on screen shows what it did).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    ReturnPackLine,
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


@dataclass(frozen=True)
class Said:
    """What a notice may name: the ticket after the command, the price book, names."""

    change: TicketChange
    book: PriceBook | None
    names: Names


Notice = Callable[[Any, Said], str | None]  # (the command, what it may name) -> the text


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
    word = NOTICES.get(type(command))
    return word(command, Said(change, book, names or Names())) if word is not None else None


def _line_voided(command: RemoveLine, said: Said) -> str:
    return "Line voided"


def _promotion_applied(command: TriggerPromotion, said: Said) -> str:
    return f"Promotion {promotion_name(said.book, command.promotion_id)} applied"


def _promotion_cancelled(command: CancelPromotion, said: Said) -> str:
    return f"Promotion {promotion_name(said.book, command.promotion_id)} cancelled"


def _coupon_redeemed(command: Redeem, said: Said) -> str:
    return f"Coupon {coupon_name(said.book, command.code)} redeemed"


def _coupon_removed(command: RemoveCoupon, said: Said) -> str:
    return f"Coupon {coupon_name(said.book, command.code)} removed"


def _ticket_voided(command: VoidTicket, said: Said) -> str:
    return f"Ticket voided ({command.reason})" if command.reason else "Ticket voided"


def _ticket_held(command: ParkTicket, said: Said) -> str:
    return f"Ticket {said.change.outcome} is on hold; a new ticket is open"


def _ticket_recalled(command: RecallTicket, said: Said) -> str:
    return f"Ticket {said.change.number} recalled"


def _member_attached(command: AttachMember, said: Said) -> str:
    return f"Member {said.change.member_name} is on the ticket"


def _member_detached(command: DetachMember, said: Said) -> str:
    return "Member taken off the ticket"


def _sale_returned(command: RefundSale, said: Said) -> str | None:
    done = said.change.outcome
    if not isinstance(done, RefundDone):
        return None
    amount = done.plan.sale.currency.format(done.amount)
    return f"Return {done.number} of ticket {done.refund_of}: {amount} back by {done.method}"


def _code_scanned(command: Scan, said: Said) -> str | None:
    """A scanned coupon is named; a scanned item shows on the ticket."""
    if said.change.line_id is not None:
        return None
    return f"Coupon {coupon_name(said.book, command.code)} redeemed"


def _day_closed(command: CloseShift, said: Said) -> str:
    return "The day is closed: the next ticket starts a new day"


def _conflict_resolved(command: ResolveConflict, said: Said) -> str:
    return "Conflict resolved"


def _pack_added(command: SellPack, said: Said) -> str:
    pack = said.book.packs.get(command.pack_id) if said.book is not None else None
    name = pack.name if pack is not None else "Coupon pack"
    return f"{name} added: its coupons are issued when the sale closes"


def _pack_refunded(command: RefundPackSale, said: Said) -> str:
    return "Pack refunded and recorded: pay the price back; its coupons are withdrawn"


def _pack_returned(command: ReturnPackLine, said: Said) -> str:
    method = "by card" if command.method == "card" else "in cash"
    return f"Coupon pack refunded: pay the price back {method}; its coupons are withdrawn"


def _auto_execute_switched(command: OverrideAutoExecute, said: Said) -> str:
    state = "on" if command.auto_execute else "off"
    name = promotion_name(said.book, command.promotion_id)
    return f"Auto-execute of {name} is {state} at this till"


def _permission_set(command: SetPermission, said: Said) -> str:
    label = PERMISSION_LABELS.get(command.action, command.action)
    return f"{label}: {'allowed for cashiers' if command.allowed else 'manager only'}"


NOTICES: dict[type, Notice] = {
    RemoveLine: _line_voided,
    TriggerPromotion: _promotion_applied,
    CancelPromotion: _promotion_cancelled,
    Redeem: _coupon_redeemed,
    RemoveCoupon: _coupon_removed,
    VoidTicket: _ticket_voided,
    ParkTicket: _ticket_held,
    RecallTicket: _ticket_recalled,
    AttachMember: _member_attached,
    DetachMember: _member_detached,
    RefundSale: _sale_returned,
    Scan: _code_scanned,
    CloseShift: _day_closed,
    ResolveConflict: _conflict_resolved,
    SellPack: _pack_added,
    RefundPackSale: _pack_refunded,
    ReturnPackLine: _pack_returned,
    OverrideAutoExecute: _auto_execute_switched,
    SetPermission: _permission_set,
}
