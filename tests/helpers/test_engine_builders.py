"""The engine test builders do what the engine tests rely on."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from pos_app.engine import PricedTicket, Refusal, RefusalCode, Ticket, TicketCommand
from pos_app.engine.commands import AddItem
from tests.helpers.engine_builders import (
    NOW,
    TillClock,
    assert_refused,
    coupon,
    nets,
    open_ticket,
    promotion,
    promotion_amounts,
)


def test_open_ticket_rings_up_lines_in_order() -> None:
    """Builder: lines are added in the order given, at catalog prices."""
    ticket = open_ticket(lines=[("L1", "BURGER", 2), ("L2", "COLA", 1)])
    assert [line.line_id for line in ticket.state.lines] == ["L1", "L2"]
    assert nets(ticket.priced) == {"L1": 24, "L2": 3}


def test_scenario_form_builders_fill_sequence_and_auto_execute() -> None:
    """Builder: promotion() and coupon() give the scenario JSON form."""
    assert promotion("P1", "bogo", sequence=3, auto=False) == {
        "id": "P1",
        "type": "bogo",
        "sequence": 3,
        "auto_execute": False,
    }
    assert coupon("CV", "cash_voucher", face_value="1.00") == {
        "code": "CV",
        "kind": "cash_voucher",
        "sequence": 1,
        "face_value": "1.00",
    }


def test_promotion_amounts_leave_out_zero_amounts() -> None:
    """Builder: a promotion worth 0 counts as absent (FORMAT.md null)."""
    ticket = open_ticket(
        [
            promotion("P0", "percent_off", percent="0", items=["BURGER"]),
            promotion("P1", "percent_off", percent="10", items=["COLA"]),
        ],
        lines=[("L1", "BURGER", 1), ("L2", "COLA", 1)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": Decimal("0.30")}


def test_till_clock_is_settable() -> None:
    """Builder: the till clock returns the time it was last set to."""
    clock = TillClock()
    assert clock() == NOW
    clock.now = datetime(2030, 1, 1)
    assert clock() == datetime(2030, 1, 1)


def test_assert_refused_returns_the_refusal() -> None:
    """Builder: a refusal with the expected code and no change passes."""
    ticket = open_ticket(lines=[("L1", "BURGER", 1)])
    refusal = assert_refused(ticket, AddItem("L2", "NOPE"), RefusalCode.UNKNOWN)
    assert refusal.code is RefusalCode.UNKNOWN


def test_assert_refused_fails_when_the_action_succeeds() -> None:
    """Builder: an accepted action is reported, not swallowed."""
    ticket = open_ticket()
    with pytest.raises(AssertionError, match="succeeded"):
        assert_refused(ticket, AddItem("L1", "BURGER"), "UNKNOWN")


def test_assert_refused_fails_on_another_code() -> None:
    """Builder: a refusal with a different code is reported."""
    ticket = open_ticket()
    with pytest.raises(AssertionError, match="expected UNKNOWN"):
        assert_refused(ticket, AddItem("L1", "BURGER", 0), "UNKNOWN")


def test_assert_refused_fails_when_the_ticket_changed() -> None:
    """Builder: a refusal that left the ticket changed is reported."""
    ticket = open_ticket()

    class ChangeThenRefuse(Ticket):
        def apply(self, command: TicketCommand) -> PricedTicket:
            super().apply(AddItem("L1", "BURGER"))
            raise Refusal(RefusalCode.INVALID, "too late")

    changing = ChangeThenRefuse(ticket.book, TillClock())
    with pytest.raises(AssertionError, match="changed"):
        assert_refused(changing, AddItem("L2", "BURGER"), "INVALID")
