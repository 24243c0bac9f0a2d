"""People at the till (issue 20, part 1): staff from the back office or added here,
signing in with a PIN (the managers' lockout, per person), and every ticket, return,
void and approval recording who did it, down to the X report's ``by_cashier``."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from pos_app.cli.main import main
from pos_app.engine import AddItem, Close
from pos_app.printing import preview_text
from pos_app.protocol.pins import hash_pin
from pos_app.store.changes import apply_records
from pos_app.store.models.outbox import OutboxEvent
from pos_app.store.models.shifts import Refund
from pos_app.store.models.staff import Approval, StaffMember
from pos_app.store.staff_records import StaffView
from pos_app.till.commands import PayCash, VoidTicket
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.manager import CASHIER, Actor
from pos_app.till.receipts import closed_ticket_receipt
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import RefundSale
from pos_app.till.staff import SignInDone
from pos_app.till.staff_commands import AddStaff, SignIn, SignOut
from tests.helpers.device_clock import FakeClock

D = Decimal
PIN = "1357"


def put_staff(runtime: TillRuntime, clock: FakeClock, *people: tuple[str, str, str]) -> None:
    """Staff records as a sync page brings them: (id, name, role), PIN 1357 each."""
    records = [
        {
            "kind": "staff",
            "version": 1,
            "id": staff_id,
            "deleted": False,
            "data": {"id": staff_id, "name": name, "role": role, "pin_hash": hash_pin(PIN)},
        }
        for staff_id, name, role in people
    ]
    with runtime.database.unit_of_work() as uow:
        outcome = apply_records(uow.session, records, clock())
        uow.commit()
    assert not outcome.set_aside
    runtime.till.staff.refresh()


def signed_in(runtime: TillRuntime, staff_id: str, pin: str = PIN) -> SignInDone:
    done = runtime.till.handle(SignIn(staff_id, pin)).outcome
    assert isinstance(done, SignInDone)
    return done


def sell(runtime: TillRuntime, sku: str = "TEA", actor: Actor = CASHIER) -> str:
    till = runtime.till
    till.handle(AddItem(None, sku), actor)
    till.handle(PayCash(str(till.amount_due)), actor)
    return till.handle(Close(), actor).number


@pytest.fixture
def staffed(runtime: TillRuntime, clock: FakeClock) -> TillRuntime:
    put_staff(runtime, clock, ("S-ANA", "Ana", "cashier"), ("S-BEN", "Ben", "cashier"))
    put_staff(runtime, clock, ("S-MIA", "Mia", "manager"))
    return runtime


def test_a_till_with_cashiers_takes_nothing_until_someone_signs_in(staffed: TillRuntime) -> None:
    till = staffed.till
    with pytest.raises(TillRefusal) as refused:
        till.handle(AddItem(None, "TEA"))
    assert (
        refused.value.code is TillCode.SIGN_IN_REQUIRED and refused.value.message == "Sign in first"
    )
    assert till.refusal_for(AddItem(None, "TEA")) is not None
    done = till.handle(SignIn("S-ANA", PIN)).outcome
    assert done == SignInDone("Ana", "cashier", needs_float=True)
    assert till.refusal_for(AddItem(None, "TEA")) is None
    till.handle(SignOut())
    with pytest.raises(TillRefusal):
        till.handle(AddItem(None, "TEA"))


def test_five_wrong_pins_lock_that_person_for_five_minutes(
    staffed: TillRuntime, clock: FakeClock
) -> None:
    till = staffed.till
    messages = []
    for _ in range(5):
        with pytest.raises(TillRefusal) as refused:
            till.handle(SignIn("S-ANA", "0000"))
        messages.append(refused.value.message)
    assert messages[0] == "Wrong PIN: 4 tries left"
    assert messages[-1] == "5 wrong PINs: signing in as Ana is locked for 5 min 00 s"
    with pytest.raises(TillRefusal) as locked:
        till.handle(SignIn("S-ANA", PIN))  # even the right PIN, while locked
    assert locked.value.code is TillCode.PIN_LOCKED
    assert signed_in(staffed, "S-BEN").name == "Ben"  # others are not locked
    clock.advance(seconds=301)
    assert signed_in(staffed, "S-ANA").name == "Ana"


def test_an_unknown_person_is_refused_by_name_not_by_id(staffed: TillRuntime) -> None:
    with pytest.raises(TillRefusal) as refused:
        staffed.till.handle(SignIn("S-NOBODY", PIN))
    assert refused.value.code is TillCode.UNKNOWN_STAFF and "S-NOBODY" not in refused.value.message


def test_sales_voids_and_returns_record_the_cashier_signed_in(staffed: TillRuntime) -> None:
    till = staffed.till
    till.handle(SignIn("S-ANA", PIN))
    first = sell(staffed)
    till.handle(SignIn("S-BEN", PIN))  # a shared till switches
    second = sell(staffed)
    mia = Actor(staffed.access.verify_pin("Mia", PIN))
    till.handle(AddItem(None, "TEA"))
    till.handle(VoidTicket("customer left"), mia)
    till.handle(RefundSale(first, "cash", reason="Wrong item"))
    report = till.desk.report().to_json()
    ana, ben = report["by_cashier"]["Ana"], report["by_cashier"]["Ben"]
    assert (ana["tickets"], ana["returns_count"], ana["voids"]) == (1, 0, 0)
    assert (ben["tickets"], ben["returns_count"], ben["voids"]) == (1, 1, 1)
    assert ben["returns"] == ana["sales"] == ben["sales"] == ben["cash_returns"]
    with staffed.database.unit_of_work() as uow:
        payloads = [
            json.loads(e.payload)
            for e in uow.session.scalars(select(OutboxEvent).order_by(OutboxEvent.device_seq))
        ]
        approvals = [
            (a.action, a.cashier, a.manager) for a in uow.session.scalars(select(Approval))
        ]
    closed = [p for p in payloads if "lines" in p and "refund_of" not in p]
    assert [p["cashier"] for p in closed] == ["Ana", "Ben"]
    (refund,) = [p for p in payloads if "refund_of" in p]
    assert (refund["cashier"], refund["reason"]) == ("Ben", "Wrong item")
    assert approvals == [("void", "Ben", "Mia")]
    assert second


def test_a_return_needs_a_reason_from_the_list(staffed: TillRuntime) -> None:
    till = staffed.till
    till.handle(SignIn("S-ANA", PIN))
    number = sell(staffed)
    for reason in ("", "because"):
        with pytest.raises(TillRefusal) as refused:
            till.handle(RefundSale(number, "cash", reason=reason))
        assert refused.value.code is TillCode.REASON_REQUIRED
        assert "Wrong item" in refused.value.message


def test_only_a_manager_adds_a_local_cashier_who_can_then_sign_in(staffed: TillRuntime) -> None:
    till = staffed.till
    till.handle(SignIn("S-ANA", PIN))
    with pytest.raises(TillRefusal) as refused:
        till.handle(AddStaff("Cleo", "cashier", "2244"))
    assert refused.value.code is TillCode.MANAGER_REQUIRED
    mia = Actor(staffed.access.verify_pin("Mia", PIN))
    for name, role, pin, code in (
        ("", "cashier", "2244", TillCode.UNKNOWN_STAFF),
        ("Cleo", "boss", "2244", TillCode.UNKNOWN_STAFF),
        ("Cleo", "cashier", "12", TillCode.PIN_INVALID),
    ):
        with pytest.raises(TillRefusal) as bad:
            till.handle(AddStaff(name, role, pin), mia)
        assert bad.value.code is code
    cleo = till.handle(AddStaff(" Cleo ", "cashier", "2244"), mia).outcome
    assert isinstance(cleo, StaffView)
    assert (cleo.name, cleo.role, cleo.source) == ("Cleo", "cashier", "local")
    assert signed_in(staffed, cleo.staff_id, "2244").name == "Cleo"
    with staffed.database.unit_of_work() as uow:
        stored = uow.session.scalars(select(StaffMember.pin_hash)).all()
    assert all(h.startswith("scrypt$") and "2244" not in h.split("$")[-1][:4] for h in stored)


def test_a_back_office_manager_may_enter_manager_mode(staffed: TillRuntime) -> None:
    assert "Mia" in staffed.access.manager_names()
    assert staffed.access.verify_pin("Mia", PIN).name == "Mia"


def test_a_staff_record_with_a_pin_instead_of_a_hash_is_set_aside(
    runtime: TillRuntime, clock: FakeClock
) -> None:
    record = {
        "kind": "staff",
        "version": 1,
        "id": "S-X",
        "deleted": False,
        "data": {"id": "S-X", "name": "X", "role": "cashier", "pin_hash": "1234"},
    }
    with runtime.database.unit_of_work() as uow:
        outcome = apply_records(uow.session, [record], clock())
        uow.commit()
    (aside,) = outcome.set_aside
    assert "pin_hash" in aside.reason
    assert runtime.till.staff.everyone() == []


def test_staff_list_json_names_roles_and_who_is_signed_in(
    staffed: TillRuntime, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staffed.till.handle(SignIn("S-BEN", PIN))
    staffed.close()
    assert main(["--data-dir", str(data_dir), "staff", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["staff"]
    assert listed == [
        {"name": "Ana", "role": "cashier", "source": "backoffice", "signed_in": False},
        {"name": "Ben", "role": "cashier", "source": "backoffice", "signed_in": True},
        {"name": "Mia", "role": "manager", "source": "backoffice", "signed_in": False},
    ]
    assert PIN not in json.dumps(listed) and "scrypt" not in json.dumps(listed)


def test_the_receipt_and_its_reprint_name_the_cashier(staffed: TillRuntime) -> None:
    staffed.till.handle(SignIn("S-ANA", PIN))
    number = sell(staffed)
    reprint = closed_ticket_receipt(staffed.database, staffed.till.book, number)
    assert reprint.cashier == "Ana"
    assert "Served by: Ana" in preview_text(reprint, 42)


def test_a_return_over_the_store_limit_needs_a_manager_who_is_recorded(
    staffed: TillRuntime, clock: FakeClock
) -> None:
    """The store record's ``return_approval_limit``: a return above it is refused to the
    cashier, taken with a manager's PIN, and the approver is kept with the return."""
    store = {
        "kind": "store",
        "version": 1,
        "id": "DEMO-1",
        "deleted": False,
        "data": {
            "id": "DEMO-1",
            "name": "Demo Diner",
            "address": "",
            "currency": "USD",
            "return_approval_limit": "5.00",
        },
    }
    with staffed.database.unit_of_work() as uow:
        apply_records(uow.session, [store], clock())
        uow.commit()
    till = staffed.till
    till.reload_configuration()
    till.handle(SignIn("S-ANA", PIN))
    small, big = sell(staffed, "TEA"), sell(staffed, "BURGER")
    till.handle(RefundSale(small, "cash", reason="Wrong item"))  # under the limit
    with pytest.raises(TillRefusal) as refused:
        till.handle(RefundSale(big, "cash", reason="Wrong item"))
    assert refused.value.code is TillCode.MANAGER_REQUIRED
    assert refused.value.message == "A return over 5.00 USD needs a manager"
    mia = Actor(staffed.access.verify_pin("Mia", PIN))
    till.handle(RefundSale(big, "cash", reason="Wrong item"), mia)
    with staffed.database.unit_of_work() as uow:
        approvals = [
            (a.action, a.subject, a.cashier, a.manager)
            for a in uow.session.scalars(select(Approval))
        ]
        approved = uow.session.scalars(
            select(Refund.approved_by).order_by(Refund.refunded_at)
        ).all()
    assert approvals == [("return", big, "Ana", "Mia")]
    assert approved == [None, "Mia"]


def test_a_store_record_with_a_negative_return_limit_is_set_aside(
    runtime: TillRuntime, clock: FakeClock
) -> None:
    record = {
        "kind": "store",
        "version": 1,
        "id": "DEMO-1",
        "deleted": False,
        "data": {"id": "DEMO-1", "name": "D", "currency": "USD", "return_approval_limit": "-1"},
    }
    with runtime.database.unit_of_work() as uow:
        outcome = apply_records(uow.session, [record], clock())
        uow.commit()
    (aside,) = outcome.set_aside
    assert "return_approval_limit" in aside.reason and "negative" in aside.reason
