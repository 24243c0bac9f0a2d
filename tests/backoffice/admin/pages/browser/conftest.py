"""Browser fixtures: one headless Chromium for the module, and per backend (SQLite and
PostgreSQL) one real `pos-backoffice serve` with the demo chain and an administrator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.backoffice.conftest import BACKENDS, PostgresServer
from tests.helpers.chromium import launch_chromium
from tests.helpers.live_admin import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ServedBackOffice,
    prepare_admin_database,
)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's chromium, launched once for all the module's tests."""
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=BACKENDS)
def served(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres_server: PostgresServer,
) -> Iterator[ServedBackOffice]:
    """`pos-backoffice serve` over a new database of the backend, for the module's tests."""
    directory = tmp_path_factory.mktemp(f"served-{request.param}")
    if request.param == "sqlite":
        url, drop = f"sqlite:///{directory / 'backoffice.sqlite3'}", None
    elif postgres_server.problem:
        pytest.skip(postgres_server.problem)
    else:
        url = postgres_server.create_database("backoffice_browser")
        drop = url
    try:
        prepare_admin_database(url)
        with ServedBackOffice(url, directory / "serve.log") as office:
            yield office
    finally:
        if drop is not None:
            postgres_server.drop_database(drop)


def sign_in(page: Page, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> None:
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button:has-text('Sign in')")


@pytest.fixture
def page(chromium: Browser, served: ServedBackOffice) -> Iterator[Page]:
    """A fresh browser tab at 1280 px, signed in as the group administrator."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, base_url=served.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.goto("/admin/sign-in")
    sign_in(tab)
    tab.wait_for_url("**/admin/packs")
    yield tab
    context.close()


@pytest.fixture
def till_dir(tmp_path: Path) -> Path:
    return tmp_path / "till"
