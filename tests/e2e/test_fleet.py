"""Operators see the fleet (issue 18, item 7), end to end: a real till's sync pings a
real back office with its software version, the events waiting in its outbox and those
parked; the back office keeps them for `pos-backoffice tills` and /admin/tills."""

from __future__ import annotations

import json
from datetime import timedelta

from backoffice.clock import utc_now
from backoffice.reports.tills import list_tills
from pos_app.sync.version import software_version
from tests.e2e.conftest import EnrollTill
from tests.e2e.tills import run_command
from tests.helpers.live_backoffice import LiveBackOffice


def test_a_till_reports_its_version_and_outbox_at_each_ping(
    backoffice: LiveBackOffice, enroll: EnrollTill
) -> None:
    till = enroll("Front counter")
    till.sync()  # the catalog comes down
    till.sell([("BURGER", 1)])
    till.sell([("COLA", 2)], card=True)
    till.sync()  # the ping goes first: two sales were waiting, none parked
    with backoffice.database() as database, database.sessions.begin() as session:
        (listed,) = list_tills(session, utc_now(), timedelta(minutes=60))
    assert listed["name"] == "Front counter" and listed["store"] == "Demo Diner"
    assert listed["software_version"] == software_version() != "unknown"
    assert (listed["outbox_depth"], listed["parked_events"]) == (2, 0)
    assert listed["last_sync_at"] is not None and listed["silent"] is False

    till.sync()  # the next ping reports the outbox drained
    done = run_command(
        "pos-backoffice", "tills", "--json", "--database-url", backoffice.database_url
    )
    assert done.returncode == 0, done.stderr
    (listed,) = json.loads(done.stdout)
    assert (listed["outbox_depth"], listed["parked_events"]) == (0, 0)
