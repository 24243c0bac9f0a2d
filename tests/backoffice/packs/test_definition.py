"""Pack configuration checks (K1-K4): bad input is refused naming the field; roles (K1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from backoffice.chain.demo_chain import load_chain
from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.packs.definition import definition_data, parse_pack_definition
from backoffice.packs.errors import PackInputError
from tests.backoffice.conftest import AdminApi, EnrolledTill
from tests.backoffice.packs.conftest import campaign_pack, paid_pack

KNOWN = {("coupon", "CV-5"), ("coupon", "MV-4"), ("store", "DEMO-1"), ("store", "OTHER-1")}


def known(kind: str, record_id: str) -> bool:
    return (kind, record_id) in KNOWN


def _entry(**overrides: Any) -> dict[str, Any]:
    return {"coupon_code": "CV-5", "quantity": 1, "validity_days": 7, **overrides}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (paid_pack(price="0"), "price"),
        (paid_pack(price="-1.00"), "price"),
        (paid_pack(price=9.9), "price"),
        (paid_pack(price="abc"), "price"),
        (paid_pack(price="1.001"), "price"),
        (paid_pack(price="1e2"), "price"),
        (paid_pack(price="+9.90"), "price"),
        (paid_pack(price=10), "price"),
        (paid_pack(channels=[]), "channels"),
        (paid_pack(channels=["phone"]), "channels[0]"),
        (paid_pack(content=[]), "content"),
        (paid_pack(content=[_entry(coupon_code="NOPE")]), "content[0].coupon_code"),
        (paid_pack(content=[_entry(quantity=0)]), "content[0].quantity"),
        (paid_pack(content=[_entry(validity_days=0)]), "content[0].validity_days"),
        (paid_pack(content=[_entry(effective="after_days")]), "content[0].delay"),
        (paid_pack(content=[_entry(delay=2)]), "content[0].delay"),
        (paid_pack(redirect_url="ftp://example.com/x"), "redirect_url"),
        (paid_pack(redirect_url="javascript:alert(1)"), "redirect_url"),
        (paid_pack(limits={"total": 0}), "limits.total"),
        (paid_pack(limits={"daily": 0}), "limits.daily"),
        (paid_pack(inventory=0), "inventory"),
        (paid_pack(stores=[]), "stores"),
        (paid_pack(stores=["DEMO-1", "MARS-1"]), "stores[1]"),
        (
            paid_pack(sales_period={"first_day": "2026-12-01", "last_day": "2026-11-01"}),
            "sales_period.last_day",
        ),
        (paid_pack(distribution={"method": "one_time"}), "distribution"),
        (paid_pack(name=""), "name"),
        (paid_pack(time_zone="Mars/Olympus"), "time_zone"),
        (paid_pack(colour="red"), "colour"),
        ({**paid_pack(), "type": "raffle"}, "type"),
        (campaign_pack(price="1.00"), "price"),
        (campaign_pack(distribution=None), "distribution"),
        (campaign_pack(distribution={"method": "recurring", "cycles": 3}), "distribution.period"),
        (
            campaign_pack(distribution={"method": "recurring", "period": "daily"}),
            "distribution.cycles",
        ),
        (
            campaign_pack(distribution={"method": "recurring", "period": "daily", "cycles": 0}),
            "distribution.cycles",
        ),
        (campaign_pack(subsequent_content=[_entry()]), "subsequent_content"),
    ],
)
def test_bad_configuration_names_the_field(body: dict[str, Any], field: str) -> None:
    """K1-K4: each bad setting is refused with the field at fault."""
    with pytest.raises(PackInputError) as refused:
        parse_pack_definition(body, known)
    assert refused.value.field == field, refused.value


def test_a_paid_pack_round_trips_through_its_canonical_form() -> None:
    """K4: every paid setting is kept; money stays a Decimal and a string."""
    body = paid_pack(
        inventory=100,
        limits={"total": 3, "daily": 1},
        auto_refund=True,
        redirect_url="https://example.com/thanks",
        channels=["mall", "with_order", "mall"],
    )
    definition = parse_pack_definition(body, known)
    assert definition.price == Decimal("9.90")
    assert definition.channels == ["mall", "with_order"]
    data = definition_data(definition)
    assert data["price"] == "9.90" and data["limits"] == {"total": 3, "daily": 1}
    assert parse_pack_definition(data, known) == definition


def test_a_recurring_pack_with_a_different_first_distribution() -> None:
    """K3: "first different from the rest" keeps both contents."""
    body = campaign_pack(
        distribution={"method": "recurring", "period": "weekly", "cycles": 4},
        subsequent_content=[_entry(coupon_code="MV-4", effective="after_hours", delay=2)],
    )
    definition = parse_pack_definition(body, known)
    assert definition.cycles == 4 and definition.subsequent_content is not None
    assert definition.subsequent_content[0]["coupon_code"] == "MV-4"
    assert parse_pack_definition(definition_data(definition), known) == definition


def test_api_refuses_bad_input_with_422_naming_the_field(api: AdminApi) -> None:
    """K4: the API answers 422 with loc, field and a message that names the field."""
    response = api("POST", "/api/v1/admin/packs", json=paid_pack(price="0"))
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["field"] == "price" and error["loc"] == ["body", "price"]
    assert error["msg"].startswith("price:")
    unknown = api("POST", "/api/v1/admin/packs", json=paid_pack(content=[_entry(coupon_code="X")]))
    assert unknown.json()["detail"][0]["loc"] == ["body", "content", 0, "coupon_code"]
    assert api("GET", "/api/v1/admin/packs").json()["total"] == 0, "nothing was stored"


def test_only_a_group_admin_manages_packs(api: AdminApi, till: EnrolledTill) -> None:
    """K1: a store device token gets 403, no token 401, on every pack-management route."""
    pack = api.create(campaign_pack())
    routes: list[tuple[str, str, Any]] = [
        ("POST", "/api/v1/admin/packs", campaign_pack()),
        ("GET", "/api/v1/admin/packs", None),
        ("GET", f"/api/v1/admin/packs/{pack['id']}", None),
        ("PATCH", f"/api/v1/admin/packs/{pack['id']}", {"name": "x"}),
        ("POST", f"/api/v1/admin/packs/{pack['id']}/copy", None),
        ("POST", f"/api/v1/admin/packs/{pack['id']}/archive", None),
        ("POST", f"/api/v1/admin/packs/{pack['id']}/gifts", {"phone": "1", "quantity": 1}),
        ("GET", "/api/v1/admin/execution-order", None),
        ("PUT", "/api/v1/admin/execution-order", {"promotions": []}),
    ]
    for method, path, body in routes:
        assert api(method, path, json=body, headers=till.headers).status_code == 403, path
        assert api(method, path, json=body, headers={}).status_code == 401, path
    assert api.details(pack["id"])["definition"]["name"] == "Welcome pack"


HUGE_PRICE = "99999999999999999999999"


def test_a_price_past_the_protocols_bound_is_refused_in_words(api: AdminApi) -> None:
    """S15: the bounds table (the engine's largest amount) governs a pack's price on the
    API as on the tills; the refusal says what a price must be, nothing is stored."""
    response = api("POST", "/api/v1/admin/packs", json=paid_pack(price=HUGE_PRICE))
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    assert error["field"] == "price"
    assert "999,999,999,999.99" in error["msg"]
    largest = api.create(paid_pack(price="999999999999.99"))
    changed = api("PATCH", f"/api/v1/admin/packs/{largest['id']}", json={"price": HUGE_PRICE})
    assert changed.status_code in (409, 422), changed.text
    assert api("GET", "/api/v1/admin/packs").json()["total"] == 1


def test_a_packs_stores_share_one_currency_shown_with_every_amount(
    api: AdminApi, database: Database
) -> None:
    """A pack has one price: stores selling in different currencies are refused, and the
    pack's price is listed with its stores' currency."""
    with database.sessions.begin() as session:
        load_chain(
            session,
            {"store": {"id": "EUR-1", "name": "Euro", "address": "3 St", "currency": "EUR"}},
            utc_now(),
        )
    mixed = api("POST", "/api/v1/admin/packs", json=paid_pack(stores=["DEMO-1", "EUR-1"]))
    assert mixed.status_code == 422, mixed.text
    (error,) = mixed.json()["detail"]
    assert error["field"] == "stores" and "EUR" in error["msg"] and "USD" in error["msg"]
    pack = api.create(paid_pack(stores=["EUR-1"]))
    assert api.details(pack["id"])["currency"] == "EUR"
    (row,) = api("GET", "/api/v1/admin/packs").json()["packs"]
    assert row["currency"] == "EUR"
