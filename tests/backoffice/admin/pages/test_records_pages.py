"""The promotion and coupon pages: a form for every type and kind the engine knows, checked
by the engine's own parser (R-rules), saved through the change log the tills pull (S7)."""

from __future__ import annotations

from typing import Any

import pytest

from backoffice.admin.pages.labels import COUPON_KIND_LABELS, PROMOTION_TYPE_LABELS
from backoffice.chain.change_log import find_record
from backoffice.database import Database
from tests.backoffice.admin.pages.conftest import PageClient
from tests.backoffice.packs.conftest import paid_pack

# One valid form per promotion type (FORMAT.md's table).
PROMOTION_FORMS: dict[str, list[tuple[str, str]]] = {
    "percent_off": [("percent", "15"), ("items", "category:drinks"), ("min_spend", "5.00")],
    "amount_off": [("threshold", "30.00"), ("amount", "4.00")],
    "special_price": [("price", "2.00"), ("items", "TEA")],
    "bogo": [("buy", "1"), ("get", "1"), ("items", "COLA")],
    "buy_x_get_y": [("buy", "2"), ("get", "1"), ("items", "COOKIE")],
    "nth_item": [("n", "3"), ("percent", "50"), ("items", "CAKE")],
    "add_on": [("trigger_items", "LATTE"), ("addon_items", "CAKE"), ("addon_price", "2.00")],
    "combo": [
        ("components-0", "WRAP"),
        ("components-1", "SOUP"),
        ("components-1", "FRIES"),
        ("price", "12.00"),
    ],
    "gift": [("threshold", "50.00"), ("gift_sku", "ICECREAM"), ("qty", "1")],
}
COUPON_FORMS: dict[str, list[tuple[str, str]]] = {
    "group_purchase": [
        ("items", "WRAP"),
        ("units", "1"),
        ("code_prefix", "GPX"),
        ("verify_later", "on"),
    ],
    "cash_voucher": [("face_value", "3.00"), ("min_spend", "10.00")],
    "third_party": [("as", "cash_voucher"), ("face_value", "2.00")],
    "member_voucher": [("face_value", "4.00"), ("deduct_from", "original")],
    "member_discount": [("percent", "5")],
    "custom": [("percent", "12")],
}


def _record(database: Database, kind: str, record_id: str) -> dict[str, Any]:
    with database.sessions.begin() as session:
        record = find_record(session, kind, record_id)
        assert record is not None and not record.deleted
        return dict(record.data)


@pytest.mark.parametrize("promotion_type", sorted(PROMOTION_FORMS))
def test_every_promotion_type_has_a_form_that_saves(
    pages: PageClient, database: Database, promotion_type: str
) -> None:
    """Each promotion type of the engine: its form saves a record the engine parses."""
    assert pages.get(f"/admin/promotions/new?type={promotion_type}").status_code == 200
    form = [
        ("type", promotion_type),
        ("name", f"Try {promotion_type}"),
        *PROMOTION_FORMS[promotion_type],
    ]
    response = pages.post("/admin/promotions/new", form)
    assert response.status_code == 303, response.text
    record_id = f"TRY-{promotion_type.upper().replace('_', '-')}"
    data = _record(database, "promotion", record_id)
    assert data["type"] == promotion_type and data["auto_execute"] is False
    assert data["sequence"] == 9  # after the demo chain's eight
    assert f"Try {promotion_type}" in pages.get("/admin/promotions").text


@pytest.mark.parametrize("kind", sorted(COUPON_FORMS))
def test_every_coupon_kind_has_a_form_that_saves(
    pages: PageClient, database: Database, kind: str
) -> None:
    """Each coupon kind of the engine: its form saves a record the engine parses."""
    form = [("type", kind), ("name", f"Try {kind}"), ("new_id", f"T-{kind}"), *COUPON_FORMS[kind]]
    response = pages.post("/admin/coupons/new", form)
    assert response.status_code == 303, response.text
    assert _record(database, "coupon", f"T-{kind}")["kind"] == kind


