"""Device enrollment (S12): one-time codes, store-scoped tokens kept only as hashes."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from backoffice.database import Database
from backoffice.models.trust import Device
from backoffice.trust.device_tokens import list_devices, revoke_device
from backoffice.trust.enrollment import issue_enrollment_code
from tests.backoffice.conftest import MovableClock


def _code(database: Database, clock: MovableClock, store_id: str = "DEMO-1") -> str:
    with database.sessions.begin() as session:
        return issue_enrollment_code(session, store_id, clock())


def _enroll(client: TestClient, code: str, name: str = "till-1") -> tuple[int, dict[str, Any]]:
    response = client.post("/api/v1/devices/enroll", json={"code": code, "device_name": name})
    return response.status_code, response.json()


def test_code_enrolls_a_device_into_its_store(
    client: TestClient, database: Database, clock: MovableClock, demo_chain: None
) -> None:
    """S12: a one-time code gives a device id, the code's store and a token (201)."""
    code = _code(database, clock)
    assert len(code.replace("-", "")) >= 8
    status, body = _enroll(client, code)
    assert status == 201
    assert body["store_id"] == "DEMO-1"
    assert body["device_id"] and len(body["token"]) >= 32
    ping = client.get("/api/v1/ping", headers={"Authorization": f"Bearer {body['token']}"})
    assert ping.status_code == 200
    answer = ping.json()
    assert len(bytes.fromhex(answer.pop("phone_key"))) == 32  # the chain's phone key
    assert answer == {
        "ok": True,
        "server_time": "2026-11-21T12:00:00+00:00",
        "store_id": "DEMO-1",
        "retention_seconds": 30 * 86400,
        "token": None,
    }


def test_code_works_once(
    client: TestClient, database: Database, clock: MovableClock, demo_chain: None
) -> None:
    """S12: a used code is refused with 400."""
    code = _code(database, clock)
    assert _enroll(client, code)[0] == 201
    status, body = _enroll(client, code, "till-2")
    assert status == 400
    assert "already used" in body["detail"]


def test_code_expires_after_24_hours(
    client: TestClient, database: Database, clock: MovableClock, demo_chain: None
) -> None:
    """S12: a code is valid 24 h; after that it is refused with 400."""
    code = _code(database, clock)
    clock.advance(timedelta(hours=24, seconds=1))
    status, body = _enroll(client, code)
    assert status == 400
    assert "expired" in body["detail"]


def test_code_still_valid_just_before_24_hours(
    client: TestClient, database: Database, clock: MovableClock, demo_chain: None
) -> None:
    """S12: a code is still good a moment before its 24 h run out."""
    code = _code(database, clock)
    clock.advance(timedelta(hours=23, minutes=59))
    assert _enroll(client, code)[0] == 201


def test_wrong_code_is_refused(client: TestClient, demo_chain: None) -> None:
    """S12: an unknown code is refused with 400."""
    status, body = _enroll(client, "AAAA-BBBB-CCCC")
    assert status == 400
    assert "unknown" in body["detail"]


def test_code_ignores_case_and_dashes(
    client: TestClient, database: Database, clock: MovableClock, demo_chain: None
) -> None:
    """S12: a code typed in lower case without dashes still works."""
    code = _code(database, clock)
    assert _enroll(client, code.replace("-", "").lower())[0] == 201


def test_only_a_hash_of_the_token_is_stored(
    client: TestClient, database: Database, clock: MovableClock, demo_chain: None
) -> None:
    """S12: the server keeps only the SHA-256 of a device token."""
    status, body = _enroll(client, _code(database, clock))
    assert status == 201
    with database.sessions.begin() as session:
        device = session.scalars(select(Device)).one()
    assert device.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in {device.token_hash, device.name, device.device_id}


def test_each_till_gets_the_next_number_of_its_store(
    client: TestClient, database: Database, clock: MovableClock, demo_chain: None
) -> None:
    """Tills are numbered 1, 2, ... within their store (the middle of their ticket
    numbers); another store counts on its own; a revoked till's number is not reused."""
    first = _enroll(client, _code(database, clock))[1]
    second = _enroll(client, _code(database, clock), "till-2")[1]
    other = _enroll(client, _code(database, clock, "DEMO-2"), "till-1")[1]
    assert (first["till_number"], second["till_number"], other["till_number"]) == (1, 2, 1)
    with database.sessions.begin() as session:
        assert revoke_device(session, second["device_id"], clock())
    third = _enroll(client, _code(database, clock), "till-3")[1]
    assert third["till_number"] == 3
    with database.sessions.begin() as session:
        listed = {d["name"]: d["till_number"] for d in list_devices(session, store_id="DEMO-1")}
    assert listed == {"till-1": 1, "till-2": 2, "till-3": 3}
