"""What the admin pack routes answer (K1-K11), field by field: the response model of each
route, as the OpenAPI document shows it and schemathesis checks it
(``tests/backoffice/http/test_openapi_fuzz.py``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from backoffice.mall.bodies import CouponView, PurchaseFields


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PackStatistics(_Reply):
    """How a pack did (K10): packs issued by source, coupons issued and redeemed, amounts."""

    packs_issued: int
    packs_distributed: int
    packs_gifted: int
    packs_sold: int
    coupons_issued: int
    coupons_redeemed: int
    purchases_refunded: int
    sales_amount: str = Field(description="a decimal amount in the pack's currency")
    refunded_amount: str = Field(description="a decimal amount in the pack's currency")


class RefundView(_Reply):
    """A purchase's refund (K5)."""

    amount: str
    reason: str
    refunded_at: str


class PurchaseRecord(PurchaseFields):
    """One purchase of the pack, with its refund if any (K10)."""

    id: int
    refund: RefundView | None


class GiftRecord(_Reply):
    """One gift of the pack (K9)."""

    id: int
    member_id: str
    phone: str
    quantity: int
    gifted_at: str
    gifted_by: str


class DistributionRecord(_Reply):
    """One distribution of a campaign pack (K3)."""

    id: int
    starts_at: str
    audience: dict[str, Any] = Field(description="member_ids, phones or all_members, as sent")
    members: int
    key: str | None
    created_at: str
    created_by: str


class PackRecords(_Reply):
    """A pack's purchase, gift and distribution records (K10)."""

    purchases: list[PurchaseRecord]
    gifts: list[GiftRecord]
    distributions: list[DistributionRecord]


class PackDetails(_Reply):
    """A pack's configuration, state, statistics and records."""

    id: int
    status: str = Field(description="draft, active or archived")
    sold: int
    copied_from: int | None
    created_at: str
    created_by: str
    updated_at: str
    archived_at: str | None
    first_same_as_subsequent: bool | None = Field(
        description="a campaign pack's first cycle gives what the later ones give"
    )
    definition: dict[str, Any] = Field(
        description="the pack's configuration, as `POST /api/v1/admin/packs` takes it"
    )
    currency: str | None = Field(description="the currency of the pack's price and amounts")
    statistics: PackStatistics
    records: PackRecords


class PackRow(_Reply):
    """A pack in the list, with its sales state and figures."""

    id: int
    type: str
    name: str
    status: str
    price: str | None
    channels: list[str]
    stores: list[str]
    inventory: int | None
    sold: int
    distribution: str | None
    created_at: str
    sales_state: str
    issued: int = Field(description="packs issued")
    redeemed: int = Field(description="coupons redeemed")
    inventory_left: int | None
    currency: str | None = Field(description="the currency of the price (its stores')")


class PacksPage(_Reply):
    """Packs, newest first; ``total`` counts every match."""

    packs: list[PackRow]
    total: int


class GrantView(_Reply):
    """One pack a member holds, and the coupons it issued so far."""

    id: int
    member_id: str
    source: str = Field(description="distribution, gift or purchase")
    starts_at: str
    cycles: int
    cycles_issued: int
    next_due_at: str | None
    coupons: list[CouponView]


class GiftBody(_Reply):
    """A gift record and the packs it gave (K9)."""

    gift_id: int
    member_id: str
    quantity: int
    coupons_issued: int
    packs: list[GrantView]


class DistributionBody(_Reply):
    """A distribution and the packs it gave (K3); ``repeated`` for a repeated key."""

    distribution_id: int
    starts_at: str
    members: int
    repeated: bool
    coupons_issued: int
    packs: list[GrantView]


class PackLinkBody(_Reply):
    """A paid pack's shareable link and its QR code's addresses (K11)."""

    url: str
    qr_png: str
    qr_svg: str


class SchedulerRunBody(_Reply):
    """What a pass of the pack scheduler did."""

    cycles_issued: int
    coupons_issued: int
    refunded: list[int]
    used: list[int]
    failed_packs: dict[str, str]
