"""Every message an administrator reads is in their words: every admin form walked with bad
input (empty, too long, wrong numbers, a daily limit above the total, dates reversed), and
the error pages under /admin and /mall. A refusal changes nothing; no input gives a 5xx."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backoffice.database import Database
from backoffice.models.packs import CouponPack
from pos_app.protocol.plain_errors import sentence
from tests.backoffice.admin.pages.conftest import PageClient
from tests.backoffice.admin.pages.test_packs_pages import campaign_form, created_id, paid_form
from tests.backoffice.admin.pages.test_records_pages import COUPON_FORMS, PROMOTION_FORMS

# What a developer wrote: validator messages, JSON, field names with underscores.
DEVELOPER_WORDS = re.compile(
    r"validation|String should|List should|Input should|Field required|Value error"
    r"|\{\"detail\"|\b[a-z]+_[a-z_]+\b|Traceback|Internal Server Error"
)
LONG = "x" * 129


def visible_text(page: str) -> str:
    """What a person reads on a page: no tags, no scripts or styles, entities decoded."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", page))


def assert_plain(page: str, where: str) -> None:
    found = DEVELOPER_WORDS.search(visible_text(page))
    assert found is None, f"{where}: developer words {found.group(0)!r} in {visible_text(page)!r}"


def pack_count(database: Database) -> int:
    with database.sessions.begin() as session:
        return int(session.scalar(select(func.count()).select_from(CouponPack)) or 0)


PACK_CASES = {
    "empty name": campaign_form(name=""),
    "name too long": paid_form(name=LONG),
    "description too long": paid_form(description="y" * 4001),
    "quantity not a number": paid_form(**{"content-0-quantity": "two"}),
    "quantity zero": paid_form(**{"content-0-quantity": "0"}),
    "quantity negative": campaign_form(**{"content-0-quantity": "-3"}),
    "quantity huge": paid_form(**{"content-0-quantity": "99999999999"}),
    "validity zero": paid_form(**{"content-0-validity_days": "0"}),
    "no coupon": paid_form(**{"content-0-coupon_code": ""}),
    "delay missing": paid_form(**{"content-0-delay": ""}),
    "cycles zero": campaign_form(cycles="0"),
    "cycles too many": campaign_form(cycles="5000"),
    "cycles empty": campaign_form(cycles=""),
    "daily above total": paid_form(limit_total="2", limit_daily="5"),
    "limit zero": paid_form(limit_total="0"),
    "dates reversed": paid_form(sales_first_day="2026-11-30", sales_last_day="2026-11-01"),
    "date not a date": paid_form(sales_first_day="2026-13-45"),
    "no first day": paid_form(sales_first_day=""),
    "price words": paid_form(price="cheap"),
    "price zero": paid_form(price="0"),
    "price three decimals": paid_form(price="1.005"),
    "inventory empty": paid_form(inventory=""),
    "inventory zero": paid_form(inventory="0"),
    "bad redirect": paid_form(redirect_url="ftp://x"),
    "bad time zone": paid_form(time_zone="Mars/Olympus"),
    "no channel": [pair for pair in paid_form() if pair[0] != "channels"],
    "no store": [pair for pair in paid_form() if pair[0] != "stores"],
    "unknown type": campaign_form(type="free"),
    "unknown method": campaign_form(method="sometimes"),
}


@pytest.mark.parametrize("case", sorted(PACK_CASES))
def test_the_pack_form_refuses_bad_input_in_words(
    pages: PageClient, database: Database, case: str
) -> None:
    """K1-K4 on the form: each bad input is refused on its field, in words; nothing saved."""
    response = pages.post("/admin/packs/new", PACK_CASES[case])
    assert response.status_code == 422, (case, response.status_code)
    assert 'data-field="' in response.text, case
    assert_plain(response.text, case)
    assert pack_count(database) == 0


