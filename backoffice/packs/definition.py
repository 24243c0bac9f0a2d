"""What an administrator submits for a pack, checked (K1-K4): from JSON, YAML or the API.

:func:`parse_pack_definition` turns a mapping into a :class:`PackDefinition` or
raises :class:`~backoffice.packs.errors.PackInputError` naming the field
(``content[0].quantity``, ``price``, ...). :func:`definition_data` is the
inverse, the canonical form that details show, edits merge into and copies take.

The canonical form::

    type: campaign | paid            # fixed at creation (K1)
    name, image_url?, description?, time_zone (a zoneinfo name, default "UTC")
    content: [{coupon_code, quantity, effective, delay?, validity_days}]   # K2
    # campaign (K3)
    distribution: {method: one_time} | {method: recurring, period, cycles}
    subsequent_content?: [...]       # only when the first distribution differs
    # paid (K4)
    channels: [mall, with_order], sales_period: {first_day, last_day},
    price: "9.90", inventory: N | null, stores: [store ids],
    redirect_url?, auto_refund, limits: {total?, daily?}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from backoffice.packs.errors import PackInputError
from pos_app.protocol import bounds
from pos_app.protocol.pack_records import PackContentEntry
from pos_app.protocol.pack_validity import Effective
from pos_app.protocol.plain_errors import sentence

MAX_NAME_LENGTH = bounds.PACK_NAME.max_length
MAX_CYCLES = 1000

# Does a live record of (kind, id) exist?
RecordLookup = Callable[[str, str], bool]
# The currencies a list of stores sell in, each once.
CurrencyLookup = Callable[[list[str]], list[str]]


class PackType(StrEnum):
    campaign = "campaign"
    paid = "paid"


class Method(StrEnum):
    one_time = "one_time"
    recurring = "recurring"


class Period(StrEnum):
    daily = "daily"
    weekly = "weekly"
    monthly = "monthly"


class Channel(StrEnum):
    mall = "mall"
    with_order = "with_order"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ContentEntry(PackContentEntry):
    """One line of a pack's content: ``quantity`` coupons of ``coupon_code`` (K2), the
    protocol's entry (the one tills read) taken strictly from an administrator."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


class Distribution(_Strict):
    """A campaign pack's distribution method (K3)."""

    method: Method
    period: Period | None = None
    cycles: StrictInt | None = Field(default=None, ge=1, le=MAX_CYCLES)


class SalesPeriod(_Strict):
    """First and last local date a paid pack can be bought, inclusive (K4)."""

    first_day: date
    last_day: date


class Limits(_Strict):
    """Purchases per member: in total and per local day; ``None`` is unlimited (K4)."""

    total: StrictInt | None = Field(default=None, ge=1, le=bounds.INT32.high)
    daily: StrictInt | None = Field(default=None, ge=1, le=bounds.INT32.high)


class _DefinitionInput(_Strict):
    type: PackType
    name: StrictStr = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    image_url: StrictStr | None = Field(default=None, max_length=bounds.URL.max_length)
    description: StrictStr | None = Field(default=None, max_length=bounds.LONG_TEXT.max_length)
    time_zone: StrictStr = Field(default="UTC", max_length=bounds.KEY.max_length)
    content: list[ContentEntry] = Field(min_length=1)
    distribution: Distribution | None = None
    subsequent_content: list[ContentEntry] | None = None
    channels: list[Channel] | None = None
    sales_period: SalesPeriod | None = None
    price: Any = None
    inventory: StrictInt | None = Field(default=None, ge=1, le=bounds.INT32.high)
    stores: list[Annotated[StrictStr, Field(max_length=bounds.STORE_ID.max_length)]] | None = None
    redirect_url: StrictStr | None = Field(default=None, max_length=bounds.URL.max_length)
    auto_refund: StrictBool = False
    limits: Limits | None = None

    @field_validator("price", mode="before")
    @classmethod
    def _price_is_a_string(cls, value: object) -> object:
        if value is not None and not isinstance(value, str):
            raise ValueError('must be a decimal string such as "9.90", not a number')
        return value


