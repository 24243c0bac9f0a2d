"""`pos-app scenario run|check` on files out of range: a bad definition is a bad file (exit
2, file and field named); a step out of range is a refused step, and the batch's JSON is
printed (ENGINE-RULES, the INVALID row)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

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
