"""What the back office says about one uploaded event (protocol "Upload" results)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    """The four outcomes of S4/S5/S6."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class RejectReason(StrEnum):
    """Why an event was rejected; stable codes the till parks the event with (S5)."""

    MALFORMED_EVENT = "MALFORMED_EVENT"
    UNKNOWN_EVENT_TYPE = "UNKNOWN_EVENT_TYPE"
    UNKNOWN_EVENT_VERSION = "UNKNOWN_EVENT_VERSION"
    FOREIGN_STORE = "FOREIGN_STORE"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"


@dataclass(frozen=True)
class Verdict:
    """An event's outcome, with a stable ``reason`` code and a ``detail`` for people."""

    outcome: Outcome
    reason: str | None = None
    detail: str | None = None

    @classmethod
    def accepted(cls) -> Verdict:
        return cls(Outcome.ACCEPTED)

    @classmethod
    def rejected(cls, reason: RejectReason, detail: str) -> Verdict:
        return cls(Outcome.REJECTED, reason.value, detail)


@dataclass(frozen=True)
class EventResult:
    """One entry of the upload response, in the order of the request's events."""

    idempotency_key: str | None
    outcome: Outcome
    reason: str | None = None
    detail: str | None = None
    first_outcome: Outcome | None = None
    conflict_key: str | None = None
