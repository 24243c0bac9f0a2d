"""Parked events in words (issue 18 item 6): what each is, when it was made and why
the back office refused it, never a rule code in the sentence."""

from __future__ import annotations

from typing import Any

import pytest

from pos_app.store.outbox import ParkedEvent
from pos_app.sync.parked import describe, parked_summary


def parked(event_type: str, reason: str, payload: dict[str, Any]) -> ParkedEvent:
    return ParkedEvent(7, "key-7", event_type, "2026-11-21T12:05:09+00:00", reason, payload)


@pytest.mark.parametrize(
    ("event_type", "payload", "what"),
    [
        ("ticket.closed", {"number": "D1-01-000003"}, "Sale D1-01-000003"),
        ("ticket.refunded", {"number": "D1-01-000004"}, "Return D1-01-000004"),
        ("shift.closed", {"business_day": "2026-11-21"}, "Z report of 2026-11-21"),
        ("ticket.closed", {}, "Sale"),
        ("ticket.teleported", {}, "ticket.teleported"),
    ],
)
def test_what_the_event_is(event_type: str, payload: dict[str, Any], what: str) -> None:
    line = describe(parked(event_type, "FOREIGN_STORE", payload))
    assert (line.what, line.when, line.seq) == (what, "2026-11-21 12:05", 7)


def test_why_in_words_with_the_back_offices_detail() -> None:
    line = describe(parked("ticket.closed", "MALFORMED_EVENT: payload.total: too large", {}))
    assert line.why == "the back office could not accept what it says: payload.total: too large"
    assert line.code == "MALFORMED_EVENT" and "MALFORMED" not in line.why
    other = describe(parked("ticket.closed", "FOREIGN_STORE", {}))
    assert other.why == "it names another store than the one this till is enrolled in"
    unknown = describe(parked("ticket.closed", "SOMETHING_NEW", {}))
    assert unknown.why == "the back office refused it"


def test_the_count_in_a_sentence() -> None:
    assert parked_summary(0) == ""
    assert parked_summary(1).startswith("1 event is parked")
    assert parked_summary(3).startswith("3 events are parked")
