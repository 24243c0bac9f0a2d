"""`pos-app packs` and `pos-app sell-pack` on a real data directory (COUPON-PACK-RULES
K12-K15): what the till sells now with the units it has left, a sale closed with its
coupon codes, and bad input refused with the reason and nothing written."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from pos_app.cli.main import main
from pos_app.engine import AddItem
from pos_app.protocol.pack_codes import parse_block_code
from pos_app.store.database import create_till_engine, database_path
from pos_app.wiring import open_till
from tests.helpers.till_packs import TEA_PACK_ID, pack_data, stock_till
from tests.till.conftest import Snapshot, take_snapshot

ALWAYS = {"first_day": "2020-01-01", "last_day": "2099-12-31"}  # the CLI runs on the real clock
ADA_PHONE = "+1 555 010 0001"


@pytest.fixture
def stocked(tmp_path: Path) -> Path:
    """A demo data directory with the tea pack (limit 1 a day) and a limited lunch pack
    of which this till holds 3 units."""
    data_dir = tmp_path / "till"
    runtime = open_till(data_dir)
    try:
        stock_till(
            runtime,
            pack_data(sales_period=ALWAYS, limits={"daily": 1}),
            pack_data("8", name="Lunch pack", price="25.00", sales_period=ALWAYS, inventory=40),
            granted={"8": 3},
        )
    finally:
        runtime.close()
    return data_dir


def snapshot(data_dir: Path) -> Snapshot:
    engine = create_till_engine(database_path(data_dir))
    try:
        return take_snapshot(engine)
    finally:
        engine.dispose()


def run(data_dir: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, Any, str]:
    """Exit code, JSON printed (None if nothing) and standard error of ``pos-app``."""
    try:
        code = main(["--data-dir", str(data_dir), *args])
    except SystemExit as stopped:  # argparse refuses a bad option this way
        code = int(stopped.code or 0)
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else None, captured.err


def test_packs_lists_what_the_till_sells_now_with_units_left(
    stocked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """K13: every pack on sale at the till now, its price, content and units left here."""
    code, packs, _ = run(stocked, "packs", "--json", capsys=capsys)
    assert code == 0
    assert [(p["name"], p["price"], p["units_left"], p["sellable"]) for p in packs] == [
        ("Lunch pack", "25.00", 3, True),
        ("Tea lover's pack", "10.00", None, True),
    ]
    assert packs[1]["coupons"] == [{"coupon_code": "MV-4", "quantity": 2}]
    assert packs[1]["sales_period"] == ALWAYS


def test_sell_pack_closes_a_ticket_and_prints_the_coupon_codes(
    stocked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """K12, K15: one pack to the member with that phone, paid by card, closed: the JSON
    has the ticket and the codes, and the sale waits in the outbox."""
    code, sale, _ = run(
        stocked, "sell-pack", "8", "--phone", ADA_PHONE, "--pay", "card", capsys=capsys
    )
    assert code == 0
    assert (sale["total"], sale["payments"][0]["method"]) == ("25.00", "card")
    (pack,) = sale["packs"]
    assert (pack["name"], pack["member"]["name"]) == ("Lunch pack", "Ada Lovelace")
    assert len(sale["codes"]) == 2 and all(parse_block_code(c) for c in sale["codes"])
    assert sale["outbox_pending"] == 2
    code, packs, _ = run(stocked, "packs", "--json", capsys=capsys)
    assert packs[0]["units_left"] == 2


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("NOPE", "--phone", ADA_PHONE), "Unknown coupon pack NOPE"),
        ((TEA_PACK_ID, "--phone", "999"), "--phone: no member has phone number '999'"),
        ((TEA_PACK_ID, "--phone", ADA_PHONE, "--pay", "cheque"), "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_the_reason_and_writes_nothing(
    stocked: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], reason: str
) -> None:
    """K12: an unknown pack or phone number, or a way to pay the till does not take:
    exit 2, the reason on stderr, the database unchanged."""
    before = snapshot(stocked)
    code, _, err = run(stocked, "sell-pack", *args, capsys=capsys)
    assert code == 2 and reason in err
    assert snapshot(stocked) == before


def test_a_refused_sale_exits_2_and_writes_nothing(
    stocked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """K12: the tea pack's daily limit reached: the second sale exits 2 with the limit in
    words, and nothing is written; a till holding an open ticket sells no pack alone."""
    assert run(stocked, "sell-pack", TEA_PACK_ID, "--phone", ADA_PHONE, capsys=capsys)[0] == 0
    before = snapshot(stocked)
    code, _, err = run(stocked, "sell-pack", TEA_PACK_ID, "--phone", ADA_PHONE, capsys=capsys)
    assert code == 2
    assert "Ada Lovelace has bought Tea lover's pack once today: the limit is 1 a day" in err
    assert snapshot(stocked) == before
    runtime = open_till(stocked)
    try:
        runtime.till.handle(AddItem(None, "COLA"))
    finally:
        runtime.close()
    code, _, err = run(stocked, "sell-pack", "8", "--phone", ADA_PHONE, capsys=capsys)
    assert code == 2 and "close or void it first" in err


HUGE_PRICE = "99999999999999999999999"


def test_a_pack_price_past_the_bounds_is_refused_at_intake(tmp_path: Path) -> None:
    """S15: the till's intake of configuration refuses a price past the protocol's bound
    (the record is skipped and reported, the till keeps what it had)."""
    runtime = open_till(tmp_path / "till")
    try:
        stock_till(runtime, pack_data(sales_period=ALWAYS, price=HUGE_PRICE))
        assert "7" not in runtime.till.configuration.book.packs
    finally:
        runtime.close()


def test_sell_pack_on_a_bad_stored_record_leaves_no_open_ticket(
    stocked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A price past the bounds already stored (from before the intake checked it) is
    refused in words, and the next sale finds no open ticket."""
    engine = create_till_engine(database_path(stocked))
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE packs SET price = :price, definition = :definition WHERE pack_id = '8'"),
            {
                "price": HUGE_PRICE,
                "definition": json.dumps(
                    pack_data("8", price=HUGE_PRICE, sales_period=ALWAYS, inventory=40)
                ),
            },
        )
    engine.dispose()
    code, _, err = run(stocked, "sell-pack", "8", "--phone", ADA_PHONE, capsys=capsys)
    assert code == 2
    assert "Traceback" not in err and "pack" in err.lower()
    code, sale, err = run(stocked, "sell-pack", "7", "--phone", ADA_PHONE, capsys=capsys)
    assert code == 0, err
    assert sale["packs"][0]["pack_id"] == "7"


