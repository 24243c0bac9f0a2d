"""Bad events isolated (S15): every input that made an upload a 500 is now one
``rejected`` event naming the field, and the events beside it are stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backoffice.database import Database
from backoffice.models.intake import ReceivedEvent
from backoffice.models.sales import SaleTicket
from backoffice.sync.intake.handlers import HANDLERS
from pos_app.protocol.events import EventType
from tests.backoffice.conftest import EnrolledTill
from tests.backoffice.factories import event, ticket_closed, ticket_payload


def _upload_raw(client: TestClient, till: EnrolledTill, body: str) -> list[dict[str, Any]]:
    response = client.post(
        "/api/v1/events",
        content=body.encode("utf-8"),
        headers={**till.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def _sales(database: Database) -> int:
    with database.sessions.begin() as session:
        return int(session.scalar(select(func.count()).select_from(SaleTicket)) or 0)


def _with_line_name(till: EnrolledTill, name: str) -> dict[str, Any]:
    payload = ticket_payload("DEMO-1", till.device_id)
    payload["lines"][0]["name"] = name
    return event("ticket.closed", payload)


# Each case: the bad event as JSON text (escapes kept as sent), and the field named.
def _cases(till: EnrolledTill) -> dict[str, tuple[str, str]]:
    huge_seq = ticket_closed("DEMO-1", till.device_id)
    huge_seq["device_seq"] = 9223372036854775808
    int32_seq = ticket_closed("DEMO-1", till.device_id)
    int32_seq["device_seq"] = 2**31 + 5  # fine: the column holds 64 bits now
    year_one = ticket_closed("DEMO-1", till.device_id)
    year_one["device_time"] = "0001-01-01T00:00:00+01:00"
    long_money = ticket_closed("DEMO-1", till.device_id)
    long_money["payload"]["total"] = "1" * 41
    exponent = ticket_closed("DEMO-1", till.device_id)
    exponent["payload"]["lines"][0]["unit_price"] = "1E+400"
    infinite = ticket_closed("DEMO-1", till.device_id)
    infinite["payload"]["extra"] = "__INF__"
    quantity = ticket_closed("DEMO-1", till.device_id)
    quantity["payload"]["lines"][0]["qty"] = 2**31
    long_name = _with_line_name(till, "n" * 257)
    plus = ticket_closed("DEMO-1", till.device_id)
    plus["payload"]["lines"][0]["net"] = "+5.00"
    small_exponent = ticket_closed("DEMO-1", till.device_id)
    small_exponent["payload"]["total"] = "1e2"
    bare = ticket_closed("DEMO-1", till.device_id)
    bare["payload"]["total"] = 100
    nested = ticket_closed("DEMO-1", till.device_id)
    nested["payload"]["extra"] = "__DEEP__"
    return {
        "money with a plus sign": (json.dumps(plus), "payload.lines[0].net"),
        "money 1e2": (json.dumps(small_exponent), "payload.total"),
        "money as a bare number": (json.dumps(bare), "payload.total"),
        "nested 20 deep": (
            json.dumps(nested).replace('"__DEEP__"', "[" * 20 + "]" * 20),
            "payload.extra" + "[0]" * 14,
        ),
        "nested 900 deep": (
            json.dumps(nested).replace('"__DEEP__"', "[" * 900 + "]" * 900),
            "payload.extra" + "[0]" * 14,
        ),
        "device_seq over 64 bits": (json.dumps(huge_seq), "device_seq"),
        "device_time in year 1": (json.dumps(year_one), "device_time"),
        "lone surrogate": (
            json.dumps(_with_line_name(till, "PLACEHOLDER")).replace("PLACEHOLDER", "\\ud800"),
            "payload.lines[0].name",
        ),
        "NUL in a name": (
            json.dumps(_with_line_name(till, "PLACEHOLDER")).replace("PLACEHOLDER", "a\\u0000b"),
            "payload.lines[0].name",
        ),
        "money over 40 characters": (json.dumps(long_money), "payload.total"),
        "money 1E+400": (json.dumps(exponent), "payload.lines[0].unit_price"),
        "a number too large for a float": (
            json.dumps(infinite).replace('"__INF__"', "1e999"),
            "payload.extra",
        ),
        "quantity past 9,999": (json.dumps(quantity), "payload.lines[0].qty"),
        "name over 256 characters": (json.dumps(long_name), "payload.lines[0].name"),
        "int32 overflow is fine": (json.dumps(int32_seq), ""),
    }


CASES = [
    "money with a plus sign",
    "money 1e2",
    "money as a bare number",
    "nested 20 deep",
    "nested 900 deep",
    "device_seq over 64 bits",
    "device_time in year 1",
    "lone surrogate",
    "NUL in a name",
    "money over 40 characters",
    "money 1E+400",
    "a number too large for a float",
    "quantity past 9,999",
    "name over 256 characters",
]


@pytest.mark.parametrize("case", CASES)
def test_bad_event_is_rejected_alone_and_its_neighbours_are_stored(
    client: TestClient, database: Database, till: EnrolledTill, case: str
) -> None:
    """S15: the event that made the upload a 500 is rejected naming the field; the
    events before and after it are stored; a resend gets the same answers."""
    bad, field = _cases(till)[case]
    before = ticket_closed("DEMO-1", till.device_id)
    after = ticket_closed("DEMO-1", till.device_id)
    body = f'{{"events": [{json.dumps(before)}, {bad}, {json.dumps(after)}]}}'
    results = _upload_raw(client, till, body)
    assert [r["outcome"] for r in results] == ["accepted", "rejected", "accepted"]
    assert results[1]["reason"] == "MALFORMED_EVENT"
    assert results[1]["detail"].startswith(f"{field}:"), results[1]["detail"]
    assert _sales(database) == 2
    again = _upload_raw(client, till, body)
    assert [r["outcome"] for r in again] == ["duplicate", "duplicate", "duplicate"]
    assert again[1]["first_outcome"] == "rejected"
    assert _sales(database) == 2


def test_a_sequence_number_past_32_bits_is_stored(
    client: TestClient, database: Database, till: EnrolledTill
) -> None:
    """S15: integers within 64 bits fit the columns (PostgreSQL's integer was 32)."""
    bad, _ = _cases(till)["int32 overflow is fine"]
    results = _upload_raw(client, till, f'{{"events": [{bad}]}}')
    assert results[0]["outcome"] == "accepted"
    with database.sessions.begin() as session:
        assert session.scalar(select(func.max(ReceivedEvent.device_seq))) == 2**31 + 5


def test_an_event_the_database_refuses_is_rejected_alone(
    client: TestClient, database: Database, till: EnrolledTill, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S15: a value no check foresaw, refused by the database itself, rejects only its
    event (the batch is received again event by event)."""
    poison = "POISON-TICKET"
    real_receive = HANDLERS[EventType.TICKET_CLOSED]

    def receive_failing_on_poison(session: Any, device: Any, run: Any, now: Any) -> Any:
        if any(event.payload.ticket_id == poison for event in run):
            session.connection().exec_driver_sql("SELECT * FROM no_such_table")
        return real_receive(session, device, run, now)

    monkeypatch.setitem(HANDLERS, EventType.TICKET_CLOSED, receive_failing_on_poison)
    events = [
        ticket_closed("DEMO-1", till.device_id),
        ticket_closed("DEMO-1", till.device_id, ticket_id=poison),
        ticket_closed("DEMO-1", till.device_id),
    ]
    results = _upload_raw(client, till, json.dumps({"events": events}))
    assert [r["outcome"] for r in results] == ["accepted", "rejected", "accepted"]
    assert "the database cannot store it" in results[1]["detail"]
    assert _sales(database) == 2


def test_a_body_nested_too_deep_to_read_is_a_plain_400(
    client: TestClient, database: Database, till: EnrolledTill
) -> None:
    """S15, Details: an upload nested 100,000 deep cannot be read: a 400 saying where it
    nests too deep (no traceback, no generic parse error), and nothing is stored."""
    event_text = json.dumps(ticket_closed("DEMO-1", till.device_id))
    deep = "[" * 100_000 + "]" * 100_000
    body = f'{{"events": [{event_text[:-1]}, "extra": {deep}}}]}}'
    response = client.post(
        "/api/v1/events",
        content=body.encode("ascii"),
        headers={**till.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith("body.events[0].extra")
    assert "nested deeper than 16 levels" in response.json()["detail"]
    assert _sales(database) == 0
