"""Applying downloaded change records (S7-S9) to the till's configuration tables.

A record is ``{"kind", "version", "id", "deleted", "data"}`` (docs/sync-protocol.md).
Each known kind is checked with the engine's own parsers before anything is written;
a record of an unknown kind or version, or one the till cannot read, is kept aside
with the reason and reported, never applied half-way (S9). A tombstone deletes.

A page is checked record by record, then written in bulk: per kind, one upsert
(``INSERT ... ON CONFLICT DO UPDATE``) for the records written and one delete for the
tombstones. Records of a page come in change order and each one carries every column
of its row, so the last record of an id decides what the page leaves for it: that is
what is written, exactly as applying the records one by one would leave it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from pos_app.engine import DefinitionError, Item, parse_coupon, parse_promotion
from pos_app.engine.validity import ValidityWindow
from pos_app.store.models.configuration import CatalogItem, CouponRecord, PromotionRecord, StoreInfo
from pos_app.store.models.members import Entitlement, Member
from pos_app.store.models.sync_state import SetAsideRecord, SyncCursor

CHANGES_CURSOR = "changes"
RECORD_VERSION = 1

Row = dict[str, Any]


class RecordProblem(ValueError):
    """Why a record cannot be applied; the record is kept aside with this reason."""


@dataclass(frozen=True)
class SetAside:
    """A record kept aside (S9): its kind, version, id and why."""

    kind: str
    version: str
    record_id: str
    reason: str


@dataclass(frozen=True)
class PageOutcome:
    """What applying a page did: records written, tombstones applied, records kept aside."""

    applied: int
    deleted: int
    set_aside: tuple[SetAside, ...]
    cursor: str | None


def apply_records(
    session: Session, records: Iterable[object], now: datetime, cursor: str | None = None
) -> PageOutcome:
    """Apply ``records`` in ``session``'s transaction (the caller commits), and store
    ``cursor`` as the download cursor when given: a page and its cursor belong to one
    transaction (S8)."""
    applied = deleted = 0
    aside: list[SetAside] = []
    aside_rows: list[Row] = []
    # Per kind, what the page leaves for each id: its row, or None for a tombstone.
    latest: dict[str, dict[str, Row | None]] = {}
    for raw in records:
        try:
            kind, version, record_id, is_tombstone, data = _envelope(raw)
            row_of = _APPLIERS.get(kind)
            if row_of is None:
                raise RecordProblem(f"unknown kind {kind!r}")
            if version != RECORD_VERSION:
                raise RecordProblem(f"unknown version {version!r} of kind {kind!r}")
            if is_tombstone:
                latest.setdefault(kind, {})[record_id] = None
                deleted += 1
            else:
                latest.setdefault(kind, {})[record_id] = row_of(session, record_id, data)
                applied += 1
        except RecordProblem as problem:
            set_aside, row = _kept_aside(raw, str(problem), now)
            aside.append(set_aside)
            aside_rows.append(row)
    connection = session.connection()
    for kind, rows in latest.items():
        gone = [{"key": record_id} for record_id, row in rows.items() if row is None]
        if gone:
            connection.execute(_DELETES[kind], gone)
        kept = [row for row in rows.values() if row is not None]
        if kept:
            connection.execute(_UPSERTS[kind], kept)
    if aside_rows:
        connection.execute(insert(SetAsideRecord), aside_rows)
    if cursor is not None:
        connection.execute(_SAVE_CURSOR, {"name": CHANGES_CURSOR, "cursor": cursor, "at": now})
    return PageOutcome(applied, deleted, tuple(aside), cursor)


def download_cursor(session: Session) -> str | None:
    """The cursor of the last applied page, or None before the first sync."""
    row = session.get(SyncCursor, CHANGES_CURSOR)
    return row.cursor if row is not None else None


def set_aside_records(session: Session, *, unreported_only: bool = False) -> list[SetAsideRecord]:
    """Records kept aside, oldest first (S9)."""
    query = select(SetAsideRecord).order_by(SetAsideRecord.id)
    if unreported_only:
        query = query.where(SetAsideRecord.reported_at.is_(None))
    return list(session.scalars(query))


# ---------------------------------------------------------------- envelope


def _envelope(raw: object) -> tuple[str, object, str, bool, Mapping[str, Any]]:
    if not isinstance(raw, Mapping):
        raise RecordProblem("a record must be an object")
    kind = raw.get("kind")
    if not isinstance(kind, str) or not kind:
        raise RecordProblem("record kind is missing")
    record_id = raw.get("id")
    if not isinstance(record_id, str) or not record_id:
        raise RecordProblem("record id is missing")
    deleted = raw.get("deleted", False)
    if not isinstance(deleted, bool):
        raise RecordProblem("record deleted must be true or false")
    data = raw.get("data", {})
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise RecordProblem("record data must be an object")
    version = raw.get("version")
    if isinstance(version, bool):
        version = str(version)
    return kind, version, record_id, deleted, data


def _kept_aside(raw: object, reason: str, now: datetime) -> tuple[SetAside, Row]:
    """A record kept aside (S9) and its ``set_aside_records`` row."""
    fields = raw if isinstance(raw, Mapping) else {}
    kind = str(fields.get("kind", ""))[:64]
    version = str(fields.get("version", ""))[:16]
    record_id = str(fields.get("id", ""))[:200]
    row = {
        "kind": kind,
        "version": version,
        "record_id": record_id,
        "deleted": fields.get("deleted") is True,
        "record": json.dumps(raw, default=str, sort_keys=True),
        "reason": reason,
        "received_at": now,
        "reported_at": None,
    }
    return SetAside(kind, version, record_id, reason), row


# ---------------------------------------------------------------- kinds


def _definition_text(data: Mapping[str, Any]) -> str:
    return json.dumps(data, default=str, sort_keys=True)


def _same_id(record_id: str, data_id: object, field: str) -> None:
    if data_id != record_id:
        raise RecordProblem(f"data.{field} {data_id!r} is not the record id {record_id!r}")


def _string(data: Mapping[str, Any], key: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise RecordProblem(f"data.{key} must be a{' non-empty' if required else ''} string")
    return value


def _optional_string(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise RecordProblem(f"data.{key} must be a string")
    return value


def _flag(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise RecordProblem(f"data.{key} must be true or false")
    return value


def _apply_store(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    _same_id(record_id, data.get("id"), "id")
    currency = _string(data, "currency", required=True)
    if len(currency) != 3 or not currency.isalpha():
        raise RecordProblem("data.currency must be a three-letter ISO 4217 code")
    fields = {
        "store_id": record_id,
        "name": _string(data, "name", required=True),
        "address": _string(data, "address"),
        "currency": currency.upper(),
    }
    return fields


def _apply_item(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    try:
        item = Item.parse(data, "data")
    except DefinitionError as exc:
        raise RecordProblem(str(exc)) from None
    _same_id(record_id, item.sku, "sku")
    fields = {"sku": item.sku, "name": item.name, "price": item.price, "category": item.category}
    return fields


def _apply_promotion(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    try:
        promotion = parse_promotion(data, "data")
    except DefinitionError as exc:
        raise RecordProblem(str(exc)) from None
    _same_id(record_id, promotion.id, "id")
    fields = {
        "promotion_id": promotion.id,
        "type": str(data.get("type")),
        "name": promotion.name,
        "sequence": promotion.sequence,
        "auto_execute": promotion.auto_execute,
        "definition": _definition_text(data),
    }
    return fields


def _apply_coupon(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    try:
        coupon = parse_coupon(data, "data")
    except DefinitionError as exc:
        raise RecordProblem(str(exc)) from None
    _same_id(record_id, coupon.code, "code")
    fields = {
        "code": coupon.code,
        "kind": coupon.kind,
        "name": coupon.name,
        "sequence": coupon.sequence,
        "single_use": _flag(data, "single_use"),
        "verify_later": _flag(data, "verify_later"),
        "definition": _definition_text(data),
    }
    return fields


def _apply_member(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    _same_id(record_id, data.get("id"), "id")
    fields = {
        "member_id": record_id,
        "name": _string(data, "name"),
        "phone": _string(data, "phone"),
    }
    return fields


def _apply_entitlement(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    _same_id(record_id, data.get("code"), "code")
    try:
        ValidityWindow.parse(data, "data")
    except DefinitionError as exc:
        raise RecordProblem(str(exc)) from None
    fields = {
        "code": record_id,
        "member_id": _string(data, "member_id", required=True),
        "coupon_code": _string(data, "coupon_code", required=True),
        "valid_from": _optional_string(data, "valid_from"),
        "valid_to": _optional_string(data, "valid_to"),
        "status": _string(data, "status") or "active",
        "pack_id": _optional_string(data, "pack_id") or None,
        "pack_name": _optional_string(data, "pack_name") or None,
    }
    return fields


# Each kind's check: the record's row (every column of the table), or RecordProblem.
# The session is there for a check that needs to look something up.
_APPLIERS: dict[str, Callable[[Session, str, Mapping[str, Any]], Row]] = {
    "store": _apply_store,
    "item": _apply_item,
    "promotion": _apply_promotion,
    "coupon": _apply_coupon,
    "member": _apply_member,
    "entitlement": _apply_entitlement,
}

_MODELS: dict[str, type[Any]] = {
    "store": StoreInfo,
    "item": CatalogItem,
    "promotion": PromotionRecord,
    "coupon": CouponRecord,
    "member": Member,
    "entitlement": Entitlement,
}


def _upsert_statement(model: type[Any]) -> Executable:
    """Insert a row, or update every other column of the row with its key."""
    table = model.__table__
    statement = sqlite_insert(table)
    (key,) = table.primary_key.columns
    return statement.on_conflict_do_update(
        index_elements=[key],
        set_={c.name: statement.excluded[c.name] for c in table.columns if c is not key},
    )


def _delete_statement(model: type[Any]) -> Executable:
    table = model.__table__
    (key,) = table.primary_key.columns
    return delete(table).where(key == bindparam("key"))


_UPSERTS = {kind: _upsert_statement(model) for kind, model in _MODELS.items()}
_DELETES = {kind: _delete_statement(model) for kind, model in _MODELS.items()}


def _save_cursor_statement() -> Executable:
    statement = sqlite_insert(SyncCursor).values(
        name=bindparam("name"), cursor=bindparam("cursor"), updated_at=bindparam("at")
    )
    return statement.on_conflict_do_update(
        index_elements=[SyncCursor.name],
        set_={"cursor": statement.excluded.cursor, "updated_at": statement.excluded.updated_at},
    )


_SAVE_CURSOR = _save_cursor_statement()
