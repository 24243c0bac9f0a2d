"""Gifting a pack to a member (K9) and distributing a campaign pack (K3) from the admin
pages, through the same services as ``/api/v1/admin/packs/{id}/gifts`` and
``/distributions``; a refusal shows on the field at fault and changes nothing.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from backoffice.admin.pages.auth import AdminFormDep, GroupAdminDep, actor
from backoffice.admin.pages.pack_refusals import (
    inactive_refusal,
    pack_or_404,
    pack_transaction,
    refusal_text,
)
from backoffice.admin.pages.templating import redirect, render
from backoffice.http.path_values import RowId
from backoffice.http.services import ServicesDep
from backoffice.models.packs import CouponPack
from backoffice.packs.errors import PackError, PackInputError
from backoffice.packs.gifting import MAX_GIFT_QUANTITY, distribute_pack, gift_pack
from backoffice.packs.issuance import pack_zone
from backoffice.packs.lifecycle import get_pack
from backoffice.packs.schedule import local_to_utc

router = APIRouter(prefix="/admin/packs", include_in_schema=False)


def _action_page(
    request: Request,
    template: str,
    pack: CouponPack,
    values: dict[str, str],
    error: tuple[str, str] | None,
    refusal: str | None,
) -> HTMLResponse:
    """A gift or distribution form, with the field at fault or the reason it is refused."""
    return render(
        request,
        template,
        {
            "pack": pack,
            "values": values,
            "errors": dict([error]) if error else {},
            "refusal": refusal,
            "max_quantity": MAX_GIFT_QUANTITY,
        },
        status_code=422 if error else (409 if refusal else 200),
    )


def _gift_page(
    request: Request, pack: CouponPack, values: dict[str, str], error: tuple[str, str] | None = None
) -> HTMLResponse:
    return _action_page(request, "packs/gift.html", pack, values, error, inactive_refusal(pack))


@router.get("/{pack_id}/gift", response_class=HTMLResponse)
def gift_form(
    request: Request, pack_id: RowId, _user: GroupAdminDep, services: ServicesDep
) -> HTMLResponse:
    with pack_transaction(services) as session:
        pack = pack_or_404(session, pack_id)
        return _gift_page(request, pack, {"phone": "", "quantity": "1"})


@router.post("/{pack_id}/gift", response_class=HTMLResponse)
def gift(
    request: Request, pack_id: RowId, user: GroupAdminDep, form: AdminFormDep, services: ServicesDep
) -> Response:
    """Gift packs to a member by phone (``POST /api/v1/admin/packs/{id}/gifts``, K9)."""
    phone = str(form.get("phone") or "").strip()
    raw_quantity = str(form.get("quantity") or "").strip()
    values = {"phone": phone, "quantity": raw_quantity}
    quantity: object = (
        int(raw_quantity)
        if raw_quantity.lstrip("-").isascii() and raw_quantity.lstrip("-").isdigit()
        else raw_quantity
    )
    try:
        with services.database.sessions.begin() as session:
            name = pack_or_404(session, pack_id).name
            result = gift_pack(
                session,
                pack_id,
                phone=phone,
                quantity=quantity,
                now=services.clock(),
                actor=actor(user),
            )
            count = result.gift.quantity
    except PackError as error:
        with pack_transaction(services) as fresh:
            pack = get_pack(fresh, pack_id)
            if error.status_code == 409:  # archived or a draft: the page says so
                return _gift_page(request, pack, values)
            return _gift_page(request, pack, values, (error.field, refusal_text(error)))
    return redirect(f"/admin/packs/{pack_id}", f"{count} “{name}” gifted to {phone}.")


def _distribute_page(
    request: Request,
    pack: CouponPack,
    values: dict[str, str],
    error: tuple[str, str] | None = None,
) -> HTMLResponse:
    refusal = inactive_refusal(pack)
    if pack.pack_type != "campaign":
        refusal = "Only campaign packs are distributed; a paid pack is sold. Gift it instead."
    return _action_page(request, "packs/distribute.html", pack, values, error, refusal)


@router.get("/{pack_id}/distribute", response_class=HTMLResponse)
def distribute_form(
    request: Request, pack_id: RowId, _user: GroupAdminDep, services: ServicesDep
) -> HTMLResponse:
    with pack_transaction(services) as session:
        pack = pack_or_404(session, pack_id)
        values = {"audience": "all", "phones": "", "starts_at": "", "key": secrets.token_hex(8)}
        return _distribute_page(request, pack, values)


def distribution_audience(values: dict[str, str]) -> dict[str, Any]:
    """The audience the form names: every member, or the phone numbers given one a line."""
    if values["audience"] == "all":
        return {"all_members": True}
    phones = [line.strip() for line in values["phones"].replace(",", "\n").splitlines()]
    return {"phones": [phone for phone in phones if phone]}


@router.post("/{pack_id}/distribute", response_class=HTMLResponse)
def distribute(
    request: Request, pack_id: RowId, user: GroupAdminDep, form: AdminFormDep, services: ServicesDep
) -> Response:
    """Distribute a campaign pack (``POST /api/v1/admin/packs/{id}/distributions``, K3);
    the form's key makes a second click harmless."""
    values = {
        name: str(form.get(name) or "").strip()
        for name in ("audience", "phones", "starts_at", "key")
    }
    try:
        with services.database.sessions.begin() as session:
            pack = pack_or_404(session, pack_id)
            starts_at = None
            if values["starts_at"]:
                try:
                    wall = datetime.fromisoformat(values["starts_at"])
                except ValueError:
                    raise PackInputError("starts_at", "is not a date and time") from None
                starts_at = local_to_utc(wall.replace(tzinfo=None), pack_zone(pack))
            result = distribute_pack(
                session,
                pack_id,
                audience=distribution_audience(values),
                starts_at=starts_at,
                request_key=values["key"] or None,
                now=services.clock(),
                actor=actor(user),
            )
            name, members = pack.name, result.distribution.member_count
    except PackError as error:
        with pack_transaction(services) as fresh:
            pack = get_pack(fresh, pack_id)
            if error.status_code == 409:
                return _distribute_page(request, pack, values)
            field = "phones" if error.field.startswith("audience") else error.field
            return _distribute_page(request, pack, values, (field, refusal_text(error)))
    return redirect(f"/admin/packs/{pack_id}", f"“{name}” distributed to {members} member(s).")
