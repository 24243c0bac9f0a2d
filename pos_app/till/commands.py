"""The till's own commands, beside the engine's ticket commands: payments, voiding a
ticket, and a store manager's actions. :meth:`pos_app.till.till.Till.handle` takes
any of them; a screen, a scenario or a test only builds one.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.engine import TicketCommand
from pos_app.till.shift_commands import ShiftCommand


@dataclass(frozen=True)
class PayCash:
    """Take cash: it pays up to what is due, the rest is change."""

    tendered: object


@dataclass(frozen=True)
class PayCard:
    """Take a card payment of ``amount`` (at most what is due)."""

    amount: object


@dataclass(frozen=True)
class ClearPayments:
    """Drop every payment taken on the open ticket (before closing)."""


@dataclass(frozen=True)
class VoidTicket:
    """Discard the open ticket, nothing sold (a manager's action, audited)."""

    reason: str = ""


@dataclass(frozen=True)
class OverrideAutoExecute:
    """A store manager's local auto-execute switch for one promotion (R12)."""

    promotion_id: str
    auto_execute: bool


@dataclass(frozen=True)
class ResolveConflict:
    """Record a manager's follow-up of a sync conflict (S6)."""

    conflict_key: str
    resolution: str
    note: str = ""


@dataclass(frozen=True)
class RefundPackSale:
    """The recorded reversal of a pack sale the back office did not accept (K14): the
    price paid back (``cash`` or ``card``), its coupons withdrawn, the conflict resolved
    (a manager's action)."""

    conflict_key: str
    method: str = "cash"
    note: str = ""


@dataclass(frozen=True)
class ReturnPackLine:
    """A customer returns a coupon pack bought on ticket ``number`` (its line
    ``line_id``): a manager refunds the whole pack, paid back by ``method``, when none of
    its coupons was used; the back office applies it everywhere (K4, K14)."""

    number: str
    line_id: str
    method: str = "cash"
    note: str = ""


@dataclass(frozen=True)
class SetPermission:
    """Allow or forbid a guarded action (present, adjust_price, discount) for cashiers."""

    action: str
    allowed: bool


TillCommand = (
    TicketCommand
    | PayCash
    | PayCard
    | ClearPayments
    | VoidTicket
    | OverrideAutoExecute
    | ResolveConflict
    | RefundPackSale
    | ReturnPackLine
    | SetPermission
    | ShiftCommand
)
