"""The till's file (issue 18), on real files: a data directory that held a sale never
starts fresh when its database is deleted or emptied; a damaged file is refused and
left untouched; read-only, full, locked and unknown-schema databases give one plain
message naming the file (the CLI exits 3, no traceback); the sale in progress stays."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from pos_app.cli.main import main
from pos_app.engine import AddItem, Close
from pos_app.store.database import database_path
from pos_app.store.till_file import HISTORY_MARKER, TillFileError
from pos_app.till.commands import PayCash
from pos_app.till.runtime import TillRuntime
from pos_app.wiring import open_till


def sell(runtime: TillRuntime, sku: str = "TEA") -> str:
    till = runtime.till
    till.handle(AddItem(None, sku))
    till.handle(PayCash(str(till.amount_due)))
    return till.handle(Close()).number


@pytest.fixture
def sold(tmp_path: Path) -> Path:
    """A data directory whose till sold one ticket, closed."""
    data_dir = tmp_path / "till"
    runtime = open_till(data_dir)
    try:
        sell(runtime)
    finally:
        runtime.close()
    return data_dir


def cli(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err


def remove_database(data_dir: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database_path(data_dir)}{suffix}").unlink(missing_ok=True)


def test_the_first_sale_leaves_the_history_marker(tmp_path: Path) -> None:
    data_dir = tmp_path / "till"
    runtime = open_till(data_dir)
    try:
        assert not (data_dir / HISTORY_MARKER).exists()  # a new demo till: nothing yet
        runtime.till.handle(AddItem(None, "TEA"))  # the first number is taken here
        assert (data_dir / HISTORY_MARKER).exists()
    finally:
        runtime.close()


@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_a_till_that_sold_never_starts_fresh(
    sold: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = database_path(sold)
    if how == "deleted":
        remove_database(sold)
    else:
        database.write_bytes(b"")
    with pytest.raises(TillFileError) as refused:
        open_till(sold)
    message = str(refused.value)
    state = "missing" if how == "deleted" else "empty"
    assert f"{database} is {state}" in message and "will not start fresh" in message
    assert "pos-app db restore" in message and "pos-app db recover" in message
    assert not database.exists() or database.stat().st_size == 0  # nothing written
    code, err = cli(sold, capsys, "tickets")
    assert code == 3 and str(database) in err and "will not start fresh" in err


def test_a_new_till_without_history_still_starts_fresh(tmp_path: Path) -> None:
    data_dir = tmp_path / "till"
    open_till(data_dir).close()
    remove_database(data_dir)
    open_till(data_dir).close()


def test_a_database_without_tables_is_refused_when_the_till_sold(sold: Path) -> None:
    remove_database(sold)
    sqlite3.connect(database_path(sold)).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(TillFileError, match="holds no till"):
        open_till(sold)


def _damage(database: Path) -> bytes:
    """Overwrite a page in the middle of the file (after a checkpoint) with garbage."""
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = bytearray(database.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    middle = (len(data) // page // 2) * page
    data[middle : middle + page] = b"\xa5" * page
    database.write_bytes(bytes(data))
    return bytes(data)


def test_a_damaged_database_is_refused_and_never_written(
    sold: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = database_path(sold)
    damaged = _damage(database)
    with pytest.raises(TillFileError) as refused:
        open_till(sold)
    assert f"{database} is damaged" in str(refused.value)
    assert "pos-app db restore" in str(refused.value)
    code, err = cli(sold, capsys, "outbox")
    assert code == 3 and "is damaged" in err
    assert database.read_bytes() == damaged


def test_a_file_that_is_no_database_is_refused(sold: Path) -> None:
    remove_database(sold)
    database_path(sold).write_bytes(b"these are not the pages you are looking for" * 200)
    with pytest.raises(TillFileError, match="is damaged"):
        open_till(sold)


@pytest.fixture
def read_only(sold: Path) -> Iterator[Path]:
    """The database file made read-only: by its mode, or (as root, who ignores modes)
    immutable with chattr."""
    database = database_path(sold)
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    database.chmod(0o444)
    immutable = False
    if os.access(database, os.W_OK):
        chattr = shutil.which("chattr")
        done = subprocess.run([chattr, "+i", str(database)], check=False) if chattr else None
        if done is None or done.returncode != 0:
            pytest.skip("cannot make a file read-only for this user here")
        immutable = True
    try:
        yield sold
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(database)], check=True)
        database.chmod(0o644)


def test_a_read_only_database_says_so_and_keeps_the_sale_on_screen(
    read_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = database_path(read_only)
    try:
        runtime = open_till(read_only)
    except TillFileError as refused:  # refused at the start: that is plain too
        assert f"cannot write to its database {database}" in str(refused)
    else:
        try:
            with pytest.raises(TillFileError) as refused_sale:
                runtime.till.handle(AddItem(None, "TEA"))
                runtime.till.handle(PayCash("10"))
                runtime.till.handle(Close())
            assert f"cannot write to its database {database}" in str(refused_sale.value)
            assert "read-only" in str(refused_sale.value)
        finally:
            runtime.close()
    code, err = cli(read_only, capsys, "report", "z")
    assert code == 3 and "read-only" in err and str(database) in err


def test_a_full_disk_says_so_and_the_sale_stays(sold: Path) -> None:
    """SQLite's own "database or disk is full", from a page limit at today's size."""
    runtime = open_till(sold)
    try:
        engine = runtime.database.engine

        @event.listens_for(engine, "connect")
        def _limit(connection: sqlite3.Connection, _record: object) -> None:
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count = {pages}")

        engine.dispose()
        till = runtime.till
        with pytest.raises(TillFileError) as refused:
            for _ in range(400):
                till.handle(AddItem(None, "TEA"))
        assert f"The disk holding the till's database {database_path(sold)} is full" in str(
            refused.value
        )
        assert till.state.lines  # the sale in progress is still there
    finally:
        runtime.close()


def test_a_locked_database_says_so(sold: Path, capsys: pytest.CaptureFixture[str]) -> None:
    holder = sqlite3.connect(database_path(sold), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, err = cli(sold, capsys, "report", "z")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 3 and "is locked by another program" in err


def test_a_database_of_a_newer_till_is_refused(
    sold: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connection = sqlite3.connect(database_path(sold))
    connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    connection.commit()
    connection.close()
    code, err = cli(sold, capsys, "tickets")
    assert code == 3 and "written by a newer version" in err and str(database_path(sold)) in err
