"""The kinds of record the back office sends down (protocol "Kinds and data"), and their checks.

Each kind's ``data`` is validated before it is stored: catalog items, promotions
and coupons by the till's own engine (so the till can read whatever the back
office accepts), the rest by pydantic models. A failure is a
:class:`RecordDataError` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError, field_validator

from pos_app.engine import DefinitionError, Item, parse_coupon, parse_promotion
from pos_app.engine.validity import ValidityWindow

RECORD_VERSION = 1
ENTITLEMENT_STATUSES = ("issued", "active", "redeemed", "expired", "revoked")
REDEEMABLE_ENTITLEMENT_STATUSES = frozenset({"issued", "active"})

# Does a record of (kind, id) exist and is it not deleted?
RecordLookup = Callable[[str, str], bool]


class RecordDataError(ValueError):
    """A record's ``data`` is wrong; ``field`` is the path inside ``data`` ("" for the whole)."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field or 'data'}: {problem}")


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
    """One kind of synced record: its name on the wire, its id field and its check."""

    name: str
    collection: Collection
    id_field: str
    check: Callable[[Mapping[str, Any], RecordLookup], None]


class _OpenRecord(BaseModel):
    """Known fields are checked; others are kept as they are."""

    model_config = ConfigDict(extra="allow")


class StoreData(_OpenRecord):
    """``store`` data: id, name, address and an ISO 4217 currency code."""

    id: StrictStr = Field(min_length=1, max_length=64)
    name: StrictStr = Field(min_length=1)
    address: StrictStr
    currency: StrictStr = Field(pattern=r"^[A-Z]{3}$")


class MemberData(_OpenRecord):
    """``member`` data: id, name and phone (the till looks members up by phone)."""

    id: StrictStr = Field(min_length=1, max_length=128)
    name: StrictStr
    phone: StrictStr


class EntitlementData(_OpenRecord):
    """``entitlement`` data: a coupon a member holds, redeemable once by its own code;
    ``pack_id`` and ``pack_name`` (both optional) name the pack that issued it."""

    code: StrictStr = Field(min_length=1, max_length=128)
    member_id: StrictStr = Field(min_length=1)
    coupon_code: StrictStr = Field(min_length=1)
    valid_from: StrictStr | None = None
    valid_to: StrictStr | None = None
    status: StrictStr
    pack_id: StrictStr | None = Field(default=None, min_length=1, max_length=64)
    pack_name: StrictStr | None = Field(default=None, max_length=200)

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        if value not in ENTITLEMENT_STATUSES:
            raise ValueError(f"must be one of {', '.join(ENTITLEMENT_STATUSES)}")
        return value


def _pydantic_check(model: type[BaseModel]) -> Callable[[Mapping[str, Any]], BaseModel]:
    def check(data: Mapping[str, Any]) -> BaseModel:
        try:
            return model.model_validate(dict(data))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"])
            raise RecordDataError(field, first["msg"]) from None

    return check


def _engine_check(parse: Callable[[Any, str], object], where: str) -> Callable[..., None]:
    def check(data: Mapping[str, Any]) -> None:
        try:
            parse(dict(data), where)
        except DefinitionError as exc:
            field = exc.field.removeprefix(where).lstrip(".")
            raise RecordDataError(field, exc.problem) from None

    return check


def _require_keys(data: Mapping[str, Any], *keys: str) -> None:
    for key in keys:
        if key not in data:
            raise RecordDataError(key, "is required")


def _optional_flags(data: Mapping[str, Any], *keys: str) -> None:
    for key in keys:
        if key in data and not isinstance(data[key], bool):
            raise RecordDataError(key, "must be true or false")


def _check_store(data: Mapping[str, Any], _known: RecordLookup) -> None:
    _pydantic_check(StoreData)(data)


def _check_item(data: Mapping[str, Any], _known: RecordLookup) -> None:
    _engine_check(Item.parse, "item")(data)
    if not isinstance(data.get("price"), str):
        raise RecordDataError("price", "must be a decimal string")


def _check_promotion(data: Mapping[str, Any], _known: RecordLookup) -> None:
    _require_keys(data, "sequence", "auto_execute")
    _engine_check(parse_promotion, "promotion")(data)


def _check_coupon(data: Mapping[str, Any], _known: RecordLookup) -> None:
    _require_keys(data, "sequence")
    _engine_check(parse_coupon, "coupon")(data)
    _optional_flags(data, "single_use", "verify_later")


def _check_member(data: Mapping[str, Any], _known: RecordLookup) -> None:
    _pydantic_check(MemberData)(data)


def _check_entitlement(data: Mapping[str, Any], known: RecordLookup) -> None:
    entitlement = _pydantic_check(EntitlementData)(data)
    assert isinstance(entitlement, EntitlementData)
    _engine_check(ValidityWindow.parse, "entitlement")(data)  # what the till will parse
    if not known("member", entitlement.member_id):
        raise RecordDataError("member_id", f"unknown member {entitlement.member_id!r}")
    if not known("coupon", entitlement.coupon_code):
        raise RecordDataError("coupon_code", f"unknown coupon {entitlement.coupon_code!r}")


KINDS: dict[str, RecordKind] = {
    kind.name: kind
    for kind in (
        RecordKind("store", Collection.stores, "id", _check_store),
        RecordKind("item", Collection.items, "sku", _check_item),
        RecordKind("promotion", Collection.promotions, "id", _check_promotion),
        RecordKind("coupon", Collection.coupons, "code", _check_coupon),
        RecordKind("member", Collection.members, "id", _check_member),
        RecordKind("entitlement", Collection.entitlements, "code", _check_entitlement),
    )
}
KIND_BY_COLLECTION: dict[Collection, RecordKind] = {
    kind.collection: kind for kind in KINDS.values()
}


def checked_record_data(
    kind: RecordKind, record_id: str, data: object, known: RecordLookup
) -> dict[str, Any]:
    """``data`` with its id field filled from ``record_id``, if every check passes."""
    if not isinstance(data, dict):
        raise RecordDataError("", "must be a JSON object")
    given = data.get(kind.id_field, record_id)
    if given != record_id:
        raise RecordDataError(kind.id_field, f"{given!r} differs from the id in the path")
    checked = {**data, kind.id_field: record_id}
    kind.check(checked, known)
    return checked
