"""The admin API (K1, S7): validated PUT/DELETE of synced records, each in the change log."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

PROMOTION = {
    "id": "P-NEW",
    "name": "Ten off drinks",
    "type": "percent_off",
    "sequence": 9,
    "auto_execute": True,
    "percent": "10",
    "items": ["category:drinks"],
}


@pytest.fixture
def admin(client: TestClient, demo_chain: None, admin_headers: dict[str, str]) -> Any:
    """Call the admin API with a group_admin token: admin(method, path, json=...)."""

    def call(method: str, path: str, **kwargs: Any) -> Any:
        return client.request(method, f"/api/v1/admin{path}", headers=admin_headers, **kwargs)

    return call


def test_put_creates_then_replaces(admin: Any) -> None:
    """S7: PUT creates (201) then replaces (200); each change moves the record's seq on."""
    created = admin("PUT", "/promotions/P-NEW", json=PROMOTION)
    assert created.status_code == 201, created.text
    assert created.json()["revision"] == 1 and created.json()["store_id"] is None
    replaced = admin("PUT", "/promotions/P-NEW", json={**PROMOTION, "percent": "15"})
    assert replaced.status_code == 200
    assert replaced.json()["seq"] > created.json()["seq"]
    assert replaced.json()["data"]["percent"] == "15"
    same = admin("PUT", "/promotions/P-NEW", json={**PROMOTION, "percent": "15"})
    assert same.json()["seq"] == replaced.json()["seq"], "an unchanged PUT logs nothing"
    assert admin("GET", "/promotions/P-NEW").json()["data"]["percent"] == "15"


def test_put_fills_the_id_from_the_path(admin: Any) -> None:
    """S7: a body without its id field gets the path's id."""
    body = {key: value for key, value in PROMOTION.items() if key != "id"}
    response = admin("PUT", "/promotions/P-NEW", json=body)
    assert response.status_code == 201
    assert response.json()["data"]["id"] == "P-NEW"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/promotions/P-NEW", {**PROMOTION, "percent": "150"}, "percent"),
        ("/promotions/P-NEW", {**PROMOTION, "type": "half_off"}, "type"),
        ("/promotions/P-NEW", {k: v for k, v in PROMOTION.items() if k != "sequence"}, "sequence"),
        ("/promotions/P-NEW", {**PROMOTION, "id": "P-OTHER"}, "id"),
        ("/coupons/C-1", {"code": "C-1", "kind": "cash_voucher", "sequence": 1}, "face_value"),
        (
            "/coupons/C-1",
            {"kind": "cash_voucher", "sequence": 1, "face_value": "1", "single_use": "y"},
            "single_use",
        ),
        ("/items/TEA2", {"sku": "TEA2", "name": "Tea", "price": 1.05}, "price"),
        ("/members/M-9", {"id": "M-9", "name": "Bo"}, "phone"),
        ("/stores/S-2", {"name": "S", "address": "A", "currency": "usd"}, "currency"),
        (
            "/entitlements/E-1",
            {
                "member_id": "M-404",
                "coupon_code": "MV-4",
                "valid_from": "2026-11-01T00:00:00+00:00",
                "valid_to": "2026-12-01T00:00:00+00:00",
                "status": "active",
            },
            "member_id",
        ),
        (
            "/entitlements/E-1",
            {
                "member_id": "M-1001",
                "coupon_code": "MV-4",
                "valid_from": "2026-12-01T00:00:00+00:00",
                "valid_to": "2026-11-01T00:00:00+00:00",
                "status": "active",
            },
            "valid_to",
        ),
    ],
)
def test_bad_data_is_422_naming_the_field(admin: Any, path: str, body: Any, field: str) -> None:
    """K1/S7: a record the till could not read is refused with 422 naming the field."""
    response = admin("PUT", path, json=body)
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["field"] == field
    assert error["loc"] == ["body", field]
    assert admin("GET", path).status_code == 404, "nothing was stored"


def test_entitlement_validity_is_optional_and_read_as_the_till_reads_it(admin: Any) -> None:
    """S7/S14: an entitlement may omit its validity or give dates; a bad date is a 422."""
    base = {"member_id": "M-1001", "coupon_code": "MV-4", "status": "issued"}
    assert admin("PUT", "/entitlements/E-1", json=base).status_code == 201
    dated = {**base, "valid_from": "2026-11-01", "valid_to": "2026-11-30"}
    assert admin("PUT", "/entitlements/E-2", json=dated).status_code == 201
    bad = admin("PUT", "/entitlements/E-3", json={**base, "valid_from": "soon"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "valid_from"


def test_unknown_store_scope_is_422(admin: Any) -> None:
    """S7: a record can only be scoped to a store that exists."""
    response = admin("PUT", "/promotions/P-NEW?store_id=NOWHERE", json=PROMOTION)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "store_id"]


def test_delete_unknown_record_is_404(admin: Any) -> None:
    """S7: deleting a record that never existed is a 404, and logs nothing."""
    assert admin("DELETE", "/coupons/NOPE").status_code == 404


def test_delete_keeps_the_record_as_deleted(admin: Any) -> None:
    """S7: a deleted record stays known to the back office, marked deleted; PUT revives it."""
    deleted = admin("DELETE", "/items/TEA")
    assert deleted.status_code == 200 and deleted.json()["deleted"] is True
    assert admin("GET", "/items/TEA").json()["deleted"] is True
    tea = {"sku": "TEA", "name": "Tea", "price": "1.10", "category": "drinks"}
    revived = admin("PUT", "/items/TEA", json=tea)
    assert revived.status_code == 201 and revived.json()["deleted"] is False


def test_unknown_collection_is_refused(admin: Any) -> None:
    """The admin API has only the protocol's kinds."""
    assert admin("PUT", "/widgets/W-1", json={}).status_code == 404


def test_openapi_documents_the_api(client: TestClient) -> None:
    """OpenAPI at /docs lists the sync and admin routes."""
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/devices/enroll",
        "/api/v1/ping",
        "/api/v1/changes",
        "/api/v1/events",
        "/api/v1/admin/{collection}/{record_id}",
        "/api/v1/admin/conflicts",
    ):
        assert path in paths
