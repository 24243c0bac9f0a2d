"""The engine's table of actions: every ticket command has one handler, and a command the
table does not know is refused INVALID with the ticket exactly as it was."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pos_app.engine import TICKET_COMMANDS, Refusal, RefusalCode, Ticket
from pos_app.engine.actions import HANDLERS
from pos_app.engine.commands import AddItem, Close, SetQuantity
from tests.helpers.engine_builders import TillClock, price_book


@dataclass(frozen=True)
class Whistle:
    """A command no handler knows."""


def test_every_ticket_command_has_one_handler() -> None:
    assert set(HANDLERS) == set(TICKET_COMMANDS)
    assert len(set(HANDLERS.values())) == len(TICKET_COMMANDS)


def test_an_unknown_command_is_refused_and_changes_nothing() -> None:
    ticket = Ticket(price_book(), TillClock())
    ticket.apply(AddItem("L1", "BURGER", 1))
    state, priced = ticket.state, ticket.priced
    command: Any = Whistle()
    try:
        ticket.apply(command)
    except Refusal as refusal:
        assert refusal.code is RefusalCode.INVALID
        assert "Whistle" in str(refusal)
    else:
        raise AssertionError("an unknown command was carried out")
    assert ticket.state is state and ticket.priced is priced


def test_a_quantity_it_already_has_changes_nothing() -> None:
    ticket = Ticket(price_book(), TillClock())
    ticket.apply(AddItem("L1", "BURGER", 2))
    state, priced = ticket.state, ticket.priced
    assert ticket.apply(SetQuantity("L1", 2)) is priced
    assert ticket.state is state


def test_closing_keeps_the_prices_it_had() -> None:
    ticket = Ticket(price_book(), TillClock())
    ticket.apply(AddItem("L1", "BURGER", 2))
    before = ticket.priced
    closed = ticket.apply(Close())
    assert closed.closed and ticket.state.closed
    assert closed.lines is before.lines and closed.total == before.total
