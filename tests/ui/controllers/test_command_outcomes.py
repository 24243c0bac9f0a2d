"""What a command brings besides the ticket comes from one table of follow-ups, run on
the op thread right after the till handled it (here called directly, on a real till)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest

from pos_app.engine import AddItem, Close, Refusal, RemoveLine
from pos_app.printing import StoreHeader
from pos_app.till.commands import PayCash, TillCommand, VoidTicket
from pos_app.till.manager import CASHIER
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import ParkTicket, RefundSale
from pos_app.ui.controllers.command_outcomes import (
    FOLLOW_UPS,
    CommandOutcome,
    CommandScene,
    LineChoice,
    carry_out,
)
from pos_app.wiring import open_till
from tests.helpers.device_clock import FakeClock
from tests.helpers.permissions import grant_cashiers


@pytest.fixture
def runtime(data_dir: Path, clock: FakeClock) -> Iterator[TillRuntime]:
    opened = open_till(data_dir, clock=clock)
    grant_cashiers(opened.till)
    yield opened
    opened.close()


def do(runtime: TillRuntime, command: TillCommand) -> CommandOutcome:
    scene = CommandScene(
        till=runtime.till,
        actor=CASHIER,
        store=StoreHeader("Demo Diner"),
        clock=runtime.clock,
        database=runtime.database,
        sync_store=runtime.sync_store,
    )
    return carry_out(command, scene)


def test_the_table_holds_only_till_commands() -> None:
    """Every key of FOLLOW_UPS is a command the till takes (a typo'd key cannot hide)."""
    assert set(FOLLOW_UPS) <= set(get_args(TillCommand))


def test_an_added_line_is_selected_and_brought_into_view(runtime: TillRuntime) -> None:
    """AddItem: the new line is the one to select and to scroll to."""
    outcome = do(runtime, AddItem(None, "BURGER"))
    assert outcome.selection is LineChoice.NEW_LINE
    assert outcome.change.line_id == "L1" and outcome.scroll_to == "L1"
    assert outcome.sale is None and outcome.returned is None and outcome.report is None


def test_any_other_command_says_what_the_recalculation_changed(runtime: TillRuntime) -> None:
    """A command with no entry keeps the selection and reports the recalculation."""
    do(runtime, AddItem(None, "COLA"))
    do(runtime, AddItem(None, "COLA"))  # DRINKS-BOGO: the second cola free
    outcome = do(runtime, RemoveLine("L2"))
    assert outcome.selection is LineChoice.KEEP
    assert outcome.names is not None
    assert [n.line_id for n in outcome.notices] == ["L1"]  # the first cola costs again


def test_a_closed_sale_brings_its_receipt_and_the_new_ticket(runtime: TillRuntime) -> None:
    """Close: the receipt of the sale (numbered, the store's header), the new empty
    ticket to show, no line selected."""
    do(runtime, AddItem(None, "TEA"))
    do(runtime, PayCash("5.00"))
    outcome = do(runtime, Close())
    assert outcome.sale is not None
    assert outcome.sale.receipt.number == outcome.sale.change.number != ""
    assert outcome.change is outcome.sale.fresh and not outcome.change.priced.lines
    assert outcome.selection is LineChoice.CLEAR


def test_a_return_brings_its_slip(runtime: TillRuntime) -> None:
    """RefundSale: the return and its slip, titled with the sale's number."""
    do(runtime, AddItem(None, "TEA"))
    do(runtime, PayCash("5.00"))
    sale = do(runtime, Close()).sale
    assert sale is not None
    number = sale.receipt.number
    outcome = do(runtime, RefundSale(number, "cash", reason="Wrong item"))
    assert outcome.returned is not None
    assert outcome.returned.receipt.title == f"RETURN of ticket {number}"


def test_switching_or_voiding_the_ticket_clears_the_selection(runtime: TillRuntime) -> None:
    """ParkTicket and VoidTicket: another ticket (or none of its lines) on screen."""
    do(runtime, AddItem(None, "TEA"))
    assert do(runtime, ParkTicket()).selection is LineChoice.CLEAR
    do(runtime, AddItem(None, "TEA"))
    assert do(runtime, VoidTicket("test")).selection is LineChoice.CLEAR


def test_a_refused_command_raises_for_the_ops_failure_callback(runtime: TillRuntime) -> None:
    """A refusal is not an outcome: it propagates (the op hands it to its failure)."""
    with pytest.raises(Refusal):
        do(runtime, RemoveLine("L9"))
