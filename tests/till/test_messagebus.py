"""The till's one door: every command the till takes has one handler in one table, and
one it does not know is refused INVALID, changing nothing (ENGINE-RULES "Refusals")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import get_args

import pytest

from pos_app.engine import TICKET_COMMANDS, AddItem, Refusal, RefusalCode
from pos_app.till.commands import TillCommand
from pos_app.till.handlers import HANDLERS, REFUSALS
from pos_app.till.runtime import TillRuntime
from tests.till.conftest import Snapshot


@dataclass(frozen=True)
class Whistle:
    """A command no handler knows."""


def test_every_command_the_till_takes_has_one_handler() -> None:
    """Each command class of the till, the engine's included, is one entry of the table."""
    commands = set(get_args(TillCommand))
    assert set(TICKET_COMMANDS) <= commands
    assert commands == set(HANDLERS)
    assert set(REFUSALS) <= commands


def test_an_unknown_command_is_refused_and_changes_nothing(
    runtime: TillRuntime, snapshot: Callable[[], Snapshot]
) -> None:
    """A refused action changes nothing: a command without a handler is INVALID."""
    till = runtime.till
    till.handle(AddItem("L1", "BURGER"))
    before, state = snapshot(), till.state
    with pytest.raises(Refusal) as refused:
        till.handle(Whistle())  # type: ignore[arg-type]
    assert refused.value.code is RefusalCode.INVALID
    assert "Whistle" in refused.value.message
    assert snapshot() == before and till.state == state
    assert till.refusal_for(Whistle()) is None  # type: ignore[arg-type]  # nothing to ask
