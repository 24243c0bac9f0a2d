"""The kinds of record the admin API manages: each with its collection and what it
refers to. Each kind's ``data`` is checked by the protocol's own check
(:func:`pos_app.protocol.records.checked_data`, the one the till runs too); a failure
is a :class:`RecordDataError` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pos_app.protocol.records import ID_FIELDS, RecordDataError, checked_data
from pos_app.protocol.records import RecordKind as Kind

# Does a record of (kind, id) exist and is it not deleted?
RecordLookup = Callable[[str, str], bool]


class Collection(StrEnum):
    """The admin API's path segment for each kind."""

    stores = "stores"
    items = "items"
    promotions = "promotions"
    coupons = "coupons"
    members = "members"
    entitlements = "entitlements"


@dataclass(frozen=True)
class RecordKind:
    """One kind of synced record: its name on the wire, its id field, its admin API
    collection and what else it must refer to (the data check is the protocol's)."""

    name: str
    collection: Collection
    id_field: str
    check_references: Callable[[Mapping[str, Any], RecordLookup], None]


def _no_references(_data: Mapping[str, Any], _known: RecordLookup) -> None:
    return None


def _entitlement_references(data: Mapping[str, Any], known: RecordLookup) -> None:
    if not known("member", data["member_id"]):
        raise RecordDataError("member_id", f"unknown member {data['member_id']!r}")
    if not known("coupon", data["coupon_code"]):
        raise RecordDataError("coupon_code", f"unknown coupon {data['coupon_code']!r}")


_COLLECTIONS = {
    Kind.STORE: Collection.stores,
    Kind.ITEM: Collection.items,
    Kind.PROMOTION: Collection.promotions,
    Kind.COUPON: Collection.coupons,
    Kind.MEMBER: Collection.members,
    Kind.ENTITLEMENT: Collection.entitlements,
}
# The kinds the admin API manages; ``pack`` and ``pack_purchase`` records are written by
# the packs module (backoffice.packs.till_records), never through the admin API.
KINDS: dict[str, RecordKind] = {
    kind.value: RecordKind(
        kind.value,
        collection,
        ID_FIELDS[kind],
        _entitlement_references if kind is Kind.ENTITLEMENT else _no_references,
    )
    for kind, collection in _COLLECTIONS.items()
}
# Kinds an administrator creates and people pick by name: a name is required.
NAMED_KINDS = frozenset({Kind.PROMOTION.value, Kind.COUPON.value})
KIND_BY_COLLECTION: dict[Collection, RecordKind] = {
    kind.collection: kind for kind in KINDS.values()
}


def checked_record_data(
    kind: RecordKind, record_id: str, data: object, known: RecordLookup
) -> dict[str, Any]:
    """``data`` with its id field filled from ``record_id``, if the protocol's check of
    the kind passes and what it refers to exists."""
    checked = checked_data(Kind(kind.name), record_id, data)
    if kind.name in NAMED_KINDS and not str(checked.get("name") or "").strip():
        raise RecordDataError("name", "is required: the name administrators and cashiers see")
    kind.check_references(checked, known)
    return checked
