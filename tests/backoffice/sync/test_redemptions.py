"""Spent entitlements reach every till even when the server stops between storing an
upload and marking them redeemed (S6, S7, S17)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.models.records import Record
from backoffice.models.sales import RedeemedCode
from backoffice.sync.redemptions import publish_pending
from tests.backoffice.conftest import EnrolledTill
from tests.backoffice.factories import ticket_closed

ENTITLEMENT = {
    "code": "ENT-0009",
    "member_id": "M-1001",
    "coupon_code": "MV-4",
    "status": "active",
}


def _state(database: Database) -> tuple[str, bool]:
    with database.sessions.begin() as session:
        record = session.get(Record, ("entitlement", "ENT-0009"))
        claim = session.scalar(select(RedeemedCode).where(RedeemedCode.code == "ENT-0009"))
        assert record is not None and claim is not None
        return str(record.data["status"]), claim.published


def test_a_redemption_left_unpublished_is_published_by_the_sweep(
    client: TestClient,
    database: Database,
    till: EnrolledTill,
    admin_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """S17: the upload is stored; the redemption it spent is published by the next pass."""
    put = client.put("/api/v1/admin/entitlements/ENT-0009", json=ENTITLEMENT, headers=admin_headers)
    assert put.status_code == 201, put.text

    def stopped(*_args: Any) -> int:
        return 0  # the server stopped right after the upload's commit

    monkeypatch.setattr("backoffice.sync.intake.upload.publish_redemptions", stopped)
    sale = ticket_closed("DEMO-1", till.device_id, coupons=["ENT-0009"])
    response = client.post("/api/v1/events", json={"events": [sale]}, headers=till.headers)
    assert response.json()["results"][0]["outcome"] == "accepted"
    assert _state(database) == ("active", False)
    assert publish_pending(database, utc_now()) == 1
    assert _state(database) == ("redeemed", True)
    assert publish_pending(database, utc_now()) == 0
