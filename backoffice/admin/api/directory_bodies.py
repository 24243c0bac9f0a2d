"""What the admin directory routes answer: pages of synced records, organisations, and
uploaded images, each route's response model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model


class _Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecordRow(BaseModel):
    """A live synced record as the directory lists it: its id and store beside the
    fields of its data, which are the protocol's for its kind (a coupon's ``name`` and
    ``kind``, a member's ``phone``, ...)."""

    model_config = ConfigDict(extra="allow")

    id: str
    store_id: str | None
    archived: bool = Field(
        default=False, description="archived: something uses it, so it stays on the tills"
    )


def _page(collection: str) -> type[_Reply]:
    fields: dict[str, Any] = {
        collection: (list[RecordRow], Field(description=f"one page of {collection}")),
        "total": (int, Field(description="how many match, in all")),
    }
    return create_model(
        f"{collection.capitalize()}Page",
        __base__=_Reply,
        __doc__=f"A page of {collection}, by name.",
        **fields,
    )


RECORD_PAGES: dict[str, type[_Reply]] = {
    collection: _page(collection)
    for collection in ("coupons", "promotions", "stores", "members", "items")
}
"""The reply of ``GET /api/v1/admin/<collection>``, by collection."""


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
