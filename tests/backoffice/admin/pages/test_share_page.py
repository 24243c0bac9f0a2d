"""The page behind a paid pack's link (K11) says where the pack stands (K4, K8)."""

from __future__ import annotations

from datetime import timedelta

from tests.backoffice.admin.pages.conftest import PageClient
from tests.backoffice.admin.pages.test_packs_pages import created_id, paid_form
from tests.backoffice.conftest import MovableClock


def _state(pages: PageClient, pack_id: int) -> str:
    page: str = pages.get(f"/mall/packs/{pack_id}").text
    return page.split('data-state="')[1].split('"')[0]


def test_share_page_states(
    pages: PageClient, clock: MovableClock, admin_headers: dict[str, str]
) -> None:
    """On sale, sold only with an order, sold out, not yet on sale, ended, archived."""
    on_sale = created_id(pages.post("/admin/packs/new", paid_form()))
    with_order = created_id(
        pages.post(
            "/admin/packs/new", [p for p in paid_form("Till only") if p != ("channels", "mall")]
        )
    )
    sold_out = created_id(pages.post("/admin/packs/new", paid_form("One only", inventory="1")))
    later = created_id(
        pages.post(
            "/admin/packs/new",
            paid_form("December", sales_first_day="2026-12-01", sales_last_day="2026-12-31"),
        )
    )
    archived = created_id(pages.post("/admin/packs/new", paid_form("Gone")))
    assert pages.post(f"/admin/packs/{archived}/archive").status_code == 303
    bought = pages.client.post(
        f"/api/v1/mall/packs/{sold_out}/purchases",
        json={"member_id": "M-1001", "store_id": "DEMO-1"},
        headers=pages.client.headers,
    )
    expected = {
        on_sale: "on_sale",
        with_order: "with_order",
        later: "not_yet_on_sale",
        archived: "ended",
    }
    for pack_id, state in expected.items():
        assert _state(pages, pack_id) == state, pack_id
    assert bought.status_code == 401  # the mall needs its token: sell through the service instead
    clock.advance(timedelta(days=40))
    assert _state(pages, on_sale) == "ended"
    missing = pages.get("/mall/packs/999")
    assert missing.status_code == 404 and "Check the link" in missing.text
