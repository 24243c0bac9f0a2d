"""The execution-order settings (R4, R12, S7): sequence numbers and auto-execute, by the API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.backoffice.conftest import AdminApi, EnrolledTill

PATH = "/api/v1/admin/execution-order"


def test_listing_is_in_sequence_with_auto_execute(api: AdminApi) -> None:
    """R4/R12: promotions and coupons each in their own sequence; promotions show auto_execute."""
    listing = api("GET", PATH).json()
    promotions, coupons = listing["promotions"], listing["coupons"]
    assert [p["sequence"] for p in promotions] == sorted(p["sequence"] for p in promotions)
    assert promotions[0]["id"] == "COMBO-MEAL" and promotions[0]["auto_execute"] is True
    assert {p["id"]: p["auto_execute"] for p in promotions}["DESSERT-10"] is False
    assert coupons[0]["code"] == "GP-BURGER" and "auto_execute" not in coupons[0]


def test_put_changes_order_and_flags_and_tills_see_it(
    api: AdminApi, client: TestClient, till: EnrolledTill
) -> None:
    """R4/R12/S7: one PUT reorders and switches auto-execute; each change is a synced record."""
    cursor = client.get("/api/v1/changes", headers=till.headers).json()["cursor"]
    body = {
        "promotions": [
            {"id": "DRINKS-BOGO", "sequence": 1, "auto_execute": False},
            {"id": "COMBO-MEAL", "sequence": 2},
            {"id": "CAKE-2ND-HALF", "sequence": 3},  # unchanged: logs nothing
        ],
        "coupons": [{"code": "CV-5", "sequence": 0}],
    }
    response = api("PUT", PATH, json=body)
    assert response.status_code == 200, response.text
    changed = response.json()["changed"]
    assert [(c["kind"], c["id"]) for c in changed] == [
        ("promotion", "DRINKS-BOGO"),
        ("promotion", "COMBO-MEAL"),
        ("coupon", "CV-5"),
    ]
    assert [p["id"] for p in response.json()["promotions"][:2]] == ["DRINKS-BOGO", "COMBO-MEAL"]
    assert response.json()["coupons"][0]["code"] == "CV-5"

    page = client.get(f"/api/v1/changes?cursor={cursor}", headers=till.headers).json()
    synced = {r["id"]: r["data"] for r in page["records"]}
    assert synced["DRINKS-BOGO"]["sequence"] == 1 and synced["DRINKS-BOGO"]["auto_execute"] is False
    assert synced["DRINKS-BOGO"]["type"] == "bogo", "the rest of the promotion is kept"
    assert synced["COMBO-MEAL"]["sequence"] == 2 and synced["CV-5"]["sequence"] == 0
    assert "CAKE-2ND-HALF" not in synced


def test_a_bad_entry_changes_nothing(api: AdminApi) -> None:
    """One transaction: a bad entry is a 422 naming it, and the good entries are not applied."""
    before = api("GET", PATH).json()
    for body, field in (
        (
            {"promotions": [{"id": "COMBO-MEAL", "sequence": 9}, {"id": "NOPE", "sequence": 1}]},
            "promotions[1].id",
        ),
        ({"promotions": [{"id": "COMBO-MEAL", "sequence": "9"}]}, "promotions[0].sequence"),
        (
            {"promotions": [{"id": "COMBO-MEAL", "auto_execute": "yes"}]},
            "promotions[0].auto_execute",
        ),
        ({"promotions": [{"id": "COMBO-MEAL", "percent": "10"}]}, "promotions[0].percent"),
        ({"coupons": [{"code": "CV-5", "auto_execute": True}]}, "coupons[0].auto_execute"),
        ({"promotions": [{"id": "COMBO-MEAL"}, {"id": "COMBO-MEAL"}]}, "promotions[1].id"),
        ({"items": []}, "items"),
    ):
        response = api("PUT", PATH, json=body)
        assert response.status_code == 422, body
        assert response.json()["detail"][0]["field"] == field
    assert api("GET", PATH).json() == before
