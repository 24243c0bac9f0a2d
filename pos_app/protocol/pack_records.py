"""The coupon-pack records the back office sends down (protocol "Kinds and data"):
``pack``, a paid pack a till may sell with an order, and ``pack_purchase``, a purchase
the back office confirmed, which tills count a member's limits over (COUPON-PACK-RULES
K4, K12). Checked by both ends with these models; a failure names the field.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from pos_app.protocol.bounds import BoundError, check_price
from pos_app.protocol.pack_validity import Effective

CHANNELS = ("mall", "with_order")
WITH_ORDER = "with_order"
MAX_CONTENT_QUANTITY = 1000
MAX_VALIDITY_DAYS = 3660


class _Record(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


def _iso_day(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None
    return value


class SalesPeriod(_Record):
    """First and last local date a pack can be bought, inclusive (K4)."""

    first_day: StrictStr
    last_day: StrictStr

    _days = field_validator("first_day", "last_day")(_iso_day)

    @model_validator(mode="after")
    def _in_order(self) -> SalesPeriod:
        if self.last_day < self.first_day:
            raise ValueError("last_day is before first_day")
        return self


class PackLimits(_Record):
    """Purchases per member, in all and per local day; None is unlimited (K4)."""

    total: StrictInt | None = Field(default=None, ge=1)
    daily: StrictInt | None = Field(default=None, ge=1)


class PackContentEntry(_Record):
    """``quantity`` coupons of definition ``coupon_code``, valid as K2 says."""

    coupon_code: StrictStr = Field(min_length=1, max_length=128)
    quantity: StrictInt = Field(ge=1, le=MAX_CONTENT_QUANTITY)
    effective: Effective = Effective.immediate
    delay: StrictInt | None = Field(default=None, ge=1, le=10_000)
    validity_days: StrictInt = Field(ge=1, le=MAX_VALIDITY_DAYS)


class PackData(_Record):
    """``pack`` data: a published paid pack, its price in the store's currency, where and
    when it is sold, its inventory (None: unlimited), its limits per member and what
    it issues (K4). Chain-wide: each till checks its own store against ``stores``."""

    id: StrictStr = Field(min_length=1, max_length=64)
    name: StrictStr = Field(min_length=1, max_length=200)
    price: StrictStr
    time_zone: StrictStr = "UTC"
    channels: list[StrictStr] = Field(min_length=1)
    sales_period: SalesPeriod
    stores: list[StrictStr] = Field(min_length=1)
    inventory: StrictInt | None = Field(default=None, ge=1)
    limits: PackLimits = PackLimits()
    content: list[PackContentEntry] = Field(min_length=1)
    description: StrictStr | None = None

    @field_validator("price")
    @classmethod
    def _price_in_bounds(cls, value: str) -> str:
        try:
            check_price(value)
        except BoundError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, value: list[str]) -> list[str]:
        for channel in value:
            if channel not in CHANNELS:
                raise ValueError(f"unknown channel {channel!r}: mall or with_order")
        return value

    @property
    def amount(self) -> Decimal:
        return Decimal(self.price)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def first_day(self) -> date:
        return date.fromisoformat(self.sales_period.first_day)

    @property
    def last_day(self) -> date:
        return date.fromisoformat(self.sales_period.last_day)

    @property
    def coupons_per_pack(self) -> int:
        """How many coupons one pack issues."""
        return sum(entry.quantity for entry in self.content)


class PackPurchaseData(_Record):
    """``pack_purchase`` data: one purchase the back office confirmed (any channel, any
    till), on the pack's local day ``local_date``: what a member's limits count (K12)."""

    id: StrictStr = Field(min_length=1, max_length=128)
    pack_id: StrictStr = Field(min_length=1, max_length=64)
    member_id: StrictStr = Field(min_length=1, max_length=128)
    local_date: StrictStr
    status: StrictStr = "paid"

    _day = field_validator("local_date")(_iso_day)
