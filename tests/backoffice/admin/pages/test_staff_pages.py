"""The staff page (issue 20): a group administrator adds a cashier with a PIN (only its
hash is kept), the list shows names and roles, and a bad PIN says so, saving nothing."""

from __future__ import annotations

from typing import Any

from tests.backoffice.admin.pages.conftest import PageClient


def test_a_cashier_is_added_from_the_page_and_listed_without_a_pin(
    pages: PageClient, client: Any, admin_headers: dict[str, str]
) -> None:
    empty = pages.get("/admin/staff")
    assert empty.status_code == 200 and "No one yet" in empty.text
    saved = pages.post(
        "/admin/staff", {"name": "Ana Lima", "role": "cashier", "store_id": "DEMO-1", "pin": "1357"}
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/admin/staff"
    listed = pages.get("/admin/staff").text
    assert "Ana Lima" in listed and "Cashier" in listed and "scrypt" not in listed
    api = client.get("/api/v1/admin/staff", headers=admin_headers).json()
    assert [(p["id"], p["name"], p["store_id"]) for p in api["staff"]] == [
        ("staff-ana-lima", "Ana Lima", "DEMO-1")
    ]


def test_a_bad_pin_is_named_and_nothing_is_saved(pages: PageClient) -> None:
    for pin, said in (("12", "4 to 8 digits"), ("", "needs a PIN")):
        response = pages.post("/admin/staff", {"name": "Ben", "role": "cashier", "pin": pin})
        assert response.status_code == 422 and said in response.text
        assert "Nothing was saved" in response.text
    bad_role = pages.post("/admin/staff", {"name": "Ben", "role": "boss", "pin": "1357"})
    assert bad_role.status_code == 422
    assert "No one yet" in pages.get("/admin/staff").text
