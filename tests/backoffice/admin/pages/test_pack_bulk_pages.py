"""The pack list that holds a chain (K10): sorted by any column, filtered in the database,
several packs archived or exported as CSV at once."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.backoffice.admin.pages.conftest import PageClient
from tests.backoffice.admin.pages.test_packs_pages import campaign_form, created_id, paid_form


def _names(page: str) -> list[str]:
    return re.findall(r'<tr data-pack="([^"]*)"', page)


@pytest.fixture
def three_packs(pages: PageClient) -> dict[str, int]:
    return {
        "Banana": created_id(pages.post("/admin/packs/new", paid_form("Banana", price="12.50"))),
        "apple": created_id(pages.post("/admin/packs/new", paid_form("apple", price="9.90"))),
        "Cherry": created_id(pages.post("/admin/packs/new", campaign_form("Cherry"))),
    }


def test_the_list_sorts_by_any_column(pages: PageClient, three_packs: dict[str, int]) -> None:
    assert _names(pages.get("/admin/packs").text) == ["Cherry", "apple", "Banana"]
    by_name = pages.get("/admin/packs?sort=name&order=asc").text
    assert _names(by_name) == ["apple", "Banana", "Cherry"]
    assert 'aria-sort="ascending"' in by_name
    # prices compare as amounts, not text ("12.50" after "9.90"); no price comes last
    assert _names(pages.get("/admin/packs?sort=price&order=desc").text) == [
        "Banana",
        "apple",
        "Cherry",
    ]
    for column in ("type", "status", "sales_state", "issued", "sold", "inventory_left"):
        for order in ("asc", "desc"):
            page = pages.get(f"/admin/packs?sort={column}&order={order}")
            assert page.status_code == 200 and len(_names(page.text)) == 3, column
    assert pages.get("/admin/packs?sort=password").status_code == 400


def test_filters_run_in_the_database(pages: PageClient, three_packs: dict[str, int]) -> None:
    assert _names(pages.get("/admin/packs?channel=mall&sort=name&order=asc").text) == [
        "apple",
        "Banana",
    ]
    assert _names(pages.get("/admin/packs?store=DEMO-1&type=paid&name=AN").text) == ["Banana"]
    assert _names(pages.get("/admin/packs?store=OTHER-1").text) == []


def test_archive_several_at_once(pages: PageClient, three_packs: dict[str, int]) -> None:
    ticked = [("pack", str(three_packs["apple"])), ("pack", str(three_packs["Cherry"]))]
    done = pages.post("/admin/packs/bulk", [*ticked, ("action", "archive")])
    assert done.status_code == 303
    page = pages.get("/admin/packs?status=archived&sort=name&order=asc").text
    assert "2 coupon pack(s) archived: Cherry, apple." in page
    assert _names(page) == ["apple", "Cherry"]
    nothing = pages.post("/admin/packs/bulk", [("action", "archive")])
    assert nothing.status_code == 303
    assert "Tick at least one coupon pack first." in pages.get("/admin/packs").text


def test_export_the_ticked_or_every_matching_pack_as_csv(
    pages: PageClient, three_packs: dict[str, int]
) -> None:
    evil = created_id(pages.post("/admin/packs/new", paid_form("=HYPERLINK(1)")))
    ticked = [("pack", str(three_packs["Banana"])), ("pack", str(evil)), ("action", "export")]
    response = pages.post("/admin/packs/bulk", ticked)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][:5] == ["Name", "Type", "Status", "Sales state", "Price"]
    assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(1)", "Banana"]
    assert rows[2][1:6] == ["Paid coupon pack", "Active", "On sale", "12.50", "USD"]
    every = pages.get("/admin/packs/export.csv?type=paid")
    names = [row[0] for row in csv.reader(io.StringIO(every.text.lstrip("\ufeff")))][1:]
    assert sorted(names) == ["'=HYPERLINK(1)", "Banana", "apple"]
