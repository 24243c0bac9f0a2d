"""What the admin directory routes answer: pages of synced records, organisations, and
uploaded images, each route's response model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecordRow(BaseModel):
    """A live synced record as the directory lists it: its id and store beside the
    fields of its data, which are the protocol's for its kind (a coupon's ``name`` and
    ``kind``, a member's ``phone``, ...)."""

    model_config = ConfigDict(extra="allow")

    id: str
    store_id: str | None


class CouponsPage(_Reply):
    """A page of coupon definitions, by name."""

    coupons: list[RecordRow]
    total: int = Field(description="how many match, in all")


class PromotionsPage(_Reply):
    """A page of promotions, by name."""

    promotions: list[RecordRow]
    total: int = Field(description="how many match, in all")


class StoresPage(_Reply):
    """A page of stores, by name."""

    stores: list[RecordRow]
    total: int = Field(description="how many match, in all")


class MembersPage(_Reply):
    """A page of members, by name."""

    members: list[RecordRow]
    total: int = Field(description="how many match, in all")


class ItemsPage(_Reply):
    """A page of catalog items, by name."""

    items: list[RecordRow]
    total: int = Field(description="how many match, in all")


RECORD_PAGES: dict[str, type[_Reply]] = {
    "coupons": CouponsPage,
    "promotions": PromotionsPage,
    "stores": StoresPage,
    "members": MembersPage,
    "items": ItemsPage,
}


class OrganisationView(_Reply):
    """A named group of stores."""

    id: int
    name: str
    store_ids: list[str]


class OrganisationsPage(_Reply):
    """A page of organisations, by name."""

    organisations: list[OrganisationView]
    total: int


class StoredImageBody(_Reply):
    """An uploaded image: where to find it, its media type and size in pixels."""

    id: int
    url: str
    media_type: str
    width: int
    height: int
