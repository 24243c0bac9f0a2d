"""The events a till uploads: their type names and versions, and the envelope's limits."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

ENVELOPE_VERSION: Literal[1] = 1
MAX_EVENTS = 500  # events in one upload


class EventType(StrEnum):
    """Every event type on the wire; each has a payload model in :mod:`.payloads`."""

    TICKET_CLOSED = "ticket.closed"
    OVERRIDE_CHANGED = "override.changed"
    CONFLICT_RESOLVED = "conflict.resolved"
    TICKET_REFUNDED = "ticket.refunded"
    SHIFT_CLOSED = "shift.closed"
    PACK_SOLD = "pack.sold"
    PACK_REFUNDED = "pack.refunded"


EVENT_VERSION = 1  # the version every event type is at
