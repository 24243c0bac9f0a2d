"""What the admin pages pick from, as JSON (group_admin tokens only): coupons, promotions,
stores, members and items, paged and filtered; organisations, listed and changed;
and image uploads for packs.

Lists answer ``{"<collection>": [...], "total": N}``; ``search`` matches part of
the id, name or phone number, any case. A refused change is a 422 (404 for an
unknown organisation) whose detail names the field, as the other admin routes do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, HTTPException, Query, Request, UploadFile, status
from sqlalchemy.orm import Session

from backoffice.api.bodies import RECORD_PAGES, OrganisationsPage, OrganisationView, StoredImageBody
from backoffice.api.dependencies import AdminDep, ServicesDep
from backoffice.api.path_values import RowId
from backoffice.organisations import (
    OrganisationError,
    OrganisationInput,
    create_organisation,
    delete_organisation,
    get_organisation,
    list_organisations,
    organisation_view,
    update_organisation,
)
from backoffice.record_listing import live_records
from backoffice.stored_images import MAX_IMAGE_BYTES, ImageRefused, image_url, store_image
from pos_app.protocol import bounds

router = APIRouter(prefix="/api/v1/admin", tags=["admin directory"])

LIST_FILTERS = {"coupons": ("coupon", "kind"), "promotions": ("promotion", "type")}
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=bounds.ROW_ID.high)]
Search = Annotated[str | None, Query(max_length=200, description="part of the id, name or phone")]


def _field_error(status_code: int, field: str, problem: str) -> HTTPException:
    return HTTPException(
        status_code,
        [
            {
                "loc": ["body", field],
                "field": field,
                "msg": f"{field}: {problem}",
                "type": "value_error",
            }
        ],
    )


def _page(
    kind: str,
    services: ServicesDep,
    *,
    search: str | None,
    where: dict[str, str] | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    with services.database.sessions.begin() as session:
        found = live_records(session, kind, search=search, where=where, limit=limit, offset=offset)
    return found.rows, found.total


@router.get("/coupons", response_model=None, responses={200: {"model": RECORD_PAGES["coupons"]}})
def coupons(
    _admin: AdminDep,
    services: ServicesDep,
    search: Search = None,
    kind: Annotated[str | None, Query(description="group_purchase, cash_voucher, ...")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Coupon definitions by name; `kind` keeps one kind."""
    rows, total = _page(
        "coupon",
        services,
        search=search,
        where={"kind": kind} if kind else None,
        limit=limit,
        offset=offset,
    )
    return {"coupons": rows, "total": total}


