"""Coupon packs over HTTP (K1-K11): administration and the mall's purchase API.

``/api/v1/admin/packs...`` needs a ``group_admin`` token (K1): a store device
token gets a 403. ``POST /api/v1/mall/packs/{id}/purchases`` needs a token of
role ``mall`` (``pos-backoffice packs mall-token``) or ``group_admin``. A
refusal is ``{"detail": [{"loc", "field", "msg", "type"}]}``: 422 for bad input
(the field at fault), 404 for an unknown pack, 409 when the pack's state forbids
it (``type`` is a stable code such as ``SOLD_OUT`` or ``PACK_ARCHIVED``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, Response, status
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice.api.bodies import (
    DistributionBody,
    GiftBody,
    PackDetails,
    PackLinkBody,
    PacksPage,
    PublicPackBody,
    PurchaseBody,
    SchedulerRunBody,
)
from backoffice.api.dependencies import (
    AdminDep,
    BearerDep,
    ServicesDep,
    SessionDep,
    Unauthorized,
)
from backoffice.api.path_values import RowId
from backoffice.clock import iso_time
from backoffice.credentials import GROUP_ADMIN, AdminIdentity, find_admin, find_device
from backoffice.device_tokens import TokenProblem
from backoffice.packs.details import coupon_view, grant_view, pack_details
from backoffice.packs.errors import PackError, PackInputError
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
from backoffice.packs.listing import SalesState, pack_rows, sales_state
from backoffice.packs.purchase import MALL_ROLE, PurchaseRequest, PurchaseResult, purchase_pack
from backoffice.packs.scheduler import run_due_work
from backoffice.packs.share_link import QR_MEDIA_TYPES, QrFormat, pack_link, qr_image
from pos_app.protocol import bounds

log = logging.getLogger(__name__)
admin_router = APIRouter(prefix="/api/v1/admin", tags=["packs"])
mall_router = APIRouter(tags=["mall"])

MALL_URL_ENV = "POS_BACKOFFICE_MALL_URL"
T = TypeVar("T")

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


def refusal(error: PackError) -> HTTPException:
    """The HTTP form of a refused pack operation; it names the field at fault."""
    parts = [part for part in error.field.replace("]", "").replace("[", ".").split(".") if part]
    where = "body" if error.status_code == 422 else "pack"
    loc: list[Any] = [where, *(int(p) if p.isdigit() else p for p in parts)]
    return HTTPException(
        error.status_code,
        [{"loc": loc, "field": error.field or where, "msg": str(error), "type": error.code}],
    )


@contextmanager
def _pack_transaction(services: Any) -> Iterator[Session]:
    try:
        with services.database.sessions.begin() as session:
            yield session
    except PackError as error:
        raise refusal(error) from None


def _actor(admin: AdminIdentity) -> str:
    return f"admin:{admin.name}"


def mall_base_url(request: Request) -> str:
    """Where a pack's link points: ``$POS_BACKOFFICE_MALL_URL``, else this server's /mall."""
    return os.environ.get(MALL_URL_ENV) or f"{str(request.base_url).rstrip('/')}/mall"


def _object(body: object, field: str = "") -> dict[str, Any]:
    if not isinstance(body, dict):
        raise refusal(PackInputError(field, "must be a JSON object"))
    return body


def _instant(raw: object, field: str) -> datetime | None:
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        raise refusal(PackInputError(field, f"{raw!r} is not an ISO 8601 date-time")) from None
    if moment.tzinfo is None:
        raise refusal(PackInputError(field, "needs an offset, e.g. +00:00"))
    return moment


# --- administration (group_admin only, K1) ---------------------------------------------


@admin_router.post(
    "/packs",
    status_code=status.HTTP_201_CREATED,
    response_model=None,
    responses={
        201: {"model": PackDetails},
        422: {"description": "bad configuration; names the field"},
    },
)
def create(
    data: Annotated[dict[str, Any], Body(examples=[PACK_EXAMPLE])],
    admin: AdminDep,
    services: ServicesDep,
    draft: Annotated[bool, Query(description="keep it a draft (not yet on sale)")] = False,
) -> dict[str, Any]:
    """Create a campaign or paid pack (K1-K4); active at once unless `draft`."""
    with _pack_transaction(services) as session:
        pack = create_pack(session, data, now=services.clock(), actor=_actor(admin), draft=draft)
        details = pack_details(session, pack)
    log.info("admin %s created pack %s", admin.name, details["id"])
    return details


@admin_router.get("/packs", response_model=None, responses={200: {"model": PacksPage}})
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
) -> dict[str, Any]:
    """Packs, newest first, filtered; `total` counts every match. Each row has its
    `sales_state` and figures: `issued` (packs), `redeemed` (coupons), `sold`, `inventory_left`."""
    wanted = PackFilter(type, status_, name, channel, store_id)
    with _pack_transaction(services) as session:
        packs, total = list_packs(session, wanted, limit=limit, offset=offset)
        return {"packs": pack_rows(session, packs, services.clock()), "total": total}


@admin_router.get(
    "/packs/{pack_id}",
    response_model=None,
    responses={200: {"model": PackDetails}, 404: {"description": "no such pack"}},
)
def details(pack_id: RowId, _admin: AdminDep, services: ServicesDep) -> dict[str, Any]:
    """A pack's configuration, statistics and purchase, gift and distribution records (K10)."""
    with _pack_transaction(services) as session:
        return pack_details(session, get_pack(session, pack_id))


