"""The shift's headless commands on a real data directory: ``tickets --json``,
``refund``, ``report x|z`` and ``receipt``; amounts are decimal strings; bad input exits
2 with the reason and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from pos_app.cli.main import main
from pos_app.engine import AddItem, Close, Redeem, SellPack
from pos_app.till.commands import PayCard, PayCash
from pos_app.till.shift_commands import AttachMember
from pos_app.till.ticket_change import TicketChange
from pos_app.wiring import open_till
from tests.helpers.till_packs import TEA_PACK_ID, stock_till
from tests.till.conftest import take_snapshot

PrintedJson = Any


@pytest.fixture
def day(tmp_path: Path) -> Path:
    """A data directory with two closed sales: D1-01-000001 (cash: burger, 2 colas,
    TP-3) and D1-01-000002 (card: a salad)."""
    data_dir = tmp_path / "till"
    runtime = open_till(data_dir)
    try:
        till = runtime.till
        till.handle(AddItem(None, "BURGER"))
        till.handle(AddItem(None, "COLA", 2))
        till.handle(Redeem("TP-3"))
        till.handle(PayCash("20"))
        till.handle(Close())
        till.handle(AddItem(None, "SALAD"))
        till.handle(PayCard("6.50"))
        till.handle(Close())
    finally:
        runtime.close()
    return data_dir


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(data_dir: Path) -> dict[str, list[tuple[Any, ...]]]:
    runtime = open_till(data_dir)
    engine: Engine = runtime.database.engine
    try:
        return take_snapshot(engine)
    finally:
        runtime.close()


def test_tickets_lists_closed_tickets_with_their_lines(
    day: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each closed ticket: number, total paid and lines (line id, sku, qty, net)."""
    code, out, _ = run(day, capsys, "tickets", "--json")
    assert code == 0
    tickets = json.loads(out)
    assert [t["number"] for t in tickets] == ["D1-01-000001", "D1-01-000002"]
    first = tickets[0]
    assert first["total"] == "12.00"
    assert [(x["line_id"], x["sku"], x["qty"]) for x in first["lines"]] == [
        ("L1", "BURGER", 1),
        ("L2", "COLA", 2),
    ]
    assert sum(float(x["net"]) for x in first["lines"]) == pytest.approx(12.0)


def test_refund_prints_the_return_and_the_sale(
    day: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line's units back by cash: {"number", "refund_of", "amount"}, amount positive."""
    code, out, _ = run(
        day, capsys, "refund", "D1-01-000001", "--line", "L2", "--qty", "1", "--method", "cash"
    )
    assert code == 0
    printed = json.loads(out)
    assert printed["number"] == "D1-01-000003" and printed["refund_of"] == "D1-01-000001"
    assert printed["amount"] == "1.20"  # half of the colas' 2.40 net (BOGO, TP-3's share)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["refund", "D1-01-000009", "--method", "cash"], "No closed sale numbered"),
        (["refund", "D1-01-000001", "--method", "card"], "was not paid by card"),
        (["refund", "D1-01-000001", "--line", "L9", "--method", "cash"], "has no line"),
        (
            ["refund", "D1-01-000001", "--line", "L2", "--qty", "3", "--method", "cash"],
            "2 of 2 left to return, not 3",
        ),
        (
            ["refund", "D1-01-000001", "--line", "L2", "--qty", "x", "--method", "cash"],
            "Quantity must be",
        ),
        (["refund", "D1-01-000001", "--qty", "1", "--method", "cash"], "one --qty per --line"),
        (["report", "x", "--counted", "5"], "belongs to the Z report"),
        (["report", "z", "--counted", "abc"], "Counted cash"),
        (["report", "z", "--print"], "no printer is set up"),
        (["receipt", "D1-01-000042"], "No closed sale or return numbered D1-01-000042"),
    ],
)
def test_bad_input_exits_2_with_the_reason_and_writes_nothing(
    day: Path, capsys: pytest.CaptureFixture[str], args: list[str], reason: str
) -> None:
    """Unknown ticket or line, a card never used, too many units, a bad quantity or
    count, no printer: exit 2, the reason on stderr, every table as it was."""
    before = snapshot(day)
    code, out, err = run(day, capsys, *args)
    assert code == 2 and out == ""
    assert reason in err
    assert snapshot(day) == before