@dataclass(frozen=True)
class PackDefinition:
    """A checked pack configuration; paid fields are empty on a campaign pack and vice versa."""

    pack_type: PackType
    name: str
    image_url: str | None
    description: str | None
    time_zone: str
    content: list[dict[str, Any]]
    distribution_method: Method | None
    period: Period | None
    cycles: int | None
    subsequent_content: list[dict[str, Any]] | None
    channels: list[str]
    sales_first_day: date | None
    sales_last_day: date | None
    price: Decimal | None
    inventory_limit: int | None
    store_ids: list[str]
    redirect_url: str | None
    auto_refund: bool
    limit_total: int | None
    limit_daily: int | None


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _first_error(exc: ValidationError) -> PackInputError:
    error = exc.errors()[0]
    message = "is not a pack setting" if error["type"] == "extra_forbidden" else sentence(error)
    return PackInputError(_field_path(tuple(error["loc"])), message)


def _entry_data(entry: ContentEntry) -> dict[str, Any]:
    return entry.model_dump(mode="json", exclude_none=True)


def _check_content(
    entries: list[ContentEntry], field: str, known: RecordLookup
) -> list[dict[str, Any]]:
    for index, entry in enumerate(entries):
        where = f"{field}[{index}]"
        if entry.effective == Effective.immediate and entry.delay is not None:
            raise PackInputError(f"{where}.delay", "an immediate coupon has no delay")
        if entry.effective != Effective.immediate and entry.delay is None:
            unit = "hours" if entry.effective == Effective.after_hours else "days"
            raise PackInputError(f"{where}.delay", f"is required: the number of {unit}")
        if not known("coupon", entry.coupon_code):
            raise PackInputError(
                f"{where}.coupon_code", f"unknown coupon {entry.coupon_code!r} (K2)"
            )
    return [_entry_data(entry) for entry in entries]


def _check_time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PackInputError("time_zone", f"unknown time zone {name!r}") from None
    return name


def _check_url(field: str, url: str | None, *, what: str) -> str | None:
    if url is None or url == "":
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PackInputError(field, f"{what} must be an http or https URL, not {url!r}")
    return url


def _check_price(raw: object) -> Decimal:
    if raw is None:
        raise PackInputError("price", "is required for a paid pack (K4)")
    try:
        price = bounds.check_price(raw)
    except bounds.BoundError as exc:
        raise PackInputError("price", str(exc)) from None
    exponent = price.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise PackInputError("price", f"{raw!r} has more than two decimal places")
    return price


def _forbid(given: _DefinitionInput, fields: tuple[str, ...], why: str) -> None:
    for field in fields:
        value = getattr(given, field)
        if field == "auto_refund":
            if value:
                raise PackInputError(field, why)
        elif value is not None:
            raise PackInputError(field, why)


def _campaign(given: _DefinitionInput, known: RecordLookup) -> dict[str, Any]:
    _forbid(
        given,
        (
            "channels",
            "sales_period",
            "price",
            "inventory",
            "stores",
            "redirect_url",
            "auto_refund",
            "limits",
        ),
        "only a paid pack has this setting (K4)",
    )
    distribution = given.distribution
    if distribution is None:
        raise PackInputError("distribution", "is required for a campaign pack (K3)")
    if distribution.method == Method.one_time:
        if distribution.period is not None:
            raise PackInputError("distribution.period", "a one-time distribution has no period")
        if distribution.cycles is not None:
            raise PackInputError("distribution.cycles", "a one-time distribution has no cycles")
        if given.subsequent_content is not None:
            raise PackInputError(
                "subsequent_content", "only a recurring distribution has subsequent content"
            )
    else:
        if distribution.period is None:
            raise PackInputError("distribution.period", "is required: daily, weekly or monthly")
        if distribution.cycles is None:
            raise PackInputError("distribution.cycles", "is required: how many times, at least 1")
    subsequent = None
    if given.subsequent_content is not None:
        if not given.subsequent_content:
            raise PackInputError("subsequent_content", "must hold at least one coupon")
        subsequent = _check_content(given.subsequent_content, "subsequent_content", known)
    return {
        "distribution_method": distribution.method,
        "period": distribution.period,
        "cycles": distribution.cycles if distribution.method == Method.recurring else None,
        "subsequent_content": subsequent,
        "channels": [],
        "sales_first_day": None,
        "sales_last_day": None,
        "price": None,
        "inventory_limit": None,
        "store_ids": [],
        "redirect_url": None,
        "auto_refund": False,
        "limit_total": None,
        "limit_daily": None,
    }


def _check_currency(stores: list[str], currencies: CurrencyLookup | None) -> None:
    if currencies is None:
        return
    found = currencies(stores)
    if len(found) > 1:
        raise PackInputError(
            "stores",
            f"these stores sell in different currencies ({', '.join(found)}): a pack has one"
            " price, so choose stores that share one currency",
        )


