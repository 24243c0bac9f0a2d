"""Cashier actions: each is persisted before it returns and survives a crash."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from pos_app.engine import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    CancelPromotion,
    Close,
    Present,
    Redeem,
    Refusal,
    RefusalCode,
    RemoveCoupon,
    RemoveDiscount,
    RemoveLine,
    SetQuantity,
    TriggerPromotion,
    Unadjust,
    Unpresent,
)
from pos_app.store.open_tickets import OpenTicketRepository
from pos_app.till.commands import PayCard, PayCash
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.runtime import TillRuntime
from pos_app.till.till import Till
from pos_app.wiring import open_till
from tests.helpers.device_clock import FakeClock
from tests.helpers.permissions import grant_cashiers
from tests.till.conftest import Snapshot

# (description, action) pairs run in order on one ticket of the demo store.
ACTIONS: list[tuple[str, Callable[[Till], object]]] = [
    ("add", lambda t: t.handle(AddItem("L1", "BURGER"))),
    ("add", lambda t: t.handle(AddItem("L2", "FRIES"))),
    ("add", lambda t: t.handle(AddItem("L3", "COLA", 2))),
    ("set_qty", lambda t: t.handle(SetQuantity("L3", 3))),
    ("add", lambda t: t.handle(AddItem("L4", "CAKE", 2))),
    ("present", lambda t: t.handle(Present("L4"))),
    ("unpresent", lambda t: t.handle(Unpresent("L4"))),
    ("adjust_price", lambda t: t.handle(AdjustPrice("L4", "5.00"))),
    ("unadjust", lambda t: t.handle(Unadjust("L4"))),
    ("discount", lambda t: t.handle(ApplyDiscount("D1", percent="10", line_id="L4"))),
    ("remove_discount", lambda t: t.handle(RemoveDiscount("D1"))),
    ("add", lambda t: t.handle(AddItem("L5", "ICECREAM"))),
    ("trigger", lambda t: t.handle(TriggerPromotion("DESSERT-10"))),
    ("cancel_promotion", lambda t: t.handle(CancelPromotion("DRINKS-BOGO"))),
    ("redeem", lambda t: t.handle(Redeem("MD-10"))),
    ("remove_coupon", lambda t: t.handle(RemoveCoupon("MD-10"))),
    ("redeem", lambda t: t.handle(Redeem("CV-5"))),
    ("remove", lambda t: t.handle(RemoveLine("L2"))),
    ("pay_card", lambda t: t.handle(PayCard("10.00"))),
]


def reopen(runtime: TillRuntime, data_dir: Path, clock: FakeClock) -> TillRuntime:
    """Simulate a crash: drop the engine without closing anything, start again."""
    runtime.database.engine.dispose()
    return open_till(data_dir, clock=clock)


def test_every_action_survives_a_crash(
    runtime: TillRuntime, data_dir: Path, clock: FakeClock
) -> None:
    """S1: after each action, a new till on the same file restores the same ticket and prices."""
    grant_cashiers(runtime.till)
    for name, action in ACTIONS:
        action(runtime.till)
        till = runtime.till
        before = (till.ticket_id, till.state, till.priced, till.payments)
        runtime = reopen(runtime, data_dir, clock)
        again = runtime.till
        assert (again.ticket_id, again.state, again.priced, again.payments) == before, name
    runtime.close()


def test_actions_report_what_changed(runtime: TillRuntime) -> None:
    """An action returns the priced ticket, payments, amount due and the outbox count."""
    change = runtime.till.handle(AddItem("L1", "BURGER"))
    assert change.priced.total == Decimal("12.00")
    assert change.amount_due == Decimal("12.00")
    assert change.outbox_pending == 0
    assert change.ticket_id == runtime.till.ticket_id
    change = runtime.till.handle(PayCard("2.00"))
    assert change.amount_due == Decimal("10.00")
    assert change.priced is runtime.till.priced


@pytest.mark.parametrize(
    ("action", "code"),
    [
        (lambda t: t.handle(AddItem("L1", "BURGER")), RefusalCode.INVALID),
        (lambda t: t.handle(AddItem("L9", "NOPE")), RefusalCode.UNKNOWN),
        (lambda t: t.handle(SetQuantity("L1", 0)), RefusalCode.INVALID),
        (lambda t: t.handle(Redeem("NOPE")), RefusalCode.UNKNOWN),
        (lambda t: t.handle(RemoveDiscount("D9")), RefusalCode.UNKNOWN),
        (lambda t: t.handle(TriggerPromotion("DRINKS-BOGO")), RefusalCode.ALREADY_APPLIED),
        (lambda t: t.handle(RemoveLine("L1")), RefusalCode.COVERED_BY_COUPON),
    ],
)
def test_a_refused_action_writes_nothing(
    runtime: TillRuntime,
    snapshot: Callable[[], Snapshot],
    action: Callable[[Till], object],
    code: RefusalCode,
) -> None:
    """A refusal re-raises with its code and leaves database and ticket as they were."""
    grant_cashiers(runtime.till)
    till = runtime.till
    till.handle(AddItem("L1", "BURGER"))
    till.handle(AddItem("L2", "COLA", 2))
    till.handle(Redeem("GP-BURGER"))
    before, state = snapshot(), till.state
    with pytest.raises(Refusal) as refused:
        action(till)
    assert refused.value.code == code
    assert snapshot() == before
    assert till.state == state


def test_a_failed_write_leaves_the_ticket_as_it_was(
    runtime: TillRuntime, snapshot: Callable[[], Snapshot], monkeypatch: pytest.MonkeyPatch
) -> None:
    """S1: when the database write fails, the in-memory ticket goes back too."""
    till = runtime.till
    till.handle(AddItem("L1", "BURGER"))
    before, state = snapshot(), till.state

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(OpenTicketRepository, "save", fail)
    with pytest.raises(OSError):
        till.handle(AddItem("L2", "COLA"))
    assert till.state == state
    assert snapshot() == before


def test_the_open_ticket_keeps_its_opening_time(
    runtime: TillRuntime, data_dir: Path, clock: FakeClock
) -> None:
    """The ticket opens at its first action; later actions and restarts keep that time."""
    till = runtime.till
    till.handle(AddItem("L1", "COLA"))
    opened = clock.now
    clock.advance(minutes=5)
    till.handle(AddItem("L2", "TEA"))
    restored = reopen(runtime, data_dir, clock)
    try:
        restored.till.handle(PayCash("10"))
        clock.advance(minutes=1)
        restored.till.handle(Close())
        (event,) = restored.sync_store.pending_events()
        assert event["payload"]["opened_at"] == opened.astimezone().isoformat(timespec="seconds")
    finally:
        restored.close()


def test_reloading_the_configuration_reprices_the_open_ticket(runtime: TillRuntime) -> None:
    """S7: after a sync page changes a price book, the open ticket is priced under it."""
    till = runtime.till
    till.handle(AddItem("L1", "SALAD"))
    assert till.priced.total == Decimal("6.50")  # SALAD-DAY special price
    runtime.sync_store.apply_changes_page(
        [{"kind": "promotion", "version": 1, "id": "SALAD-DAY", "deleted": True, "data": {}}],
        "1",
    )
    change = till.reload_configuration()
    assert change.priced.total == Decimal("8.00")
    assert till.state.lines[0].unit_price == Decimal("8.00")


@pytest.mark.parametrize("written", ["1e2", "-0", "+5", "1E+2", 100])
def test_an_amount_not_written_plainly_is_refused_and_writes_nothing(
    runtime: TillRuntime, snapshot: Callable[[], Snapshot], written: object
) -> None:
    """Details, INVALID row: a price, discount or payment typed as 1e2, -0, +5 or a bare
    number is refused (INVALID; INVALID_AMOUNT for money paid), never read as a number,
    and nothing is written."""
    grant_cashiers(runtime.till)
    till = runtime.till
    till.handle(AddItem("L1", "BURGER"))
    before, state = snapshot(), till.state
    for command in (AdjustPrice("L1", written), ApplyDiscount(None, amount=written)):
        with pytest.raises(Refusal) as refused:
            till.handle(command)
        assert refused.value.code == RefusalCode.INVALID
        assert "999,999,999,999.99" in refused.value.message
    with pytest.raises(TillRefusal) as unpaid:
        till.handle(PayCash(written))
    assert unpaid.value.code == TillCode.INVALID_AMOUNT
    assert snapshot() == before and till.state == state
