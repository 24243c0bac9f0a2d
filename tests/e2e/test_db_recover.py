"""`pos-app db recover` against a real back office on 127.0.0.1 (issue 18): a till whose
database was deleted is refused, then rebuilt from what the back office holds; its
ticket numbers go on after the highest the back office received, its Z reports after
the last, and it says what is gone."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.store.database import database_path
from pos_app.store.till_file import TillFileError
from pos_app.till.shift_commands import CloseShift
from pos_app.wiring import open_till
from tests.e2e.conftest import EnrollTill
from tests.e2e.tills import run_command
from tests.helpers.live_backoffice import LiveBackOffice

pytestmark = pytest.mark.slow  # starts servers or processes


def test_a_lost_database_is_rebuilt_from_the_back_office(
    backoffice: LiveBackOffice, enroll: EnrollTill
) -> None:
    till = enroll("till-1")
    till.sync(timeout=(5.0, 30.0))
    sold = [till.sell([("COLA", 1)]).number for _ in range(3)]
    assert sold == ["D1-01-000001", "D1-01-000002", "D1-01-000003"]
    till.runtime.till.handle(CloseShift("0"))
    till.sync(timeout=(5.0, 30.0))
    till.sell([("COLA", 1)])  # D1-01-000004, never sent: gone with the file
    till.close()
    data_dir = till.data_dir
    for suffix in ("", "-wal", "-shm"):
        database_path(data_dir).with_name(f"till.sqlite3{suffix}").unlink(missing_ok=True)
    with pytest.raises(TillFileError, match="pos-app db recover"):
        open_till(data_dir)

    done = run_command("pos-app", "--data-dir", str(data_dir), "db", "recover")
    assert done.returncode == 0, done.stderr
    assert "Enrolled as till 01 of store DEMO-1" in done.stdout
    assert "go on after D1-01-000003, the highest of the 3 sales" in done.stdout
    assert "Z reports after No. 1" in done.stdout
    assert (
        "Configuration downloaded" in done.stdout and "Gone (only this till held it)" in done.stdout
    )

    till.runtime = open_till(data_dir)
    assert till.sell([("COLA", 1)]).number == "D1-01-000004"
    z = till.runtime.till.handle(CloseShift("0")).outcome
    assert getattr(z, "z_number", None) == 2
    status = till.sync(timeout=(5.0, 30.0))
    assert (status.pending_events, status.failed_events) == (0, 0)


def test_recover_without_an_enrollment_says_what_to_do(tmp_path: Path) -> None:
    data_dir = tmp_path / "till"
    open_till(data_dir).close()
    done = run_command("pos-app", "--data-dir", str(data_dir), "db", "recover")
    assert done.returncode == 2 and "not enrolled" in done.stderr and "db restore" in done.stderr
    assert "Traceback" not in done.stderr
