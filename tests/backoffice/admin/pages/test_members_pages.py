"""The members pages over HTTP (issue 21, item 1): search by phone or name, paged; a
member's packs and coupons with validity and state (used where and when), purchases,
gifts; gifting from the member page (K9); audited edits; a store manager sees their
stores' activity only. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from backoffice.admin.users import STORE_MANAGER, add_admin_user
from backoffice.chain.change_log import find_record, put_record
from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.models.member_edits import MemberEdit
from tests.backoffice.admin.pages.conftest import PASSWORD, PageClient
from tests.backoffice.conftest import AdminApi, EnrolledTill, enroll
from tests.backoffice.factories import ticket_closed
from tests.backoffice.packs.conftest import campaign_pack, paid_pack

OTHER_MANAGER = "olga@example.com"
DEMO_MANAGER = "dora@example.com"


@pytest.fixture
def api(pages: PageClient, admin_headers: dict[str, str]) -> AdminApi:
    """The admin API on the same app as the pages."""
    return AdminApi(pages.client, admin_headers)


@pytest.fixture
def demo_till(pages: PageClient, database: Database) -> EnrolledTill:
    return enroll(pages.client, database, "DEMO-1", "till-1", utc_now())


def _redeem(pages: PageClient, till: EnrolledTill, code: str, number: str) -> None:
    closed = ticket_closed(till.store_id, till.device_id, coupons=[code])
    closed["payload"]["number"] = number
    upload = pages.client.post("/api/v1/events", json={"events": [closed]}, headers=till.headers)
    assert upload.json()["results"][0]["outcome"] == "accepted", upload.text


def _manager(database: Database, email: str, *stores: str) -> None:
    with database.sessions.begin() as session:
        add_admin_user(
            session, email, PASSWORD, role=STORE_MANAGER, now=utc_now(), store_ids=stores
        )


def test_search_by_phone_in_any_format_or_by_name(pages: PageClient) -> None:
    """K9: a member is found by phone (spaces, dashes ignored) or any part of the name."""
    by_phone = pages.get("/admin/members", params={"q": "+1 555-0100 002"})
    assert by_phone.status_code == 200
    assert "Grace Hopper" in by_phone.text and "Ada Lovelace" not in by_phone.text
    by_name = pages.get("/admin/members", params={"q": "lovel"})
    assert "Ada Lovelace" in by_name.text and "Grace Hopper" not in by_name.text
    nobody = pages.get("/admin/members", params={"q": "nobody"})
    assert "No member has “nobody”" in nobody.text
    assert "M-1001" not in pages.get("/admin/members").text.split("<main>")[1].replace(
        "/admin/members/M-1001", ""
    ), "people read names, never member ids"


def test_members_are_paged(pages: PageClient, database: Database) -> None:
    """The list holds a chain: 25 a page, by name, with next and previous."""
    with database.sessions.begin() as session:
        for n in range(30):
            member = {"id": f"M-9{n:03}", "name": f"Zed {n:02}", "phone": f"+1555020{n:04}"}
            put_record(
                session, "member", member["id"], member, store_id=None, now=utc_now(), actor="t"
            )
    first = pages.get("/admin/members")
    assert "32 member(s) · page 1 of 2" in first.text
    assert first.text.count('data-member="') == 25
    second = pages.get("/admin/members", params={"page": "2"})
    assert second.text.count('data-member="') == 7 and "Zed 29" in second.text
    for bad in ("0", "-1", "abc", "99999999999"):
        assert pages.get("/admin/members", params={"page": bad}).status_code == 200


def test_member_page_shows_packs_coupons_uses_purchases_and_gifts(
    pages: PageClient, api: AdminApi, demo_till: EnrolledTill
) -> None:
    """K4/K9/K10: packs and each coupon's validity and state; a used coupon says when,
    at which store and on which ticket; purchases with price and currency; gifts."""
    paid = api.create(paid_pack(name="Tea lover"))
    bought = api.buy(paid["id"]).json()
    _redeem(pages, demo_till, bought["coupons"][0]["code"], "D1-01-000042")
    campaign = api.create(campaign_pack(name="Welcome"))
    gift = pages.post("/admin/members/M-1001/gift", {"pack": str(campaign["id"]), "quantity": "2"})
    assert gift.status_code == 303
    page = pages.get("/admin/members/M-1001")
    assert page.status_code == 200
    text = page.text
    assert "Ada Lovelace" in text and "+15550100001" in text
    assert 'data-pack="Tea lover"' in text and text.count('data-pack="Welcome"') == 2
    assert "at Demo Diner, ticket D1-01-000042" in text
    assert text.count(">Valid<") == 4  # two gifted packs of two vouchers each
    assert ">Used<" in text
    assert "9.90 USD" in text
    assert "Gift</span>" in text and "ada@example.com" in text


def test_gift_refusals_keep_the_input(pages: PageClient, api: AdminApi) -> None:
    """K9: no pack chosen, a bad quantity, an archived pack: said in words, nothing given."""
    pack = api.create(campaign_pack(name="Welcome"))
    no_pack = pages.post("/admin/members/M-1002/gift", {"pack": "", "quantity": "1"})
    assert no_pack.status_code == 422 and "Choose the coupon pack to gift" in no_pack.text
    zero = pages.post("/admin/members/M-1002/gift", {"pack": str(pack["id"]), "quantity": "0"})
    assert zero.status_code == 422 and "between 1 and 100" in zero.text
    assert 'value="0"' in zero.text
    assert api("POST", f"/api/v1/admin/packs/{pack['id']}/archive").status_code == 200
    archived = pages.post("/admin/members/M-1002/gift", {"pack": str(pack["id"]), "quantity": "1"})
    assert archived.status_code == 409 and "is archived" in archived.text
    assert "No gift yet." in pages.get("/admin/members/M-1002").text


def test_edits_are_audited_and_reach_the_tills(pages: PageClient, database: Database) -> None:
    """A name or phone edit records who, when, before and after; the member record (what
    the tills get) changes; a phone another member has is refused; no change, no audit."""
    saved = pages.post("/admin/members/M-1001/edit", {"name": "Ada King", "phone": "+15550100009"})
    assert saved.status_code == 303
    page = pages.get("/admin/members/M-1001").text
    assert "Ada King" in page and "“Ada Lovelace” → “Ada King”" in page
    assert "“+15550100001” → “+15550100009”" in page
    with database.sessions.begin() as session:
        record = find_record(session, "member", "M-1001")
        assert record is not None and record.data["name"] == "Ada King"
        (edit,) = session.scalars(select(MemberEdit)).all()
        assert edit.changed_by == "admin:ada@example.com"
        assert edit.before == {"name": "Ada Lovelace", "phone": "+15550100001"}
    taken = pages.post("/admin/members/M-1001/edit", {"name": "Ada", "phone": "+1 555 0100 002"})
    assert taken.status_code == 422 and "already the phone number of Grace Hopper" in taken.text
    empty = pages.post("/admin/members/M-1001/edit", {"name": "  ", "phone": "+15550100009"})
    assert empty.status_code == 422 and "name cannot be empty" in empty.text
    same = pages.post("/admin/members/M-1001/edit", {"name": "Ada King", "phone": "+15550100009"})
    assert same.status_code == 303
    with database.sessions.begin() as session:
        assert len(session.scalars(select(MemberEdit)).all()) == 1


def test_unknown_member_is_a_page_not_a_trace(pages: PageClient) -> None:
    for path in ("/admin/members/M-404", "/admin/members/" + "x" * 300):
        missing = pages.get(path)
        assert missing.status_code == 404 and "Member not found" in missing.text


def test_a_store_manager_sees_only_their_stores(
    pages: PageClient, api: AdminApi, database: Database, demo_till: EnrolledTill
) -> None:
    """A store manager sees purchases at their stores, and a coupon's ticket only where
    it was used at their store; no gifts, no edit, no gift form."""
    pack = api.create(paid_pack(name="Tea lover", stores=["DEMO-1", "OTHER-1"]))
    at_demo = api.buy(pack["id"]).json()
    api.buy(pack["id"], store_id="OTHER-1")
    _redeem(pages, demo_till, at_demo["coupons"][0]["code"], "D1-01-000077")
    _manager(database, OTHER_MANAGER, "OTHER-1")
    _manager(database, DEMO_MANAGER, "DEMO-1")
    other = PageClient(pages.client.__class__(pages.client.app))
    assert other.sign_in(OTHER_MANAGER).status_code == 303
    seen: Any = other.get("/admin/members/M-1001")
    assert seen.status_code == 200
    assert seen.text.count('data-purchase="Tea lover"') == 1 and "D1-01-000077" not in seen.text
    assert "Edit details" not in seen.text and "Gift a coupon pack" not in seen.text
    assert other.get("/admin/members/M-1001/edit").status_code == 403
    demo = PageClient(pages.client.__class__(pages.client.app))
    assert demo.sign_in(DEMO_MANAGER).status_code == 303
    assert "D1-01-000077" in demo.get("/admin/members/M-1001").text
