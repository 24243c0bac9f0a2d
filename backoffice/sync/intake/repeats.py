"""The answer to an idempotency key seen before (S3): its first outcome, or a refusal.

A resend with the same content gets ``duplicate`` and the outcome the key got the first
time; the same key with other content is ``rejected`` (IDEMPOTENCY_KEY_REUSED) and
logged; a key another store's event holds is refused (FOREIGN_STORE).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from backoffice.sync.intake.verdict import EventResult
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.outcomes import Outcome, RejectReason

log = logging.getLogger(__name__)


class StoredEvent(Protocol):
    """What :func:`repeat_result` reads of a stored event (an ORM row or a Core row)."""

    idempotency_key: str
    store_id: str
    payload_hash: str
    received_at: datetime
    outcome: str
    reason: str | None
    detail: str | None


def repeat_result(first: StoredEvent, fingerprint: str, device: DeviceIdentity) -> EventResult:
    """The answer to a key seen before: its first outcome, or a refusal (S3)."""
    key = first.idempotency_key
    if first.store_id != device.store_id:
        return EventResult(
            key,
            Outcome.REJECTED,
            RejectReason.FOREIGN_STORE,
            "idempotency_key: this key belongs to another store's event",
        )
    if first.payload_hash != fingerprint:
        log.warning(
            "idempotency key %s reused by device %s with a different payload (first seen %s)",
            key,
            device.device_id,
            first.received_at.isoformat(),
        )
        return EventResult(
            key,
            Outcome.REJECTED,
            RejectReason.IDEMPOTENCY_KEY_REUSED,
            f"idempotency_key: first seen at {first.received_at.isoformat()} with another payload",
        )
    first_outcome = Outcome(first.outcome)
    return EventResult(
        key,
        Outcome.DUPLICATE,
        reason=first.reason,
        detail=first.detail,
        first_outcome=first_outcome,
        conflict_key=key if first_outcome is Outcome.CONFLICT else None,
    )