@router.get(
    "/promotions", response_model=None, responses={200: {"model": RECORD_PAGES["promotions"]}}
)
def promotions(
    _admin: AdminDep,
    services: ServicesDep,
    search: Search = None,
    type: Annotated[str | None, Query(description="percent_off, combo, ...")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Promotions by name; `type` keeps one type."""
    rows, total = _page(
        "promotion",
        services,
        search=search,
        where={"type": type} if type else None,
        limit=limit,
        offset=offset,
    )
    return {"promotions": rows, "total": total}


def _listing_route(collection: str, kind: str, summary: str) -> None:
    """``GET /api/v1/admin/<collection>``: live records of ``kind`` by name, paged."""

    def listing(
        _admin: AdminDep,
        services: ServicesDep,
        search: Search = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        rows, total = _page(kind, services, search=search, where=None, limit=limit, offset=offset)
        return {collection: rows, "total": total}

    router.add_api_route(
        f"/{collection}",
        listing,
        methods=["GET"],
        summary=summary,
        name=collection,
        response_model=None,
        responses={200: {"model": RECORD_PAGES[collection]}},
    )


for _collection, _kind, _summary in (
    ("stores", "store", "Stores by name"),
    ("members", "member", "Members by name; search also matches a phone number"),
    ("items", "item", "Catalog items by name (what promotions and coupons apply to)"),
):
    _listing_route(_collection, _kind, _summary)


@router.get("/organisations", response_model=None, responses={200: {"model": OrganisationsPage}})
def organisations(
    _admin: AdminDep,
    services: ServicesDep,
    search: Search = None,
    store_id: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Organisations (named groups of stores) by name; `store_id` keeps those holding it."""
    with services.database.sessions.begin() as session:
        found = list_organisations(session, name=search, store_id=store_id)
        rows = [organisation_view(org) for org in found[offset : offset + limit]]
    return {"organisations": rows, "total": len(found)}


@contextmanager
def _organisations(services: ServicesDep) -> Iterator[Session]:
    """One transaction; a refused organisation change is a 4xx naming the field."""
    try:
        with services.database.sessions.begin() as session:
            yield session
    except OrganisationError as bad:
        raise _field_error(bad.status_code, bad.field, bad.problem) from None


def _organisation_input(body: dict[str, Any]) -> OrganisationInput:
    unknown = sorted(set(body) - {"name", "store_ids"})
    if unknown:
        raise _field_error(422, unknown[0], "is not an organisation setting: name, store_ids")
    return OrganisationInput(name=body.get("name"), store_ids=body.get("store_ids"))


OrganisationBody = Annotated[
    dict[str, Any], Body(examples=[{"name": "Paris stores", "store_ids": ["DEMO-1"]}])
]


@router.post(
    "/organisations",
    status_code=status.HTTP_201_CREATED,
    response_model=None,
    responses={201: {"model": OrganisationView}},
)
def create(body: OrganisationBody, _admin: AdminDep, services: ServicesDep) -> dict[str, Any]:
    """A new organisation: a unique name and at least one known store."""
    given = _organisation_input(body)
    with _organisations(services) as session:
        return organisation_view(create_organisation(session, given, services.clock()))


@router.get(
    "/organisations/{organisation_id}",
    response_model=None,
    responses={200: {"model": OrganisationView}},
)
def organisation(organisation_id: RowId, _admin: AdminDep, services: ServicesDep) -> dict[str, Any]:
    with _organisations(services) as session:
        return organisation_view(get_organisation(session, organisation_id))


@router.put(
    "/organisations/{organisation_id}",
    response_model=None,
    responses={200: {"model": OrganisationView}},
)
def update(
    organisation_id: RowId, body: OrganisationBody, _admin: AdminDep, services: ServicesDep
) -> dict[str, Any]:
    """Rename an organisation or change its stores."""
    given = _organisation_input(body)
    with _organisations(services) as session:
        return organisation_view(
            update_organisation(session, organisation_id, given, services.clock())
        )


@router.delete("/organisations/{organisation_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete(organisation_id: RowId, _admin: AdminDep, services: ServicesDep) -> None:
    """Remove an organisation; its stores and packs are unchanged."""
    with _organisations(services) as session:
        delete_organisation(session, organisation_id)


@router.post(
    "/images",
    status_code=status.HTTP_201_CREATED,
    response_model=None,
    responses={
        201: {"model": StoredImageBody},
        422: {"description": "not a PNG, JPEG, GIF or WebP image, or too large"},
    },
)
async def upload_image(
    request: Request,
    image: Annotated[UploadFile, File(description=f"at most {MAX_IMAGE_BYTES} bytes")],
    admin: AdminDep,
    services: ServicesDep,
) -> dict[str, Any]:
    """Keep an image for a pack; its `url` goes into the pack's `image_url`."""
    content = await image.read()
    try:
        with services.database.sessions.begin() as session:
            stored = store_image(
                session, content, now=services.clock(), actor=f"admin:{admin.name}"
            )
            return {
                "id": stored.id,
                "url": image_url(str(request.base_url), stored),
                "media_type": stored.media_type,
                "width": stored.width,
                "height": stored.height,
            }
    except ImageRefused as refused:
        raise _field_error(422, "image", str(refused)) from None
