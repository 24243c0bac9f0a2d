"""Cashier actions on a ticket as plain data: one command per action.

The engine applies a command to a ticket (:meth:`pos_app.engine.Ticket.apply`); the
till handles it (permission, engine, write, outbox); the screens, the scenario reader
and the tests only build commands. Fields hold what was typed or read, unchecked: the
engine's bounds (``bounds.py``) refuse what is out of range with INVALID.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AddItem:
    """Ring up ``qty`` of ``sku`` as a new line ``line_id`` at the catalog price (at the
    till, no ``line_id``: the till gives the next one)."""

    line_id: str | None
    sku: str
    qty: object = 1


@dataclass(frozen=True)
class SetQuantity:
    """Change a line's quantity (R6: not on a line a coupon with items covers)."""

    line_id: str
    qty: object


@dataclass(frozen=True)
class RemoveLine:
    """Void a line; its store discounts go with it."""

    line_id: str


@dataclass(frozen=True)
class Present:
    """Give a line away (manual pricing, stage 1)."""

    line_id: str


@dataclass(frozen=True)
class Unpresent:
    """Take a present back."""

    line_id: str


@dataclass(frozen=True)
class AdjustPrice:
    """Set a new unit price on a line (manual pricing, stage 1)."""

    line_id: str
    price: object


@dataclass(frozen=True)
class Unadjust:
    """Take a price adjustment back."""

    line_id: str


@dataclass(frozen=True)
class ApplyDiscount:
    """A store discount (stage 4): a percent or an amount, on one line or the order (at
    the till, no ``discount_id``: the till gives the next one)."""

    discount_id: str | None
    percent: object = None
    amount: object = None
    line_id: str | None = None


@dataclass(frozen=True)
class RemoveDiscount:
    discount_id: str


@dataclass(frozen=True)
class TriggerPromotion:
    """Apply a promotion by hand (auto-execute off, or cancelled earlier; R12)."""

    promotion_id: str


@dataclass(frozen=True)
class CancelPromotion:
    """Take a promotion off this ticket; an automatic one stays off until triggered."""

    promotion_id: str


@dataclass(frozen=True)
class Redeem:
    """Redeem a coupon by its code (R6-R11)."""

    code: str


@dataclass(frozen=True)
class RemoveCoupon:
    code: str


@dataclass(frozen=True)
class SellPack:
    """Sell a coupon pack with the order to the member ``member_id``, as a line of its
    own at the pack's price. At the till, no ``member_id``: the member on the ticket;
    no ``line_id``: the till gives the next one; the till checks the sale first
    (COUPON-PACK-RULES K12, K13)."""

    pack_id: str
    member_id: str | None = None
    line_id: str | None = None


@dataclass(frozen=True)
class Close:
    """Close the ticket (refused while a coupon is worth 0, §5.2)."""


TicketCommand = (
    AddItem
    | SetQuantity
    | RemoveLine
    | Present
    | Unpresent
    | AdjustPrice
    | Unadjust
    | ApplyDiscount
    | RemoveDiscount
    | TriggerPromotion
    | CancelPromotion
    | Redeem
    | RemoveCoupon
    | SellPack
    | Close
)

TICKET_COMMANDS: tuple[type[TicketCommand], ...] = (
    AddItem,
    SetQuantity,
    RemoveLine,
    Present,
    Unpresent,
    AdjustPrice,
    Unadjust,
    ApplyDiscount,
    RemoveDiscount,
    TriggerPromotion,
    CancelPromotion,
    Redeem,
    RemoveCoupon,
    SellPack,
    Close,
)
