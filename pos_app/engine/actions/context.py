"""What an action on a ticket reads, and the change it hands back.

A handler of :data:`pos_app.engine.actions.HANDLERS` takes an :class:`ActionContext`
(the ticket's state and prices at one moment, its price book and clock, and the checks
every action shares) and the command, and returns a :class:`Change` for the ticket to
commit, or ``None`` when nothing changes; a :class:`Refusal` raised leaves the ticket
exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from pos_app.engine.bounds import (
    LINES_MESSAGE,
    MAX_LINES,
    QUANTITY_MESSAGE,
    QuantityError,
    parse_quantity,
)
from pos_app.engine.errors import Refusal, RefusalCode
from pos_app.engine.money import AmountError, parse_amount
from pos_app.engine.packs import fixed_price_refusal_text
from pos_app.engine.price_book import PriceBook
from pos_app.engine.priced_ticket import PricedTicket
from pos_app.engine.recalculation import member_discount_lines, recalculate
from pos_app.engine.ticket_state import GIFT_LINE_PREFIX, LineState, TicketState

Clock = Callable[[], datetime]


def invalid(message: str) -> Refusal:
    """An INVALID refusal with ``message``."""
    return Refusal(RefusalCode.INVALID, message)


def text(raw: object, what: str) -> str:
    """``raw`` as a non-blank string, or INVALID saying ``what`` is missing."""
    if not isinstance(raw, str) or not raw.strip():
        raise invalid(f"{what} is missing")
    return raw


def quantity(raw: object) -> int:
    """``raw`` as a quantity within the bounds, or INVALID."""
    try:
        return parse_quantity(raw)
    except QuantityError:
        raise invalid(QUANTITY_MESSAGE) from None


@dataclass(frozen=True)
class Change:
    """A ticket's new state, with its prices when the handler already worked them out
    (``None``: the ticket recalculates). ``final``: the state and prices are committed as
    given (closing changes no price and lets no triggered promotion lapse)."""

    state: TicketState
    priced: PricedTicket | None = None
    final: bool = False


@dataclass(frozen=True)
class ActionContext:
    """One ticket at one moment under one price book: what every action reads, and the
    checks they share (open, room for a line, a line by its id, not covered)."""

    state: TicketState
    priced: PricedTicket
    book: PriceBook
    clock: Clock

    def recalculate(self, state: TicketState) -> PricedTicket:
        """``state`` priced now, from this ticket's prices."""
        return recalculate(state, self.book, self.clock(), self.priced)

    def require_open(self) -> None:
        if self.state.closed:
            raise invalid("The ticket is closed")

    def require_room(self) -> None:
        """A ticket holds at most 1,000 lines (the INVALID row): the cashier pays this one
        and starts another."""
        if len(self.state.lines) + len(self.state.packs) >= MAX_LINES:
            raise invalid(LINES_MESSAGE)

    def new_line_id(self, raw: object) -> str:
        """``raw`` as the id of a new line: given, and no line of the ticket has it."""
        line_id = text(raw, "Line id")
        if (
            line_id.startswith(GIFT_LINE_PREFIX)
            or self.state.line(line_id) is not None
            or self.state.pack_line(line_id) is not None
        ):
            raise invalid(f"Line {line_id} already exists")
        return line_id

    def line(self, line_id: object) -> LineState:
        """An item line; a coupon pack's line takes none of the actions that ask for one."""
        if not isinstance(line_id, str) or not line_id:
            raise invalid("Line id is missing")
        pack = self.state.pack_line(line_id)
        if pack is not None:
            raise Refusal(RefusalCode.NOT_APPLICABLE, fixed_price_refusal_text(pack.name))
        line = self.state.line(line_id)
        if line is None:
            raise Refusal(RefusalCode.UNKNOWN, f"Unknown line {line_id}")
        return line

    def require_not_covered(self, line: LineState) -> None:
        if line.line_id in self.claimed_by_non_custom():
            raise Refusal(RefusalCode.COVERED_BY_COUPON)

    def claimed_by_non_custom(self) -> set[str]:
        return {
            line_id
            for r in self.state.redemptions
            if (c := self.book.coupons.get(r.code)) is not None and c.claims_lines
            for line_id in r.claimed_lines
        }

    def locally_discounted_lines(self) -> set[str]:
        """Lines under a store discount, in an order discount's scope, or covered by a
        member discount coupon (ENGINE-RULES details)."""
        found = {d.line_id for d in self.state.discounts if d.line_id is not None}
        if any(d.line_id is None for d in self.state.discounts):
            claimed = self.claimed_by_non_custom()
            found.update(x.line_id for x in self.state.lines if x.line_id not in claimed)
        found.update(member_discount_lines(self.priced))
        return {x for x in found if x is not None}

    def amount(self, raw: object, what: str) -> Decimal:
        """An amount in the ticket's currency within the bounds, or INVALID naming it."""
        try:
            return parse_amount(raw, self.book.currency.exponent)
        except AmountError as exc:
            raise invalid(f"{what} {exc}") from None

    def with_line(self, line: LineState) -> TicketState:
        """The state with ``line`` in place of the line of the same id."""
        return replace(
            self.state,
            lines=tuple(line if x.line_id == line.line_id else x for x in self.state.lines),
        )


__all__ = ["ActionContext", "Change", "Clock", "invalid", "quantity", "text"]