def _paid(
    given: _DefinitionInput, known: RecordLookup, currencies: CurrencyLookup | None = None
) -> dict[str, Any]:
    _forbid(
        given,
        ("distribution", "subsequent_content"),
        "a paid pack is issued once, at purchase (K4); only campaign packs have this",
    )
    if not given.channels:
        raise PackInputError(
            "channels", "choose at least one sales channel: the mall or with an order (K4)"
        )
    channels = list(dict.fromkeys(str(channel) for channel in given.channels))
    if given.sales_period is None:
        raise PackInputError(
            "sales_period", "is required: the first and the last day of sales (K4)"
        )
    if given.sales_period.last_day < given.sales_period.first_day:
        raise PackInputError(
            "sales_period.last_day", "the last day of sales is before the first day"
        )
    price = _check_price(given.price)
    if not given.stores:
        raise PackInputError("stores", "choose at least one store (K4)")
    stores = list(dict.fromkeys(given.stores))
    for index, store_id in enumerate(stores):
        if not known("store", store_id):
            raise PackInputError(f"stores[{index}]", f"unknown store {store_id!r}")
    _check_currency(stores, currencies)
    limits = given.limits or Limits()
    if limits.total is not None and limits.daily is not None and limits.daily > limits.total:
        raise PackInputError(
            "limits.daily",
            f"a member's daily limit ({limits.daily}) cannot be above their total limit"
            f" ({limits.total}) (K4)",
        )
    return {
        "distribution_method": None,
        "period": None,
        "cycles": None,
        "subsequent_content": None,
        "channels": channels,
        "sales_first_day": given.sales_period.first_day,
        "sales_last_day": given.sales_period.last_day,
        "price": price,
        "inventory_limit": given.inventory,
        "store_ids": stores,
        "redirect_url": _check_url("redirect_url", given.redirect_url, what="a redirect"),
        "auto_refund": given.auto_refund,
        "limit_total": limits.total,
        "limit_daily": limits.daily,
    }


def parse_pack_definition(
    data: object, known: RecordLookup, currencies: CurrencyLookup | None = None
) -> PackDefinition:
    """``data`` checked as a pack configuration (K1-K4); ``known`` says which records exist,
    ``currencies`` which currencies stores sell in (a paid pack's stores share one)."""
    if not isinstance(data, Mapping):
        raise PackInputError("", "a pack must be a JSON or YAML object")
    problem = bounds.json_problem(data)
    if problem is not None:
        raise PackInputError(*problem)
    try:
        given = _DefinitionInput.model_validate(dict(data))
    except ValidationError as exc:
        raise _first_error(exc) from None
    if not given.name.strip():
        raise PackInputError("name", "is required (K1)")
    content = _check_content(given.content, "content", known)
    by_type = (
        _campaign(given, known)
        if given.type == PackType.campaign
        else _paid(given, known, currencies)
    )
    return PackDefinition(
        pack_type=given.type,
        name=given.name,
        image_url=_check_url("image_url", given.image_url, what="an image"),
        description=given.description or None,
        time_zone=_check_time_zone(given.time_zone),
        content=content,
        **by_type,
    )


def definition_data(definition: PackDefinition) -> dict[str, Any]:
    """The canonical, JSON-ready form of a definition (see the module docstring)."""
    data: dict[str, Any] = {
        "type": str(definition.pack_type),
        "name": definition.name,
        "image_url": definition.image_url,
        "description": definition.description,
        "time_zone": definition.time_zone,
        "content": [dict(entry) for entry in definition.content],
    }
    if definition.pack_type == PackType.campaign:
        distribution: dict[str, Any] = {"method": str(definition.distribution_method)}
        if definition.distribution_method == Method.recurring:
            distribution |= {"period": str(definition.period), "cycles": definition.cycles}
        data["distribution"] = distribution
        if definition.subsequent_content is not None:
            data["subsequent_content"] = [dict(entry) for entry in definition.subsequent_content]
        return data
    assert definition.sales_first_day is not None and definition.sales_last_day is not None
    limits = {
        key: value
        for key, value in (("total", definition.limit_total), ("daily", definition.limit_daily))
        if value is not None
    }
    return data | {
        "channels": list(definition.channels),
        "sales_period": {
            "first_day": definition.sales_first_day.isoformat(),
            "last_day": definition.sales_last_day.isoformat(),
        },
        "price": str(definition.price),
        "inventory": definition.inventory_limit,
        "stores": list(definition.store_ids),
        "redirect_url": definition.redirect_url,
        "auto_refund": definition.auto_refund,
        "limits": limits,
    }