@admin_router.patch(
    "/packs/{pack_id}",
    response_model=None,
    responses={
        200: {"model": PackDetails},
        409: {"description": "archived"},
        422: {"description": "names the field"},
    },
)
def edit(
    pack_id: RowId,
    changes: Annotated[dict[str, Any], Body(examples=[{"name": "New name", "inventory": 800}])],
    admin: AdminDep,
    services: ServicesDep,
) -> dict[str, Any]:
    """Change the settings given (K6); issued coupons never change."""
    with _pack_transaction(services) as session:
        pack = edit_pack(session, pack_id, changes, now=services.clock(), actor=_actor(admin))
        return pack_details(session, pack)


@admin_router.post(
    "/packs/{pack_id}/copy",
    status_code=status.HTTP_201_CREATED,
    response_model=None,
    responses={201: {"model": PackDetails}},
)
def copy(pack_id: RowId, admin: AdminDep, services: ServicesDep) -> dict[str, Any]:
    """A new draft with the same configuration, named "<name> (copy)" (K7)."""
    with _pack_transaction(services) as session:
        pack = copy_pack(session, pack_id, now=services.clock(), actor=_actor(admin))
        return pack_details(session, pack)


@admin_router.post(
    "/packs/{pack_id}/publish", response_model=None, responses={200: {"model": PackDetails}}
)
def publish(pack_id: RowId, _admin: AdminDep, services: ServicesDep) -> dict[str, Any]:
    """Put a draft on sale / into distribution."""
    with _pack_transaction(services) as session:
        return pack_details(session, publish_pack(session, pack_id, now=services.clock()))


@admin_router.post(
    "/packs/{pack_id}/archive", response_model=None, responses={200: {"model": PackDetails}}
)
def archive(pack_id: RowId, admin: AdminDep, services: ServicesDep) -> dict[str, Any]:
    """Stop sales and distribution (K8); issued coupons stay valid."""
    with _pack_transaction(services) as session:
        pack = archive_pack(session, pack_id, now=services.clock())
        result = pack_details(session, pack)
    log.info("admin %s archived pack %s", admin.name, pack_id)
    return result


