"""Coupon packs for group administrators (K1-K11): ``/api/v1/admin/packs...``.

Every route needs a ``group_admin`` token (K1): a store device token gets a 403. A
refusal names the field at fault (:mod:`backoffice.http.refusals`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response, status
from sqlalchemy.orm import Session

from backoffice.admin.api.pack_bodies import (
    DistributionBody,
    GiftBody,
    GrantView,
    PackDetails,
    PackLinkBody,
    PacksPage,
    SchedulerRunBody,
)
from backoffice.clock import iso_time
from backoffice.http.bearer import AdminDep
from backoffice.http.path_values import RowId
from backoffice.http.refusals import pack_refusal, pack_transaction
from backoffice.http.services import ServicesDep
from backoffice.mall.public_pack import mall_base_url
from backoffice.models.packs import PackGrant
from backoffice.packs.details import grant_view, pack_details
from backoffice.packs.errors import PackInputError
from backoffice.packs.gifting import distribute_pack, gift_pack
from backoffice.packs.lifecycle import (
    PackFilter,
    archive_pack,
    copy_pack,
    create_pack,
    edit_pack,
    get_pack,
    list_packs,
    publish_pack,
)
from backoffice.packs.listing import pack_rows
from backoffice.packs.scheduler import run_due_work
from backoffice.packs.share_link import QR_MEDIA_TYPES, QrFormat, pack_link, qr_image
from backoffice.trust.admin_tokens import AdminIdentity
from pos_app.protocol import bounds

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/admin", tags=["packs"])

PACK_EXAMPLE = {
    "type": "paid",
    "name": "Milk tea lover's pack",
    "description": "Two vouchers a month",
    "time_zone": "Europe/Paris",
    "content": [
        {"coupon_code": "CV-5", "quantity": 2, "effective": "immediate", "validity_days": 30}
    ],
    "channels": ["mall"],
    "sales_period": {"first_day": "2026-11-01", "last_day": "2026-12-31"},
    "price": "9.90",
    "inventory": 500,
    "stores": ["DEMO-1"],
    "redirect_url": "https://example.com/thanks",
    "auto_refund": True,
    "limits": {"total": 3, "daily": 1},
}


def _grants(session: Session, grants: Sequence[PackGrant]) -> list[GrantView]:
    return [GrantView.model_validate(grant_view(session, grant)) for grant in grants]


def _actor(admin: AdminIdentity) -> str:
    return f"admin:{admin.name}"


def _instant(raw: object, field: str) -> datetime | None:
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        raise pack_refusal(PackInputError(field, f"{raw!r} is not an ISO 8601 date-time")) from None
    if moment.tzinfo is None:
        raise pack_refusal(PackInputError(field, "needs an offset, e.g. +00:00"))
    return moment


# --- administration (group_admin only, K1) ---------------------------------------------


@router.post(
    "/packs",
    status_code=status.HTTP_201_CREATED,
    responses={422: {"description": "bad configuration; names the field"}},
)
def create(
    data: Annotated[dict[str, Any], Body(examples=[PACK_EXAMPLE])],
    admin: AdminDep,
    services: ServicesDep,
    draft: Annotated[bool, Query(description="keep it a draft (not yet on sale)")] = False,
) -> PackDetails:
    """Create a campaign or paid pack (K1-K4); active at once unless `draft`."""
    with pack_transaction(services) as session:
        pack = create_pack(session, data, now=services.clock(), actor=_actor(admin), draft=draft)
        details = PackDetails.model_validate(pack_details(session, pack))
    log.info("admin %s created pack %s", admin.name, details.id)
    return details


@router.get("/packs")
def list_all(
    _admin: AdminDep,
    services: ServicesDep,
    type: Annotated[str | None, Query(description="campaign or paid")] = None,
    status_: Annotated[
        str | None, Query(alias="status", description="draft, active, archived")
    ] = None,
    name: Annotated[str | None, Query(description="part of the name, any case")] = None,
    channel: Annotated[str | None, Query(description="mall or with_order")] = None,
    store_id: Annotated[str | None, Query(description="sold at this store")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=bounds.ROW_ID.high)] = 0,
) -> PacksPage:
    """Packs, newest first, filtered; `total` counts every match. Each row has its
    `sales_state` and figures: `issued` (packs), `redeemed` (coupons), `sold`, `inventory_left`."""
    wanted = PackFilter(type, status_, name, channel, store_id)
    with pack_transaction(services) as session:
        packs, total = list_packs(session, wanted, limit=limit, offset=offset)
        rows = pack_rows(session, packs, services.clock())
    return PacksPage.model_validate({"packs": rows, "total": total})


@router.get("/packs/{pack_id}", responses={404: {"description": "no such pack"}})
def details(pack_id: RowId, _admin: AdminDep, services: ServicesDep) -> PackDetails:
    """A pack's configuration, statistics and purchase, gift and distribution records (K10)."""
    with pack_transaction(services) as session:
        return PackDetails.model_validate(pack_details(session, get_pack(session, pack_id)))


@router.patch(
    "/packs/{pack_id}",
    responses={
        409: {"description": "archived"},
        422: {"description": "names the field"},
    },
)
def edit(
    pack_id: RowId,
    changes: Annotated[dict[str, Any], Body(examples=[{"name": "New name", "inventory": 800}])],
    admin: AdminDep,
    services: ServicesDep,
) -> PackDetails:
    """Change the settings given (K6); issued coupons never change."""
    with pack_transaction(services) as session:
        pack = edit_pack(session, pack_id, changes, now=services.clock(), actor=_actor(admin))
        return PackDetails.model_validate(pack_details(session, pack))


