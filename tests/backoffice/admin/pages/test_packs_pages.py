"""The coupon-pack pages (K1-K11) over HTTP: the form, the list, details, gift, copy,
archive, link and QR code, uploads, escaping. A refused form saves nothing."""

from __future__ import annotations

import io
import re
from typing import Any

from PIL import Image
from sqlalchemy import func, select

from backoffice.admin.images import MAX_IMAGE_BYTES
from backoffice.database import Database
from backoffice.models.images import StoredImage
from backoffice.models.packs import CouponPack
from tests.backoffice.admin.pages.conftest import PageClient

Form = list[tuple[str, str]]


def campaign_form(name: str = "Weekly treats", **changes: str) -> Form:
    """A recurring campaign pack: 4 weekly cycles of two 5.00 vouchers (K3)."""
    fields = {
        "type": "campaign",
        "name": name,
        "time_zone": "UTC",
        "method": "recurring",
        "period": "weekly",
        "cycles": "4",
        "first_same": "same",
        "content-0-coupon_code": "CV-5",
        "content-0-quantity": "2",
        "content-0-effective": "immediate",
        "content-0-delay": "",
        "content-0-validity_days": "7",
        "action": "publish",
    } | changes
    return list(fields.items())


def paid_form(name: str = "Tea lover", **changes: str) -> Form:
    """A paid pack at DEMO-1, 9.90, 5 in stock, on sale all of November 2026 (K4)."""
    fields = {
        "type": "paid",
        "name": name,
        "time_zone": "UTC",
        "content-0-coupon_code": "MV-4",
        "content-0-quantity": "1",
        "content-0-effective": "after_days",
        "content-0-delay": "1",
        "content-0-validity_days": "30",
        "sales_first_day": "2026-11-01",
        "sales_last_day": "2026-11-30",
        "price": "9.90",
        "inventory_mode": "limited",
        "inventory": "5",
        "redirect_url": "https://example.com/x",
        "limit_total": "2",
        "limit_daily": "",
        "action": "publish",
    } | changes
    return [*fields.items(), ("channels", "mall"), ("channels", "with_order"), ("stores", "DEMO-1")]


def pack_count(database: Database) -> int:
    with database.sessions.begin() as session:
        return int(session.scalar(select(func.count()).select_from(CouponPack)) or 0)


def created_id(response: Any) -> int:
    assert response.status_code == 303, response.text
    found = re.fullmatch(r"/admin/packs/(\d+)", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 110, 80)).save(out, "PNG")
    return out.getvalue()


def test_create_a_recurring_campaign_pack_from_the_form(pages: PageClient) -> None:
    """K3: the form's recurring distribution becomes the pack's period, cycles and content."""
    pack_id = created_id(pages.post("/admin/packs/new", campaign_form()))
    details = pages.client.get(f"/api/v1/admin/packs/{pack_id}")  # the page's JSON twin
    page = pages.get(f"/admin/packs/{pack_id}").text
    assert "Weekly treats” created." in page and "Weekly, 4 cycle(s)" in page
    assert "2 × 5.00 cash voucher" in page and "CV-5" not in page
    assert details.status_code == 401  # the JSON API still wants a token, not a cookie


def test_create_a_paid_pack_and_see_it_listed_with_its_state(pages: PageClient) -> None:
    """K4: a paid pack from the form, listed with price, inventory left and "On sale"."""
    pack_id = created_id(pages.post("/admin/packs/new", paid_form()))
    draft_id = created_id(pages.post("/admin/packs/new", paid_form("Later tea", action="draft")))
    listing = pages.get("/admin/packs").text
    row = listing[listing.index('data-pack="Tea lover"') :].split("</tr>")[0]
    assert "On sale" in row and "USD 9.90" in row and ">5<" in row
    later = listing[listing.index('data-pack="Later tea"') :].split("</tr>")[0]
    assert "Not yet on sale" in later and "Draft" in later
    page = pages.get(f"/admin/packs/{pack_id}").text
    assert "Coupon pack mall, Purchase with order" in page and "Demo Diner" in page
    assert "After some days (1 days)" in page
    filtered = pages.get("/admin/packs", params={"status": "draft"}).text
    assert "Later tea" in filtered and 'data-pack="Tea lover"' not in filtered
    assert draft_id != pack_id


def test_bad_input_shows_on_the_field_and_saves_nothing(
    pages: PageClient, database: Database
) -> None:
    """K4: a price of 0, an unknown time zone, a bad number: the field says why; no pack."""
    cases = {
        "price": paid_form(price="0"),
        "time_zone": paid_form(time_zone="Mars/Olympus"),
        "content-0-quantity": paid_form(**{"content-0-quantity": "two"}),
        "sales_last_day": paid_form(sales_last_day="2026-10-01"),
        "cycles": campaign_form(cycles=""),
        "inventory": paid_form(inventory="99999999999999999999"),
        "name": campaign_form(name=""),
    }
    for field, form in cases.items():
        response = pages.post("/admin/packs/new", form)
        assert response.status_code == 422, field
        assert f'data-field="{field}"' in response.text, field
        assert "Nothing was saved" in response.text and "(K" not in response.text
    assert pack_count(database) == 0


