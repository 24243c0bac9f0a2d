"""Ids for the lines and store discounts the till adds: "L1", "L2", ... and "D1", ...

The engine takes any id that is unique on the ticket. An id is never given twice on one
ticket, not even after its line is voided: a coupon that fixed its lines at redemption
(R6) must never find a new line under an old id.
"""

from __future__ import annotations

from collections.abc import Iterable

from pos_app.engine import TicketState

LINE_PREFIX = "L"
DISCOUNT_PREFIX = "D"


def _highest(ids: Iterable[str], prefix: str) -> int:
    best = 0
    for text in ids:
        if text.startswith(prefix) and text[len(prefix) :].isdigit():
            best = max(best, int(text[len(prefix) :]))
    return best


def referenced_line_ids(state: TicketState) -> list[str]:
    """Every line id the ticket's intent mentions: lines, pack lines, line discounts,
    coupon claims."""
    ids = [line.line_id for line in state.lines]
    ids += [pack.line_id for pack in state.packs]
    ids += [d.line_id for d in state.discounts if d.line_id is not None]
    ids += [line_id for r in state.redemptions for line_id in r.claimed_lines]
    return ids


class TicketIds:
    """Hands out line and discount ids for one ticket at a time; starts over when the
    ticket id changes, above every id the ticket already mentions."""

    def __init__(self) -> None:
        self._ticket_id: str | None = None
        self._last_line = 0
        self._last_discount = 0

    def next_line_id(self, ticket_id: str, state: TicketState) -> str:
        self._switch(ticket_id)
        self._last_line = max(self._last_line, _highest(referenced_line_ids(state), LINE_PREFIX))
        self._last_line += 1
        return f"{LINE_PREFIX}{self._last_line}"

    def next_discount_id(self, ticket_id: str, state: TicketState) -> str:
        self._switch(ticket_id)
        current = _highest((d.discount_id for d in state.discounts), DISCOUNT_PREFIX)
        self._last_discount = max(self._last_discount, current) + 1
        return f"{DISCOUNT_PREFIX}{self._last_discount}"

    def _switch(self, ticket_id: str) -> None:
        if ticket_id != self._ticket_id:
            self._ticket_id = ticket_id
            self._last_line = 0
            self._last_discount = 0
