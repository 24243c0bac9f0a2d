"""Applying downloaded change records (S7-S9) to the till's configuration tables.

A record is ``{"kind", "version", "id", "deleted", "data"}`` (docs/sync-protocol.md).
Each known kind is checked by the protocol's check (the back office's own, which runs
the engine's parsers) before anything is written;
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
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from pos_app.engine import Item, parse_coupon, parse_promotion
from pos_app.protocol.phone_keys import last_four, phone_digests
from pos_app.protocol.records import RECORD_VERSION, RecordDataError, RecordKind, checked_data
from pos_app.store.models.configuration import CatalogItem, CouponRecord, PromotionRecord, StoreInfo
from pos_app.store.models.members import Entitlement, Member
from pos_app.store.models.packs import PackPurchaseRecord, PackRecord
from pos_app.store.models.staff import StaffMember
from pos_app.store.models.sync_state import SetAsideRecord, SyncCursor
from pos_app.store.phone_key import phone_key

CHANGES_CURSOR = "changes"

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


def _checked(kind: RecordKind, record_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The protocol's check of the kind (the back office's own), or RecordProblem."""
    try:
        return checked_data(kind, record_id, data)
    except RecordDataError as exc:
        raise RecordProblem(f"data.{exc.field}: {exc.problem}" if exc.field else str(exc)) from None


def _apply_store(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    store = _checked(RecordKind.STORE, record_id, data)
    return {
        "store_id": record_id,
        "name": store["name"],
        "address": store["address"],
        "currency": store["currency"],
        "tax_inclusive": store.get("tax_inclusive") is not False,
        "return_approval_limit": (
            Decimal(store["return_approval_limit"])
            if store.get("return_approval_limit") is not None
            else None
        ),
    }


def _apply_staff(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    staff = _checked(RecordKind.STAFF, record_id, data)
    return {
        "staff_id": record_id,
        "name": staff["name"],
        "role": staff["role"],
        "pin_hash": staff["pin_hash"],
        "source": "backoffice",
        "failed_pins": 0,
        "locked_until": None,
    }


def _apply_item(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    checked = _checked(RecordKind.ITEM, record_id, data)
    item = Item.parse(checked, "data")
    return {
        "sku": item.sku,
        "name": item.name,
        "price": item.price,
        "category": item.category,
        "tax_rate": checked.get("tax_rate", "0"),
        "barcode": checked.get("barcode"),
    }


def _apply_promotion(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    checked = _checked(RecordKind.PROMOTION, record_id, data)
    promotion = parse_promotion(checked, "data")
    return {
        "promotion_id": promotion.id,
        "type": str(checked.get("type")),
        "name": promotion.name,
        "sequence": promotion.sequence,
        "auto_execute": promotion.auto_execute,
        "definition": _definition_text(checked),
    }


def _apply_coupon(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    checked = _checked(RecordKind.COUPON, record_id, data)
    coupon = parse_coupon(checked, "data")
    return {
        "code": coupon.code,
        "kind": coupon.kind,
        "name": coupon.name,
        "sequence": coupon.sequence,
        "single_use": checked.get("single_use", False),
        "verify_later": checked.get("verify_later", False),
        "definition": _definition_text(checked),
    }


def _apply_member(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    member = _checked(RecordKind.MEMBER, record_id, data)
    phone = str(member["phone"])
    return {
        "member_id": record_id,
        "name": member["name"],
        "phone_digests": phone_digests(phone_key(session), phone),
        "phone_last4": last_four(phone),
    }


def _apply_entitlement(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    entitlement = _checked(RecordKind.ENTITLEMENT, record_id, data)
    return {
        "code": record_id,
        "member_id": entitlement["member_id"],
        "coupon_code": entitlement["coupon_code"],
        "valid_from": entitlement.get("valid_from"),
        "valid_to": entitlement.get("valid_to"),
        "status": entitlement["status"],
        "pack_id": entitlement.get("pack_id"),
        "pack_name": entitlement.get("pack_name") or None,
    }


def _apply_pack(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    pack = _checked(RecordKind.PACK, record_id, data)
    return {
        "pack_id": record_id,
        "name": pack["name"],
        "price": Decimal(pack["price"]),
        "definition": _definition_text(pack),
    }


def _apply_pack_purchase(session: Session, record_id: str, data: Mapping[str, Any]) -> Row:
    purchase = _checked(RecordKind.PACK_PURCHASE, record_id, data)
    return {
        "purchase_id": record_id,
        "pack_id": purchase["pack_id"],
        "member_id": purchase["member_id"],
        "local_date": purchase["local_date"],
        "status": purchase["status"],
    }


# Each kind's check: the record's row (every column of the table), or RecordProblem.
# The session is there for a check that needs to look something up.
_APPLIERS: dict[str, Callable[[Session, str, Mapping[str, Any]], Row]] = {
    "store": _apply_store,
    "item": _apply_item,
    "promotion": _apply_promotion,
    "coupon": _apply_coupon,
    "member": _apply_member,
    "entitlement": _apply_entitlement,
    "pack": _apply_pack,
    "pack_purchase": _apply_pack_purchase,
    "staff": _apply_staff,
}

_MODELS: dict[str, type[Any]] = {
    "store": StoreInfo,
    "item": CatalogItem,
    "promotion": PromotionRecord,
    "coupon": CouponRecord,
    "member": Member,
    "entitlement": Entitlement,
    "pack": PackRecord,
    "pack_purchase": PackPurchaseRecord,
    "staff": StaffMember,
}


def record_tables() -> dict[str, type[Any]]:
    """Each synced kind's table model (what a snapshot's end sweeps, S16)."""
    return dict(_MODELS)


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
