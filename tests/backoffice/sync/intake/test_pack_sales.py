"""Packs sold at the tills, the back office's side (COUPON-PACK-RULES K12-K15): the pack
and purchase records tills count over, quotas of limited packs, online reservations,
code blocks, and the ``pack.sold`` / ``pack.refunded`` events with their outcomes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backoffice.database import Database
from backoffice.models.pack_sales import TillPackSale
from backoffice.models.packs import PackPurchase
from backoffice.reports.pack_sales import till_pack_sales
from pos_app.protocol.pack_codes import block_code, parse_block_code
from tests.backoffice.conftest import AdminApi, EnrolledTill, MovableClock, enroll
from tests.backoffice.factories import event, ticket_closed
from tests.backoffice.packs.conftest import campaign_pack, entitlements_of, paid_pack

SOLD_AT = "2026-11-21T12:00:00+00:00"


def till_pack(**overrides: Any) -> dict[str, Any]:
    """A pack sold with orders at DEMO-1: 9.90, two CV-5 vouchers valid 30 days."""
    base = paid_pack(
        channels=["with_order", "mall"],
        content=[
            {"coupon_code": "CV-5", "quantity": 2, "effective": "immediate", "validity_days": 30}
        ],
    )
    return {**base, **overrides}


@pytest.fixture
def tills(api: AdminApi, database: Database, clock: MovableClock) -> list[EnrolledTill]:
    """Two tills enrolled into DEMO-1."""
    return [enroll(api.client, database, "DEMO-1", f"till-{n}", clock()) for n in (1, 2)]


def supplies(api: AdminApi, till: EnrolledTill, codes_left: int = 0) -> dict[str, Any]:
    response = api(
        "POST",
        "/api/v1/till/pack-supplies",
        json={"codes_left": codes_left},
        headers=till.headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def granted(api: AdminApi, till: EnrolledTill, pack_id: int) -> int:
    allotments = supplies(api, till, codes_left=10_000)["allotments"]
    return next((a["granted"] for a in allotments if a["pack_id"] == str(pack_id)), 0)


def reserve(api: AdminApi, till: EnrolledTill, pack_id: int, member: str, key: str = "") -> Any:
    response = api(
        "POST",
        "/api/v1/till/pack-reservations",
        json={
            "reservation_key": key or str(uuid.uuid4()),
            "pack_id": str(pack_id),
            "member_id": member,
        },
        headers=till.headers,
    )
    assert response.status_code == 200, response.text
    return response.json()


class Codes:
    """A till's codes, from the block the back office reserved for it (K15)."""

    def __init__(self, api: AdminApi, till: EnrolledTill) -> None:
        (block,) = supplies(api, till)["code_blocks"]
        self.prefix = block["prefix"]
        self.next = 0

    def take(self, count: int) -> list[str]:
        codes = [block_code(self.prefix, self.next + i) for i in range(count)]
        self.next += count
        return codes


def pack_sold(
    till: EnrolledTill,
    pack_id: int,
    codes: list[str],
    *,
    member: str = "M-1001",
    sale_id: str | None = None,
    sold_at: str = SOLD_AT,
    local_date: str = "2026-11-21",
) -> dict[str, Any]:
    """A ``pack.sold`` as a till writes it."""
    return {
        "sale_id": sale_id or str(uuid.uuid4()),
        "store_id": till.store_id,
        "device_id": till.device_id,
        "ticket_id": f"T-{uuid.uuid4().hex[:8]}",
        "line_id": "L3",
        "pack_id": str(pack_id),
        "pack_name": "Milk tea lover's pack",
        "member_id": member,
        "member_name": "Ada Lovelace",
        "price": "9.90",
        "currency": "USD",
        "sold_at": sold_at,
        "local_date": local_date,
        "coupons": [
            {
                "code": code,
                "coupon_code": "CV-5",
                "valid_from": sold_at,
                "valid_to": "2026-12-21T11:59:59.999999+00:00",
            }
            for code in codes
        ],
    }


def upload(client: TestClient, till: EnrolledTill, *events: dict[str, Any]) -> list[Any]:
    response = client.post("/api/v1/events", json={"events": list(events)}, headers=till.headers)
    assert response.status_code == 200, response.text
    return [(r["outcome"], r["reason"]) for r in response.json()["results"]]


def pages(api: AdminApi, till: EnrolledTill, cursor: str = "") -> list[dict[str, Any]]:
    """Every page the till downloads from ``cursor`` on (no cursor: a snapshot, S16)."""
    found = []
    while True:
        params: dict[str, Any] = {"limit": 1000, "cursor": cursor}
        page = api("GET", "/api/v1/changes", params=params, headers=till.headers).json()
        found.append(page)
        cursor = page["cursor"]
        if not page["has_more"]:
            return found


