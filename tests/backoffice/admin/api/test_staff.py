"""Staff over the admin API (issue 20): a PIN in, only its scrypt hash stored and synced
to the store's tills as a ``staff`` record; bad input is a 422 naming the field."""

from __future__ import annotations

from typing import Any

from pos_app.protocol.pins import pin_matches
from tests.backoffice.conftest import EnrolledTill


def test_a_person_is_added_hashed_and_synced_to_the_tills(
    client: Any, demo_chain: None, admin_headers: dict[str, str], till: EnrolledTill
) -> None:
    cursor = client.get("/api/v1/changes", headers=till.headers).json()["cursor"]
    created = client.put(
        "/api/v1/admin/staff/S-ANA",
        json={"name": "Ana", "role": "cashier", "pin": "1357"},
        params={"store_id": "DEMO-1"},
        headers=admin_headers,
    )
    assert created.status_code == 201, created.text
    assert created.json() == {"id": "S-ANA", "name": "Ana", "role": "cashier", "store_id": "DEMO-1"}
    page = client.get(f"/api/v1/changes?cursor={cursor}", headers=till.headers).json()
    (record,) = [r for r in page["records"] if r["kind"] == "staff"]
    assert record["data"]["name"] == "Ana" and "pin" not in record["data"]
    assert pin_matches("1357", record["data"]["pin_hash"])
    renamed = client.put(
        "/api/v1/admin/staff/S-ANA",
        json={"name": "Ana B", "role": "manager"},
        headers=admin_headers,
    )
    assert renamed.status_code == 200 and renamed.json()["role"] == "manager"
    listed = client.get("/api/v1/admin/staff", headers=admin_headers).json()
    assert listed == {
        "staff": [{"id": "S-ANA", "name": "Ana B", "role": "manager", "store_id": None}],
        "total": 1,
    }
    assert "1357" not in str(listed) and "scrypt" not in str(listed)
    assert client.delete("/api/v1/admin/staff/S-ANA", headers=admin_headers).status_code == 200
    assert client.delete("/api/v1/admin/staff/S-ANA", headers=admin_headers).status_code == 404


def test_bad_input_names_the_field_and_changes_nothing(
    client: Any, demo_chain: None, admin_headers: dict[str, str], till: EnrolledTill
) -> None:
    for body, params, field in (
        ({"name": "Ana", "role": "cashier", "pin": "12"}, {}, "pin"),
        ({"name": "Ana", "role": "cashier", "pin": "abcd"}, {}, "pin"),
        ({"name": "Ana", "role": "cashier"}, {}, "pin"),
        ({"name": "Ana", "role": "boss", "pin": "1357"}, {}, "role"),
        ({"name": "", "role": "cashier", "pin": "1357"}, {}, "name"),
        ({"name": "Ana", "role": "cashier", "pin": "1357"}, {"store_id": "NOPE"}, "store_id"),
    ):
        response = client.put(
            "/api/v1/admin/staff/S-X", json=body, params=params, headers=admin_headers
        )
        assert response.status_code == 422, (body, response.text)
        assert field in response.text
    assert client.get("/api/v1/admin/staff", headers=admin_headers).json()["total"] == 0
    assert (
        client.put(
            "/api/v1/admin/staff/S-X",
            json={"name": "X", "role": "cashier", "pin": "1357"},
            headers=till.headers,
        ).status_code
        == 403
    )
