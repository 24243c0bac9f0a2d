"""The records the back office sends down (protocol "Kinds and data"): their kinds, the
version, and the check of each kind's ``data``, which both ends run.

Catalog items, promotions and coupons are checked by the engine's own parsers, so a
till can read whatever the back office accepts; stores, members and entitlements by
pydantic models. A failure is a :class:`RecordDataError` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    ValidationError,
    field_validator,
)

from pos_app.engine import DefinitionError, Item, parse_coupon, parse_promotion
from pos_app.engine.validity import ValidityWindow
from pos_app.protocol import bounds
from pos_app.protocol.pack_records import PackData, PackPurchaseData
from pos_app.protocol.plain_errors import sentence
from pos_app.protocol.taxes import TaxRateError, parse_tax_rate

RECORD_VERSION = 1
ENTITLEMENT_STATUSES = ("issued", "active", "redeemed", "expired", "revoked")
REDEEMABLE_ENTITLEMENT_STATUSES = frozenset({"issued", "active"})


class RecordKind(StrEnum):
    """Every kind of record on the wire."""

    STORE = "store"
    ITEM = "item"
    PROMOTION = "promotion"
    COUPON = "coupon"
    MEMBER = "member"
    ENTITLEMENT = "entitlement"
    PACK = "pack"
    PACK_PURCHASE = "pack_purchase"


# The field of each kind's data that holds the record's id.
ID_FIELDS: dict[RecordKind, str] = {
    RecordKind.STORE: "id",
    RecordKind.ITEM: "sku",
    RecordKind.PROMOTION: "id",
    RecordKind.COUPON: "code",
    RecordKind.MEMBER: "id",
    RecordKind.ENTITLEMENT: "code",
    RecordKind.PACK: "id",
    RecordKind.PACK_PURCHASE: "id",
}


# A kind's check: the data as stored (with its defaults), or RecordDataError.
Check = Callable[[Mapping[str, Any]], dict[str, Any]]


class RecordDataError(ValueError):
    """A record's ``data`` is wrong; ``field`` is the path inside ``data`` ("" for the whole)."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field or 'data'}: {problem}")


class _OpenRecord(BaseModel):
    """Known fields are checked; others are kept as they are."""

    model_config = ConfigDict(extra="allow")


class StoreData(_OpenRecord):
    """``store`` data: id, name, address and an ISO 4217 currency code."""

    id: StrictStr = Field(min_length=1, max_length=64)
    name: StrictStr = Field(min_length=1)
    address: StrictStr = ""
    currency: StrictStr = Field(pattern=r"^[A-Z]{3}$")
    tax_inclusive: StrictBool | None = None  # prices hold the tax (absent: true)


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
    status: StrictStr = "active"
    pack_id: StrictStr | None = Field(default=None, min_length=1, max_length=64)
    pack_name: StrictStr | None = Field(default=None, max_length=200)

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        if value not in ENTITLEMENT_STATUSES:
            raise ValueError(f"must be one of {', '.join(ENTITLEMENT_STATUSES)}")
        return value


def _model_check(model: type[BaseModel]) -> Check:
    def check(data: Mapping[str, Any]) -> dict[str, Any]:
        try:
            checked = model.model_validate(dict(data))
            return checked.model_dump(mode="json", exclude_none=True)  # + defaults
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"])
            raise RecordDataError(field, sentence(first)) from None

    return check


def _engine_check(parse: Callable[[Any, str], object], where: str) -> Check:
    def check(data: Mapping[str, Any]) -> dict[str, Any]:
        try:
            parse(dict(data), where)
            return dict(data)
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


def _check_item(data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data.get("price"), str):
        raise RecordDataError("price", "must be a decimal string")
    if "tax_rate" in data:
        try:
            parse_tax_rate(data["tax_rate"])
        except TaxRateError as exc:
            raise RecordDataError("tax_rate", str(exc)) from None
    barcode = data.get("barcode")
    if barcode is not None and (
        not isinstance(barcode, str) or not barcode.isascii() or not 1 <= len(barcode) <= 64
    ):
        raise RecordDataError("barcode", "must be text of 1 to 64 plain characters")
    return _engine_check(Item.parse, "item")(data)


