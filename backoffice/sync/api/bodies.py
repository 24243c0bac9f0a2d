"""The bodies of the routes the tills call, as the OpenAPI document shows them
(docs/sync-protocol.md)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from pos_app.protocol.outcomes import Outcome


class EnrollRequest(BaseModel):
    """A one-time code and the name the till goes by."""

    code: str = Field(min_length=1, max_length=64, description="the one-time enrollment code")
    device_name: str = Field(min_length=1, max_length=128, examples=["till-1"])


class EnrollResponse(BaseModel):
    """The new device, its store and its token."""

    device_id: str
    store_id: str
    token: str = Field(description="the device's bearer token; shown only this once")
    till_number: int = Field(
        ge=1, description="the till's number in its store, the middle of its ticket numbers"
    )


class ExpiredCursorBody(BaseModel):
    """A 410: the cursor is older than the change log's retention window (S16)."""

    detail: str
    reason: str = Field(default="CURSOR_EXPIRED")
    retention_seconds: int


class RotatedTokenBody(BaseModel):
    """A new device token (S17): use it from now on; the old one works until then."""

    token: str
    expires_at: str


class PingResponse(BaseModel):
    """The back office is up; its clock (S13), the token's store, the change log's
    retention (S16) and, when due, a rotated device token (S17)."""

    ok: bool
    server_time: str
    store_id: str
    retention_seconds: int = Field(
        description="changes older than this may be compacted: a till offline longer"
        " starts again from a snapshot"
    )
    token: RotatedTokenBody | None = None
    phone_key: str | None = Field(
        default=None,
        description="the chain's key for members' phone digests (64 hex digits): tills keep"
        " phone numbers only as HMAC digests under it",
    )


class ChangedRecord(BaseModel):
    """One record as the till applies it; ``deleted`` makes it a tombstone."""

    kind: str
    version: int
    id: str
    deleted: bool
    data: dict[str, Any]


class ChangesResponse(BaseModel):
    """One page of a snapshot or of changes, in order (S7, S16)."""

    records: list[ChangedRecord]
    cursor: str = Field(description="opaque; send it back to get the next page")
    has_more: bool
    snapshot: bool = Field(
        default=False, description="the records are live records of a snapshot, no tombstones"
    )
    snapshot_complete: bool = Field(
        default=False,
        description="this page ends the snapshot: records the till holds that the snapshot"
        " did not send are gone",
    )
    retention_seconds: int = Field(default=0, description="the change log's retention window")


class EventResultBody(BaseModel):
    """The outcome of one uploaded event, with a stable ``reason`` code."""

    idempotency_key: str | None
    outcome: Outcome
    reason: str | None = None
    detail: str | None = None
    first_outcome: Outcome | None = Field(
        default=None, description="for a duplicate: the outcome the key got the first time"
    )
    conflict_key: str | None = Field(
        default=None, description="for a conflict: the key to quote in conflict.resolved"
    )


class UploadResponse(BaseModel):
    """One result per uploaded event, in order, and the server's clock."""

    server_time: str
    results: list[EventResultBody]
