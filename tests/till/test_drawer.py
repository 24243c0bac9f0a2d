"""The drawer (issue 20, part 2): the opening float once a day, cash in and out with a
reason (cash out approved by a manager's PIN), and the Z report's expected cash =
float + cash sales − cash refunds + cash in − cash out, against the count."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from pos_app.cli.main import main
from pos_app.engine import AddItem, Close
from pos_app.till.commands import PayCard, PayCash
from pos_app.till.drawer import CashMoved
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.manager import Actor
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import CloseShift, RefundSale
from pos_app.till.shift_report import ShiftReport
from pos_app.till.staff import SignInDone
from pos_app.till.staff_commands import CashIn, CashOut, SetFloat, SignIn
from pos_app.wiring import open_till
from tests.helpers.device_clock import FakeClock
from tests.till.test_staff import PIN, put_staff

D = Decimal


@pytest.fixture
def ana(runtime: TillRuntime, clock: FakeClock) -> TillRuntime:
    put_staff(runtime, clock, ("S-ANA", "Ana", "cashier"), ("S-MIA", "Mia", "manager"))
    runtime.till.handle(SignIn("S-ANA", PIN))
    return runtime


def mia(runtime: TillRuntime) -> Actor:
    return Actor(runtime.access.verify_pin("Mia", PIN))


def sell(runtime: TillRuntime, sku: str, *, card: bool = False) -> tuple[str, Decimal]:
    till = runtime.till
    till.handle(AddItem(None, sku))
    due = till.amount_due
    till.handle(PayCard(str(due)) if card else PayCash(str(due)))
    return till.handle(Close()).number, due


def test_the_float_is_asked_once_a_day_and_cash_moves_need_a_reason(ana: TillRuntime) -> None:
    till = ana.till
    assert till.needs_float()
    moved = till.handle(SetFloat("150.00")).outcome
    assert moved == CashMoved("float", D("150.00"), "Opening float") and not till.needs_float()
    with pytest.raises(TillRefusal) as again:
        till.handle(SetFloat("10"))
    assert again.value.code is TillCode.FLOAT_ALREADY_SET
    for amount, reason, code in (
        ("-5", "Change", TillCode.INVALID_AMOUNT),
        ("0", "Change", TillCode.INVALID_AMOUNT),
        ("1.234", "Change", TillCode.INVALID_AMOUNT),
        ("abc", "Change", TillCode.INVALID_AMOUNT),
        ("5", "  ", TillCode.REASON_REQUIRED),
    ):
        with pytest.raises(TillRefusal) as bad:
            till.handle(CashIn(amount, reason))
        assert bad.value.code is code, amount
    assert till.desk.report().cash_in == 0


def test_cash_out_asks_a_manager_and_records_the_approver(ana: TillRuntime) -> None:
    till = ana.till
    with pytest.raises(TillRefusal) as refused:
        till.handle(CashOut("40", "Safe drop"))
    assert refused.value.code is TillCode.MANAGER_REQUIRED
    till.handle(CashOut("40", "Safe drop"), mia(ana))
    (move,) = till.desk.report().cash_moves
    assert (move.kind, move.amount, move.reason, move.cashier, move.approved_by) == (
        "out",
        D("40"),
        "Safe drop",
        "Ana",
        "Mia",
    )


def test_the_z_report_expects_float_plus_cash_sales_less_refunds_and_moves(
    ana: TillRuntime, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    till = ana.till
    till.handle(SetFloat("100.00"))
    first, burger = sell(ana, "BURGER")
    _, tea = sell(ana, "TEA")
    sell(ana, "TEA", card=True)  # card: not in the drawer
    till.handle(RefundSale(first, "cash", reason="Damaged or faulty"))
    till.handle(CashIn("20.00", "Change from the bank"))
    till.handle(CashOut("50.00", "Bank deposit"), mia(ana))
    expected = D("100.00") + burger + tea - burger + D("20.00") - D("50.00")
    ana.close()
    assert main(["--data-dir", str(data_dir), "report", "x", "--json"]) == 0
    x = json.loads(capsys.readouterr().out)
    assert x["expected_cash"] == f"{expected:.2f}"
    assert (x["opening_float"], x["cash_in"], x["cash_out"]) == ("100.00", "20.00", "50.00")
    assert [(m["kind"], m["amount"], m["reason"], m["cashier"]) for m in x["cash_moves"]] == [
        ("float", "100.00", "Opening float", "Ana"),
        ("in", "20.00", "Change from the bank", "Ana"),
        ("out", "50.00", "Bank deposit", "Ana"),
    ]
    assert x["by_cashier"]["Ana"]["cash_out"] == "50.00"
    assert x["by_cashier"]["Ana"]["cash_in"] == "120.00"  # the float and the cash put in
    counted = expected - D("1.00")
    again = open_till(data_dir)
    try:
        z = again.till.handle(CloseShift(f"{counted:.2f}")).outcome
    finally:
        again.close()
    assert isinstance(z, ShiftReport)
    assert z.expected_cash == expected and z.cash_difference == D("-1.00")


def test_the_next_day_asks_its_own_float(ana: TillRuntime) -> None:
    till = ana.till
    till.handle(SetFloat("100"))
    sell(ana, "TEA")
    till.handle(CloseShift("0"))
    done = till.handle(SignIn("S-ANA", PIN)).outcome
    assert isinstance(done, SignInDone) and done.needs_float
