"""The admin API accepts only what a till can sell (S15): one bounds table on both sides.
Each request that was a 201 the till could not use, or a 500, is now a clear 4xx."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.backoffice.conftest import EnrolledTill

ITEM = {"sku": "EDGE", "name": "Edge", "price": "1.00", "category": "edge"}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/admin/items/EDGE", {**ITEM, "price": "1E+400"}, "price"),
        ("/api/v1/admin/items/EDGE", {**ITEM, "name": "n" * 257}, "name"),
        ("/api/v1/admin/items/EDGE", {**ITEM, "name": "a\x00b"}, "name"),
        ("/api/v1/admin/items/EDGE", {**ITEM, "extra": {"deep": ["\ud800"]}}, "extra.deep[0]"),
        ("/api/v1/admin/items/EDGE", {**ITEM, "extra": 2**64}, "extra"),
        ("/api/v1/admin/items/" + "S" * 129, {**ITEM, "sku": "S" * 129}, "sku"),
        ("/api/v1/admin/items/" + "S" * 200, {**ITEM, "sku": "S" * 200}, "sku"),
        ("/api/v1/admin/stores/" + "D" * 65, {"name": "Long", "currency": "USD"}, "id"),
        (
            "/api/v1/admin/entitlements/E-OLD",
            {"member_id": "M-1001", "coupon_code": "MV-4", "valid_to": "1999-12-31"},
            "valid_to",
        ),
    ],
)
def test_a_record_outside_the_bounds_is_422_naming_the_field(
    client: TestClient,
    demo_chain: None,
    admin_headers: dict[str, str],
    path: str,
    body: dict[str, object],
    field: str,
) -> None:
    """S15: the admin API refuses what the till could not sell or the database store."""
    response = client.put(
        path,
        content=json.dumps(body).encode("ascii"),  # a lone surrogate travels escaped
        headers={**admin_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["field"] == field


def test_the_highest_price_and_longest_name_are_accepted(
    client: TestClient, demo_chain: None, admin_headers: dict[str, str]
) -> None:
    """S15: the bounds themselves are inside (the till test sells such an item)."""
    sku = "S" * 128
    body = {"sku": sku, "name": "n" * 256, "price": "999999999999.99", "category": "edge"}
    response = client.put(f"/api/v1/admin/items/{sku}", json=body, headers=admin_headers)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/mall/packs/9223372036854775808",
        "/api/v1/mall/packs/2147483648",
        "/api/v1/mall/packs/0",
        "/api/v1/admin/packs/99999999999999999999",
        "/api/v1/admin/items/" + "S" * 200,
        "/api/v1/admin/items/a%00b",
        "/api/v1/admin/organisations/2147483648",
    ],
)
def test_a_path_value_out_of_range_is_404(
    client: TestClient, demo_chain: None, admin_headers: dict[str, str], path: str
) -> None:
    """S15: a path value that names nothing is a 404 (never a 500), with or without a
    token."""
    assert client.get(path, headers=admin_headers).status_code == 404
    assert client.get(path).status_code in (401, 404)


def test_a_query_value_out_of_range_is_4xx(
    client: TestClient, till: EnrolledTill, admin_headers: dict[str, str]
) -> None:
    """S15: query values are range-checked: a NUL is a 400, an offset past the range
    a 422 naming it, an unknown cursor a 400."""
    nul = client.get("/api/v1/admin/conflicts?store_id=a%00b", headers=admin_headers)
    assert nul.status_code == 400
    offset = client.get("/api/v1/admin/packs?offset=99999999999999999999", headers=admin_headers)
    assert offset.status_code == 422
    cursor = client.get("/api/v1/changes?cursor=1180591620717411303424", headers=till.headers)
    assert cursor.status_code == 400