@router.post("/packs/{pack_id}/copy", status_code=status.HTTP_201_CREATED)
def copy(pack_id: RowId, admin: AdminDep, services: ServicesDep) -> PackDetails:
    """A new draft with the same configuration, named "<name> (copy)" (K7)."""
    with pack_transaction(services) as session:
        pack = copy_pack(session, pack_id, now=services.clock(), actor=_actor(admin))
        return PackDetails.model_validate(pack_details(session, pack))


@router.post("/packs/{pack_id}/publish")
def publish(pack_id: RowId, _admin: AdminDep, services: ServicesDep) -> PackDetails:
    """Put a draft on sale / into distribution."""
    with pack_transaction(services) as session:
        pack = publish_pack(session, pack_id, now=services.clock())
        return PackDetails.model_validate(pack_details(session, pack))


@router.post("/packs/{pack_id}/archive")
def archive(pack_id: RowId, admin: AdminDep, services: ServicesDep) -> PackDetails:
    """Stop sales and distribution (K8); issued coupons stay valid."""
    with pack_transaction(services) as session:
        pack = archive_pack(session, pack_id, now=services.clock())
        result = PackDetails.model_validate(pack_details(session, pack))
    log.info("admin %s archived pack %s", admin.name, pack_id)
    return result


@router.post(
    "/packs/{pack_id}/gifts",
    status_code=status.HTTP_201_CREATED,
    responses={422: {"description": "unknown phone number or bad quantity"}},
)
def gift(
    pack_id: RowId,
    body: Annotated[dict[str, Any], Body(examples=[{"phone": "+15550100001", "quantity": 2}])],
    admin: AdminDep,
    services: ServicesDep,
) -> GiftBody:
    """Gift `quantity` packs to the member with `phone` (K9)."""
    with pack_transaction(services) as session:
        result = gift_pack(
            session,
            pack_id,
            phone=body.get("phone"),
            quantity=body.get("quantity"),
            now=services.clock(),
            actor=_actor(admin),
        )
        return GiftBody(
            gift_id=result.gift.id,
            member_id=result.gift.member_id,
            quantity=result.gift.quantity,
            coupons_issued=result.issued.coupons,
            packs=_grants(session, result.grants),
        )


@router.post(
    "/packs/{pack_id}/distributions",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": DistributionBody, "description": "a repeated key: the first one"}},
)
def distribute(
    pack_id: RowId,
    body: Annotated[
        dict[str, Any],
        Body(
            examples=[
                {
                    "audience": {"member_ids": ["M-1001"]},
                    "starts_at": "2026-12-01T09:00:00+01:00",
                    "key": "december-campaign",
                }
            ]
        ),
    ],
    admin: AdminDep,
    services: ServicesDep,
    response: Response,
) -> DistributionBody:
    """Distribute a campaign pack to members from `starts_at` (default now) (K3).

    `audience` is `{"member_ids": [...]}`, `{"phones": [...]}` or `{"all_members": true}`.
    A repeated `key` returns the first distribution (200) and issues nothing more.
    """
    key = body.get("key")
    if key is not None and (not isinstance(key, str) or not key.strip()):
        raise pack_refusal(PackInputError("key", "must be a non-empty string"))
    starts_at = _instant(body.get("starts_at"), "starts_at")
    with pack_transaction(services) as session:
        result = distribute_pack(
            session,
            pack_id,
            audience=body.get("audience"),
            starts_at=starts_at,
            request_key=key,
            now=services.clock(),
            actor=_actor(admin),
        )
        if result.repeated:
            response.status_code = status.HTTP_200_OK
        return DistributionBody(
            distribution_id=result.distribution.id,
            starts_at=iso_time(result.distribution.starts_at),
            members=result.distribution.member_count,
            repeated=result.repeated,
            coupons_issued=result.issued.coupons,
            packs=_grants(session, result.grants),
        )


@router.get("/packs/{pack_id}/link")
def link(pack_id: RowId, request: Request, _admin: AdminDep, services: ServicesDep) -> PackLinkBody:
    """A paid pack's shareable link and where to get its QR code (K11)."""
    with pack_transaction(services) as session:
        url = pack_link(get_pack(session, pack_id), mall_base_url(services))
    qr = f"/api/v1/admin/packs/{pack_id}/qr"
    return PackLinkBody(url=url, qr_png=f"{qr}?format=png", qr_svg=f"{qr}?format=svg")


@router.get(
    "/packs/{pack_id}/qr",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}},
)
def qr(
    pack_id: RowId,
    request: Request,
    _admin: AdminDep,
    services: ServicesDep,
    format: Annotated[QrFormat, Query()] = QrFormat.png,
    scale: Annotated[int, Query(ge=1, le=50)] = 8,
) -> Response:
    """The QR code of a paid pack's link, as PNG or SVG (K11)."""
    with pack_transaction(services) as session:
        url = pack_link(get_pack(session, pack_id), mall_base_url(services))
    return Response(qr_image(url, format, scale), media_type=QR_MEDIA_TYPES[format])


@router.post("/pack-scheduler/run")
def run_scheduler(_admin: AdminDep, services: ServicesDep) -> SchedulerRunBody:
    """Run the pack scheduler now: due cycles (K3) and due refunds (K5)."""
    report = run_due_work(services.database, services.clock())
    return SchedulerRunBody(
        cycles_issued=report.cycles_issued,
        coupons_issued=report.coupons_issued,
        refunded=report.refunded,
        used=report.used,
        failed_packs={str(key): value for key, value in report.failed_packs.items()},
    )
