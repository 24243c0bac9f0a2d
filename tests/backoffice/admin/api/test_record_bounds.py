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
        ("/api/v1/admin/items/EDGE", {**ITEM, "price": "1e2"}, "price"),
        ("/api/v1/admin/items/EDGE", {**ITEM, "price": "-0"}, "price"),
        ("/api/v1/admin/items/EDGE", {**ITEM, "price": "+5"}, "price"),
        ("/api/v1/admin/items/EDGE", {**ITEM, "price": 12}, "price"),
        ("/api/v1/admin/items/EDGE", {**ITEM, "tax_rate": "2e1"}, "tax_rate"),
        (
            "/api/v1/admin/promotions/P-EDGE",
            {
                "id": "P-EDGE",
                "type": "percent_off",
                "sequence": 1,
                "auto_execute": True,
                "percent": "1e1",
            },
            "percent",
        ),
        (
            "/api/v1/admin/coupons/C-EDGE",
            {"code": "C-EDGE", "kind": "cash_voucher", "sequence": 1, "face_value": "+5.00"},
            "face_value",
        ),
        (
            "/api/v1/admin/items/EDGE",
            {**ITEM, "extra": [[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]},
            "extra" + "[0]" * 15,
        ),
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


def test_an_amount_written_otherwise_is_refused_in_plain_words(
    client: TestClient, demo_chain: None, admin_headers: dict[str, str]
) -> None:
    """Details: 1e2 is refused as an amount, never stored as 100.00; the message says how
    to write it."""
    body = {**ITEM, "price": "1e2"}
    response = client.put("/api/v1/admin/items/EDGE", json=body, headers=admin_headers)
    assert response.status_code == 422
    message = response.json()["detail"][0]["msg"]
    assert "written plainly, like 12.50" in message and "no exponent" in message


def test_a_body_nested_too_deep_to_read_is_a_422_naming_the_place(
    client: TestClient, demo_chain: None, admin_headers: dict[str, str]
) -> None:
    """Details S15: a body nested 100,000 deep is a 422 saying where, not a parse error."""
    text = json.dumps(ITEM)[:-1] + ', "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.put(
        "/api/v1/admin/items/EDGE",
        content=text.encode("ascii"),
        headers={**admin_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["field"] == "extra" + "[0]" * 15
    assert error["msg"] == "is nested deeper than 16 levels"
