"""The bodies of the mall's routes as the OpenAPI document shows them (K4, K11)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")


class CouponView(_Body):
    """One coupon a pack issued (an entitlement)."""

    code: str
    coupon_code: str
    member_id: str
    valid_from: str
    valid_to: str


class PurchaseBody(_Body):
    """A purchase on the mall and the coupons it issued (K4)."""

    purchase_id: int
    pack_id: int
    member_id: str
    status: str
    repeated: bool
    coupons: list[CouponView]


class PublicPackBody(_Body):
    """What a buyer may see of a paid pack (K4, K11)."""

    id: int
    name: str
    price: str
    on_sale: bool
    sales_state: str
    sold_out: bool