def test_stores_are_chosen_in_bulk_by_organisation(pages: PageClient) -> None:
    """K4 "Stores/Organisations, bulk selection": ticking an organisation adds its stores."""
    assert (
        pages.post(
            "/admin/organisations/new",
            [("name", "Everywhere"), ("stores", "DEMO-1"), ("stores", "OTHER-1")],
        ).status_code
        == 303
    )
    org_id = re.search(r"/admin/organisations/(\d+)/edit", pages.get("/admin/stores").text)
    assert org_id
    form = [pair for pair in paid_form() if pair[0] != "stores"] + [
        ("organisations", org_id.group(1))
    ]
    pack_id = created_id(pages.post("/admin/packs/new", form))
    assert "Demo Diner, Other" in pages.get(f"/admin/packs/{pack_id}").text


def test_stored_strings_are_escaped(pages: PageClient) -> None:
    """A pack named <script> shows as text on the list, details and share pages."""
    name = "<script>alert(1)</script>"
    pack_id = created_id(pages.post("/admin/packs/new", paid_form(name, description="<b>x</b>")))
    for path in (
        "/admin/packs",
        f"/admin/packs/{pack_id}",
        f"/mall/packs/{pack_id}",
        f"/admin/packs/{pack_id}/edit",
        f"/admin/packs/{pack_id}/gift",
    ):
        page = pages.get(path).text
        assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
        assert "<b>x</b>" not in page


def test_the_image_upload_checks_type_and_size(pages: PageClient, database: Database) -> None:
    """An image is stored and served; a non-image or an image over the limit is refused."""
    ok = pages.post(
        "/admin/packs/new", paid_form(), files={"image": ("tea.png", png(), "image/png")}
    )
    pack_id = created_id(ok)
    image_url = re.search(
        r'src="(http://127\.0\.0\.1:8000/media/images/\d+)"',
        pages.get(f"/admin/packs/{pack_id}").text,
    )
    assert image_url
    served = pages.get(image_url.group(1).removeprefix("http://127.0.0.1:8000"))
    assert served.headers["content-type"] == "image/png" and served.content == png()
    too_big = b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_IMAGE_BYTES
    for content, message in (
        (b"<html>not an image</html>", "not an image"),
        (too_big, "at most 2 MB"),
    ):
        response = pages.post(
            "/admin/packs/new", paid_form("Other"), files={"image": ("x.png", content, "image/png")}
        )
        assert response.status_code == 422 and 'data-field="image"' in response.text
        assert message in response.text
    with database.sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(StoredImage)) == 1
    assert pack_count(database) == 1


def test_gift_by_phone_adds_a_record(pages: PageClient) -> None:
    """K9: gift two packs by phone; the details show the gift and the packs issued."""
    pack_id = created_id(pages.post("/admin/packs/new", campaign_form()))
    unknown = pages.post(f"/admin/packs/{pack_id}/gift", {"phone": "+1 555 0000", "quantity": "1"})
    assert unknown.status_code == 422 and "No member has phone number" in unknown.text
    bad = pages.post(f"/admin/packs/{pack_id}/gift", {"phone": "+15550100001", "quantity": "0"})
    assert bad.status_code == 422 and 'data-field="quantity"' in bad.text
    done = pages.post(f"/admin/packs/{pack_id}/gift", {"phone": "+1 555 0100 001", "quantity": "2"})
    assert done.status_code == 303
    page = pages.get(f"/admin/packs/{pack_id}").text
    assert "Ada Lovelace" in page and 'data-stat="packs_issued">2<' in page
    assert 'data-stat="coupons_issued">4<' in page  # cycle 0 of each: 2 coupons each


def test_copy_then_archive_refuses_actions(pages: PageClient) -> None:
    """K7/K8: a copy is a draft "(copy)"; an archived pack cannot be edited or gifted."""
    pack_id = created_id(pages.post("/admin/packs/new", paid_form()))
    copy_id = created_id(pages.post(f"/admin/packs/{pack_id}/copy"))
    assert "Tea lover (copy)" in pages.get(f"/admin/packs/{copy_id}").text
    confirm = pages.get(f"/admin/packs/{pack_id}/archive").text
    assert "Archive “Tea lover”?" in confirm and "Coupons already issued stay valid" in confirm
    assert pages.post(f"/admin/packs/{pack_id}/archive").status_code == 303
    details = pages.get(f"/admin/packs/{pack_id}").text
    assert "Gift coupon pack" not in details and f"/admin/packs/{pack_id}/edit" not in details
    gift = pages.post(f"/admin/packs/{pack_id}/gift", {"phone": "+15550100001", "quantity": "1"})
    edit = pages.post(f"/admin/packs/{pack_id}/edit", paid_form("Renamed"))
    for response in (gift, edit, pages.get(f"/admin/packs/{pack_id}/edit")):
        assert response.status_code == 409 and "is archived" in response.text
    assert "Renamed" not in pages.get("/admin/packs").text