def test_a_daily_limit_above_the_total_is_refused_by_the_api_too(
    pages: PageClient, admin_headers: dict[str, str]
) -> None:
    """K4: the rule lives in the definition, so the admin API refuses what the form refuses."""
    pack_id = created_id(pages.post("/admin/packs/new", paid_form()))
    response = pages.client.patch(
        f"/api/v1/admin/packs/{pack_id}",
        json={"limits": {"total": 1, "daily": 3}},
        headers=admin_headers,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "limits.daily"
    assert "above their total limit" in response.json()["detail"][0]["msg"]


def test_the_edit_gift_and_distribute_forms_refuse_in_words(pages: PageClient) -> None:
    paid = created_id(pages.post("/admin/packs/new", paid_form()))
    campaign = created_id(pages.post("/admin/packs/new", campaign_form()))
    edits = [
        paid_form(name=""),
        paid_form(limit_total="1", limit_daily="2"),
        paid_form(inventory="-1"),
        paid_form(sales_last_day="2026-10-01"),
    ]
    for form in edits:
        response = pages.post(f"/admin/packs/{paid}/edit", form)
        assert response.status_code == 422, form
        assert_plain(response.text, f"edit {form}")
    for gift in (
        {"phone": "", "quantity": "1"},
        {"phone": "+1 555 0100", "quantity": "zero"},
        {"phone": "+1 555 0100", "quantity": "0"},
        {"phone": "+1 555 0100", "quantity": "100000"},
        {"phone": "nobody", "quantity": "1"},
        {"phone": LONG, "quantity": "1"},
    ):
        response = pages.post(f"/admin/packs/{campaign}/gift", gift)
        assert response.status_code in (409, 422), gift
        assert_plain(response.text, f"gift {gift}")
    for distribution in (
        {"audience": "phones", "phones": "", "starts_at": ""},
        {"audience": "phones", "phones": "nobody", "starts_at": ""},
        {"audience": "all", "phones": "", "starts_at": "yesterday"},
        {"audience": "all", "phones": "", "starts_at": "2001-01-01T10:00"},
    ):
        response = pages.post(f"/admin/packs/{campaign}/distribute", distribution)
        assert response.status_code in (409, 422), distribution
        assert_plain(response.text, f"distribute {distribution}")


@pytest.mark.parametrize("promotion_type", sorted(PROMOTION_FORMS))
def test_every_promotion_form_refuses_bad_input_in_words(
    pages: PageClient, promotion_type: str
) -> None:
    """Empty inputs, words for numbers, a name too long, and no name at all: refused in
    words, and nothing saved (never a promotion named "PROMOTION")."""
    base = [("type", promotion_type), ("name", "Bad")]
    numbers = [(name, "-x") for name, _value in PROMOTION_FORMS[promotion_type]]
    empty = pages.post("/admin/promotions/new", base)  # bogo's buy 1 get 1 is its default
    assert empty.status_code in (303, 422)
    assert_plain(empty.text, f"{promotion_type} with nothing filled in")
    for form in (
        base + numbers,
        [("type", promotion_type), ("name", "x" * 257), *PROMOTION_FORMS[promotion_type]],
        [("type", promotion_type), ("name", ""), *PROMOTION_FORMS[promotion_type]],
        [("type", promotion_type), ("name", "  "), *PROMOTION_FORMS[promotion_type]],
        [
            *base,
            *PROMOTION_FORMS[promotion_type],
            ("valid_from", "2026-12-31T00:00"),
            ("valid_to", "2026-01-01T00:00"),
        ],
    ):
        response = pages.post("/admin/promotions/new", form)
        assert response.status_code == 422, (form, response.status_code)
        assert_plain(response.text, f"{promotion_type} {form}")
    assert ">PROMOTION<" not in pages.get("/admin/promotions").text


@pytest.mark.parametrize("coupon_kind", sorted(COUPON_FORMS))
def test_every_coupon_form_refuses_bad_input_in_words(pages: PageClient, coupon_kind: str) -> None:
    base = [("type", coupon_kind), ("name", "Bad"), ("new_id", "BAD-1")]
    for form in (
        base,
        base + [(name, "-x") for name, _value in COUPON_FORMS[coupon_kind]],
        [("type", coupon_kind), ("name", ""), ("new_id", "BAD-2"), *COUPON_FORMS[coupon_kind]],
        [("type", coupon_kind), ("name", "Bad"), ("new_id", ""), *COUPON_FORMS[coupon_kind]],
        [("type", coupon_kind), ("name", "Bad"), ("new_id", "A B"), *COUPON_FORMS[coupon_kind]],
    ):
        response = pages.post("/admin/coupons/new", form)
        assert response.status_code == 422, (form, response.status_code)
        assert_plain(response.text, f"{coupon_kind} {form}")


def test_the_organisation_and_execution_order_forms_refuse_in_words(pages: PageClient) -> None:
    for form in ([("name", "")], [("name", LONG), ("stores", "DEMO-1")], [("name", "X")]):
        response = pages.post("/admin/organisations/new", form)
        assert response.status_code == 422, form
        assert_plain(response.text, f"organisation {form}")
    response = pages.post("/admin/execution-order", [("promotion", "NO-SUCH")])
    assert response.status_code < 500
    assert_plain(response.text, "execution order")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/admin/packs?page=0", 400),
        ("/admin/packs?page=many", 400),
        ("/admin/packs/abc", 404),
        ("/admin/packs/0", 404),
        ("/admin/packs/99999", 404),
        ("/admin/packs/99999999999999", 404),
        ("/admin/packs/1/qr.png", 404),
        ("/admin/promotions/NO-SUCH/edit", 404),
        ("/admin/no-such-page", 404),
        ("/mall/packs/-1", 404),
        ("/mall/packs/abc", 404),
        ("/media/images/abc", 404),
        ("/media/images/12345", 404),
    ],
)
def test_errors_under_admin_and_mall_are_pages(pages: PageClient, path: str, status: int) -> None:
    """A refused address shows a page in words, never ``{"detail": ...}``."""
    response = pages.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert_plain(response.text, path)


