"""The pack list's sales state and figures (K4, K8): not yet on sale, on sale, sold out, ended."""

from __future__ import annotations

from datetime import timedelta

from tests.backoffice.conftest import AdminApi, MovableClock
from tests.backoffice.packs.conftest import campaign_pack, paid_pack


def _rows(api: AdminApi) -> dict[str, dict[str, object]]:
    response = api("GET", "/api/v1/admin/packs")
    assert response.status_code == 200, response.text
    return {row["name"]: row for row in response.json()["packs"]}


def test_sales_states_follow_period_inventory_and_status(
    api: AdminApi, clock: MovableClock
) -> None:
    """K4/K8: the state a row shows, and how many were issued, redeemed, sold and are left."""
    api.create(paid_pack(name="On sale", inventory=2))
    sold_out = api.create(paid_pack(name="Sold out", inventory=1))
    api.create(
        paid_pack(name="Later", sales_period={"first_day": "2026-12-01", "last_day": "2026-12-31"})
    )
    api.create(paid_pack(name="Draft"), draft="true")
    archived = api.create(paid_pack(name="Archived"))
    campaign = api.create(campaign_pack(name="Campaign"))
    assert api.buy(sold_out["id"]).status_code == 201
    assert api("POST", f"/api/v1/admin/packs/{archived['id']}/archive").status_code == 200
    gift = {"phone": "+15550100002", "quantity": 3}
    assert api("POST", f"/api/v1/admin/packs/{campaign['id']}/gifts", json=gift).status_code == 201
    rows = _rows(api)
    states = {name: row["sales_state"] for name, row in rows.items()}
    assert states == {
        "On sale": "on_sale",
        "Sold out": "sold_out",
        "Later": "not_yet_on_sale",
        "Draft": "not_yet_on_sale",
        "Archived": "ended",
        "Campaign": "distributing",
    }
    assert (rows["On sale"]["inventory_left"], rows["Sold out"]["inventory_left"]) == (2, 0)
    assert (rows["Sold out"]["issued"], rows["Sold out"]["sold"]) == (1, 1)
    assert (rows["Campaign"]["issued"], rows["Campaign"]["redeemed"]) == (3, 0)
    clock.advance(timedelta(days=45))  # past 31 December 2026
    assert _rows(api)["On sale"]["sales_state"] == "ended"
