"""The execution-order page: the order shown is the order saved, with auto-execute (R4, R12)."""

from __future__ import annotations

from backoffice.admin.pages.execution_order_page import order_body
from backoffice.chain.execution_order import execution_order_listing
from backoffice.database import Database
from tests.backoffice.admin.pages.conftest import PageClient


def _order(database: Database) -> tuple[list[tuple[str, int, bool]], list[str]]:
    with database.sessions.begin() as session:
        listing = execution_order_listing(session)
    promotions = [(p["id"], p["sequence"], p["auto_execute"]) for p in listing["promotions"]]
    return promotions, [c["code"] for c in listing["coupons"]]


def test_order_body_numbers_in_the_order_shown() -> None:
    """Sequences follow the rows' order from 1; auto-execute only where ticked."""
    assert order_body(["B", "A"], {"A"}, ["C2", "C1"]) == {
        "promotions": [
            {"id": "B", "sequence": 1, "auto_execute": False},
            {"id": "A", "sequence": 2, "auto_execute": True},
        ],
        "coupons": [{"code": "C2", "sequence": 1}, {"code": "C1", "sequence": 2}],
    }


def test_saving_the_page_reorders_and_switches_auto_execute(
    pages: PageClient, database: Database
) -> None:
    """R4/R12: the page shows the order; saving a new one changes sequences and auto-execute."""
    page = pages.get("/admin/execution-order").text
    assert page.index("Burger meal") < page.index("Drinks buy one get one")
    promotions, coupons = _order(database)
    ids = [pid for pid, _, _ in promotions]
    new_order = [ids[1], ids[0], *ids[2:]]
    form = [("promotion", pid) for pid in new_order]
    form += [("auto_execute", pid) for pid in new_order if pid != "COMBO-MEAL"]
    form += [("coupon", code) for code in reversed(coupons)]
    assert pages.post("/admin/execution-order", form).status_code == 303
    after, after_coupons = _order(database)
    assert [pid for pid, _, _ in after] == new_order
    assert dict((pid, auto) for pid, _, auto in after)["COMBO-MEAL"] is False
    assert after_coupons == list(reversed(coupons))
    assert "Execution order saved" in pages.get("/admin/execution-order").text


def test_an_unknown_entry_saves_nothing(pages: PageClient, database: Database) -> None:
    """All or nothing: one unknown promotion in the form changes no sequence."""
    before = _order(database)
    response = pages.post(
        "/admin/execution-order", [("promotion", "GIFT-30"), ("promotion", "GONE")]
    )
    assert response.status_code == 422 and "Nothing was saved" in response.text
    assert _order(database) == before
