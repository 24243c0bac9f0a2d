"""What every admin page shares: a failure nobody foresaw is a page that says what to do,
never a stack trace; refusals name the pack, not its number."""

from __future__ import annotations

import warnings

import pytest

from backoffice.admin.pages import pack_refusals, packs_pages
from backoffice.app import create_app
from backoffice.packs.errors import PackStateError
from tests.backoffice.admin.pages.conftest import ADMIN_EMAIL, PageClient
from tests.backoffice.conftest import MovableClock

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from fastapi.testclient import TestClient


def test_an_unforeseen_failure_shows_no_trace(
    database_url: str, clock: MovableClock, accounts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page whose service fails unexpectedly answers 500 with what to do, no trace."""

    def broken(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("secret internals at line 42")

    monkeypatch.setattr(packs_pages, "list_page", broken)
    app = create_app(database_url, clock=clock, pack_scheduler_interval=None)
    with TestClient(app, raise_server_exceptions=False) as client:
        pages = PageClient(client)
        assert pages.sign_in(ADMIN_EMAIL).status_code == 303
        response = pages.get("/admin/packs")
    assert response.status_code == 500
    assert "Something went wrong" in response.text and "Try again" in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text


def test_refusals_name_the_pack_not_its_number() -> None:
    """A service's "pack 12" becomes the pack's name; rule ids are dropped."""
    error = PackStateError("type", "pack 12 is a campaign pack: only paid packs have a link (K11)")
    assert pack_refusals.refusal_text(error, "Weekly treats") == (
        "“Weekly treats” is a campaign pack: only paid packs have a link"
    )
    assert (
        pack_refusals.refusal_text(error)
        == "This pack is a campaign pack: only paid packs have a link"
    )


def test_the_home_page_leads_to_the_packs(pages: PageClient) -> None:
    """/admin opens the coupon pack list, the seed's menu entry."""
    response = pages.get("/admin")
    assert response.status_code == 303 and response.headers["location"] == "/admin/packs"