def test_labels_cover_every_type_and_kind() -> None:
    """The pages have words for every promotion type and coupon kind the tests save."""
    assert set(PROMOTION_FORMS) == set(PROMOTION_TYPE_LABELS)
    assert set(COUPON_FORMS) == set(COUPON_KIND_LABELS)


@pytest.mark.parametrize(
    ("path", "form", "field", "message"),
    [
        (
            "/admin/promotions/new",
            [("type", "percent_off"), ("name", "Bad"), ("percent", "150")],
            "percent",
            "Percent",
        ),
        (
            "/admin/promotions/new",
            [("type", "special_price"), ("name", "Bad"), ("price", "2.00")],
            "items",
            "Is required",
        ),
        (
            "/admin/promotions/new",
            [("type", "bogo"), ("name", "Bad"), ("buy", "one")],
            "buy",
            "not a whole number",
        ),
        (
            "/admin/promotions/new",
            [("type", "combo"), ("name", "Bad"), ("price", "5")],
            "components",
            "non-empty list",
        ),
        (
            "/admin/coupons/new",
            [("type", "custom"), ("name", "Bad"), ("new_id", "C-1")],
            "form",
            "face value or percent",
        ),
        (
            "/admin/coupons/new",
            [("type", "cash_voucher"), ("name", "Bad"), ("face_value", "1")],
            "new_id",
            "code cashiers enter",
        ),
        (
            "/admin/coupons/new",
            [("type", "cash_voucher"), ("name", "Bad"), ("new_id", "CV-5"), ("face_value", "1")],
            "new_id",
            "taken",
        ),
    ],
)
def test_bad_input_shows_on_the_field_and_saves_nothing(
    pages: PageClient,
    database: Database,
    path: str,
    form: list[tuple[str, str]],
    field: str,
    message: str,
) -> None:
    """The engine's refusal shows on the input at fault; nothing reaches the change log."""
    before = pages.get(path.replace("/new", "")).text.count("<tr data-record")
    response = pages.post(path, form)
    assert response.status_code == 422, response.text
    assert f'data-field="{field}"' in response.text and message in response.text
    assert pages.get(path.replace("/new", "")).text.count("<tr data-record") == before


def test_edit_keeps_other_settings_and_delete_leaves_a_tombstone(
    pages: PageClient, database: Database
) -> None:
    """Editing changes the form's fields only (sequence stays); deleting removes it (S7)."""
    form = [
        ("type", "percent_off"),
        ("name", "Desserts 15%"),
        ("percent", "15"),
        ("items", "category:desserts"),
    ]
    assert pages.post("/admin/promotions/DESSERT-10/edit", form).status_code == 303
    data = _record(database, "promotion", "DESSERT-10")
    assert (data["percent"], data["sequence"], data["name"]) == ("15", 7, "Desserts 15%")
    page = pages.get("/admin/promotions/DESSERT-10/edit").text
    assert 'value="15"' in page and "Desserts 15%" in page
    assert "Delete “Desserts 15%”?" in pages.get("/admin/promotions/DESSERT-10/delete").text
    assert pages.post("/admin/promotions/DESSERT-10/delete").status_code == 303
    with database.sessions.begin() as session:
        record = find_record(session, "promotion", "DESSERT-10")
        assert record is not None and record.deleted
    assert pages.get("/admin/promotions/DESSERT-10/edit").status_code == 404


def test_the_page_asks_to_archive_and_says_where_it_is_used(
    pages: PageClient, admin_headers: dict[str, str]
) -> None:
    """The delete page of a coupon a pack holds offers "Archive" and lists the pack; the
    post archives it and the list marks it archived."""
    created = pages.client.post(
        "/api/v1/admin/packs", json=paid_pack(name="Tea lover"), headers=admin_headers
    )
    assert created.status_code == 201, created.text
    confirm = pages.get("/admin/coupons/CV-5/delete").text
    assert "Archive “" in confirm and "coupon pack “Tea lover”" in confirm
    done = pages.post("/admin/coupons/CV-5/delete")
    assert done.status_code == 303
    listing = pages.client.get(done.headers["location"]).text
    assert "archived, not deleted" in listing and "data-archived" in listing