@admin_router.post(
    "/packs/{pack_id}/gifts",
    status_code=status.HTTP_201_CREATED,
    response_model=None,
    responses={
        201: {"model": GiftBody},
        422: {"description": "unknown phone number or bad quantity"},
    },
)
def gift(
    pack_id: RowId,
    body: Annotated[dict[str, Any], Body(examples=[{"phone": "+15550100001", "quantity": 2}])],
    admin: AdminDep,
    services: ServicesDep,
) -> dict[str, Any]:
    """Gift `quantity` packs to the member with `phone` (K9)."""
    with _pack_transaction(services) as session:
        result = gift_pack(
            session,
            pack_id,
            phone=body.get("phone"),
            quantity=body.get("quantity"),
            now=services.clock(),
            actor=_actor(admin),
        )
        return {
            "gift_id": result.gift.id,
            "member_id": result.gift.member_id,
            "quantity": result.gift.quantity,
            "coupons_issued": result.issued.coupons,
            "packs": [grant_view(session, grant) for grant in result.grants],
        }


@admin_router.post(
    "/packs/{pack_id}/distributions",
    status_code=status.HTTP_201_CREATED,
    response_model=None,
    responses={
        201: {"model": DistributionBody},
        200: {"model": DistributionBody, "description": "a repeated key: the first one"},
    },
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
) -> dict[str, Any]:
    """Distribute a campaign pack to members from `starts_at` (default now) (K3).

    `audience` is `{"member_ids": [...]}`, `{"phones": [...]}` or `{"all_members": true}`.
    A repeated `key` returns the first distribution (200) and issues nothing more.
    """
    key = body.get("key")
    if key is not None and (not isinstance(key, str) or not key.strip()):
        raise refusal(PackInputError("key", "must be a non-empty string"))
    starts_at = _instant(body.get("starts_at"), "starts_at")
    with _pack_transaction(services) as session:
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
        return {
            "distribution_id": result.distribution.id,
            "starts_at": iso_time(result.distribution.starts_at),
            "members": result.distribution.member_count,
            "repeated": result.repeated,
            "coupons_issued": result.issued.coupons,
            "packs": [grant_view(session, grant) for grant in result.grants],
        }


@admin_router.get(
    "/packs/{pack_id}/link", response_model=None, responses={200: {"model": PackLinkBody}}
)
def link(
    pack_id: RowId, request: Request, _admin: AdminDep, services: ServicesDep
) -> dict[str, Any]:
    """A paid pack's shareable link and where to get its QR code (K11)."""
    with _pack_transaction(services) as session:
        url = pack_link(get_pack(session, pack_id), mall_base_url(request))
    qr = f"/api/v1/admin/packs/{pack_id}/qr"
    return {"url": url, "qr_png": f"{qr}?format=png", "qr_svg": f"{qr}?format=svg"}


