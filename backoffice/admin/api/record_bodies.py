"""The bodies of the admin API's record and conflict routes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class RecordBody(BaseModel):
    """A synced record as the back office stores it."""

    kind: str
    id: str
    store_id: str | None = Field(description="null for a chain-wide record")
    version: int
    revision: int
    deleted: bool
    data: dict[str, Any]
    seq: int = Field(description="the change-log position of the record's last change")


class ConflictBody(BaseModel):
    """A conflict found in an upload, and its follow-up if any (S6)."""

    conflict_key: str
    reason: str
    store_id: str
    device_id: str
    detail: dict[str, Any]
    detected_at: str
    resolved: bool
    resolved_at: str | None
    resolution: str | None
    resolution_note: str | None
    resolved_by: str | None
