"""S14: platform codes the till cannot know are accepted offline only when their
definition allows "verify later", and then marked provisional."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from pos_app.engine import AddItem, Close, Redeem, Refusal, RefusalCode
from pos_app.store.models.tickets import TicketCoupon
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.commands import PayCash
from pos_app.till.runtime import TillRuntime
from pos_app.wiring import open_till
from tests.helpers.device_clock import FakeClock

PLATFORM = {
    "code": "MT",
    "name": "Meal platform burger",
    "kind": "group_purchase",
    "sequence": 1,
    "items": ["BURGER"],
    "code_prefix": "MT-",
    "verify_later": True,
}
STRICT = {**PLATFORM, "code": "DP", "name": "Delivery platform", "code_prefix": "DP-"}
STRICT["verify_later"] = False


@pytest.fixture
def till_runtime(runtime: TillRuntime) -> TillRuntime:
    records = [
        {"kind": "coupon", "version": 1, "id": c["code"], "deleted": False, "data": c}
        for c in (PLATFORM, STRICT)
    ]
    outcome = runtime.sync_store.apply_changes_page(records, "1")
    assert not outcome.set_aside
    runtime.till.reload_configuration()
    return runtime


def test_a_verify_later_platform_code_is_accepted_and_priced_by_its_definition(
    till_runtime: TillRuntime,
) -> None:
    """S14: MT-0042 is unknown to the till, but its definition (prefix MT-) allows verify
    later: the burger is free as a group purchase (R7)."""
    till = till_runtime.till
    till.handle(AddItem("L1", "BURGER"))
    change = till.handle(Redeem("MT-0042"))
    assert change.priced.coupons["MT-0042"].amount == change.priced.lines[0].gross
    assert change.priced.total == 0


def test_a_platform_code_without_verify_later_is_refused_clearly(
    till_runtime: TillRuntime,
) -> None:
    """S14: a DP- code cannot be verified offline and its definition does not allow
    verify later: refused with a message naming the platform, nothing changes."""
    till = till_runtime.till
    till.handle(AddItem("L1", "BURGER"))
    before = till.state
    with pytest.raises(Refusal) as refused:
        till.handle(Redeem("DP-7"))
    assert refused.value.code is RefusalCode.UNKNOWN
    assert "Delivery platform" in refused.value.message
    assert "cannot be verified" in refused.value.message
    assert till.state == before


def test_a_provisional_code_survives_a_crash_and_closes_marked_provisional(
    till_runtime: TillRuntime, data_dir: object, clock: FakeClock
) -> None:
    """S14, S1: the open ticket holding MT-0042 is restored after a crash with its price;
    closing marks the code provisional in the ticket and in the ticket.closed event."""
    till = till_runtime.till
    till.handle(AddItem("L1", "BURGER"))
    till.handle(AddItem("L2", "COLA"))
    till.handle(Redeem("MT-0042"))
    total = till.priced.total
    till_runtime.close()  # the crash: nothing but what was committed remains

    reopened = open_till(data_dir, clock=clock)  # type: ignore[arg-type]
    try:
        assert reopened.till.priced.total == total
        reopened.till.handle(PayCash(str(total)))
        reopened.till.handle(Close())
        with UnitOfWork(reopened.database.sessions) as uow:
            row = uow.session.scalars(
                select(TicketCoupon).where(TicketCoupon.code == "MT-0042")
            ).one()
            assert row.provisional and row.single_use
        (event,) = reopened.sync_store.pending_events(10)
        payload = event["payload"]
        if isinstance(payload, str):
            payload = json.loads(payload)
        assert payload["coupons"] == [
            {
                "code": "MT-0042",
                "kind": "group_purchase",
                "amount": "12.00",
                "lines": ["L1"],
                "provisional": True,
            }
        ]
    finally:
        reopened.close()


def test_a_provisional_code_is_not_redeemed_twice_at_one_till(
    till_runtime: TillRuntime,
) -> None:
    """S14: a platform code is single use: a second ticket at this till is refused."""
    till = till_runtime.till
    till.handle(AddItem("L1", "BURGER"))
    till.handle(AddItem("L2", "COLA"))
    till.handle(Redeem("MT-0042"))
    till.handle(PayCash(str(till.priced.total)))
    till.handle(Close())
    till.handle(AddItem("L1", "BURGER"))
    with pytest.raises(Refusal) as refused:
        till.handle(Redeem("MT-0042"))
    assert refused.value.code is RefusalCode.ALREADY_APPLIED
