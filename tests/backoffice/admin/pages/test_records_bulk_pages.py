"""The promotion and coupon lists: sorted by any column, several deleted or exported at
once (a tombstone each, as the admin API's DELETE leaves)."""

from __future__ import annotations

import csv
import io
import re

from backoffice.chain.change_log import find_record
from backoffice.database import Database
from tests.backoffice.admin.pages.conftest import PageClient


def _names(page: str) -> list[str]:
    return re.findall(r'<tr data-record="([^"]*)"', page)


def _add(pages: PageClient, name: str, percent: str) -> None:
    form = [("type", "percent_off"), ("name", name), ("percent", percent)]
    assert pages.post("/admin/promotions/new", form).status_code == 303


def test_sort_then_export_and_delete_several(pages: PageClient, database: Database) -> None:
    for name in ("Melon 5%", "apple 10%", "Kiwi 15%"):
        _add(pages, name, name.split()[-1].rstrip("%"))
    by_name = _names(pages.get("/admin/promotions?sort=name&order=asc").text)
    mine = [name for name in by_name if name in ("Melon 5%", "apple 10%", "Kiwi 15%")]
    assert mine == ["apple 10%", "Kiwi 15%", "Melon 5%"]
    backwards = _names(pages.get("/admin/promotions?sort=name&order=desc").text)
    assert backwards == list(reversed(by_name))
    for column in ("type", "auto_execute", "valid_from", "valid_to", "order", "code"):
        assert pages.get(f"/admin/promotions?sort={column}").status_code == 200
    assert pages.get("/admin/promotions?sort=secret").status_code == 400
    ticked = [("record", "APPLE-10"), ("record", "KIWI-15")]
    exported = pages.post("/admin/promotions/bulk", [*ticked, ("action", "export")])
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert rows[0] == ["Name", "Type", "Applies to", "Auto-execute", "Valid from", "Valid until"]
    assert sorted(row[0] for row in rows[1:]) == ["Kiwi 15%", "apple 10%"]
    deleted = pages.post("/admin/promotions/bulk", [*ticked, ("action", "delete")])
    assert deleted.status_code == 303
    page = pages.get("/admin/promotions").text
    assert "2 deleted: apple 10%, Kiwi 15%." in page
    assert "Melon 5%" in _names(page) and "Kiwi 15%" not in _names(page)
    with database.sessions.begin() as session:
        record = find_record(session, "promotion", "KIWI-15")
        assert record is not None and record.deleted  # a tombstone the tills pull
