"""Text no database can store (issue 18 item 4): a NUL in any admin or mall JSON field is
a 422 naming the field, on SQLite and PostgreSQL (a NUL in a pack's name answered 500
on PostgreSQL); nothing is stored."""

from __future__ import annotations

import json

import pytest

from tests.backoffice.conftest import AdminApi
from tests.backoffice.packs.conftest import paid_pack


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (paid_pack(name="Tea\x00pack"), "name"),
        (paid_pack(description="a\x00b"), "description"),
        (paid_pack(stores=["DEMO\x00-1"]), "stores[0]"),
        (paid_pack(name="\ud800 lone"), "name"),
    ],
)
def test_a_nul_in_a_pack_field_is_refused_naming_it(
    api: AdminApi, body: dict[str, object], field: str
) -> None:
    response = api(
        "POST",
        "/api/v1/admin/packs",
        content=json.dumps(body),  # escaped: a lone surrogate travels as \ud800
        headers={**api.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["field"] == field and ("NUL" in error["msg"] or "surrogate" in error["msg"])
    assert api("GET", "/api/v1/admin/packs").json()["total"] == 0


def test_a_nul_in_a_mall_purchase_is_refused(api: AdminApi) -> None:
    pack = api.create(paid_pack())
    response = api.buy(pack["id"], member_id="M-1001\x00")
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["field"] == "member_id"
