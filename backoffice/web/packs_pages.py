"""The coupon-pack pages (K1-K11): list with filters, create and edit form, details with
statistics and records, gift, copy, archive with a confirmation, publish, link and QR code.

Every action calls the same service as ``/api/v1/admin/packs...`` (the API route is
named in each handler's docstring), inside one transaction: a refused action
changes nothing, and the page shows the refusal on the field at fault.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from backoffice.api.dependencies import ServicesDep
from backoffice.api.packs import mall_base_url
from backoffice.api.path_values import RowId
from backoffice.models.packs import CouponPack
from backoffice.organisations import list_organisations, stores_of
from backoffice.packs.definition import definition_data
from backoffice.packs.details import pack_details
from backoffice.packs.errors import PackError, PackInputError, PackNotFound, PackStateError
from backoffice.packs.gifting import MAX_GIFT_QUANTITY, distribute_pack, gift_pack
from backoffice.packs.issuance import ACTIVE, ARCHIVED, pack_zone
from backoffice.packs.lifecycle import (
    EDITABLE_WHEN_ACTIVE,
    PackFilter,
    archive_pack,
    copy_pack,
    create_pack,
    definition_of,
    edit_pack,
    get_pack,
    list_packs,
    publish_pack,
)
from backoffice.packs.listing import pack_rows, sales_state
from backoffice.packs.schedule import local_to_utc
from backoffice.packs.share_link import QrFormat, pack_link, qr_image
from backoffice.stored_images import ImageRefused, image_url, store_image
from backoffice.web.auth import AdminFormDep, GroupAdminDep, actor
from backoffice.web.labels import readable
from backoffice.web.pack_form import blank_values, form_values, input_name, pack_data, values_of
from backoffice.web.pages import error_page, pickers
from backoffice.web.templating import redirect, render
from pos_app.protocol import bounds

router = APIRouter(prefix="/admin/packs", include_in_schema=False)
PAGE_SIZE = 50
_PACK_NUMBER = re.compile(r"\bpack \d+\b")  # how services name a pack; people read its name


class Refused(Exception):
    """A pack action refused, with the pack's name for the message."""

    def __init__(self, error: PackError, pack_name: str | None) -> None:
        self.error = error
        self.pack_name = pack_name


def refusal_text(error: PackError, pack_name: str | None = None) -> str:
    """A refusal as a person reads it: the pack by name, no rule ids, what to do."""
    named = f"“{pack_name}”" if pack_name else "This pack"
    if error.code == "PACK_ARCHIVED":
        return (
            f"{named} is archived: it can no longer be edited, sold or gifted."
            " Copy it to start again."
        )
    if error.code == "PACK_DRAFT":
        return f"{named} is a draft: publish it first."
    if isinstance(error, PackNotFound):
        return "There is no such coupon pack: it may have been removed. Pick one from the list."
    return readable(_PACK_NUMBER.sub(named if pack_name else "this pack", error.problem))


def _pack_or_404(session: Session, pack_id: int) -> CouponPack:
    try:
        return get_pack(session, pack_id)
    except PackNotFound as missing:
        raise Refused(missing, None) from None


@contextmanager
def _transaction(services: ServicesDep) -> Iterator[Session]:
    """One transaction; a refused pack operation becomes :class:`Refused` (a page)."""
    try:
        with services.database.sessions.begin() as session:
            yield session
    except PackError as error:
        raise Refused(error, None) from None


def refused_page(request: Request, refused: Refused) -> HTMLResponse:
    """The page for a refused pack action (the app's handler of :class:`Refused`)."""
    status = refused.error.status_code if refused.error.status_code in (404, 409) else 400
    return error_page(
        request,
        "Coupon pack not found" if status == 404 else "Not possible",
        refusal_text(refused.error, refused.pack_name),
        status_code=status,
    )


# ---------------------------------------------------------------- the list