def test_report_x_changes_nothing_and_z_closes_the_day(
    day: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """X: the figures, nothing written; Z: the same figures, the day closed (a second
    Z is an empty day); net = sales - returns."""
    before = snapshot(day)
    code, out, _ = run(day, capsys, "report", "x", "--json")
    assert code == 0 and snapshot(day) == before
    x = json.loads(out)
    assert (x["sales"], x["returns"], x["net"]) == ("18.50", "0.00", "18.50")
    assert x["by_method"]["card"]["net"] == "6.50"
    assert set(x["tax_by_rate"]) == {"10", "20"}
    code, out, _ = run(day, capsys, "report", "z", "--json", "--counted", "12.00")
    z = json.loads(out)
    assert code == 0 and z["kind"] == "Z" and z["net"] == x["net"]
    assert (z["expected_cash"], z["counted_cash"], z["cash_difference"]) == (
        "12.00",
        "12.00",
        "0.00",
    )
    code, out, _ = run(day, capsys, "report", "z", "--json")
    assert json.loads(out)["tickets"] == 0


def test_report_text_and_receipt_read_as_people_read_them(
    day: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report's text and a receipt name the store, till and ticket number, the
    coupon by name and the taxes by rate; no internal id."""
    code, out, _ = run(day, capsys, "report", "x")
    assert code == 0 and "X report" in out and "Demo Diner, till 01" in out
    code, out, _ = run(day, capsys, "receipt", "D1-01-000001")
    assert code == 0
    assert "Ticket D1-01-000001" in out and "Till 01" in out
    assert "Coupon: Delivery platform 3.00" in out
    assert "incl. tax 10% on" in out and "incl. tax 20% on" in out
    assert "[CODE128 D1-01-000001]" in out
    assert "TP-3" not in out and "DEMO-1" not in out


def test_a_return_slip_is_printed_by_the_number_refund_gave_it_in_negative_amounts(
    day: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`pos-app receipt NUMBER` with the number `refund` printed: the return's slip,
    every amount negative (the line, the total, the tax), the money back said once."""
    code, out, _ = run(
        day, capsys, "refund", "D1-01-000001", "--line", "L2", "--qty", "1", "--method", "cash"
    )
    assert code == 0
    number = json.loads(out)["number"]
    code, out, err = run(day, capsys, "receipt", number)
    assert code == 0, err
    assert "RETURN of ticket D1-01-000001" in out and f"[CODE128 {number}]" in out
    lines = [line.split() for line in out.splitlines()]
    assert ["Cola", "-1.20"] in [[words[0], words[-1]] for words in lines if words]
    assert any(words[:2] == ["TOTAL", "USD"] and words[-1] == "-1.20" for words in lines)
    assert any(words[:2] == ["incl.", "tax"] and words[-1].startswith("-") for words in lines)
    assert "Refunded 1.20 by cash" in out


def sell_tea_pack(data_dir: Path) -> TicketChange:
    """A burger and the tea pack (10.00) for Ada, paid in cash: the closed ticket."""
    runtime = open_till(data_dir)
    try:
        stock_till(runtime)
        till = runtime.till
        till.handle(AttachMember("M-1001"))
        till.handle(AddItem(None, "BURGER"))
        till.handle(SellPack(TEA_PACK_ID))
        till.handle(PayCash("30"))
        return till.handle(Close())
    finally:
        runtime.close()


def test_the_z_report_counts_the_coupon_packs_sold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two tea packs sold: the Z report has a line for them, count and amount, in its
    text and its JSON (it had none)."""
    data_dir = tmp_path / "till"
    sell_tea_pack(data_dir)
    sell_tea_pack(data_dir)
    code, out, err = run(data_dir, capsys, "report", "x")
    assert code == 0, err
    assert "Coupon packs sold" in out
    assert any("Tea lover's pack × 2" in line and "20.00" in line for line in out.splitlines())
    code, out, err = run(data_dir, capsys, "report", "z", "--json", "--counted", "44.00")
    assert code == 0, err
    printed = json.loads(out)
    assert printed["packs"] == {"Tea lover's pack": {"count": 2, "amount": "20.00"}}
    assert printed["sales"] == "44.00"


def test_a_pack_sale_is_reprinted_with_its_pack_and_coupons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A burger and the tea pack for Ada: the reprint lists the pack at its price and its
    coupons with their codes, and says no "Savings" (it used to print "Savings +10.00")."""
    data_dir = tmp_path / "till"
    closed = sell_tea_pack(data_dir)
    codes = [c.code for pack in closed.packs_sold for c in pack.coupons]
    code, out, err = run(data_dir, capsys, "receipt", closed.number or "")
    assert code == 0, err
    assert "Tea lover's pack" in out and "10.00" in out and "Savings" not in out
    assert "YOUR COUPONS" in out and "Tea lover's pack for Ada Lovelace" in out
    assert len(codes) == 2 and all(f"Code {code}" in out for code in codes)
    assert "Member voucher 4.00" in out
    assert any(
        line.split()[:2] == ["TOTAL", "USD"] and "22.00" in line for line in out.splitlines()
    )
