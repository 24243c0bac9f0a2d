"""The till's `pos-app` commands on a real data directory."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pos_app.cli.main import main
from pos_app.engine import AddItem
from pos_app.store.database import create_till_engine, database_path
from pos_app.store.migrate import current_revision, head_revision
from pos_app.wiring import open_till

MEAL_SCENARIO: dict[str, Any] = {
    "name": "burger meal at the demo store",
    "now": "2026-11-21T12:00:00",
    "steps": [
        {"do": "add", "line": "L1", "sku": "BURGER"},
        {"do": "add", "line": "L2", "sku": "FRIES"},
        {"do": "add", "line": "L3", "sku": "COLA", "expect": {"total": "15.00"}},
        {"do": "redeem", "code": "NOPE", "expect_error": "UNKNOWN"},
        {"do": "close"},
        {"do": "add", "line": "L4", "sku": "COLA", "expect_error": "INVALID"},
    ],
    "expect": {"total": "15.00", "promotions": {"COMBO-MEAL": "4.00"}},
}


def write(path: Path, obj: dict[str, Any]) -> str:
    path.write_text(json.dumps(obj), encoding="utf-8")
    return str(path)


def test_db_upgrade_creates_the_database_at_head(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`pos-app db upgrade` migrates an empty data directory to the latest revision."""
    data_dir = tmp_path / "data"
    assert main(["--data-dir", str(data_dir), "db", "upgrade"]) == 0
    assert f"at revision {head_revision()}" in capsys.readouterr().out
    engine = create_till_engine(database_path(data_dir))
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
    assert main(["--data-dir", str(data_dir), "db", "upgrade"]) == 0


def test_the_till_upgrades_on_start(tmp_path: Path) -> None:
    """Opening a data directory migrates its database before anything else."""
    runtime = open_till(tmp_path / "data")
    try:
        assert current_revision(runtime.database.engine) == head_revision()
    finally:
        runtime.close()


def test_catalog_json_lists_the_demo_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`catalog --json`: the till's items with prices as decimal strings (demo on first start)."""
    assert main(["--data-dir", str(tmp_path / "d"), "catalog", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert {"sku": "BURGER", "name": "Classic burger", "price": "12.00", "category": "mains"} in (
        items
    )
    assert len(items) == 16
    assert all(set(i) == {"sku", "name", "price", "category"} for i in items)


def test_scenario_run_persist_closes_for_real_and_queues_the_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """S1: a persisted replay prices with the data directory's store and queues ticket.closed."""
    data_dir = tmp_path / "d"
    file = write(tmp_path / "meal.json", MEAL_SCENARIO)
    assert main(["--data-dir", str(data_dir), "scenario", "run", "--persist", file]) == 0
    (obj,) = json.loads(capsys.readouterr().out)
    assert obj["result"]["total"] == "15.00"
    assert [s["ok"] for s in obj["steps"]] == [True, True, True, False, True, False]
    assert obj["steps"][5]["error"] == "INVALID"
    runtime = open_till(data_dir)
    try:
        (event,) = runtime.sync_store.pending_events()
        assert event["type"] == "ticket.closed"
        assert event["payload"]["total"] == "15.00"
        assert event["payload"]["payments"] == [
            {"method": "cash", "amount": "15.00", "tendered": "15.00", "change": "0.00"}
        ]
        assert runtime.till.state.lines == ()
    finally:
        runtime.close()
    assert main(["--data-dir", str(data_dir), "scenario", "check", "--persist", file]) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "outbox", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pending"] == 2


def test_a_persisted_scenario_without_close_leaves_its_ticket_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ticket left open by one run is the till's open ticket for the next (a note says so)."""
    data_dir = tmp_path / "d"
    adds = write(
        tmp_path / "adds.json",
        {"steps": [{"do": "add", "line": "L1", "sku": "LATTE"}], "expect": {"total": "5.00"}},
    )
    close = write(
        tmp_path / "close.json",
        {
            "steps": [{"do": "add", "line": "L2", "sku": "COOKIE"}, {"do": "close"}],
            "expect": {"total": "6.00"},
        },
    )
    assert main(["--data-dir", str(data_dir), "scenario", "check", "--persist", adds]) == 0
    assert main(["--data-dir", str(data_dir), "scenario", "check", "--persist", close]) == 0
    captured = capsys.readouterr()
    assert "continuing open ticket" in captured.err
    assert main(["--data-dir", str(data_dir), "ticket", "show"]) == 0
    assert json.loads(capsys.readouterr().out)["lines"] == {}


def test_a_persisted_scenario_carrying_its_own_catalog_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--persist prices with the data directory's configuration: a file's catalog is refused."""
    data_dir = tmp_path / "d"
    file = write(
        tmp_path / "own.json",
        {"catalog": [{"sku": "X", "name": "X", "price": "1.00"}], "steps": []},
    )
    assert main(["--data-dir", str(data_dir), "scenario", "run", "--persist", file]) == 2
    err = capsys.readouterr().err
    assert "own.json" in err and "carries its own catalog" in err
    assert not data_dir.exists()


@pytest.mark.slow
def test_scenario_without_persist_keeps_its_old_behaviour(tmp_path: Path) -> None:
    """Without --persist the file's own (here empty) catalog prices, as before (FORMAT.md)."""
    file = write(tmp_path / "meal.json", MEAL_SCENARIO)
    proc = subprocess.run(
        [sys.executable, "-m", "pos_app.cli", "scenario", "run", file],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (obj,) = json.loads(proc.stdout)
    assert obj["steps"][0]["error"] == "UNKNOWN"


def test_ticket_void_discards_the_open_ticket(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ticket void --manager` discards the open ticket (audited) once the manager's PIN,
    read from standard input, is right; a wrong PIN changes nothing."""
    data_dir = tmp_path / "d"
    runtime = open_till(data_dir)
    runtime.access.set_pin("Grace", "2468", by=None)
    runtime.till.handle(AddItem("L1", "TEA"))
    runtime.close()
    void = ["--data-dir", str(data_dir), "ticket", "void", "--manager", "Grace", "--pin-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO("1111\n"))
    assert main(void) == 2
    assert "Wrong name or PIN" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("2468\n"))
    assert main(void) == 0
    assert "voided ticket" in capsys.readouterr().out
    main(["--data-dir", str(data_dir), "ticket", "show"])
    assert json.loads(capsys.readouterr().out)["total"] == "0.00"


@pytest.mark.slow
def test_the_installed_command_runs_a_persisted_scenario(tmp_path: Path) -> None:
    """`python -m pos_app.cli --data-dir D scenario check --persist FILE` exits 0."""
    file = write(tmp_path / "meal.json", MEAL_SCENARIO)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pos_app.cli",
            "--data-dir",
            str(tmp_path / "d"),
            "scenario",
            "check",
            "--persist",
            file,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed, 0 failed" in proc.stdout