@router.get("", response_class=HTMLResponse)
def pack_list(
    request: Request,
    _user: GroupAdminDep,
    services: ServicesDep,
    type: str = "",
    status: str = "",
    name: str = "",
    store: str = "",
    channel: str = "",
    page: Annotated[int, Query(ge=1, le=bounds.ROW_ID.high)] = 1,
) -> HTMLResponse:
    """The pack list (``GET /api/v1/admin/packs``), filtered by type, status, name, store
    and channel."""
    wanted = PackFilter(type or None, status or None, name or None, channel or None, store or None)
    with _transaction(services) as session:
        packs, total = list_packs(session, wanted, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        rows = pack_rows(session, packs, services.clock())
        context = pickers(session)
    return render(
        request,
        "packs/list.html",
        context
        | {
            "rows": rows,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "filters": {
                "type": type,
                "status": status,
                "name": name,
                "store": store,
                "channel": channel,
            },
        },
    )


# ---------------------------------------------------------------- create and edit


def _form_page(
    request: Request,
    session: Session,
    values: dict[str, Any],
    *,
    pack: CouponPack | None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    locked = pack is not None and pack.status == ACTIVE
    return render(
        request,
        "packs/form.html",
        pickers(session)
        | {
            "values": values,
            "errors": errors or {},
            "pack": pack,
            "locked": locked,
            "editable_when_active": EDITABLE_WHEN_ACTIVE,
        },
        status_code=422 if errors else 200,
    )


def _upload(form: FormData) -> UploadFile | None:
    upload = form.get("image")
    if isinstance(upload, UploadFile) and (upload.filename or upload.size):
        return upload
    return None


def _submitted(
    request: Request, session: Session, form: FormData, user: Any, values: dict[str, Any]
) -> dict[str, Any]:
    """The configuration the form submits, with a new image stored (the caller's transaction)."""
    upload = _upload(form)
    if upload is not None:
        try:
            image = store_image(
                session,
                upload.file.read(),
                now=request.app.state.services.clock(),
                actor=actor(user),
            )
        except ImageRefused as refused:
            raise PackInputError("image_url", str(refused)) from None
        values["image_url"] = image_url(str(request.base_url), image)
    if form.get("remove_image") == "on":
        values["image_url"] = ""
    chosen = [int(v) for v in values["organisations"] if v.isdigit()]
    return pack_data(values, stores_of(list_organisations(session), chosen))


def _field_errors(error: PackError) -> dict[str, str]:
    return {input_name(error.field): refusal_text(error)}


@router.get("/new", response_class=HTMLResponse)
def new_pack_form(request: Request, _user: GroupAdminDep, services: ServicesDep) -> HTMLResponse:
    with _transaction(services) as session:
        return _form_page(request, session, blank_values(), pack=None)


@router.post("/new", response_class=HTMLResponse)
def create(
    request: Request, user: GroupAdminDep, form: AdminFormDep, services: ServicesDep
) -> Response:
    """Create a pack (``POST /api/v1/admin/packs``); "Save as draft" keeps it off sale."""
    values = form_values(form)
    draft = form.get("action") == "draft"
    session = services.database.sessions()
    try:
        with session.begin():
            data = _submitted(request, session, form, user, values)
            pack = create_pack(session, data, now=services.clock(), actor=actor(user), draft=draft)
            pack_id, name = pack.id, pack.name
    except PackError as error:
        with _transaction(services) as fresh:
            return _form_page(request, fresh, values, pack=None, errors=_field_errors(error))
    finally:
        session.close()
    state = "saved as a draft" if draft else "created"
    return redirect(f"/admin/packs/{pack_id}", f"“{name}” {state}.")


@router.get("/{pack_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request, pack_id: RowId, _user: GroupAdminDep, services: ServicesDep
) -> HTMLResponse:
    with _transaction(services) as session:
        pack = _pack_or_404(session, pack_id)
        if pack.status == ARCHIVED:
            raise Refused(PackStateError("status", "archived", "PACK_ARCHIVED"), pack.name)
        values = values_of(definition_data(definition_of(pack)))
        return _form_page(request, session, values, pack=pack)


@router.post("/{pack_id}/edit", response_class=HTMLResponse)
def edit(
    request: Request, pack_id: RowId, user: GroupAdminDep, form: AdminFormDep, services: ServicesDep
) -> Response:
    """Edit a pack (``PATCH /api/v1/admin/packs/{id}``); a published one only as K6 allows."""
    values = form_values(form)
    try:
        with services.database.sessions.begin() as session:
            pack = _pack_or_404(session, pack_id)
            values["type"] = pack.pack_type
            data = _submitted(request, session, form, user, values)
            if pack.status == ACTIVE:
                data = {key: value for key, value in data.items() if key in EDITABLE_WHEN_ACTIVE}
            name = edit_pack(session, pack_id, data, now=services.clock(), actor=actor(user)).name
    except PackError as error:
        with _transaction(services) as fresh:
            pack = get_pack(fresh, pack_id)
            if error.code == "PACK_ARCHIVED":
                raise Refused(error, pack.name) from None
            if pack.status == ACTIVE:  # the locked parts show as stored
                stored = values_of(definition_data(definition_of(pack)))
                values = stored | {k: v for k, v in values.items() if k in _EDITABLE_INPUTS}
            return _form_page(request, fresh, values, pack=pack, errors=_field_errors(error))
    return redirect(f"/admin/packs/{pack_id}", f"“{name}” saved.")


_EDITABLE_INPUTS = {
    "name",
    "description",
    "image_url",
    "channels",
    "sales_first_day",
    "sales_last_day",
    "inventory_mode",
    "inventory",
    "stores",
    "organisations",
    "redirect_url",
    "auto_refund",
    "limit_total",
    "limit_daily",
}


# ---------------------------------------------------------------- details and actions


@router.get("/{pack_id}", response_class=HTMLResponse)
def details(
    request: Request, pack_id: RowId, _user: GroupAdminDep, services: ServicesDep
) -> HTMLResponse:
    """A pack's configuration, statistics and records (``GET /api/v1/admin/packs/{id}``, K10)."""
    with _transaction(services) as session:
        pack = _pack_or_404(session, pack_id)
        context = pickers(session) | {
            "pack": pack,
            "details": pack_details(session, pack),
            "state": str(sales_state(pack, services.clock())),
            "row": pack_rows(session, [pack], services.clock())[0],
        }
    return render(request, "packs/details.html", context)


@router.post("/{pack_id}/copy")
def copy(
    request: Request,
    pack_id: RowId,
    user: GroupAdminDep,
    _form: AdminFormDep,
    services: ServicesDep,
) -> Response:
    """Copy into a new draft (``POST /api/v1/admin/packs/{id}/copy``, K7)."""
    with _transaction(services) as session:
        copied = copy_pack(session, pack_id, now=services.clock(), actor=actor(user))
        copy_id, name = copied.id, copied.name
    return redirect(
        f"/admin/packs/{copy_id}", f"Copied as the draft “{name}”. Edit it, then publish it."
    )


@router.post("/{pack_id}/publish")
def publish(
    request: Request,
    pack_id: RowId,
    _user: GroupAdminDep,
    _form: AdminFormDep,
    services: ServicesDep,
) -> Response:
    """Put a draft on sale or into distribution (``POST /api/v1/admin/packs/{id}/publish``)."""
    with _transaction(services) as session:
        name = publish_pack(session, pack_id, now=services.clock()).name
    return redirect(f"/admin/packs/{pack_id}", f"“{name}” is published.")


@router.get("/{pack_id}/archive", response_class=HTMLResponse)
def archive_confirmation(
    request: Request, pack_id: RowId, _user: GroupAdminDep, services: ServicesDep
) -> HTMLResponse:
    with _transaction(services) as session:
        return render(request, "packs/archive.html", {"pack": _pack_or_404(session, pack_id)})


@router.post("/{pack_id}/archive")
def archive(
    request: Request,
    pack_id: RowId,
    _user: GroupAdminDep,
    _form: AdminFormDep,
    services: ServicesDep,
) -> Response:
    """Archive (``POST /api/v1/admin/packs/{id}/archive``, K8): sales and distribution stop."""
    with _transaction(services) as session:
        name = archive_pack(session, pack_id, now=services.clock()).name
    return redirect(
        f"/admin/packs/{pack_id}", f"“{name}” is archived. Coupons already issued stay valid."
    )


def _inactive_refusal(pack: CouponPack) -> str | None:
    """Why a gift or distribution cannot happen now: the pack is archived or a draft."""
    if pack.status == ACTIVE:
        return None
    code = "PACK_ARCHIVED" if pack.status == ARCHIVED else "PACK_DRAFT"
    return refusal_text(PackStateError("status", "", code), pack.name)


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
    return _action_page(request, "packs/gift.html", pack, values, error, _inactive_refusal(pack))


@router.get("/{pack_id}/gift", response_class=HTMLResponse)
def gift_form(
    request: Request, pack_id: RowId, _user: GroupAdminDep, services: ServicesDep
) -> HTMLResponse:
    with _transaction(services) as session:
        pack = _pack_or_404(session, pack_id)
        return _gift_page(request, pack, {"phone": "", "quantity": "1"})


@router.post("/{pack_id}/gift", response_class=HTMLResponse)
def gift(
    request: Request, pack_id: RowId, user: GroupAdminDep, form: AdminFormDep, services: ServicesDep
) -> Response:
    """Gift packs to a member by phone (``POST /api/v1/admin/packs/{id}/gifts``, K9)."""
    phone = str(form.get("phone") or "").strip()
    raw_quantity = str(form.get("quantity") or "").strip()
    values = {"phone": phone, "quantity": raw_quantity}
    quantity: object = int(raw_quantity) if raw_quantity.lstrip("-").isdigit() else raw_quantity
    try:
        with services.database.sessions.begin() as session:
            name = _pack_or_404(session, pack_id).name
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
        with _transaction(services) as fresh:
            pack = get_pack(fresh, pack_id)
            if error.status_code == 409:  # archived or a draft: the page says so
                return _gift_page(request, pack, values)
            return _gift_page(request, pack, values, (error.field, refusal_text(error)))
    return redirect(f"/admin/packs/{pack_id}", f"{count} “{name}” gifted to {phone}.")


def _link(request: Request, services: ServicesDep, pack_id: int) -> tuple[CouponPack, str]:
    with _transaction(services) as session:
        pack = _pack_or_404(session, pack_id)
        try:
            return pack, pack_link(pack, mall_base_url(request))
        except PackError as error:
            raise Refused(error, pack.name) from None


@router.get("/{pack_id}/link", response_class=HTMLResponse)
def link_page(
    request: Request, pack_id: RowId, _user: GroupAdminDep, services: ServicesDep
) -> HTMLResponse:
    """A paid pack's link and QR code (``GET /api/v1/admin/packs/{id}/link``, K11)."""
    pack, url = _link(request, services, pack_id)
    return render(request, "packs/link.html", {"pack": pack, "url": url})


@router.get("/{pack_id}/qr.png")
def qr_png(
    request: Request,
    pack_id: RowId,
    _user: GroupAdminDep,
    services: ServicesDep,
    download: bool = False,
) -> Response:
    """The QR code as a PNG (``GET /api/v1/admin/packs/{id}/qr``), shown or downloaded."""
    _pack, url = _link(request, services, pack_id)
    headers = (
        {"Content-Disposition": f'attachment; filename="pack-{pack_id}-qr.png"'} if download else {}
    )
    return Response(qr_image(url, QrFormat.png), media_type="image/png", headers=headers)


def _distribute_page(
    request: Request,
    pack: CouponPack,
    values: dict[str, str],
    error: tuple[str, str] | None = None,
) -> HTMLResponse:
    refusal = _inactive_refusal(pack)
    if pack.pack_type != "campaign":
        refusal = "Only campaign packs are distributed; a paid pack is sold. Gift it instead."
    return _action_page(request, "packs/distribute.html", pack, values, error, refusal)


@router.get("/{pack_id}/distribute", response_class=HTMLResponse)
def distribute_form(
    request: Request, pack_id: RowId, _user: GroupAdminDep, services: ServicesDep
) -> HTMLResponse:
    with _transaction(services) as session:
        pack = _pack_or_404(session, pack_id)
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
            pack = _pack_or_404(session, pack_id)
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
        with _transaction(services) as fresh:
            pack = get_pack(fresh, pack_id)
            if error.status_code == 409:
                return _distribute_page(request, pack, values)
            field = "phones" if error.field.startswith("audience") else error.field
            return _distribute_page(request, pack, values, (field, refusal_text(error)))
    return redirect(f"/admin/packs/{pack_id}", f"“{name}” distributed to {members} member(s).")
