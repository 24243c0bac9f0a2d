"""The permission helper grants through the till, as a manager would."""

from __future__ import annotations

from pathlib import Path

from pos_app.till.manager import GUARDED_ACTIONS
from pos_app.wiring import open_till
from tests.helpers.device_clock import FakeClock
from tests.helpers.permissions import grant_cashiers


def test_grant_cashiers_allows_every_guarded_action(tmp_path: Path) -> None:
    """Cashiers start needing a manager for each guarded action; the helper grants them."""
    runtime = open_till(tmp_path / "till", clock=FakeClock())
    try:
        till = runtime.till
        assert not any(till.permissions.allows(a) for a in GUARDED_ACTIONS)
        grant_cashiers(till, ["present"])
        assert till.permissions.allows("present") and not till.permissions.allows("void")
        grant_cashiers(till)
        assert all(till.permissions.allows(a) for a in GUARDED_ACTIONS)
    finally:
        runtime.close()
