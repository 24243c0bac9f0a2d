"""An uploaded event checked once, before anything is stored (S3, S15).

Every event of an upload is checked here exactly once: its idempotency key, then text
no database can store (a NUL, a lone surrogate, a number past 64 bits), its envelope,
its type and version, the store it acts for, and its payload against the protocol's
model. An event with no usable key is answered and never stored; any other becomes a
:class:`CheckedEvent`, carrying either its payload or the rejection that names the
field at fault.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from backoffice.sync.intake.verdict import EventResult, Verdict
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.bounds import json_problem, nesting_problem, suspect_json
from pos_app.protocol.outcomes import Outcome, RejectReason
from pos_app.protocol.payloads import (
    IDEMPOTENCY_KEY,
    KNOWN_TYPES,
    PAYLOADS,
    EventHeader,
    describe_validation_error,
)


@dataclass(frozen=True)
class CheckedEvent:
    """One uploaded event after its checks: its key, its fingerprint (what "the same
    payload" means), the body to keep, and its parsed envelope and payload, or the
    ``rejection`` that says which field is at fault."""

    key: str
    fingerprint: str
    body: dict[str, Any]
    header: EventHeader | None
    payload: BaseModel | None
    rejection: Verdict | None

    @property
    def event_type(self) -> str | None:
        """The event's type when it passed its checks; None for a rejected event."""
        return self.header.type if self.header is not None and self.rejection is None else None


def check_upload_event(event: object, device: DeviceIdentity) -> CheckedEvent | EventResult:
    """``event`` checked for ``device``; an :class:`EventResult` when its key is unusable."""
    if not isinstance(event, dict):
        return EventResult(
            None, Outcome.REJECTED, RejectReason.MALFORMED_EVENT, "event: must be an object"
        )
    key = event.get("idempotency_key")
    key_problem = _key_problem(key)
    if key_problem is not None or not isinstance(key, str):
        return EventResult(
            key if isinstance(key, str) else None,
            Outcome.REJECTED,
            RejectReason.MALFORMED_EVENT,
            key_problem,
        )
    try:
        fingerprint, canonical = fingerprint_and_canonical(event)
    except RecursionError:  # nested deeper than JSON is written: none of it is kept
        where, problem = nesting_problem(event) or ("", "is nested too deep")
        return EventResult(
            key, Outcome.REJECTED, RejectReason.MALFORMED_EVENT, f"{where}: {problem}"
        )
    clean = not suspect_json(canonical)  # the key itself is a checked UUID
    rejection, header, payload = check_event(event, device, known_clean=clean)
    body = event if clean else storable_body(event)
    return CheckedEvent(key, fingerprint, body, header, payload, rejection)


def payload_fingerprint(event: dict[str, Any]) -> str:
    """SHA-256 of the event without its key, in canonical JSON: what "same payload" means."""
    return fingerprint_and_canonical(event)[0]


def fingerprint_and_canonical(event: dict[str, Any]) -> tuple[str, str]:
    """:func:`payload_fingerprint` and the canonical JSON text it hashes."""
    content = {name: value for name, value in event.items() if name != "idempotency_key"}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # surrogatepass: a lone surrogate (rejected, S15) still has a fingerprint.
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest(), canonical


def storable_body(event: dict[str, Any]) -> dict[str, Any]:
    """The event as it is kept: itself, or, when it holds text no database can store (a
    NUL, a lone surrogate, S15), its JSON text with every such character escaped."""
    if json_problem(event) is None:
        return event
    return {"unstorable_event": json.dumps(event, ensure_ascii=True, default=str)}


def _key_problem(key: object) -> str | None:
    if key is None:
        return "idempotency_key: is required"
    try:
        IDEMPOTENCY_KEY.validate_python(key)
    except ValidationError as exc:
        return describe_validation_error(exc, "idempotency_key")
    return None


def check_event(
    event: dict[str, Any], device: DeviceIdentity, *, known_clean: bool = False
) -> tuple[Verdict | None, EventHeader | None, BaseModel | None]:
    """A rejection, or None with the parsed header and payload for the handler.
    ``known_clean``: the caller already found no unstorable text in the event (S15)."""
    unstorable = None if known_clean else json_problem(event)
    if unstorable is not None:
        where, problem = unstorable
        return Verdict.rejected(RejectReason.MALFORMED_EVENT, f"{where}: {problem}"), None, None
    try:
        header = EventHeader.model_validate(event)
    except ValidationError as exc:
        return (
            Verdict.rejected(RejectReason.MALFORMED_EVENT, describe_validation_error(exc)),
            None,
            None,
        )
    if header.type not in KNOWN_TYPES:
        detail = f"type: unknown event type {header.type!r}"
        return Verdict.rejected(RejectReason.UNKNOWN_EVENT_TYPE, detail), header, None
    model = PAYLOADS.get((header.type, header.version))
    if model is None:
        detail = f"version: {header.type} version {header.version} is not known here"
        return Verdict.rejected(RejectReason.UNKNOWN_EVENT_VERSION, detail), header, None
    store_id = header.payload.get("store_id")
    if isinstance(store_id, str) and store_id != device.store_id:
        detail = f"payload.store_id: this device acts for store {device.store_id}, not {store_id}"
        return Verdict.rejected(RejectReason.FOREIGN_STORE, detail), header, None
    try:
        payload = model.model_validate(header.payload)
    except ValidationError as exc:
        detail = describe_validation_error(exc, "payload")
        return Verdict.rejected(RejectReason.MALFORMED_EVENT, detail), header, None
    return None, header, payload
