"""Automatic backups (issue 18) on real files: one at each Z report and one when the
timed one is due, kept to a count, each a sound database holding the day's sales; and
`pos-app db restore` listing them and putting one back (the replaced file kept aside,
the ticket sequence never going back)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pos_app.cli.main import main
from pos_app.store.backups import BackupError, back_up, list_backups, load_backup_settings
from pos_app.store.database import database_path
from pos_app.till.shift_commands import CloseShift
from pos_app.wiring import open_till
from tests.helpers.device_clock import FakeClock
from tests.store.test_till_file import remove_database, sell


def closed_sales(path: Path) -> int:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA quick_check").fetchone() == ("ok",)
        return int(connection.execute("SELECT count(*) FROM tickets").fetchone()[0])
    finally:
        connection.close()


def test_each_z_report_leaves_a_backup_holding_the_day(tmp_path: Path) -> None:
    data_dir = tmp_path / "till"
    runtime = open_till(data_dir)
    try:
        sell(runtime)
        sell(runtime)
        runtime.till.handle(CloseShift("0"))
    finally:
        runtime.close()
    (backup,) = list_backups(database_path(data_dir))
    assert backup.reason == "z" and backup.path.parent == data_dir / "backups"
    assert closed_sales(backup.path) == 2


def test_backups_are_kept_to_the_count(tmp_path: Path) -> None:
    data_dir = tmp_path / "till"
    open_till(data_dir).close()
    (data_dir / "backup.json").write_text(json.dumps({"every_minutes": 5, "keep": 2}))
    keep = load_backup_settings(data_dir).keep
    clock = FakeClock()
    for _ in range(3):
        back_up(database_path(data_dir), clock(), "manual", keep)
        clock.advance(minutes=1)
    backups = list_backups(database_path(data_dir))
    assert [b.taken_at.minute for b in backups] == [2, 1]


@pytest.mark.parametrize(
    "settings", [{"keep": 0}, {"every_minutes": "often"}, {"every_minutes": True}, []]
)
def test_bad_backup_settings_are_refused_naming_the_file(tmp_path: Path, settings: object) -> None:
    (tmp_path / "backup.json").write_text(json.dumps(settings))
    with pytest.raises(BackupError, match=r"backup\.json"):
        load_backup_settings(tmp_path)


def test_the_timed_backup_is_taken_when_due(tmp_path: Path) -> None:
    data_dir = tmp_path / "till"
    clock = FakeClock()
    runtime = open_till(data_dir, clock=clock)
    try:
        store = runtime.sync_store
        assert store.back_up_if_due() is not None  # none yet: due at once
        clock.advance(minutes=29)
        assert store.back_up_if_due() is None
        clock.advance(minutes=2)
        taken = store.back_up_if_due()
        assert taken is not None and taken.reason == "timer"
        assert len(list_backups(database_path(data_dir))) == 2
    finally:
        runtime.close()


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out + captured.err


def test_a_deleted_database_comes_back_from_its_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "till"
    runtime = open_till(data_dir)
    try:
        sell(runtime)
        runtime.till.handle(CloseShift("0"))
    finally:
        runtime.close()
    remove_database(data_dir)
    code, said = run(data_dir, capsys, "tickets")
    assert code == 3 and "pos-app db restore" in said
    code, said = run(data_dir, capsys, "db", "restore")
    assert code == 0 and "1  " in said and "(Z report)" in said
    code, said = run(data_dir, capsys, "db", "restore", "7")
    assert code == 2 and "no backup '7'" in said
    code, said = run(data_dir, capsys, "db", "restore", "1")
    assert code == 0 and f"Restored {database_path(data_dir)}" in said and "Gone:" in said
    runtime = open_till(data_dir)
    try:
        assert [sale.number for sale in runtime.till.desk.closed_tickets()] == ["D1-01-000001"]
    finally:
        runtime.close()


def test_a_restore_over_a_working_file_keeps_it_aside_and_its_sequence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "till"
    runtime = open_till(data_dir)
    try:
        sell(runtime)
        runtime.till.handle(CloseShift("0"))
        sell(runtime)
        sell(runtime)  # D1-01-000003: after the backup
    finally:
        runtime.close()
    code, said = run(data_dir, capsys, "db", "restore", "1")
    assert code == 0 and "is kept as" in said and "go on after 3" in said
    (aside,) = data_dir.glob("till.sqlite3.replaced-*[0-9]")
    assert closed_sales(aside) == 3
    runtime = open_till(data_dir)
    try:
        assert sell(runtime) == "D1-01-000004"  # never D1-01-000002 again
    finally:
        runtime.close()


def test_a_manual_backup_refuses_a_damaged_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "till"
    runtime = open_till(data_dir)
    try:
        sell(runtime)
    finally:
        runtime.close()
    code, said = run(data_dir, capsys, "db", "backup")
    assert code == 0 and "backup taken" in said
    database_path(data_dir).write_bytes(b"garbage" * 1000)
    code, said = run(data_dir, capsys, "db", "backup")
    assert code == 3 and "is damaged" in said
    assert len(list_backups(database_path(data_dir))) == 1
