"""A ticket being rung up: every cashier action, its refusals, and the recalculation.

:class:`Ticket` is the engine's public face. Each action either succeeds and
recalculates the whole ticket (R4), or raises :class:`Refusal` and leaves the
ticket exactly as it was. The actions themselves are handlers in one table,
:data:`pos_app.engine.actions.HANDLERS`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from pos_app.engine.actions import HANDLERS, ActionContext, Change, Clock, invalid
from pos_app.engine.commands import Redeem, TicketCommand
from pos_app.engine.errors import Refusal
from pos_app.engine.price_book import PriceBook
from pos_app.engine.priced_ticket import PricedTicket
from pos_app.engine.recalculation import recalculate
from pos_app.engine.redemption_preview import RedemptionPreview
from pos_app.engine.ticket_state import TicketState


class Ticket:
    """One open ticket under one price book. Not thread-safe: one owner at a time.

    ``state`` is the persisted intent; ``priced`` the current prices. Actions return
    the new :class:`PricedTicket` or raise :class:`Refusal` and change nothing.
    """

    def __init__(
        self, book: PriceBook, clock: Clock = datetime.now, state: TicketState | None = None
    ) -> None:
        self._book = book
        self._clock = clock
        self._state = state or TicketState()
        self._priced = recalculate(self._state, book, clock())

    @property
    def state(self) -> TicketState:
        return self._state

    @property
    def priced(self) -> PricedTicket:
        return self._priced

    @property
    def book(self) -> PriceBook:
        return self._book

    def recalculate(self) -> PricedTicket:
        """Recalculate with the clock's current time (validity windows may have moved)."""
        self._priced = recalculate(self._state, self._book, self._clock(), self._priced)
        return self._priced

    def apply(self, command: TicketCommand) -> PricedTicket:
        """Carry out a cashier's action through its handler: the ticket recalculated
        (R4), or a :class:`Refusal` with the ticket exactly as it was."""
        handler = HANDLERS.get(type(command))
        if handler is None:
            raise invalid(f"Unknown action {type(command).__name__}")
        change = handler(ActionContext(self._state, self._priced, self._book, self._clock), command)
        if change is not None:
            self._commit(change)
        return self._priced

    def refusal_for(self, command: TicketCommand) -> Refusal | None:
        """The refusal ``command`` would meet, tried on a copy: lets a screen enable or
        disable a button live by the engine's rules."""
        try:
            self._trial().apply(command)
        except Refusal as refusal:
            return refusal
        return None

    def preview_redemption(self, code: str) -> RedemptionPreview:
        """What redeeming ``code`` would do, tried on a copy: the coupon's saving, the
        promotions and discounts it displaces and the change of the bill (a group
        purchase worth less than the promotion it replaces raises it, R7 seed §5.1).
        Raises the :class:`Refusal` the redemption would meet; changes nothing."""
        after = self._trial().apply(Redeem(code))
        return RedemptionPreview.between(self._priced, after, code)

    def _trial(self) -> Ticket:
        """A copy of this ticket to try an action on (the state is immutable: shared)."""
        trial = Ticket.__new__(Ticket)
        trial._book, trial._clock = self._book, self._clock
        trial._state, trial._priced = self._state, self._priced
        return trial

    def _commit(self, change: Change) -> None:
        state, priced = change.state, change.priced
        if priced is None:
            priced = recalculate(state, self._book, self._clock(), self._priced)
        lapsed = [] if change.final else [p for p in state.triggered if p not in priced.promotions]
        if lapsed:  # a triggered promotion left with no effect must be triggered again
            state = replace(state, triggered=tuple(p for p in state.triggered if p not in lapsed))
        self._state = state
        self._priced = priced


__all__ = ["Clock", "Ticket"]
