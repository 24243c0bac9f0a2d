"""What the admin pages pick from, as JSON (group_admin tokens only): coupons, promotions,
stores, members and items, paged and filtered.

Lists answer ``{"<collection>": [...], "total": N}``; ``search`` matches part of
the id, name or phone number, any case.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from backoffice.admin.api.directory_bodies import RECORD_PAGES, RecordRow
from backoffice.chain.record_listing import live_records
from backoffice.http.bearer import AdminDep
from backoffice.http.services import ServicesDep
from pos_app.protocol import bounds

router = APIRouter(prefix="/api/v1/admin", tags=["admin directory"])

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=bounds.ROW_ID.high)]
Search = Annotated[str | None, Query(max_length=200, description="part of the id, name or phone")]


def _page(
    kind: str,
    services: ServicesDep,
    *,
    search: str | None,
    where: dict[str, str] | None,
    limit: int,
    offset: int,
) -> tuple[list[RecordRow], int]:
    with services.database.sessions.begin() as session:
        found = live_records(session, kind, search=search, where=where, limit=limit, offset=offset)
    return [RecordRow.model_validate(row) for row in found.rows], found.total


@router.get("/coupons", response_model=RECORD_PAGES["coupons"])
def coupons(
    _admin: AdminDep,
    services: ServicesDep,
    search: Search = None,
    kind: Annotated[str | None, Query(description="group_purchase, cash_voucher, ...")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> BaseModel:
    """Coupon definitions by name; `kind` keeps one kind."""
    rows, total = _page(
        "coupon",
        services,
        search=search,
        where={"kind": kind} if kind else None,
        limit=limit,
        offset=offset,
    )
    return RECORD_PAGES["coupons"].model_validate({"coupons": rows, "total": total})


@router.get("/promotions", response_model=RECORD_PAGES["promotions"])
def promotions(
    _admin: AdminDep,
    services: ServicesDep,
    search: Search = None,
    type: Annotated[str | None, Query(description="percent_off, combo, ...")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> BaseModel:
    """Promotions by name; `type` keeps one type."""
    rows, total = _page(
        "promotion",
        services,
        search=search,
        where={"type": type} if type else None,
        limit=limit,
        offset=offset,
    )
    return RECORD_PAGES["promotions"].model_validate({"promotions": rows, "total": total})


def _listing_route(collection: str, kind: str, summary: str) -> None:
    """``GET /api/v1/admin/<collection>``: live records of ``kind`` by name, paged."""
    page_model = RECORD_PAGES[collection]

    def listing(
        _admin: AdminDep,
        services: ServicesDep,
        search: Search = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> BaseModel:
        rows, total = _page(kind, services, search=search, where=None, limit=limit, offset=offset)
        return page_model.model_validate({collection: rows, "total": total})

    router.add_api_route(
        f"/{collection}",
        listing,
        methods=["GET"],
        summary=summary,
        name=collection,
        response_model=page_model,
    )


for _collection, _kind, _summary in (
    ("stores", "store", "Stores by name"),
    ("members", "member", "Members by name; search also matches a phone number"),
    ("items", "item", "Catalog items by name (what promotions and coupons apply to)"),
):
    _listing_route(_collection, _kind, _summary)
