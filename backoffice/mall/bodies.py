"""What the mall's routes answer (K4, K11), field by field: each route's response model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CouponView(_Reply):
    """One coupon a pack issued (an entitlement); ``valid_to`` is exclusive (K2)."""

    code: str
    coupon_code: str
    member_id: str
    valid_from: str
    valid_to: str


class PurchaseFields(_Reply):
    """What a purchase of a pack was: who, which order, where, for how much, when, and
    where it stands (``paid``, ``refunded`` or ``used``)."""

    member_id: str
    order_id: str
    channel: str
    store_id: str
    price: str = Field(description="a decimal amount in ``currency``")
    currency: str
    purchased_at: str
    status: str


class PurchaseBody(PurchaseFields):
    """A purchase on the mall and the coupons it issued (K4)."""

    purchase_id: int
    pack_id: int
    repeated: bool = Field(description="this order was bought before: the first purchase")
    redirect_url: str | None
    coupons: list[CouponView]


class SalesPeriodView(_Reply):
    """The local days a pack is on sale, first and last included."""

    first_day: str
    last_day: str


class ContentLine(_Reply):
    """One line of a pack's content as a buyer reads it: how many of which coupon, from
    when (``effective``, ``delay`` hours or days after purchase) and for how many days."""

    coupon_name: str
    quantity: int
    effective: str = Field(description="immediate, after_hours or after_days")
    delay: int | None
    validity_days: int


class PublicPackBody(_Reply):
    """What a buyer may see of a paid pack (K4, K11): ``inventory_left`` is ``None`` for an
    unlimited inventory; ``draft`` is a pack not published yet (no sales date to show)."""

    id: int
    name: str
    description: str | None
    image_url: str | None
    price: str
    currency: str | None = Field(description="the currency of ``price`` (its stores')")
    channels: list[str]
    on_sale: bool
    sales_state: str
    sales_period: SalesPeriodView
    stores: list[str]
    store_names: list[str]
    sold_out: bool
    inventory_left: int | None
    draft: bool
    content: list[ContentLine]
