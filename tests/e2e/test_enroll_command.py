"""`pos-app enroll URL CODE` against a real back office on 127.0.0.1 (S12): the till is
told its number in the store, keeps it, and prints it on its ticket numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.engine import AddItem, Close
from pos_app.till.commands import PayCash
from pos_app.wiring import open_till
from tests.e2e.tills import run_command
from tests.helpers.live_backoffice import LiveBackOffice

pytestmark = pytest.mark.slow  # starts servers or processes


def test_two_tills_enrolled_by_command_number_their_tickets_apart(
    tmp_path: Path, backoffice: LiveBackOffice
) -> None:
    """Each `pos-app enroll` says which till it is; their first tickets are D1-01-000001
    and D1-02-000001. A spent code exits 1 with the reason and changes nothing."""
    numbers: list[str] = []
    for name in ("front", "terrace"):
        data_dir = tmp_path / name
        code = backoffice.device_code()
        done = run_command(
            "pos-app", "--data-dir", str(data_dir), "enroll", backoffice.url, code,
            "--device-name", name,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"enrolled as till {len(numbers) + 1} of store DEMO-1")
        again = run_command("pos-app", "--data-dir", str(data_dir), "enroll", backoffice.url, code)
        assert again.returncode == 1 and "already used" in again.stderr
        synced = run_command("pos-app", "--data-dir", str(data_dir), "sync", "--once")
        assert synced.returncode == 0, synced.stderr  # the catalog comes down
        runtime = open_till(data_dir)
        try:
            till = runtime.till
            till.handle(AddItem(None, "COLA"))
            till.handle(PayCash("3.00"))
            numbers.append(till.handle(Close()).number)
        finally:
            runtime.close()
    assert numbers == ["D1-01-000001", "D1-02-000001"]