def changes(
    api: AdminApi, till: EnrolledTill, kind: str, cursor: str = ""
) -> dict[str, dict[str, Any]]:
    """The latest record of each id of ``kind`` the till would download after ``cursor``
    (None: a tombstone, which a snapshot never holds)."""
    latest: dict[str, Any] = {}
    for page in pages(api, till, cursor):
        for record in page["records"]:
            if record["kind"] == kind:
                latest[record["id"]] = None if record["deleted"] else record["data"]
    return latest


def test_tills_get_a_record_of_each_published_paid_pack(
    api: AdminApi, tills: list[EnrolledTill]
) -> None:
    """K12, S7: a published paid pack comes down as a ``pack`` record with everything the
    till checks; a draft gets one when published, an archived pack a tombstone; a
    campaign pack none."""
    pack = api.create(till_pack(inventory=50, limits={"daily": 1}, time_zone="Europe/Paris"))
    draft = api.create(till_pack(name="Later"), draft="true")
    api.create(campaign_pack())
    records = changes(api, tills[0], "pack")
    assert list(records) == [str(pack["id"])]
    assert records[str(pack["id"])] == {
        "id": str(pack["id"]),
        "name": "Milk tea lover's pack",
        "price": "9.90",
        "time_zone": "Europe/Paris",
        "channels": ["with_order", "mall"],
        "sales_period": {"first_day": "2026-11-01", "last_day": "2026-12-31"},
        "stores": ["DEMO-1"],
        "inventory": 50,
        "limits": {"daily": 1},
        "content": till_pack()["content"],
    }
    cursor = pages(api, tills[0])[-1]["cursor"]
    api("POST", f"/api/v1/admin/packs/{draft['id']}/publish")
    api("POST", f"/api/v1/admin/packs/{pack['id']}/archive")
    records = changes(api, tills[0], "pack", cursor)
    assert records[str(pack["id"])] is None
    assert records[str(draft["id"])] is not None and records[str(draft["id"])]["name"] == "Later"


def test_quotas_share_the_last_units_and_never_pass_the_limit(
    api: AdminApi, tills: list[EnrolledTill]
) -> None:
    """K13: three units, two tills: each gets its share (2 and 1); topping up again gives
    nothing more; the mall finds it sold out; the inventory cannot go below what the
    tills hold."""
    pack = api.create(till_pack(inventory=3))
    assert granted(api, tills[0], pack["id"]) == 2
    assert granted(api, tills[1], pack["id"]) == 1
    assert granted(api, tills[0], pack["id"]) == 2
    response = api.buy(pack["id"])
    assert response.status_code == 409 and response.json()["detail"][0]["type"] == "SOLD_OUT"
    response = api("PATCH", f"/api/v1/admin/packs/{pack['id']}", json={"inventory": 2})
    assert response.status_code == 422
    assert "3 more with the tills" in response.json()["detail"][0]["msg"]
    assert api.details(pack["id"])["sold"] == 0


def test_code_blocks_are_the_tills_own(api: AdminApi, tills: list[EnrolledTill]) -> None:
    """K15: a till low on codes gets a new block; one with enough gets none; two tills
    never get the same block, and every code names its block."""
    first = supplies(api, tills[0])["code_blocks"]
    second = supplies(api, tills[1])["code_blocks"]
    assert len(first) == len(second) == 1
    assert first[0]["prefix"] != second[0]["prefix"]
    assert supplies(api, tills[0], codes_left=900)["code_blocks"] == first
    again = supplies(api, tills[0], codes_left=10)["code_blocks"]
    assert len(again) == 2 and again[0] == first[0]
    numbers = {parse_block_code(block_code(b["prefix"], 0)) for b in [*again, *second]}
    assert len(numbers) == 3 and all(n is not None and n[1] == 0 for n in numbers)


