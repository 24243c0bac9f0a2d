"""One single-use coupon redeemed at two tills while both are offline (S6): both sales are
kept, one is a conflict, visible on the till and at the back office, and resolved by a
recorded follow-up."""

from __future__ import annotations

import json

import pytest

from pos_app.engine import Redeem, Refusal
from pos_app.sync.errors import BackOfficeUnavailable
from pos_app.till.commands import ResolveConflict
from pos_app.till.manager import Actor
from tests.e2e.conftest import EnrollTill
from tests.e2e.tills import assert_same_sales, backoffice_sales, run_command
from tests.helpers.fault_proxy import Fault, FaultProxy
from tests.helpers.live_backoffice import LiveBackOffice

pytestmark = pytest.mark.slow  # starts servers or processes

ENTITLEMENT = {
    "code": "ENT-TWICE-1",
    "member_id": "M-1002",
    "coupon_code": "MV-4",
    "status": "active",
}


def test_same_entitlement_redeemed_offline_at_two_tills_is_one_conflict(
    backoffice: LiveBackOffice, proxy: FaultProxy, enroll: EnrollTill
) -> None:
    """S6: one entitlement redeemed offline at two tills: one accepted, one conflict, both kept."""
    backoffice.put_record("entitlements", "ENT-TWICE-1", ENTITLEMENT)
    first, second = enroll("till-1", url=proxy.url), enroll("till-2", url=proxy.url)
    for till in (first, second):
        till.sync()
        assert "ENT-TWICE-1" in till.runtime.till.book.coupons

    proxy.set_fault(Fault.REFUSE)  # both tills offline
    sales = {
        till.name: till.sell([("BURGER", 1), ("COLA", 1)], coupons=["ENT-TWICE-1"])
        for till in (first, second)
    }
    for till in (first, second):
        with pytest.raises(BackOfficeUnavailable):
            till.sync()
    proxy.heal()

    accepted = first.sync()
    clashed = second.sync()
    assert (accepted.open_conflicts, accepted.pending_events) == (0, 0)
    assert (clashed.open_conflicts, clashed.pending_events, clashed.failed_events) == (1, 0, 0)
    assert first.outbox_statuses() == {"accepted": 1}
    assert second.outbox_statuses() == {"conflict": 1}

    (on_till,) = second.runtime.sync_store.conflicts()
    assert on_till.reason.split(":")[0] == "COUPON_ALREADY_REDEEMED"  # the code, then words
    assert json.loads(on_till.payload)["ticket_id"] == sales["till-2"].closed_ticket_id

    listed = run_command(
        "pos-backoffice", "conflicts", "--json", "--database-url", backoffice.database_url
    )
    assert listed.returncode == 0, listed.stderr
    (at_office,) = json.loads(listed.stdout)
    assert at_office["conflict_key"] == on_till.conflict_key
    assert (at_office["reason"], at_office["resolved"]) == ("COUPON_ALREADY_REDEEMED", False)
    assert at_office["detail"]["ticket_id"] == sales["till-2"].closed_ticket_id
    assert at_office["device_id"] != backoffice.sales()[0]["device"]

    office_sales = backoffice.sales()
    assert {s["id"]: s["conflict"] for s in office_sales} == {
        sales["till-1"].closed_ticket_id: None,
        sales["till-2"].closed_ticket_id: "COUPON_ALREADY_REDEEMED",
    }
    assert_same_sales(first.closed_sales() + second.closed_sales(), backoffice_sales(office_sales))
    # each till numbers its tickets with the till number enrollment gave it
    numbers = (sales["till-1"].number, sales["till-2"].number)
    assert numbers == ("D1-01-000001", "D1-02-000001")
    assert {s["number"] for s in office_sales} == set(numbers)

    # Both tills learned from the download that the entitlement is spent (S7).
    for till in (first, second):
        assert "ENT-TWICE-1" not in till.runtime.till.book.coupons
        with pytest.raises(Refusal):
            till.runtime.till.handle(Redeem("ENT-TWICE-1"))

    # The store manager records the follow-up (S6): it goes up and closes the conflict.
    access = second.runtime.access
    access.set_pin("Mia", "1357", by=None)
    mia = Actor(access.verify_pin("Mia", "1357"))
    second.runtime.till.handle(
        ResolveConflict(on_till.conflict_key, "collected payment", "member paid 4.00"), mia
    )
    assert second.runtime.sync_store.conflicts() == []
    assert second.sync().open_conflicts == 0
    (resolved,) = backoffice.admin("GET", "/conflicts")
    assert (resolved["resolved"], resolved["resolution"]) == (True, "collected payment")
    assert backoffice.admin("GET", "/conflicts", unresolved="true") == []


PLATFORM_COUPON = {
    "code": "MT",
    "name": "Meal platform burger",
    "kind": "group_purchase",
    "sequence": 1,
    "items": ["BURGER"],
    "code_prefix": "MT-",
    "verify_later": True,
}


def test_same_platform_code_accepted_offline_at_two_tills_is_one_conflict(
    backoffice: LiveBackOffice, proxy: FaultProxy, enroll: EnrollTill
) -> None:
    """S14, S6: a platform code neither till can know (prefix MT-, verify later) is
    accepted provisionally at both while offline; the back office keeps both sales and
    makes the second one a COUPON_ALREADY_REDEEMED conflict."""
    backoffice.put_record("coupons", "MT", PLATFORM_COUPON)
    first, second = enroll("till-1", url=proxy.url), enroll("till-2", url=proxy.url)
    for till in (first, second):
        till.sync()
        assert "MT-9001" not in till.runtime.till.book.coupons

    proxy.set_fault(Fault.REFUSE)
    sales = {
        till.name: till.sell([("BURGER", 1), ("COLA", 1)], coupons=["MT-9001"])
        for till in (first, second)
    }
    proxy.heal()
    first.sync()
    clashed = second.sync()
    assert first.outbox_statuses() == {"accepted": 1}
    assert second.outbox_statuses() == {"conflict": 1}
    assert clashed.open_conflicts == 1
    office_sales = backoffice.sales()
    assert {s["id"]: s["conflict"] for s in office_sales} == {
        sales["till-1"].closed_ticket_id: None,
        sales["till-2"].closed_ticket_id: "COUPON_ALREADY_REDEEMED",
    }
