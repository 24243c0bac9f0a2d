"""Ticket numbers for the till's whole life (issue 18): a Z report never starts them
again, so ``receipt``, ``refund`` and the return screen find exactly one sale by its
number, yesterday's as well as today's; a till whose numbers started again each day
(before revision 0008) keeps every printed number and goes on after the highest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from pos_app.cli.main import main
from pos_app.engine import AddItem, Close
from pos_app.store.migrate import downgrade_database, upgrade_database
from pos_app.till.commands import PayCash
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import CloseShift
from pos_app.wiring import open_till
from tests.helpers.device_clock import FakeClock


def sell(runtime: TillRuntime, sku: str) -> str:
    till = runtime.till
    till.handle(AddItem(None, sku))
    till.handle(PayCash(str(till.amount_due)))
    return till.handle(Close()).number


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def two_days(tmp_path: Path) -> Path:
    """2026-11-21: a burger (D1-01-000001), Z report; 2026-11-22: a salad
    (D1-01-000002)."""
    data_dir = tmp_path / "till"
    clock = FakeClock()
    runtime = open_till(data_dir, clock=clock)
    try:
        assert sell(runtime, "BURGER") == "D1-01-000001"
        runtime.till.handle(CloseShift("0"))
        clock.advance(days=1)
        assert sell(runtime, "SALAD") == "D1-01-000002"
    finally:
        runtime.close()
    return data_dir


def test_yesterdays_sale_is_reprinted_and_returned_by_its_number(
    two_days: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(two_days, capsys, "receipt", "D1-01-000001")
    assert code == 0 and "Classic burger" in out and "salad" not in out.lower()
    code, out, _ = run(two_days, capsys, "receipt", "d1-01-000002 ")
    assert code == 0 and "salad" in out.lower() and "burger" not in out.lower()
    code, out, _ = run(two_days, capsys, "refund", "D1-01-000001", "--method", "cash")
    printed = json.loads(out)
    assert code == 0 and printed["refund_of"] == "D1-01-000001"
    assert printed["number"] == "D1-01-000003"  # a return takes the next number too


def test_the_return_screen_finds_the_one_sale_of_a_number(two_days: Path) -> None:
    runtime = open_till(two_days)
    try:
        sale = runtime.till.desk.find_sale("D1-01-000001")
        assert [line.sku for line in sale.lines] == ["BURGER"]
    finally:
        runtime.close()


def _renumber_as_before(data_dir: Path) -> None:
    """Take the till back to revision 0007 and give day 2's sale the number the old
    daily sequence gave it (D1-01-000001 again), as a till upgraded today has it."""
    runtime = open_till(data_dir)
    try:
        engine = runtime.database.engine
        downgrade_database(engine, "0007_pack_sales")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE ticket_headers SET number = 'D1-01-000001'"
                    " WHERE number = 'D1-01-000002'"
                )
            )
            connection.execute(text("UPDATE shifts SET last_seq = 1"))
        upgrade_database(engine)
    finally:
        runtime.close()


def test_an_upgraded_till_keeps_its_printed_numbers_and_goes_on_after_the_highest(
    two_days: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _renumber_as_before(two_days)
    runtime = open_till(two_days)
    try:
        with runtime.database.engine.connect() as connection:
            numbers = connection.execute(
                text("SELECT number, number_reused FROM ticket_headers ORDER BY shift_id")
            ).all()
            z_numbers = connection.execute(text("SELECT z_number FROM shifts")).scalars().all()
        assert [tuple(row) for row in numbers] == [("D1-01-000001", 1), ("D1-01-000001", 1)]
        assert sorted(z_numbers, key=str) == [1, None]
        assert sell(runtime, "TEA") == "D1-01-000002"  # after the highest printed
        z = runtime.till.handle(CloseShift("0")).outcome
        assert getattr(z, "z_number", None) == 2
        with pytest.raises(TillRefusal) as refused:
            runtime.till.desk.find_sale("D1-01-000001")
        assert refused.value.code is TillCode.NUMBER_NEEDS_DAY
        assert "was given on 2026-11-21 and 2026-11-22" in refused.value.message
        first = runtime.till.desk.find_sale("D1-01-000001 2026-11-21")
        second = runtime.till.desk.find_sale("D1-01-000001 2026-11-22")
        assert ([line.sku for line in first.lines], [line.sku for line in second.lines]) == (
            ["BURGER"],
            ["SALAD"],
        )
    finally:
        runtime.close()
    code, _, err = run(two_days, capsys, "receipt", "D1-01-000001")
    assert code == 2 and "business day" in err and "Traceback" not in err
    code, out, _ = run(two_days, capsys, "receipt", "D1-01-000001", "--day", "2026-11-22")
    assert code == 0 and "salad" in out.lower() and "burger" not in out.lower()


def test_a_number_cannot_be_stored_twice(two_days: Path) -> None:
    """The database itself refuses a second ticket under a lifetime number."""
    runtime = open_till(two_days)
    try:
        with (
            pytest.raises(IntegrityError, match="UNIQUE"),
            runtime.database.engine.begin() as connection,
        ):
            connection.execute(
                text(
                    "INSERT INTO ticket_headers (ticket_id, number, shift_id, kind,"
                    " status, tax_inclusive, tax, paid) SELECT 'x', number, shift_id + 1,"
                    " kind, status, tax_inclusive, tax, paid FROM ticket_headers LIMIT 1"
                )
            )
    finally:
        runtime.close()
