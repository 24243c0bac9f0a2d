"""Refunding a whole pack purchase from the admin pages (K4, K5, K14): from the member's
page and from the pack's purchase records, through the one refund path
(:func:`~backoffice.packs.pack_refund.refund_purchase`). A refusal (a coupon of the pack
already used, already refunded, no reason given) says why in words and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from backoffice.admin.pages.auth import AdminFormDep, GroupAdminDep, actor
from backoffice.admin.pages.labels import readable
from backoffice.admin.pages.members_pages import member_page
from backoffice.admin.pages.pages import error_page
from backoffice.admin.pages.templating import redirect
from backoffice.http.path_values import RowId
from backoffice.http.services import ServicesDep
from backoffice.models.packs import CouponPack, PackPurchase
from backoffice.packs.errors import PackError, PackNotFound
from backoffice.packs.members import find_member
from backoffice.packs.pack_refund import refund_purchase

router = APIRouter(include_in_schema=False)


def _refund(
    services: ServicesDep,
    purchase_id: int,
    reason: str,
    who: str,
    belongs: Callable[[PackPurchase], bool],
) -> str:
    """Refund the purchase if it ``belongs`` to the page it was asked from; the notice
    for the next page."""
    with services.database.sessions.begin() as session:
        purchase = session.get(PackPurchase, purchase_id)
        if purchase is None or not belongs(purchase):
            raise PackNotFound("sale", "This purchase is not on this page: reload it")
        result = refund_purchase(session, purchase_id, note=reason, now=services.clock(), actor=who)
        pack = session.get(CouponPack, result.purchase.pack_id)
        member = find_member(session, result.purchase.member_id)
        return (
            f"“{pack.name if pack else 'The pack'}” refunded to"
            f" {member.name if member else 'the member'}:"
            f" {result.refund.amount} {result.refund.currency};"
            f" {len(result.withdrawn)} coupon(s) withdrawn."
        )


@router.post("/admin/members/{member_id}/purchases/{purchase_id}/refund")
def refund_from_member(
    request: Request,
    member_id: str,
    purchase_id: RowId,
    user: GroupAdminDep,
    form: AdminFormDep,
    services: ServicesDep,
) -> Response:
    try:
        notice = _refund(
            services,
            purchase_id,
            str(form.get("reason") or ""),
            actor(user),
            lambda p: p.member_id == member_id,
        )
    except PackError as error:
        return member_page(
            request,
            services,
            user,
            member_id,
            refusal=f"Nothing was refunded. {readable(error.problem)}.",
            status_code=409 if error.status_code == 409 else 422,
        )
    return redirect(f"/admin/members/{member_id}", notice)


@router.post("/admin/packs/{pack_id}/purchases/{purchase_id}/refund", response_class=HTMLResponse)
def refund_from_pack(
    request: Request,
    pack_id: RowId,
    purchase_id: RowId,
    user: GroupAdminDep,
    form: AdminFormDep,
    services: ServicesDep,
) -> Response:
    try:
        notice = _refund(
            services,
            purchase_id,
            str(form.get("reason") or ""),
            actor(user),
            lambda p: p.pack_id == pack_id,
        )
    except PackError as error:
        return error_page(
            request,
            "Not refunded",
            f"Nothing was refunded. {readable(error.problem)}.",
            status_code=409 if error.status_code == 409 else 422,
            back_url=f"/admin/packs/{pack_id}",
            back_label="Back to the pack",
        )
    return redirect(f"/admin/packs/{pack_id}", notice)
