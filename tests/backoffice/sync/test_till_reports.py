"""What a till reports at its ping (issue 18, item 7), on SQLite and PostgreSQL: kept
for the fleet page; a ping without a report (an older till) still answers and keeps the
last one; a report incomplete or out of bounds is a 422 naming the field and changes
nothing; a till silent longer than the setting is flagged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from backoffice.database import Database
from backoffice.reports.tills import list_tills
from tests.backoffice.conftest import EnrolledTill, MovableClock, enroll

REPORT = {"software_version": "0.18.0", "outbox_depth": "7", "parked_events": "2"}
HOUR = timedelta(hours=1)


def _tills(database: Database, clock: MovableClock, after: timedelta = HOUR) -> list[Any]:
    with database.sessions.begin() as session:
        return list_tills(session, clock(), after)


def test_a_ping_report_is_kept_and_an_older_tills_ping_keeps_it(
    client: TestClient, database: Database, till: EnrolledTill, clock: MovableClock
) -> None:
    assert client.get("/api/v1/ping", params=REPORT, headers=till.headers).status_code == 200
    (listed,) = _tills(database, clock)
    assert listed["name"] == "till-1" and listed["store"] == "Demo Diner"
    assert listed["software_version"] == "0.18.0"
    assert (listed["outbox_depth"], listed["parked_events"]) == (7, 2)
    assert listed["last_sync_at"] == listed["reported_at"] == "2026-11-21T12:00:00+00:00"

    clock.advance(timedelta(minutes=5))
    older = client.get("/api/v1/ping", headers=till.headers)  # a till from before reports
    assert older.status_code == 200 and older.json()["ok"] is True
    (listed,) = _tills(database, clock)
    assert listed["software_version"] == "0.18.0" and listed["outbox_depth"] == 7
    assert listed["last_sync_at"] == "2026-11-21T12:05:00+00:00"
    assert listed["reported_at"] == "2026-11-21T12:00:00+00:00"


def test_a_bad_report_is_refused_naming_the_field_and_changes_nothing(
    client: TestClient, database: Database, till: EnrolledTill, clock: MovableClock
) -> None:
    for params, field in (
        ({**REPORT, "outbox_depth": "-1"}, "outbox_depth"),
        ({**REPORT, "parked_events": "many"}, "parked_events"),
        ({**REPORT, "software_version": "v" * 65}, "software_version"),
        ({"software_version": "0.18.0"}, "outbox_depth"),
    ):
        response = client.get("/api/v1/ping", params=params, headers=till.headers)
        assert response.status_code == 422, (params, response.text)
        assert field in response.text
    (listed,) = _tills(database, clock)
    assert listed["software_version"] is None and listed["outbox_depth"] is None


def test_a_till_silent_longer_than_the_setting_is_flagged(
    client: TestClient, database: Database, till: EnrolledTill, clock: MovableClock
) -> None:
    quiet = enroll(client, database, "DEMO-1", "Back bar", clock())
    client.get("/api/v1/ping", params=REPORT, headers=till.headers)
    client.get("/api/v1/ping", headers=quiet.headers)
    clock.advance(timedelta(minutes=50))
    client.get("/api/v1/ping", params=REPORT, headers=till.headers)
    clock.advance(timedelta(minutes=20))
    by_name = {t["name"]: t for t in _tills(database, clock)}
    assert by_name["Back bar"]["silent"] is True
    assert by_name["Back bar"]["silent_for"] == "1 hour"
    assert by_name["till-1"]["silent"] is False
    assert by_name["till-1"]["silent_for"] == "20 minutes"
    assert all(not t["silent"] for t in _tills(database, clock, timedelta(hours=2)))
