"""Tokens on every request (S12): who may call what, and for which store."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from backoffice.database import Database
from tests.backoffice.conftest import EnrolledTill, MovableClock, enroll
from tests.backoffice.factories import ticket_closed

PROMOTION = {
    "id": "P-NEW",
    "type": "percent_off",
    "sequence": 9,
    "auto_execute": True,
    "percent": "10",
}


@pytest.mark.parametrize("path", ["/api/v1/ping", "/api/v1/changes"])
def test_missing_token_is_401(client: TestClient, path: str) -> None:
    """S12: a request without a token is refused with 401 and a Bearer challenge."""
    response = client.get(path)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_unknown_token_is_401(client: TestClient, till: EnrolledTill) -> None:
    """S12: a token the server never issued is refused with 401."""
    response = client.get("/api/v1/ping", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    upload = client.post(
        "/api/v1/events",
        json={"events": [ticket_closed("DEMO-1", till.device_id)]},
        headers={"Authorization": "Bearer not-a-token"},
    )
    assert upload.status_code == 401


def test_admin_route_refuses_a_device_token(client: TestClient, till: EnrolledTill) -> None:
    """S12/K1: a device token on the admin API is 403; only group_admin tokens pass."""
    put = client.put("/api/v1/admin/promotions/P-NEW", json=PROMOTION, headers=till.headers)
    assert put.status_code == 403
    conflicts = client.get("/api/v1/admin/conflicts", headers=till.headers)
    assert conflicts.status_code == 403
    assert client.get("/api/v1/admin/conflicts").status_code == 401


def test_device_route_refuses_an_admin_token(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """S12: an admin token acts for no store, so device routes refuse it with 403."""
    assert client.get("/api/v1/changes", headers=admin_headers).status_code == 403


def test_event_for_another_store_is_rejected(client: TestClient, till: EnrolledTill) -> None:
    """S12/S5: an event whose payload names another store is rejected FOREIGN_STORE, alone."""
    foreign = ticket_closed("OTHER-1", till.device_id, seq=1)
    own = ticket_closed("DEMO-1", till.device_id, seq=2)
    response = client.post("/api/v1/events", json={"events": [foreign, own]}, headers=till.headers)
    assert response.status_code == 200
    first, second = response.json()["results"]
    assert (first["outcome"], first["reason"]) == ("rejected", "FOREIGN_STORE")
    assert second["outcome"] == "accepted"


def test_query_naming_another_store_is_403(client: TestClient, till: EnrolledTill) -> None:
    """S12: a request whose query names another store is refused with 403."""
    assert client.get("/api/v1/changes?store_id=OTHER-1", headers=till.headers).status_code == 403
    assert client.get("/api/v1/changes?store_id=DEMO-1", headers=till.headers).status_code == 200


def test_tokens_never_reach_the_logs(
    client: TestClient,
    database: Database,
    clock: MovableClock,
    demo_chain: None,
    admin_headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """S12: enrolling, syncing and admin calls log nothing that contains a token."""
    caplog.set_level(logging.DEBUG)
    till = enroll(client, database, "DEMO-1", "till-log", clock())
    client.get("/api/v1/changes", headers=till.headers)
    client.post(
        "/api/v1/events",
        json={"events": [ticket_closed("OTHER-1", till.device_id)]},
        headers=till.headers,
    )
    client.put("/api/v1/admin/promotions/P-NEW", json=PROMOTION, headers=admin_headers)
    admin_token = admin_headers["Authorization"].removeprefix("Bearer ")
    assert caplog.records, "expected the back office to log something"
    for record in caplog.records:
        message = record.getMessage()
        assert till.token not in message
        assert admin_token not in message
