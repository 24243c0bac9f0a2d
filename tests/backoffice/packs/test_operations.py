"""Pack operations: edit (K6), copy (K7), archive (K8), gift (K9), details (K10), link (K11)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import segno
from PIL import Image

from backoffice.database import Database
from tests.backoffice.conftest import AdminApi, MovableClock
from tests.backoffice.packs.conftest import campaign_pack, entitlements_of, paid_pack


def _edit(api: AdminApi, pack_id: int, **changes: object) -> Any:
    return api("PATCH", f"/api/v1/admin/packs/{pack_id}", json=changes)


def test_edit_changes_settings_not_what_was_issued(api: AdminApi, database: Database) -> None:
    """K6: name, limits, channels, stores, period, redirect, refund change; issued coupons don't."""
    pack = api.create(paid_pack(inventory=10))
    api.buy(pack["id"])
    before = entitlements_of(database)
    response = _edit(
        api,
        pack["id"],
        name="Renamed",
        description="Now with more tea",
        limits={"total": 4, "daily": 2},
        channels=["mall", "with_order"],
        stores=["DEMO-1", "OTHER-1"],
        sales_period={"first_day": "2026-11-01", "last_day": "2027-01-31"},
        redirect_url="https://example.com/after",
        auto_refund=True,
        inventory=20,
    )
    assert response.status_code == 200, response.text
    definition = response.json()["definition"]
    assert definition["name"] == "Renamed" and definition["limits"] == {"total": 4, "daily": 2}
    assert definition["stores"] == ["DEMO-1", "OTHER-1"] and definition["inventory"] == 20
    assert entitlements_of(database) == before


def test_a_published_pack_keeps_its_content_price_and_type(api: AdminApi) -> None:
    """K6/K1: a published pack keeps content, price and type; bad edits name the field."""
    pack = api.create(paid_pack(inventory=10))
    api.buy(pack["id"])
    entry = {"coupon_code": "MV-4", "quantity": 1, "validity_days": 1}
    for field, value in (("content", [entry]), ("price", "1.00"), ("type", "campaign")):
        response = _edit(api, pack["id"], **{field: value})
        assert response.status_code == 422, field
        assert response.json()["detail"][0]["field"] == field
    low = _edit(api, pack["id"], inventory=0)
    assert low.json()["detail"][0]["field"] == "inventory"
    below_sold = _edit(api, pack["id"], limits={"total": 0})
    assert below_sold.json()["detail"][0]["field"] == "limits.total"
    redirect = _edit(api, pack["id"], redirect_url="mailto:x@example.com")
    assert redirect.json()["detail"][0]["field"] == "redirect_url"


def test_copy_is_a_draft_without_records(api: AdminApi) -> None:
    """K7: a copy has the same configuration, "<name> (copy)", no sales, gifts or statistics."""
    pack = api.create(paid_pack(inventory=3, limits={"total": 1}))
    api.buy(pack["id"])
    response = api("POST", f"/api/v1/admin/packs/{pack['id']}/copy")
    assert response.status_code == 201
    copy = response.json()
    assert copy["status"] == "draft" and copy["copied_from"] == pack["id"]
    assert copy["definition"]["name"] == "Milk tea lover's pack (copy)"
    assert copy["sold"] == 0 and copy["statistics"]["packs_issued"] == 0
    assert copy["records"] == {"purchases": [], "gifts": [], "distributions": []}
    original = dict(pack["definition"], name=copy["definition"]["name"])
    assert copy["definition"] == original
    # a draft may still change its content; publishing puts it on sale
    entry = {"coupon_code": "MV-4", "quantity": 2, "validity_days": 5}
    assert _edit(api, copy["id"], content=[entry], price="4.50").status_code == 200
    published = api("POST", f"/api/v1/admin/packs/{copy['id']}/publish").json()
    assert published["status"] == "active" and published["definition"]["price"] == "4.50"
    assert api.buy(copy["id"]).status_code == 201


def test_archive_stops_distribution_and_keeps_issued_coupons(
    api: AdminApi, database: Database, clock: MovableClock
) -> None:
    """K8: archived: no further cycles, no edit or gift; issued coupons stay; copy still works."""
    pack = api.create(
        campaign_pack(distribution={"method": "recurring", "period": "daily", "cycles": 5})
    )
    gift = {"phone": "+15550100001", "quantity": 1}
    assert api("POST", f"/api/v1/admin/packs/{pack['id']}/gifts", json=gift).status_code == 201
    archived = api("POST", f"/api/v1/admin/packs/{pack['id']}/archive").json()
    assert archived["status"] == "archived" and archived["archived_at"] is not None
    clock.advance(timedelta(days=10))
    assert api.run_scheduler()["cycles_issued"] == 0
    issued = entitlements_of(database)
    assert len(issued) == 2 and {e["status"] for e in issued} == {"issued"}
    edit = _edit(api, pack["id"], name="x")
    assert edit.status_code == 409 and edit.json()["detail"][0]["type"] == "PACK_ARCHIVED"
    refused = api("POST", f"/api/v1/admin/packs/{pack['id']}/gifts", json=gift)
    assert refused.status_code == 409 and refused.json()["detail"][0]["field"] == "status"
    assert api("POST", f"/api/v1/admin/packs/{pack['id']}/copy").status_code == 201