def test_an_online_reservation_checks_the_sale_and_takes_a_unit(
    api: AdminApi, client: TestClient, tills: list[EnrolledTill]
) -> None:
    """K12, K13: online, a reservation grants the till one more unit after checking the
    member's limits over what the back office confirmed; the same key gets the same
    answer; with no free unit it is refused SOLD_OUT."""
    pack = api.create(till_pack(inventory=2, limits={"daily": 1}))
    key = str(uuid.uuid4())
    first = reserve(api, tills[0], pack["id"], "M-1001", key)
    assert (first["outcome"], first["granted"]) == ("reserved", 1)
    assert reserve(api, tills[0], pack["id"], "M-1001", key) == first
    codes = Codes(api, tills[0])
    assert upload(
        client, tills[0], event("pack.sold", pack_sold(tills[0], pack["id"], codes.take(2)))
    ) == [("accepted", None)]
    refused = reserve(api, tills[1], pack["id"], "M-1001")
    assert (refused["outcome"], refused["reason"]) == ("refused", "LIMIT_DAILY_REACHED")
    assert reserve(api, tills[1], pack["id"], "M-1002")["outcome"] == "reserved"
    sold_out = reserve(api, tills[1], pack["id"], "M-1002")
    assert (sold_out["outcome"], sold_out["reason"]) == ("refused", "SOLD_OUT")
    other = api.create(till_pack(stores=["OTHER-1"]))
    assert reserve(api, tills[0], other["id"], "M-1001")["reason"] == "STORE_NOT_AVAILABLE"


def test_a_till_sale_is_a_purchase_with_the_tills_own_codes(
    api: AdminApi, client: TestClient, database: Database, tills: list[EnrolledTill]
) -> None:
    """K12, K15: a ``pack.sold`` becomes one purchase with order id = sale id and the
    till's coupon codes as entitlements; sent again under another key, it is a duplicate
    and nothing is stored twice."""
    pack = api.create(till_pack(inventory=10))
    assert granted(api, tills[0], pack["id"]) == 5
    codes = Codes(api, tills[0]).take(2)
    sale = pack_sold(tills[0], pack["id"], codes)
    assert upload(client, tills[0], event("pack.sold", sale)) == [("accepted", None)]
    assert upload(client, tills[0], event("pack.sold", sale)) == [
        ("duplicate", "PACK_SALE_ALREADY_RECEIVED")
    ]
    with database.sessions.begin() as session:
        (purchase,) = session.scalars(select(PackPurchase)).all()
        assert (purchase.order_id, purchase.channel, purchase.store_id) == (
            sale["sale_id"],
            "with_order",
            "DEMO-1",
        )
        (listed,) = till_pack_sales(session)
    assert (listed["status"], listed["codes"]) == ("accepted", codes)
    entitlements = entitlements_of(database, "M-1001")
    assert [(e["code"], e["status"], e["pack_name"]) for e in entitlements] == [
        (code, "issued", "Milk tea lover's pack") for code in codes
    ]
    assert api.details(pack["id"])["sold"] == 1
    assert changes(api, tills[1], "pack_purchase")[sale["sale_id"]] == {
        "id": sale["sale_id"],
        "pack_id": str(pack["id"]),
        "member_id": "M-1001",
        "local_date": "2026-11-21",
        "status": "paid",
    }
    assert granted(api, tills[0], pack["id"]) == 6  # topped up to 5 units at the till again


def test_codes_outside_the_tills_blocks_are_rejected(
    api: AdminApi, client: TestClient, tills: list[EnrolledTill]
) -> None:
    """K15: a code of another till's block, or of no block, is rejected naming it."""
    pack = api.create(till_pack())
    theirs = Codes(api, tills[1]).take(2)
    response = client.post(
        "/api/v1/events",
        json={
            "events": [
                event("pack.sold", pack_sold(tills[0], pack["id"], theirs)),
                event("pack.sold", pack_sold(tills[0], pack["id"], ["PK-NOT-MINE", "X"])),
            ]
        },
        headers=tills[0].headers,
    )
    results = response.json()["results"]
    assert [r["outcome"] for r in results] == ["rejected", "rejected"]
    assert results[0]["detail"].startswith("payload.coupons[0].code:")
    assert "not a code of a block reserved for this till" in results[1]["detail"]


