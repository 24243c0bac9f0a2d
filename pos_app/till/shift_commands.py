"""The commands of a whole shift, beside the ticket and payment commands: holding and
recalling tickets, the member on the ticket, scanning, returns and closing the day.
:meth:`pos_app.till.till.Till.handle` takes each of them like any other command.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParkTicket:
    """Set the open ticket aside (with its coupons, member and payments) and start a
    new one."""


@dataclass(frozen=True)
class RecallTicket:
    """Bring back a parked ticket (by its id); an open ticket with lines is parked in
    its place."""

    ticket_id: str


@dataclass(frozen=True)
class AttachMember:
    """Put a member (found by member lookup) on the open ticket."""

    member_id: str


@dataclass(frozen=True)
class DetachMember:
    """Take the member off the open ticket."""


@dataclass(frozen=True)
class TapItem:
    """An item's key tapped ``qty`` times over (the numpad's quantity, or 1): the last
    line's quantity goes up when it is the same item and nothing (a coupon, a discount,
    a present, a price, a promotion) holds it; otherwise a new line (ring_up.py)."""

    sku: str
    qty: object = 1


@dataclass(frozen=True)
class Scan:
    """A barcode scanned (keyboard wedge + Enter): an item's barcode rings it up,
    anything else is redeemed as a coupon code."""

    code: str


@dataclass(frozen=True)
class RefundSale:
    """Return lines of a closed sale found by its number: ``lines`` as (line id,
    quantity) pairs, or None for everything not yet returned; the money goes back by
    ``method`` (``cash``, or ``card`` when the sale was paid by card)."""

    number: str
    method: str
    lines: tuple[tuple[str, object], ...] | None = None


@dataclass(frozen=True)
class CloseShift:
    """Close the business day with the Z report; ``counted_cash`` is the cash the
    cashier counted in the drawer (None: not counted)."""

    counted_cash: object = None


SHIFT_COMMANDS = (
    ParkTicket,
    RecallTicket,
    AttachMember,
    DetachMember,
    TapItem,
    Scan,
    RefundSale,
    CloseShift,
)
ShiftCommand = (
    ParkTicket
    | RecallTicket
    | AttachMember
    | DetachMember
    | TapItem
    | Scan
    | RefundSale
    | CloseShift
)