def test_gift_by_phone_and_quantity(api: AdminApi, database: Database) -> None:
    """K9: a phone number and a quantity issue that many packs, recorded as a gift record."""
    pack = api.create(paid_pack(inventory=1))
    response = api(
        "POST",
        f"/api/v1/admin/packs/{pack['id']}/gifts",
        json={"phone": "+1 (555) 010-0002", "quantity": 3},
    )
    assert response.status_code == 201, response.text
    assert response.json()["member_id"] == "M-1002" and len(response.json()["packs"]) == 3
    gifted = entitlements_of(database, "M-1002")
    assert len(gifted) == 3
    assert {(e["pack_id"], e["pack_name"]) for e in gifted} == {
        (str(pack["id"]), "Milk tea lover's pack")
    }
    details = api.details(pack["id"])
    (record,) = details["records"]["gifts"]
    assert record["quantity"] == 3 and record["member_id"] == "M-1002"
    assert details["statistics"]["packs_gifted"] == 3
    assert details["sold"] == 0 and api.buy(pack["id"]).status_code == 201, "gifts are not sales"


def test_gift_refusals_name_the_field(api: AdminApi) -> None:
    """K9: an unknown phone number or a quantity below 1 is refused naming the field."""
    pack = api.create(campaign_pack())
    path = f"/api/v1/admin/packs/{pack['id']}/gifts"
    for body, field in (
        ({"phone": "+19999999999", "quantity": 1}, "phone"),
        ({"phone": "+15550100001", "quantity": 0}, "quantity"),
        ({"phone": "+15550100001", "quantity": "2"}, "quantity"),
        ({"quantity": 1}, "phone"),
    ):
        response = api("POST", path, json=body)
        assert response.status_code == 422, body
        assert response.json()["detail"][0]["field"] == field
    good = {"phone": "+15550100001", "quantity": 1}
    assert api("POST", "/api/v1/admin/packs/999/gifts", json=good).status_code == 404
    assert api.details(pack["id"])["records"]["gifts"] == []


def test_details_show_configuration_statistics_and_records(api: AdminApi) -> None:
    """K10: details hold the configuration, packs/coupons issued and redeemed, and records."""
    pack = api.create(
        paid_pack(
            content=[
                {"coupon_code": "CV-5", "quantity": 2, "validity_days": 30},
                {
                    "coupon_code": "MV-4",
                    "quantity": 1,
                    "effective": "after_days",
                    "delay": 1,
                    "validity_days": 7,
                },
            ]
        )
    )
    api.buy(pack["id"], order_id="O-1")
    api(
        "POST",
        f"/api/v1/admin/packs/{pack['id']}/gifts",
        json={"phone": "+15550100001", "quantity": 1},
    )
    details = api.details(pack["id"])
    assert details["definition"]["content"][1]["effective"] == "after_days"
    assert details["statistics"] | {} == {
        "packs_issued": 2,
        "packs_distributed": 0,
        "packs_gifted": 1,
        "packs_sold": 1,
        "coupons_issued": 6,
        "coupons_redeemed": 0,
        "purchases_refunded": 0,
        "sales_amount": "9.90",
        "refunded_amount": "0",
    }
    assert [p["order_id"] for p in details["records"]["purchases"]] == ["O-1"]
    assert len(details["records"]["gifts"]) == 1
    assert api("GET", "/api/v1/admin/packs/999").status_code == 404


def test_list_filters(api: AdminApi) -> None:
    """K10 list: by type, status, name, channel and store, newest first, with a total."""
    first = api.create(paid_pack(name="Tea lovers"))
    api.create(paid_pack(name="Coffee lovers", channels=["with_order"], stores=["OTHER-1"]))
    third = api.create(campaign_pack(name="Welcome TEA"))
    api("POST", f"/api/v1/admin/packs/{third['id']}/archive")

    def ids(**params: str) -> list[int]:
        body = api("GET", "/api/v1/admin/packs", params=params).json()
        return [row["id"] for row in body["packs"]]

    assert ids() == [third["id"], first["id"] + 1, first["id"]]
    assert ids(type="paid") == [first["id"] + 1, first["id"]]
    assert ids(status="archived") == [third["id"]]
    assert ids(name="tea") == [third["id"], first["id"]]
    assert ids(channel="mall") == [first["id"]]
    assert ids(store_id="OTHER-1") == [first["id"] + 1]
    page = api("GET", "/api/v1/admin/packs", params={"limit": "1", "offset": "1"}).json()
    assert page["total"] == 3 and [row["id"] for row in page["packs"]] == [first["id"] + 1]


def test_paid_pack_link_and_qr_code_encode_the_link(api: AdminApi) -> None:
    """K11: a paid pack has a link, a PNG and an SVG QR code of it; the link's page resolves."""
    pack = api.create(paid_pack())
    link = api("GET", f"/api/v1/admin/packs/{pack['id']}/link").json()
    assert link["url"] == f"http://127.0.0.1:8000/mall/packs/{pack['id']}"
    png = api("GET", f"/api/v1/admin/packs/{pack['id']}/qr", params={"scale": "4"})
    assert png.headers["content-type"] == "image/png"
    expected = segno.make(link["url"], error="m", micro=False)
    assert _modules(png.content, scale=4) == [list(map(bool, row)) for row in expected.matrix]
    svg = api("GET", f"/api/v1/admin/packs/{pack['id']}/qr", params={"format": "svg"})
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
    page = api("GET", f"/mall/packs/{pack['id']}", headers={})
    assert page.status_code == 200 and "Milk tea lover&#39;s pack" in page.text
    campaign = api.create(campaign_pack())
    refused = api("GET", f"/api/v1/admin/packs/{campaign['id']}/link")
    assert refused.status_code == 409 and refused.json()["detail"][0]["field"] == "type"


def _modules(png: bytes, *, scale: int, border: int = 4) -> list[list[bool]]:
    """The dark modules of a QR code PNG, read back by sampling each module's centre."""
    image = Image.open(io.BytesIO(png)).convert("L")
    size = image.width // scale - 2 * border
    return [
        [
            image.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2))
            == 0
            for x in range(size)
        ]
        for y in range(size)
    ]
