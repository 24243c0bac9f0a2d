"""One-time form tokens (issue 18 item 4): back and resubmit, a double click or a retry
of a form post makes one record; the repeat is sent to the record already made. A post
without a token is refused; a refused post gives its token back. SQLite and PostgreSQL."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from backoffice.database import Database
from backoffice.models.packs import PackGift
from tests.backoffice.admin.pages.conftest import PageClient
from tests.backoffice.admin.pages.test_packs_pages import campaign_form, created_id, pack_count

_FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def test_a_resubmitted_form_makes_one_pack_and_shows_it(
    pages: PageClient, database: Database
) -> None:
    """The same form sent twice (back + resubmit) creates one pack; the second post is
    sent to that pack, told it was already saved."""
    token = _FORM_TOKEN.search(pages.get("/admin/packs/new").text)
    assert token, "the form carries a one-time token"
    form = [*campaign_form(), ("form_token", token.group(1))]
    first = pages.post("/admin/packs/new", form)
    again = pages.post("/admin/packs/new", form)
    assert again.status_code == 303
    assert again.headers["location"] == first.headers["location"]
    assert pack_count(database) == 1
    shown = pages.client.get(again.headers["location"]).text
    assert "already sent and saved" in shown
    created_id(first)


def test_a_gift_sent_twice_is_given_once(pages: PageClient, database: Database) -> None:
    """A double click on "Gift" gives one gift."""
    pack_id = created_id(pages.post("/admin/packs/new", campaign_form()))
    form = {"phone": "+15550100001", "quantity": "1", "form_token": "g" * 32}
    assert pages.post(f"/admin/packs/{pack_id}/gift", form).status_code == 303
    assert pages.post(f"/admin/packs/{pack_id}/gift", form).status_code == 303
    with database.sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(PackGift)) == 1


def test_a_post_without_a_token_is_refused_and_a_refused_post_gives_it_back(
    pages: PageClient, database: Database
) -> None:
    """No token: refused like an expired form, nothing made. A post the form refuses
    (a missing name) frees its token, so the corrected form goes through."""
    bare = pages.client.post(
        "/admin/packs/new",
        data={**dict(campaign_form()), "csrf_token": pages.csrf},
        follow_redirects=False,
    )
    assert bare.status_code == 403 and pack_count(database) == 0
    token = ("form_token", "t" * 32)
    refused = pages.post("/admin/packs/new", [*campaign_form(name=""), token])
    assert refused.status_code == 422
    created_id(pages.post("/admin/packs/new", [*campaign_form(), token]))
    assert pack_count(database) == 1


def test_a_nul_in_a_form_field_is_refused_in_words(pages: PageClient, database: Database) -> None:
    """A NUL pasted into a pack's name: a page naming the field, nothing saved."""
    response = pages.post("/admin/packs/new", campaign_form(name="Tea\x00time"))
    assert response.status_code == 422
    assert "“name”" in response.text and "NUL" in response.text
    assert pack_count(database) == 0
