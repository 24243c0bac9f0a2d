"""Parked events in words (S5): what each one is, when the till made it, and why the
back office refused it, for the manager screen and ``pos-app outbox``.

An event the back office rejects is parked with its reason and never holds back the
queue. A person reads it here, fixes the cause (often on the back office), and sends
it again (:meth:`pos_app.store.sync_store.SyncStore.requeue_failed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pos_app.protocol.events import EventType
from pos_app.protocol.outcomes import RejectReason
from pos_app.store.outbox import ParkedEvent

# What each kind of event is, as a store manager calls it.
_KINDS: dict[str, str] = {
    EventType.TICKET_CLOSED: "Sale",
    EventType.TICKET_REFUNDED: "Return",
    EventType.SHIFT_CLOSED: "Z report",
    EventType.PACK_SOLD: "Coupon pack sale",
    EventType.PACK_REFUNDED: "Coupon pack return",
    EventType.OVERRIDE_CHANGED: "Auto-execute change",
    EventType.CONFLICT_RESOLVED: "Conflict follow-up",
}

# Why the back office refused it, in words (its rule code stays behind "details").
_REASONS: dict[str, str] = {
    RejectReason.MALFORMED_EVENT: "the back office could not accept what it says",
    RejectReason.UNKNOWN_EVENT_TYPE: "the back office does not know this kind of event"
    " (it may need an update)",
    RejectReason.UNKNOWN_EVENT_VERSION: "the back office does not know this version of the"
    " event (it may need an update)",
    RejectReason.FOREIGN_STORE: "it names another store than the one this till is enrolled in",
    RejectReason.IDEMPOTENCY_KEY_REUSED: "another event was already sent under its key",
}


@dataclass(frozen=True)
class ParkedLine:
    """One parked event as a person reads it: ``what`` (the sale and its number, the Z
    report and its day, ...), ``when`` it was made, ``why`` it was refused; ``code``,
    ``key`` and ``seq`` for support and for sending it again."""

    what: str
    when: str
    why: str
    code: str
    key: str
    seq: int


def describe(event: ParkedEvent) -> ParkedLine:
    """``event`` in words."""
    code, _, detail = event.reason.partition(":")
    code = code.strip()
    words = _REASONS.get(code, "the back office refused it")
    why = f"{words}: {detail.strip()}" if detail.strip() else words
    when = event.device_time[:16].replace("T", " ")
    return ParkedLine(
        _what(event.type, event.payload), when, why, code, event.idempotency_key, event.device_seq
    )


def _what(event_type: str, payload: dict[str, Any]) -> str:
    kind = _KINDS.get(event_type, event_type)
    number = payload.get("number")
    if isinstance(number, str) and number:
        return f"{kind} {number}"
    day = payload.get("business_day")
    if isinstance(day, str) and day:
        return f"{kind} of {day}"
    name = payload.get("pack_name") or payload.get("name")
    if isinstance(name, str) and name:
        return f"{kind}: {name}"
    return kind


def parked_summary(count: int) -> str:
    """How many events are parked, in a sentence ("" when none)."""
    if not count:
        return ""
    noun = "event is" if count == 1 else "events are"
    return (
        f"{count} {noun} parked: the back office refused them; see `pos-app outbox`"
        " or manager mode, Parked"
    )
