"""What the admin routes over synced records answer: a record, a conflict, and the
execution order, each route's response model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
    archived_at: str | None = Field(
        default=None,
        description="when a delete archived it (something uses it; it stays on the tills)",
    )
    used_by: list[str] = Field(
        default_factory=list, description="what uses it, in words (packs, coupons, sales)"
    )


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


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PromotionInOrder(_Reply):
    """A promotion's place in the execution order (R4) and its auto-execute switch (R12)."""

    id: str
    name: str | None
    type: str | None
    sequence: int
    store_id: str | None
    auto_execute: bool


class CouponInOrder(_Reply):
    """A coupon's place in the execution order (R4); coupons have no auto-execute."""

    code: str
    name: str | None
    kind: str | None
    sequence: int
    store_id: str | None


class ExecutionOrderBody(_Reply):
    """Promotions and coupons in execution order, each with its sequence number."""

    promotions: list[PromotionInOrder]
    coupons: list[CouponInOrder]


class ChangedRecord(_Reply):
    """A record an execution-order change wrote, and its change-log position."""

    kind: str
    id: str
    seq: int


class ExecutionOrderChange(ExecutionOrderBody):
    """The records a change wrote (none for entries that changed nothing), and the order
    as it now stands."""

    changed: list[ChangedRecord]
