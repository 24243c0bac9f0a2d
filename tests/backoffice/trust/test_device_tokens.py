"""Device tokens over a till's life (S17): expiry, rotation on sync, listing, revoking;
a refused token says why (401 with a reason)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from backoffice.cli.main import main
from tests.backoffice.conftest import EnrolledTill, MovableClock


def _ping(client: TestClient, token: str) -> tuple[int, dict[str, object]]:
    response = client.get("/api/v1/ping", headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.json()


def test_a_revoked_device_is_told_it_is_revoked(
    client: TestClient, database_url: str, till: EnrolledTill, capsys: pytest.CaptureFixture[str]
) -> None:
    """S17: `devices list` shows the till; `devices revoke` stops its token with
    DEVICE_REVOKED (not "unknown"), for pings, downloads and uploads alike."""
    assert main(["devices", "list", "--json", "--database-url", database_url]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(d["device_id"], d["revoked_at"]) for d in listed] == [(till.device_id, None)]
    assert main(["devices", "revoke", till.device_id, "--database-url", database_url]) == 0
    assert "revoked device" in capsys.readouterr().out
    for method, path in (("GET", "/api/v1/ping"), ("GET", "/api/v1/changes")):
        response = client.request(method, path, headers=till.headers)
        assert response.status_code == 401
        assert response.json()["reason"] == "DEVICE_REVOKED"
    upload = client.post("/api/v1/events", json={"events": [{}]}, headers=till.headers)
    assert upload.status_code == 401 and upload.json()["reason"] == "DEVICE_REVOKED"
    assert main(["devices", "revoke", "no-such-device", "--database-url", database_url]) == 2


def test_an_expired_token_is_told_it_expired(
    client: TestClient, clock: MovableClock, till: EnrolledTill
) -> None:
    """S17: a token unused past its lifetime (90 days) is refused as TOKEN_EXPIRED."""
    clock.advance(timedelta(days=91))
    status, body = _ping(client, till.token)
    assert status == 401 and body["reason"] == "TOKEN_EXPIRED"


def test_a_sync_rotates_an_old_token_and_the_first_use_of_the_new_one_ends_the_old(
    client: TestClient, clock: MovableClock, till: EnrolledTill
) -> None:
    """S17, issue 18 item 5: past the rotation age a ping hands out a new token; a repeated
    ping with the old token gets the same new token (a lost reply, a second sync
    process), before and within the grace window after the new one is first used; past
    the grace window the old token stops."""
    status, body = _ping(client, till.token)
    assert status == 200 and body["token"] is None
    clock.advance(timedelta(days=31))
    status, body = _ping(client, till.token)
    assert status == 200 and isinstance(body["token"], dict)
    rotated = str(body["token"]["token"])
    status, body = _ping(client, till.token)  # the reply was lost, or a second process
    assert isinstance(body["token"], dict) and body["token"]["token"] == rotated
    status, body = _ping(client, rotated)  # one process moves to the new token
    assert status == 200 and body["token"] is None
    status, body = _ping(client, till.token)  # the other still holds the old one
    assert status == 200 and isinstance(body["token"], dict)
    assert body["token"]["token"] == rotated, "the same new token: nobody is locked out"
    assert (
        client.get("/api/v1/changes", headers={"Authorization": f"Bearer {till.token}"}).status_code
        == 200
    )
    clock.advance(timedelta(minutes=16))  # past the grace window
    status, body = _ping(client, till.token)
    assert status == 401 and body["reason"] == "UNKNOWN_TOKEN"
    clock.advance(timedelta(days=80))  # the new token lives 90 days from its rotation
    assert _ping(client, rotated)[0] == 200


def test_every_ping_hands_the_till_the_chains_phone_key(
    client: TestClient, till: EnrolledTill
) -> None:
    """Issue 18 item 5: the chain's key for members' phone digests, one for the chain,
    64 hex digits, the same at every ping."""
    first = _ping(client, till.token)[1]["phone_key"]
    again = _ping(client, till.token)[1]["phone_key"]
    assert isinstance(first, str) and len(bytes.fromhex(first)) == 32 and again == first
