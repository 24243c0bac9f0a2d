"""A whole store configuration in price-book JSON form (the protocol's demo store,
a scenario's catalog) turned into change records, so it loads exactly like a sync."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pos_app.protocol.records import RECORD_VERSION


class StoreDocumentError(ValueError):
    """A store document that is not the expected shape; names the field at fault."""


def _record(kind: str, record_id: object, data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "kind": kind,
        "version": RECORD_VERSION,
        "id": record_id,
        "deleted": False,
        "data": dict(data),
    }


def _entries(doc: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = doc.get(key) or []
    if not isinstance(value, list) or not all(isinstance(x, Mapping) for x in value):
        raise StoreDocumentError(f"{key}: must be a list of objects")
    return value


def store_document_records(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Change records for ``store``, ``catalog``, ``promotions``, ``coupons``,
    ``members`` and ``entitlements``, in an order that applies cleanly."""
    records: list[dict[str, Any]] = []
    store = doc.get("store")
    if store is not None:
        if not isinstance(store, Mapping):
            raise StoreDocumentError("store: must be an object")
        data = dict(store)
        data.setdefault("currency", doc.get("currency", "USD"))
        records.append(_record("store", data.get("id"), data))
    records += [_record("item", x.get("sku"), x) for x in _entries(doc, "catalog")]
    records += [_record("promotion", x.get("id"), x) for x in _entries(doc, "promotions")]
    records += [_record("coupon", x.get("code"), x) for x in _entries(doc, "coupons")]
    records += [_record("member", x.get("id"), x) for x in _entries(doc, "members")]
    records += [_record("entitlement", x.get("code"), x) for x in _entries(doc, "entitlements")]
    return records