@admin_router.get(
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
    with _pack_transaction(services) as session:
        url = pack_link(get_pack(session, pack_id), mall_base_url(request))
    return Response(qr_image(url, format, scale), media_type=QR_MEDIA_TYPES[format])


@admin_router.post(
    "/pack-scheduler/run", response_model=None, responses={200: {"model": SchedulerRunBody}}
)
def run_scheduler(_admin: AdminDep, services: ServicesDep) -> dict[str, Any]:
    """Run the pack scheduler now: due cycles (K3) and due refunds (K5)."""
    report = run_due_work(services.database, services.clock())
    return {
        "cycles_issued": report.cycles_issued,
        "coupons_issued": report.coupons_issued,
        "refunded": report.refunded,
        "used": report.used,
        "failed_packs": {str(key): value for key, value in report.failed_packs.items()},
    }


# --- the mall (K4) -----------------------------------------------------------------------


def require_seller(credentials: BearerDep, session: SessionDep) -> AdminIdentity:
    """A ``mall`` or ``group_admin`` token; 401 if none, 403 for a device token."""
    if credentials is None or not credentials.credentials:
        raise Unauthorized(TokenProblem.MISSING_TOKEN, "missing bearer token")
    with session.begin():
        admin = find_admin(session, credentials.credentials)
        device = None if admin is not None else find_device(session, credentials.credentials)
    if admin is None and device is None:
        raise Unauthorized(TokenProblem.UNKNOWN_TOKEN, "unknown or revoked token")
    if admin is None or admin.role not in (GROUP_ADMIN, MALL_ROLE):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this route needs a mall token")
    return admin


SellerDep = Annotated[AdminIdentity, Depends(require_seller)]


def _purchase_body(result: PurchaseResult) -> dict[str, Any]:
    purchase = result.purchase
    return {
        "purchase_id": purchase.id,
        "pack_id": purchase.pack_id,
        "member_id": purchase.member_id,
        "order_id": purchase.order_id,
        "channel": purchase.channel,
        "store_id": purchase.store_id,
        "price": str(purchase.price),
        "currency": purchase.currency,
        "purchased_at": iso_time(purchase.purchased_at),
        "status": purchase.status,
        "repeated": result.repeated,
        "redirect_url": result.redirect_url,
        "coupons": [coupon_view(coupon) for coupon in result.coupons],
    }


def _retry_once_on_race(attempt: Callable[[], T]) -> T:
    try:
        return attempt()
    except IntegrityError:  # the same order id, bought a moment ago on another pack
        return attempt()


@mall_router.post(
    "/api/v1/mall/packs/{pack_id}/purchases",
    status_code=status.HTTP_201_CREATED,
    response_model=None,
    responses={
        201: {"model": PurchaseBody},
        200: {"model": PurchaseBody, "description": "this order was already bought"},
        409: {"description": "sold out, a limit reached, outside the sales period, ..."},
        422: {"description": "bad input; names the field"},
    },
)
def buy(
    pack_id: RowId,
    body: Annotated[
        dict[str, Any],
        Body(examples=[{"member_id": "M-1001", "store_id": "DEMO-1", "order_id": "O-1"}]),
    ],
    seller: SellerDep,
    services: ServicesDep,
    response: Response,
) -> dict[str, Any]:
    """Buy one paid pack on the mall channel (K4); its coupons are issued at once."""
    for field in ("member_id", "phone", "store_id", "order_id"):
        if body.get(field) is not None and not isinstance(body[field], str):
            raise refusal(PackInputError(field, "must be a string"))
    request = PurchaseRequest(
        pack_id=pack_id,
        channel="mall",
        store_id=body.get("store_id") or "",
        member_id=body.get("member_id"),
        phone=body.get("phone"),
        order_id=body.get("order_id"),
    )

    def attempt() -> dict[str, Any]:
        with _pack_transaction(services) as session:
            result = purchase_pack(
                session, request, now=services.clock(), actor=f"mall:{seller.name}"
            )
            return _purchase_body(result)

    bought = _retry_once_on_race(attempt)
    if bought["repeated"]:
        response.status_code = status.HTTP_200_OK
    return bought


def public_pack_view(session: Session, pack_id: int, now: datetime) -> dict[str, Any]:
    """What a buyer may see of a paid pack, with its sales state (K4, K11)."""
    pack = get_pack(session, pack_id)
    if pack.pack_type != "paid":
        raise PackInputError("pack_id", f"pack {pack_id} is not sold")
    state = sales_state(pack, now)
    return {
        "id": pack.id,
        "name": pack.name,
        "description": pack.description,
        "image_url": pack.image_url,
        "price": str(pack.price),
        "channels": list(pack.channels),
        "on_sale": state == SalesState.on_sale,
        "sales_state": str(state),
        "sales_period": {
            "first_day": str(pack.sales_first_day),
            "last_day": str(pack.sales_last_day),
        },
        "stores": list(pack.store_ids),
        "sold_out": state == SalesState.sold_out,
    }


@mall_router.get(
    "/api/v1/mall/packs/{pack_id}",
    response_model=None,
    responses={200: {"model": PublicPackBody}},
)
def public_pack(pack_id: RowId, services: ServicesDep) -> dict[str, Any]:
    """What a buyer sees of a paid pack (no token needed)."""
    with _pack_transaction(services) as session:
        return public_pack_view(session, pack_id, services.clock())
