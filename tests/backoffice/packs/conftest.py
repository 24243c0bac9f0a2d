"""Pack fixtures: the API without its background scheduler, an admin caller, pack bodies."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from backoffice.app import create_app
from backoffice.database import Database
from tests.backoffice.conftest import MovableClock

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from fastapi.testclient import TestClient


def campaign_pack(**overrides: Any) -> dict[str, Any]:
    """A one-time campaign pack: two CV-5 vouchers valid 30 days from issue."""
    return {
        "type": "campaign",
        "name": "Welcome pack",
        "content": [
            {"coupon_code": "CV-5", "quantity": 2, "effective": "immediate", "validity_days": 30}
        ],
        "distribution": {"method": "one_time"},
        **overrides,
    }


def paid_pack(**overrides: Any) -> dict[str, Any]:
    """A paid pack on the mall at DEMO-1 for 9.90, on sale all of November-December 2026."""
    return {
        "type": "paid",
        "name": "Milk tea lover's pack",
        "content": [
            {"coupon_code": "CV-5", "quantity": 1, "effective": "immediate", "validity_days": 30}
        ],
        "channels": ["mall"],
        "sales_period": {"first_day": "2026-11-01", "last_day": "2026-12-31"},
        "price": "9.90",
        "stores": ["DEMO-1"],
        **overrides,
    }


class AdminApi:
    """Calls the API as a group_admin (or with other headers)."""

    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    def __call__(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", self.headers)
        return self.client.request(method, path, headers=headers, **kwargs)

    def create(self, body: dict[str, Any], **params: Any) -> dict[str, Any]:
        response = self("POST", "/api/v1/admin/packs", json=body, params=params)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    def details(self, pack_id: int) -> dict[str, Any]:
        response = self("GET", f"/api/v1/admin/packs/{pack_id}")
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def buy(self, pack_id: int, **body: Any) -> Any:
        body = {"member_id": "M-1001", "store_id": "DEMO-1", **body}
        return self("POST", f"/api/v1/mall/packs/{pack_id}/purchases", json=body)

    def run_scheduler(self) -> dict[str, Any]:
        response = self("POST", "/api/v1/admin/pack-scheduler/run")
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result


@pytest.fixture
def api_client(database_url: str, clock: MovableClock) -> Iterator[TestClient]:
    """The API over the test database with the movable clock, no background scheduler."""
    app = create_app(database_url, clock=clock, pack_scheduler_interval=None)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def api(api_client: TestClient, demo_chain: None, admin_headers: dict[str, str]) -> AdminApi:
    """The API as a group_admin, over the demo chain (DEMO-1, OTHER-1, members M-1001/2)."""
    return AdminApi(api_client, admin_headers)


def entitlements_of(database: Database, member_id: str | None = None) -> list[dict[str, Any]]:
    """Live entitlement records (as the tills get them), by valid_from then code."""
    from sqlalchemy import select

    from backoffice.models.records import Record

    with database.sessions.begin() as session:
        records = session.scalars(select(Record).where(Record.kind == "entitlement")).all()
        found = [dict(r.data) for r in records if not r.deleted]
    if member_id is not None:
        found = [e for e in found if e["member_id"] == member_id]
    return sorted(found, key=lambda e: (e["valid_from"], e["code"]))
