"""``/healthz`` and ``/metrics`` for the people who run the servers (issue 18, item 7),
on SQLite and PostgreSQL: ok when the database answers at the newest migration, a 503
in plain words when it does not; the Prometheus text counts requests by route template
and status, events by outcome, and times each upload."""

from __future__ import annotations

import re
import warnings

from alembic import command
from prometheus_client.parser import text_string_to_metric_families

from backoffice.app import create_app
from backoffice.http.health import newest_migrations
from backoffice.migrate import alembic_config
from tests.backoffice.conftest import EnrolledTill
from tests.backoffice.factories import ticket_closed
from tests.helpers.live_backoffice import free_port

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from fastapi.testclient import TestClient


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_healthz_is_ok_at_the_newest_migration(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok\n")


def test_healthz_is_503_on_a_database_behind_the_migrations(empty_database_url: str) -> None:
    command.upgrade(alembic_config(empty_database_url), "0008_till_numbers")
    with TestClient(create_app(empty_database_url, pack_scheduler_interval=None)) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/plain")
    (head,) = newest_migrations()
    assert response.text == (
        f"database schema is at 0008_till_numbers, this server needs {head}:"
        " run `pos-backoffice db upgrade`\n"
    )


def test_healthz_is_503_when_the_database_is_unreachable() -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test?connect_timeout=3"
    with TestClient(create_app(url, pack_scheduler_interval=None)) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.text.startswith("database unreachable: ")
    assert "Traceback" not in response.text


def test_metrics_count_requests_by_route_events_by_outcome_and_time_uploads(
    client: TestClient, till: EnrolledTill
) -> None:
    sale = ticket_closed("DEMO-1", till.device_id)
    bad = ticket_closed("DEMO-1", till.device_id)
    bad["payload"]["total"] = 18.0  # money must be a string: rejected
    client.post("/api/v1/events", json={"events": [sale, sale, bad]}, headers=till.headers)
    client.get("/api/v1/admin/packs/12345")  # no token: a 401 on a templated route
    client.get("/no/such/path")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    samples = _samples(response.text)

    def events(outcome: str) -> float:
        return samples[("pos_backoffice_events_total", (("outcome", outcome),))]

    assert (events("accepted"), events("duplicate"), events("rejected")) == (1, 1, 1)
    assert events("conflict") == 0

    def requests(method: str, route: str, status: str) -> float:
        labels = (("method", method), ("route", route), ("status", status))
        return samples.get(("pos_backoffice_http_requests_total", labels), 0)

    assert requests("POST", "/api/v1/events", "200") == 1
    assert requests("GET", "/api/v1/admin/packs/{pack_id}", "401") == 1
    assert requests("GET", "unmatched", "404") == 1
    assert not re.search(r'route="/api/v1/admin/packs/12345"', response.text)
    assert samples[("pos_backoffice_intake_seconds_count", ())] == 1
