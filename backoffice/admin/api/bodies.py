"""The bodies of the admin, pack and mall routes as the OpenAPI document shows them.

The routes build their replies as plain JSON (:mod:`backoffice.packs.details` and the
like); these models describe those replies field by field for the document, and the
schemathesis run checks every reply against them (``tests/backoffice/test_openapi_fuzz``).
A reply may carry more fields than a model names (``extra="allow"``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from backoffice.mall.bodies import CouponView


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")


# ---------------------------------------------------------------- directory


class RecordRow(_Body):
    """A live synced record as the directory lists it: its data, id and store."""

    id: str
    store_id: str | None


def _page(collection: str) -> type[BaseModel]:
    fields: dict[str, Any] = {
        collection: (list[RecordRow], Field(description=f"one page of {collection}")),
        "total": (int, Field(description="how many match, in all")),
    }
    return create_model(
        f"{collection.capitalize()}Page",
        __base__=_Body,
        __doc__=f"A page of {collection}, by name.",
        **fields,
    )


RECORD_PAGES: dict[str, type[BaseModel]] = {
    collection: _page(collection)
    for collection in ("coupons", "promotions", "stores", "members", "items")
}


class OrganisationView(_Body):
    """A named group of stores."""

    id: int
    name: str
    store_ids: list[str]


class OrganisationsPage(_Body):
    """A page of organisations, by name."""

    organisations: list[OrganisationView]
    total: int


class StoredImageBody(_Body):
    """An uploaded image: where to find it, its media type and size in pixels."""

    id: int
    url: str
    media_type: str
    width: int
    height: int


class ExecutionOrderBody(_Body):
    """Promotions and coupons in execution order, each with its auto-execute setting."""

    promotions: list[dict[str, Any]]
    coupons: list[dict[str, Any]]


# ---------------------------------------------------------------- packs


class PackStatistics(_Body):
    """How a pack did (K10)."""

    packs_issued: int
    coupons_issued: int
    coupons_redeemed: int
    sales_amount: str
    refunded_amount: str


class PackRecords(_Body):
    """A pack's purchase, gift and distribution records (K10)."""

    purchases: list[dict[str, Any]]
    gifts: list[dict[str, Any]]
    distributions: list[dict[str, Any]]


class PackDetails(_Body):
    """A pack's configuration, state, statistics and records."""

    id: int
    status: str
    sold: int
    created_at: str
    updated_at: str
    archived_at: str | None
    definition: dict[str, Any]
    statistics: PackStatistics
    records: PackRecords


class PackRow(_Body):
    """A pack in the list, with its sales state and figures."""

    id: int
    type: str
    name: str
    status: str
    sales_state: str
    issued: int
    redeemed: int


class PacksPage(_Body):
    """Packs, newest first; ``total`` counts every match."""

    packs: list[PackRow]
    total: int


class GrantView(_Body):
    """One pack a member holds, and the coupons it issued so far."""

    id: int
    member_id: str
    source: str
    cycles: int
    coupons: list[CouponView]


class GiftBody(_Body):
    """A gift record and the packs it gave (K9)."""

    gift_id: int
    member_id: str
    quantity: int
    coupons_issued: int
    packs: list[GrantView]


class DistributionBody(_Body):
    """A distribution and the packs it gave (K3); ``repeated`` for a repeated key."""

    distribution_id: int
    starts_at: str
    members: int
    repeated: bool
    coupons_issued: int
    packs: list[GrantView]


class PackLinkBody(_Body):
    """A paid pack's shareable link and its QR code's addresses (K11)."""

    url: str
    qr_png: str
    qr_svg: str


class SchedulerRunBody(_Body):
    """What a pass of the pack scheduler did."""

    cycles_issued: int
    coupons_issued: int
    refunded: list[int]
    used: list[int]
    failed_packs: dict[str, str]
