"""`pos-app scenario run|check` on files out of range: a bad definition is a bad file (exit
2, file and field named); a step out of range is a refused step, and the batch's JSON is
printed (ENGINE-RULES, the INVALID row)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pos_app.scenario.command import check_files, run_files
from tests.helpers.engine_builders import STANDARD_CATALOG


def write_scenario(folder: Path, name: str, **fields: Any) -> str:
    scenario: dict[str, Any] = {
        "name": name,
        "currency": "USD",
        "catalog": STANDARD_CATALOG,
        "promotions": [],
        "coupons": [],
        "steps": [],
        **fields,
    }
    path = folder / f"{name}.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    return str(path)


def test_catalog_price_out_of_range_is_a_bad_file(tmp_path: Path) -> None:
    """INVALID row: a catalog price of 1E+30 makes the file bad: exit 2, file and field."""
    catalog = [{"sku": "GOLD", "name": "Gold", "price": "1E+30"}]
    path = write_scenario(tmp_path, "gold", catalog=catalog)
    out, err = io.StringIO(), io.StringIO()
    assert run_files([path], out=out, err=err) == 2
    assert f"{path}: catalog[0].price: must be an amount" in err.getvalue()
    assert out.getvalue() == ""


def test_coupon_units_out_of_range_is_a_bad_file(tmp_path: Path) -> None:
    """INVALID row: a group purchase of 10,000 units makes the file bad."""
    coupons = [{"code": "GP", "kind": "group_purchase", "items": ["BURGER"], "units": 10_000}]
    path = write_scenario(tmp_path, "units", coupons=coupons)
    err = io.StringIO()
    assert check_files([path], out=io.StringIO(), err=err) == 2
    assert "coupons[0].units: must be a whole number from 1 to 9,999" in err.getvalue()


def test_steps_out_of_range_are_refused_and_the_batch_is_printed(tmp_path: Path) -> None:
    """INVALID row: huge amounts and quantities in steps are refused INVALID, change
    nothing, and every file of the batch still gets its JSON object."""
    steps = [
        {"do": "add", "line": "L1", "sku": "BURGER", "qty": 1},
        {"do": "adjust_price", "line": "L1", "price": "1E+26"},
        {"do": "discount", "id": "D1", "amount": "1E+25"},
        {"do": "add", "line": "L2", "sku": "BURGER", "qty": 1_000_000_000},
        {"do": "set_qty", "line": "L1", "qty": 10_000},
    ]
    huge = write_scenario(tmp_path, "huge", steps=steps)
    plain = write_scenario(tmp_path, "plain", steps=steps[:1])
    out = io.StringIO()
    assert run_files([huge, plain], out=out, err=io.StringIO()) == 0
    first, second = json.loads(out.getvalue())
    assert [step["ok"] for step in first["steps"]] == [True, False, False, False, False]
    assert {step.get("error") for step in first["steps"][1:]} == {"INVALID"}
    assert first["result"]["total"] == "12.00"
    assert second["result"]["total"] == "12.00"


def test_quantity_message_is_the_numpads(tmp_path: Path) -> None:
    """INVALID row: the refused quantity's message states the bound the till enforces."""
    steps = [{"do": "add", "line": "L1", "sku": "BURGER", "qty": 0}]
    out = io.StringIO()
    run_files([write_scenario(tmp_path, "zero", steps=steps)], out=out, err=io.StringIO())
    (replay,) = json.loads(out.getvalue())
    assert replay["steps"][0]["message"] == "Quantity must be a whole number from 1 to 9,999"


