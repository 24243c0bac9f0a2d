"""What the back office says about uploaded events (protocol "Upload" results; the
outcomes and reasons are the protocol's)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pos_app.protocol.outcomes import Outcome, RejectReason


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


@dataclass
class IntakeOutcome:
    """What storing events did (an upload, or a run of it): one result per event, in
    order, and the entitlement codes they spent, to be marked redeemed after the commit."""

    results: list[EventResult]
    spent_entitlements: list[str] = field(default_factory=list)
