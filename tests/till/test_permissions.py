"""The till checks who may act, whatever sends the command: cashier permissions and the
manager's session are the till's, not the screen's."""

from __future__ import annotations

import pytest

from pos_app.engine import AddItem, AdjustPrice, ApplyDiscount, Present, RemoveLine, Unpresent
from pos_app.till.commands import SetPermission, VoidTicket
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.manager import Actor
from pos_app.till.runtime import TillRuntime
from pos_app.till.scenario_replay import TillReplay
from tests.helpers.permissions import grant_cashiers


def test_a_forbidden_action_is_refused_to_a_cashier_and_allowed_to_a_manager(
    runtime: TillRuntime, grace: Actor
) -> None:
    """A manager forbids presenting; the cashier is refused, by handle and by the live
    button check; the signed-in manager may; allowing it again frees the cashier."""
    till = runtime.till
    till.handle(AddItem("L1", "BURGER"))
    till.handle(SetPermission("present", False), grace)
    with pytest.raises(TillRefusal) as refused:
        till.handle(Present("L1"))
    assert refused.value.code == TillCode.MANAGER_REQUIRED
    assert "manager" in refused.value.message
    assert isinstance(till.refusal_for(Present("L1")), TillRefusal)
    assert till.refusal_for(Present("L1"), grace) is None
    till.handle(Present("L1"), grace)
    with pytest.raises(TillRefusal):
        till.handle(Unpresent("L1"))
    till.handle(SetPermission("present", True), grace)
    till.handle(Unpresent("L1"))
    assert not till.priced.lines[0].presented


def test_a_permission_is_set_only_by_a_signed_in_manager(runtime: TillRuntime) -> None:
    """SetPermission and VoidTicket from a cashier: MANAGER_REQUIRED, nothing changes."""
    till = runtime.till
    for command in (SetPermission("discount", True), VoidTicket("no reason")):
        with pytest.raises(TillRefusal) as refused:
            till.handle(command)
        assert refused.value.code == TillCode.MANAGER_REQUIRED
    assert not till.permissions.allows("discount")


def test_a_scenario_step_meets_the_same_check(runtime: TillRuntime, grace: Actor) -> None:
    """A scenario replayed through the till acts as the cashier: a forbidden price
    adjustment is refused there too (INVALID, with the till's reason)."""
    till = runtime.till
    till.handle(SetPermission("adjust_price", False), grace)
    replay = TillReplay(till)
    replay.apply(AddItem("L1", "BURGER"))
    with pytest.raises(Exception) as refused:
        replay.apply(AdjustPrice("L1", "1.00"))
    assert "Price adjustment needs a manager" in str(refused.value)
    assert till.priced.lines[0].adjusted_price is None


def test_the_till_gives_new_lines_and_discounts_their_ids(runtime: TillRuntime) -> None:
    """AddItem and ApplyDiscount without ids get the ticket's next ones (never reused)."""
    till = runtime.till
    grant_cashiers(till)
    first = till.handle(AddItem(None, "BURGER"))
    second = till.handle(AddItem(None, "COLA"))
    assert (first.line_id, second.line_id) == ("L1", "L2")
    till.handle(ApplyDiscount(None, percent="10"))
    assert [d.discount_id for d in till.state.discounts] == ["D1"]


@pytest.mark.parametrize(
    "command",
    [Present("L1"), AdjustPrice("L1", "0.50"), ApplyDiscount(None, percent="10"), RemoveLine("L1")],
    ids=["present", "price override", "discount", "void line"],
)
def test_guarded_actions_need_a_manager_until_granted(
    runtime: TillRuntime, grace: Actor, command: object
) -> None:
    """A new till: present, price override, discount and void need a manager; a cashier
    is refused (nothing changes) until a manager grants it."""
    till = runtime.till
    till.handle(AddItem("L1", "BURGER"))
    before = till.priced
    with pytest.raises(TillRefusal) as refused:
        till.handle(command)  # type: ignore[arg-type]
    assert refused.value.code == TillCode.MANAGER_REQUIRED
    assert till.priced == before
    till.handle(command, grace)  # type: ignore[arg-type]
    assert till.priced != before


def test_voiding_a_ticket_needs_a_manager_or_the_grant(runtime: TillRuntime, grace: Actor) -> None:
    """VoidTicket is guarded by the void permission: refused, then granted, then taken."""
    till = runtime.till
    till.handle(AddItem(None, "BURGER"))
    with pytest.raises(TillRefusal):
        till.handle(VoidTicket("Customer left"))
    till.handle(SetPermission("void", True), grace)
    till.handle(VoidTicket("Customer left"))
    assert not till.state.lines