def _check_promotion(data: Mapping[str, Any]) -> dict[str, Any]:
    _require_keys(data, "sequence", "auto_execute")
    return _engine_check(parse_promotion, "promotion")(data)


def _check_coupon(data: Mapping[str, Any]) -> dict[str, Any]:
    _require_keys(data, "sequence")
    _optional_flags(data, "single_use", "verify_later", "case_insensitive")
    return _engine_check(parse_coupon, "coupon")(data)


def _check_entitlement(data: Mapping[str, Any]) -> dict[str, Any]:
    checked = _model_check(EntitlementData)(data)
    _engine_check(ValidityWindow.parse, "entitlement")(checked)  # what the till will parse
    return checked


_CHECKS: dict[RecordKind, Check] = {
    RecordKind.STORE: _model_check(StoreData),
    RecordKind.ITEM: _check_item,
    RecordKind.PROMOTION: _check_promotion,
    RecordKind.COUPON: _check_coupon,
    RecordKind.MEMBER: _model_check(MemberData),
    RecordKind.ENTITLEMENT: _check_entitlement,
    RecordKind.PACK: _model_check(PackData),
    RecordKind.PACK_PURCHASE: _model_check(PackPurchaseData),
}


# The bounds (S15) of each kind's id and of the text fields people read; a field not
# named here is bounded by the engine's own parser or is free JSON (still clean text).
ID_BOUNDS: dict[RecordKind, bounds.TextBound] = {
    kind: bounds.STORE_ID if kind is RecordKind.STORE else bounds.ID for kind in RecordKind
}
_TEXT_BOUNDS: dict[str, bounds.TextBound] = {
    "name": bounds.NAME_OR_EMPTY,
    "category": bounds.NAME_OR_EMPTY,
    "address": bounds.LONG_TEXT,
    "description": bounds.LONG_TEXT,
    "phone": bounds.KEY,
    "member_id": bounds.ID,
    "coupon_code": bounds.ID,
    "code_prefix": bounds.ID,
    "pack_id": bounds.STORE_ID,
    "pack_name": bounds.NAME_OR_EMPTY,
    "status": bounds.KEY,
    "currency": bounds.CURRENCY,
}
_DATE_FIELDS = ("valid_from", "valid_to")


def check_record_id(kind: RecordKind, record_id: str) -> None:
    """A record id within its kind's bound (S15), or :class:`RecordDataError`."""
    try:
        bounds.check_text(record_id, ID_BOUNDS[kind])
    except bounds.BoundError as bad:
        raise RecordDataError(ID_FIELDS[kind], str(bad)) from None


def _check_bounds(data: Mapping[str, Any]) -> None:
    problem = bounds.json_problem(data)
    if problem is not None:
        raise RecordDataError(*problem)
    for field, bound in _TEXT_BOUNDS.items():
        value = data.get(field)
        if isinstance(value, str) and len(value) > bound.max_length:
            raise RecordDataError(field, f"must be {bound.rule()}")
    for field in _DATE_FIELDS:
        value = data.get(field)
        if isinstance(value, str) and not _date_in_range(value):
            raise RecordDataError(field, "must be a date in the years 2000 to 2100")


def _date_in_range(text: str) -> bool:
    try:
        year = datetime.fromisoformat(text.strip()).year
    except ValueError:
        return True  # not a date at all: the kind's own check says so
    return bounds.FIRST_DATE.year <= year <= bounds.LAST_DATE.year


def checked_data(kind: RecordKind, record_id: str, data: object) -> dict[str, Any]:
    """``data`` of a ``kind`` record with its id field filled from ``record_id`` and the
    defaults of its optional fields, when every check of the kind passes and the data
    is within the bounds (S15); else :class:`RecordDataError` naming the field."""
    if not isinstance(data, Mapping):
        raise RecordDataError("", "must be a JSON object")
    check_record_id(kind, record_id)
    id_field = ID_FIELDS[kind]
    given = data.get(id_field, record_id)
    if given != record_id:
        raise RecordDataError(id_field, f"{given!r} differs from the record's id {record_id!r}")
    _check_bounds(data)
    return _CHECKS[kind]({**data, id_field: record_id})