def test_a_sale_past_a_members_limit_is_a_conflict_kept_and_refunded(
    api: AdminApi, client: TestClient, database: Database, tills: list[EnrolledTill]
) -> None:
    """K14: two tills sold the member's one pack of the day while offline: the second is a
    PACK_LIMIT_EXCEEDED conflict, stored, its coupons withdrawn, its unit held; the
    till's recorded reversal marks it refunded and frees the unit; nothing is deleted."""
    pack = api.create(till_pack(inventory=4, limits={"daily": 1}))
    assert granted(api, tills[0], pack["id"]) == 2 and granted(api, tills[1], pack["id"]) == 2
    first = pack_sold(tills[0], pack["id"], Codes(api, tills[0]).take(2))
    second_codes = Codes(api, tills[1]).take(2)
    second = pack_sold(tills[1], pack["id"], second_codes)
    second_event = event("pack.sold", second)
    assert upload(client, tills[0], event("pack.sold", first)) == [("accepted", None)]
    assert upload(client, tills[1], second_event) == [("conflict", "PACK_LIMIT_EXCEEDED")]
    (conflict,) = api("GET", "/api/v1/admin/conflicts").json()
    assert conflict["conflict_key"] == second_event["idempotency_key"]
    assert conflict["detail"]["member_name"] == "Ada Lovelace"
    assert "daily limit is 1" in conflict["detail"]["why"]
    revoked = {e["code"]: e["status"] for e in entitlements_of(database, "M-1001")}
    assert {code: revoked[code] for code in second_codes} == dict.fromkeys(second_codes, "revoked")
    assert api.buy(pack["id"], member_id="M-1002").status_code == 409  # 1 sold, 2 + 1 held
    refund = {
        "sale_id": second["sale_id"],
        "store_id": "DEMO-1",
        "amount": "9.90",
        "currency": "USD",
        "method": "cash",
        "manager": "Mia",
        "refunded_at": "2026-11-21T13:00:00+00:00",
        "conflict_key": second_event["idempotency_key"],
        "note": "paid back in cash",
    }
    resolved = {
        "store_id": "DEMO-1",
        "conflict_key": second_event["idempotency_key"],
        "resolution": "refunded",
        "note": "",
        "manager": "Mia",
    }
    assert upload(
        client, tills[1], event("pack.refunded", refund), event("conflict.resolved", resolved)
    ) == [("accepted", None), ("accepted", None)]
    with database.sessions.begin() as session:
        sales = till_pack_sales(session)
    assert [(s["status"], s["reason"], s["resolution"]) for s in sales] == [
        ("accepted", None, None),
        ("refunded", "PACK_LIMIT_EXCEEDED", "refunded"),
    ]
    assert sales[1]["refund"]["amount"] == "9.90" and sales[1]["refund"]["by"] == "Mia"
    assert api.buy(pack["id"], member_id="M-1002").status_code == 201  # the unit is free


def test_an_accepted_exception_sells_the_held_sale(
    api: AdminApi, client: TestClient, database: Database, tills: list[EnrolledTill]
) -> None:
    """K14: the store manager accepts the exception: the held sale becomes a purchase and
    its coupons come back, a coupon a ticket already took as redeemed."""
    pack = api.create(till_pack(limits={"total": 1}))
    upload(
        client,
        tills[0],
        event("pack.sold", pack_sold(tills[0], pack["id"], Codes(api, tills[0]).take(2))),
    )
    codes = Codes(api, tills[1]).take(2)
    second = event("pack.sold", pack_sold(tills[1], pack["id"], codes))
    spent = ticket_closed("DEMO-1", tills[1].device_id, seq=2, coupons=[codes[0]])
    assert upload(client, tills[1], second, spent) == [
        ("conflict", "PACK_LIMIT_EXCEEDED"),
        ("accepted", None),
    ]
    resolved = {
        "store_id": "DEMO-1",
        "conflict_key": second["idempotency_key"],
        "resolution": "accepted",
        "note": "regular customer",
        "manager": "Mia",
    }
    assert upload(client, tills[1], event("conflict.resolved", resolved)) == [("accepted", None)]
    statuses = {e["code"]: e["status"] for e in entitlements_of(database, "M-1001")}
    assert (statuses[codes[0]], statuses[codes[1]]) == ("redeemed", "issued")
    with database.sessions.begin() as session:
        held = session.scalar(
            select(TillPackSale).where(TillPackSale.sale_id == second["payload"]["sale_id"])
        )
        assert held is not None and held.status == "accepted" and held.purchase_id is not None
    assert api.details(pack["id"])["sold"] == 2


def test_a_sale_beyond_the_tills_units_with_none_free_is_a_conflict(
    api: AdminApi, client: TestClient, tills: list[EnrolledTill]
) -> None:
    """K13: a till that reports more sales than it was granted, with no free unit left,
    gets a PACK_SOLD_OUT conflict: the back office never sells past the limit."""
    pack = api.create(till_pack(inventory=1))
    assert granted(api, tills[0], pack["id"]) == 1
    codes = Codes(api, tills[1])
    sale = event("pack.sold", pack_sold(tills[1], pack["id"], codes.take(2), member="M-1002"))
    assert upload(client, tills[1], sale) == [("conflict", "PACK_SOLD_OUT")]
    assert api.details(pack["id"])["sold"] == 0