def test_edit_a_published_pack_changes_only_what_k6_allows(pages: PageClient) -> None:
    """K6: the edit form of a published pack saves name, stock and limits; content is fixed."""
    pack_id = created_id(pages.post("/admin/packs/new", paid_form()))
    form = pages.get(f"/admin/packs/{pack_id}/edit").text
    assert 'name="price" value="9.90"' in form and "disabled" in form
    changed = paid_form(
        "Tea lover plus", inventory="8", price="1.00", **{"content-0-quantity": "9"}
    )
    assert pages.post(f"/admin/packs/{pack_id}/edit", changed).status_code == 303
    page = pages.get(f"/admin/packs/{pack_id}").text
    assert "Tea lover plus" in page and "9.90" in page and "1 × Member voucher 4.00" in page
    bad = pages.post(f"/admin/packs/{pack_id}/edit", paid_form(inventory="0"))
    assert bad.status_code == 422 and 'data-field="inventory"' in bad.text


def test_link_page_shows_and_downloads_the_qr_code(pages: PageClient) -> None:
    """K11: a paid pack's link page shows the link and its QR code PNG, downloadable."""
    pack_id = created_id(pages.post("/admin/packs/new", paid_form()))
    page = pages.get(f"/admin/packs/{pack_id}/link").text
    assert f"http://127.0.0.1:8000/mall/packs/{pack_id}" in page
    shown = pages.get(f"/admin/packs/{pack_id}/qr.png")
    download = pages.get(f"/admin/packs/{pack_id}/qr.png", params={"download": "true"})
    assert shown.headers["content-type"] == "image/png" and shown.content.startswith(b"\x89PNG")
    assert "attachment" in download.headers["content-disposition"]
    campaign_id = created_id(pages.post("/admin/packs/new", campaign_form()))
    refused = pages.get(f"/admin/packs/{campaign_id}/link")
    assert refused.status_code == 409 and "only paid packs have a link" in refused.text


def test_an_unknown_pack_says_so(pages: PageClient) -> None:
    """An unknown pack number is a page saying what to do, not an error trace."""
    for path in ("/admin/packs/999", "/admin/packs/999/edit", "/admin/packs/999/gift"):
        response = pages.get(path)
        assert response.status_code == 404 and "Pick one from the list" in response.text


def test_distribute_a_campaign_pack_once_per_key(pages: PageClient) -> None:
    """K3: distribute to members by phone; the form's key makes a second click harmless."""
    pack_id = created_id(pages.post("/admin/packs/new", campaign_form()))
    page = pages.get(f"/admin/packs/{pack_id}/distribute").text
    key = re.search(r'name="key" value="([0-9a-f]+)"', page)
    assert key
    bad = pages.post(
        f"/admin/packs/{pack_id}/distribute",
        {"audience": "phones", "phones": "+15550100001\n+19990000000", "key": key.group(1)},
    )
    assert bad.status_code == 422 and 'data-field="phones"' in bad.text
    form = {"audience": "phones", "phones": "+15550100001", "key": key.group(1)}
    for _ in range(2):
        assert pages.post(f"/admin/packs/{pack_id}/distribute", form).status_code == 303
    details = pages.get(f"/admin/packs/{pack_id}").text
    assert 'data-stat="packs_issued">1<' in details and "+15550100001" in details
    paid_id = created_id(pages.post("/admin/packs/new", paid_form()))
    refused = pages.get(f"/admin/packs/{paid_id}/distribute")
    assert refused.status_code == 409 and "a paid pack is sold" in refused.text


def test_a_price_past_the_bounds_is_refused_on_the_form(
    pages: PageClient, database: Database
) -> None:
    """S15: the form refuses a price past the protocol's bound on the price field, in
    words, and saves nothing."""
    response = pages.post("/admin/packs/new", paid_form(price="99999999999999999999999"))
    assert response.status_code == 422
    assert 'data-field="price"' in response.text and "999,999,999,999.99" in response.text
    assert pack_count(database) == 0
    pack_id = created_id(pages.post("/admin/packs/new", paid_form()))
    assert "9.90 USD" in pages.get(f"/admin/packs/{pack_id}").text
