"""The admin API's lists (coupons, promotions, stores, members, items, organisations), the
organisation changes and image uploads: paged, filtered, and a 4xx naming the field."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from tests.backoffice.conftest import EnrolledTill


def _get(client: Any, headers: dict[str, str], path: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"/api/v1/admin{path}", headers=headers, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_lists_are_paged_and_filtered(
    client: Any, demo_chain: None, admin_headers: dict[str, str]
) -> None:
    """Lists by name, with a total; search matches name, id or phone; kind/type filter."""
    coupons = _get(client, admin_headers, "/coupons")
    assert coupons["total"] == 6 and coupons["coupons"][0]["name"] == "5.00 cash voucher"
    assert [
        c["id"] for c in _get(client, admin_headers, "/coupons", kind="member_voucher")["coupons"]
    ] == ["MV-4"]
    page = _get(client, admin_headers, "/promotions", limit=3, offset=3)
    assert page["total"] == 8 and len(page["promotions"]) == 3
    assert [
        p["id"] for p in _get(client, admin_headers, "/promotions", type="combo")["promotions"]
    ] == ["COMBO-MEAL"]
    members = _get(client, admin_headers, "/members", search="0100002")["members"]
    assert [(m["id"], m["name"]) for m in members] == [("M-1002", "Grace Hopper")]
    assert {s["id"] for s in _get(client, admin_headers, "/stores")["stores"]} == {
        "DEMO-1",
        "OTHER-1",
    }
    assert _get(client, admin_headers, "/items", search="cake")["total"] == 1
    bad = client.get("/api/v1/admin/coupons", headers=admin_headers, params={"limit": "0"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "limit"]


def test_lists_need_a_group_admin_token(client: Any, till: EnrolledTill) -> None:
    """K1: a device token gets a 403, no token a 401."""
    assert client.get("/api/v1/admin/members", headers=till.headers).status_code == 403
    assert client.get("/api/v1/admin/members").status_code == 401


def test_organisations_are_checked_like_the_pages(
    client: Any, demo_chain: None, admin_headers: dict[str, str]
) -> None:
    """Create, rename, filter by store, delete; a bad one is a 422 naming the field."""
    url = "/api/v1/admin/organisations"
    created = client.post(
        url, headers=admin_headers, json={"name": "Paris", "store_ids": ["DEMO-1"]}
    )
    assert created.status_code == 201, created.text
    org_id = created.json()["id"]
    for body, field in (
        ({"name": "paris", "store_ids": ["DEMO-1"]}, "name"),
        ({"name": "Lyon", "store_ids": []}, "store_ids"),
        ({"name": "Lyon", "store_ids": ["NOPE"]}, "store_ids[0]"),
        ({"name": "Lyon", "store_ids": ["DEMO-1", {"id": "x"}]}, "store_ids[1]"),
        ({"name": 7, "store_ids": ["DEMO-1"]}, "name"),
        ({"name": "Lyon", "store_ids": ["DEMO-1"], "colour": "red"}, "colour"),
    ):
        refused = client.post(url, headers=admin_headers, json=body)
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == field
    renamed = client.put(
        f"{url}/{org_id}",
        headers=admin_headers,
        json={"name": "Île-de-France", "store_ids": ["DEMO-1", "OTHER-1"]},
    )
    assert renamed.json()["store_ids"] == ["DEMO-1", "OTHER-1"]
    assert _get(client, admin_headers, "/organisations", store_id="OTHER-1")["total"] == 1
    assert client.delete(f"{url}/{org_id}", headers=admin_headers).status_code == 204
    assert client.get(f"{url}/{org_id}", headers=admin_headers).status_code == 404


def test_image_upload_checks_type_and_size(client: Any, admin_headers: dict[str, str]) -> None:
    """A PNG is kept and served; a text file or an over-large one is a 422 naming "image"."""
    out = io.BytesIO()
    Image.new("RGB", (8, 6), "white").save(out, "PNG")
    kept = client.post(
        "/api/v1/admin/images",
        headers=admin_headers,
        files={"image": ("a.png", out.getvalue(), "image/png")},
    )
    assert kept.status_code == 201, kept.text
    assert (kept.json()["width"], kept.json()["media_type"]) == (8, "image/png")
    served = client.get(kept.json()["url"].removeprefix("http://127.0.0.1:8000"))
    assert (
        served.content == out.getvalue() and served.headers["x-content-type-options"] == "nosniff"
    )
    for content in (b"just text", b"GIF89a" + b"\0" * (3 * 1024 * 1024)):
        refused = client.post(
            "/api/v1/admin/images",
            headers=admin_headers,
            files={"image": ("a.gif", content, "image/gif")},
        )
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "image"
