"""S2: acknowledged events stay for audit, then a later sync prunes them; nothing
unacknowledged is ever pruned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pos_app.sync.client import BackOfficeClient
from pos_app.sync.cycle import SyncRun
from pos_app.sync.enrollment import load_settings
from tests.e2e.conftest import EnrollTill

pytestmark = pytest.mark.slow  # starts servers or processes


def _run_at(till_runtime: object, data_dir: object, moment: datetime) -> SyncRun:
    settings = load_settings(data_dir)  # type: ignore[arg-type]
    client = BackOfficeClient(settings.url, settings.token)
    return SyncRun(
        till_runtime.sync_store,  # type: ignore[attr-defined]
        client,
        clock=lambda: moment,
        keep_acknowledged_days=30,
    )


def test_acknowledged_events_are_kept_30_days_then_pruned(enroll: EnrollTill) -> None:
    """S2: an accepted event survives a sync 29 days later and is pruned by one 31 days
    later; an event still waiting for the back office is never pruned."""
    till = enroll("till-1")
    till.sync()
    till.sell([("BURGER", 1)])
    till.sync()
    assert till.outbox_statuses() == {"accepted": 1}

    now = datetime.now(UTC)
    _run_at(till.runtime, till.data_dir, now + timedelta(days=29)).run()
    assert till.outbox_statuses() == {"accepted": 1}

    _run_at(till.runtime, till.data_dir, now + timedelta(days=31)).run()
    assert till.outbox_statuses() == {}

    till.sell([("COLA", 1)])  # offline for a year: still waiting, so it stays
    till.runtime.sync_store.prune_acknowledged(30, now + timedelta(days=365))
    assert till.outbox_statuses() == {"pending": 1}