def test_the_json_api_keeps_json(pages: PageClient) -> None:
    response = pages.get("/api/v1/mall/packs/-1")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"


def test_a_page_number_out_of_range_says_which_value_is_wrong(pages: PageClient) -> None:
    page = visible_text(pages.get("/admin/packs?page=0").text)
    assert "The page number must be at least 1." in page


@pytest.mark.parametrize(
    ("error", "words"),
    [
        ({"type": "string_too_short", "ctx": {"min_length": 1}}, "must not be empty"),
        ({"type": "string_too_long", "ctx": {"max_length": 128}}, "at most 128 characters"),
        ({"type": "too_short", "ctx": {"min_length": 1}}, "choose at least one"),
        ({"type": "greater_than_equal", "ctx": {"ge": 1}}, "must be at least 1"),
        ({"type": "enum", "ctx": {"expected": "'a' or 'b'"}}, "is not one of the choices: a or b"),
        ({"type": "missing"}, "is required"),
        ({"type": "value_error", "msg": "Value error, must be 9"}, "must be 9"),
    ],
)
def test_sentence_turns_a_validator_message_into_words(
    error: dict[str, object], words: str
) -> None:
    assert sentence(error) == words or words in sentence(error)


def test_the_sign_in_form_refuses_in_words(app_client: TestClient, accounts: None) -> None:
    page = app_client.get("/admin/sign-in").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    for email, password in (("", ""), ("x" * 500, "y"), ("ada@example.com", "wrong")):
        response = app_client.post(
            "/admin/sign-in",
            data={"email": email, "password": password, "csrf_token": token.group(1)},
            follow_redirects=False,
        )
        assert response.status_code in (400, 401, 403, 422), (email, response.status_code)
        assert_plain(response.text, f"sign in as {email[:20]!r}")