def test_return_pack_refunds_the_whole_pack_with_a_managers_pin(
    stocked: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """K14/K4: `return-pack NUMBER --line L --manager NAME`, the PIN on stdin: a wrong PIN
    exits 2 and writes nothing; the right one refunds the pack, queues pack.refunded, and
    the member's daily limit of 1 lets her buy it again today."""
    runtime = open_till(stocked)
    try:
        runtime.access.set_pin("Mia", "1357", by=None)
    finally:
        runtime.close()
    code, sale, _ = run(stocked, "sell-pack", TEA_PACK_ID, "--phone", ADA_PHONE, capsys=capsys)
    assert code == 0
    args = ["return-pack", sale["number"], "--line", sale["packs"][0]["line_id"]]
    args += ["--manager", "Mia", "--pin-stdin", "--reason", "wrong pack"]
    before = snapshot(stocked)
    monkeypatch.setattr("sys.stdin", io.StringIO("0000\n"))
    assert main(["--data-dir", str(stocked), *args]) == 2
    assert "PIN" in capsys.readouterr().err
    after = snapshot(stocked)
    assert {k: v for k, v in after.items() if k != "pin_guard"} == {  # a wrong PIN counts
        k: v for k, v in before.items() if k != "pin_guard"
    }
    monkeypatch.setattr("sys.stdin", io.StringIO("1357\n"))
    assert main(["--data-dir", str(stocked), *args]) == 0
    assert f"refunded the coupon pack on line L1 of {sale['number']}" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("1357\n"))
    assert main(["--data-dir", str(stocked), *args]) == 2
    assert "already refunded" in capsys.readouterr().err
    code, again, _ = run(stocked, "sell-pack", TEA_PACK_ID, "--phone", ADA_PHONE, capsys=capsys)
    # ticket.closed and pack.sold twice, pack.refunded between: the limit let her buy again
    assert code == 0 and again["outbox_pending"] == 5