# ---------------------------------------------------------------- plain decimal strings


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"catalog": [{"sku": "X", "price": "1e2"}]}, "catalog[0].price", "no exponent"),
        ({"catalog": [{"sku": "X", "price": "-0"}]}, "catalog[0].price", "no sign"),
        ({"catalog": [{"sku": "X", "price": 12.5}]}, "catalog[0].price", "not a bare number"),
        ({"catalog": [{"sku": "X", "price": 12}]}, "catalog[0].price", "not a bare number"),
        (
            {"promotions": [{"id": "P", "type": "percent_off", "percent": "+5"}]},
            "promotions[0].percent",
            "no sign",
        ),
        (
            {"coupons": [{"code": "C", "kind": "cash_voucher", "face_value": "5E0"}]},
            "coupons[0].face_value",
            "no exponent",
        ),
        ({"expect": {"total": 12}}, "expect.total", "not a bare number"),
        ({"expect": {"lines": {"L1": "1e1"}}}, "expect.lines.L1", "no exponent"),
    ],
)
def test_an_amount_that_is_not_a_plain_decimal_string_is_a_bad_file(
    tmp_path: Path, fields: dict[str, Any], field: str, says: str
) -> None:
    """Details: an exponent, a sign or a bare JSON number where an amount is due makes the
    file bad: exit 2, the file and the field named, and how to write it."""
    path = write_scenario(tmp_path, "bad", **fields)
    out, err = io.StringIO(), io.StringIO()
    assert run_files([path], out=out, err=err) == 2
    assert f"{path}: {field}: must be" in err.getvalue() and says in err.getvalue()
    assert out.getvalue() == ""


def test_a_step_amount_that_is_not_a_plain_decimal_string_is_refused(tmp_path: Path) -> None:
    """Details, INVALID row: a step's 1e2, -0, +5 or bare number is refused INVALID (never
    read as 100.00 or 0) and the ticket is left as it was."""
    steps: list[dict[str, Any]] = [
        {"do": "add", "line": "L1", "sku": "BURGER", "qty": 1},
        {"do": "adjust_price", "line": "L1", "price": "1e2"},
        {"do": "adjust_price", "line": "L1", "price": "-0"},
        {"do": "discount", "id": "D1", "percent": "+5"},
        {"do": "discount", "id": "D2", "amount": 3},
    ]
    out = io.StringIO()
    assert run_files([write_scenario(tmp_path, "s", steps=steps)], out=out, err=io.StringIO()) == 0
    (replay,) = json.loads(out.getvalue())
    assert [s.get("error") for s in replay["steps"]] == [
        None,
        "INVALID",
        "INVALID",
        "INVALID",
        "INVALID",
    ]
    assert "no exponent" in replay["steps"][1]["message"]
    assert "not a bare number" in replay["steps"][4]["message"]
    assert replay["result"]["total"] == "12.00"


@pytest.mark.parametrize(
    ("nested", "field"),
    [
        ("[" * 100_000 + "]" * 100_000, "steps[0].note[0][0]"),
        ("[[[[1]]]]", "steps[0].note[0][0]"),
    ],
)
def test_json_nested_deeper_than_a_scenario_is_a_bad_file(
    tmp_path: Path, nested: str, field: str
) -> None:
    """Details: JSON nested deeper than the format's own structure (100,000 deep, or one
    level past it) is a bad file naming the place, never a RecursionError."""
    path = tmp_path / "deep.json"
    text = json.dumps({"catalog": STANDARD_CATALOG, "steps": [{"do": "add", "note": "X"}]})
    path.write_text(text.replace('"X"', nested), encoding="utf-8")
    err = io.StringIO()
    assert run_files([str(path)], out=io.StringIO(), err=err) == 2
    assert f"{path}: {field}: is nested deeper than a scenario's structure" in err.getvalue()


def test_the_command_names_a_deep_file_and_exits_2_without_a_traceback(tmp_path: Path) -> None:
    """Details: `pos-app scenario check` on JSON 100,000 deep exits 2, says why, no traceback."""
    path = tmp_path / "deep.json"
    path.write_text('{"steps": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pos_app.cli", "scenario", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{path}: steps[0][0][0][0]: is nested deeper" in done.stderr
