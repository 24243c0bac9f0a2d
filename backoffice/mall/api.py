"""The mall's purchase API (K4): ``POST /api/v1/mall/packs/{id}/purchases`` needs a token
of role ``mall`` (``pos-backoffice packs mall-token``) or ``group_admin``; what a buyer
sees of a paid pack needs none. Refusals are as the admin pack routes give them
(:mod:`backoffice.http.refusals`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Depends, HTTPException, Response, status
from sqlalchemy.exc import IntegrityError

from backoffice.clock import iso_time
from backoffice.http.bearer import BearerDep, Unauthorized
from backoffice.http.path_values import RowId
from backoffice.http.refusals import pack_refusal, pack_transaction
from backoffice.http.services import ServicesDep, SessionDep
from backoffice.mall.bodies import CouponView, PublicPackBody, PurchaseBody
from backoffice.mall.public_pack import public_pack_view
from backoffice.packs.details import coupon_view
from backoffice.packs.errors import PackInputError
from backoffice.packs.purchase import MALL_ROLE, PurchaseRequest, PurchaseResult, purchase_pack
from backoffice.trust.admin_tokens import GROUP_ADMIN, AdminIdentity, find_admin
from backoffice.trust.device_tokens import TokenProblem, find_device

router = APIRouter(tags=["mall"])
T = TypeVar("T")


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


def _purchase_body(result: PurchaseResult) -> PurchaseBody:
    purchase = result.purchase
    return PurchaseBody(
        purchase_id=purchase.id,
        pack_id=purchase.pack_id,
        member_id=purchase.member_id,
        order_id=purchase.order_id,
        channel=purchase.channel,
        store_id=purchase.store_id,
        price=str(purchase.price),
        currency=purchase.currency,
        purchased_at=iso_time(purchase.purchased_at),
        status=purchase.status,
        repeated=result.repeated,
        redirect_url=result.redirect_url,
        coupons=[CouponView.model_validate(coupon_view(coupon)) for coupon in result.coupons],
    )


def _retry_once_on_race(attempt: Callable[[], T]) -> T:
    try:
        return attempt()
    except IntegrityError:  # the same order id, bought a moment ago on another pack
        return attempt()


@router.post(
    "/api/v1/mall/packs/{pack_id}/purchases",
    status_code=status.HTTP_201_CREATED,
    responses={
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
) -> PurchaseBody:
    """Buy one paid pack on the mall channel (K4); its coupons are issued at once."""
    for field in ("member_id", "phone", "store_id", "order_id"):
        if body.get(field) is not None and not isinstance(body[field], str):
            raise pack_refusal(PackInputError(field, "must be a string"))
    request = PurchaseRequest(
        pack_id=pack_id,
        channel="mall",
        store_id=body.get("store_id") or "",
        member_id=body.get("member_id"),
        phone=body.get("phone"),
        order_id=body.get("order_id"),
    )

    def attempt() -> PurchaseBody:
        with pack_transaction(services) as session:
            result = purchase_pack(
                session, request, now=services.clock(), actor=f"mall:{seller.name}"
            )
            return _purchase_body(result)

    bought = _retry_once_on_race(attempt)
    if bought.repeated:
        response.status_code = status.HTTP_200_OK
    return bought


@router.get("/api/v1/mall/packs/{pack_id}")
def public_pack(pack_id: RowId, services: ServicesDep) -> PublicPackBody:
    """What a buyer sees of a paid pack (no token needed)."""
    with pack_transaction(services) as session:
        return public_pack_view(session, pack_id, services.clock())
