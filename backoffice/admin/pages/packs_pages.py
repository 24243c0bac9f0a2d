"""The coupon-pack pages (K1-K10): list with filters, create and edit form, details with
statistics and records, copy, archive with a confirmation, publish. Gifts and
distributions are :mod:`~backoffice.admin.pages.pack_grants_pages`, the link and QR code
:mod:`~backoffice.admin.pages.pack_link_pages`.

Every action calls the same service as ``/api/v1/admin/packs...`` (the API route is
named in each handler's docstring), inside one transaction: a refused action
changes nothing, and the page shows the refusal on the field at fault.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from backoffice.admin.images import ImageRefused, image_url, store_image
from backoffice.admin.pages.auth import AdminFormDep, GroupAdminDep, actor
from backoffice.admin.pages.pack_form import (
    blank_values,
    form_values,
    input_name,
    pack_data,
    values_of,
)
from backoffice.admin.pages.pack_refusals import (
    Refused,
    pack_or_404,
    pack_transaction,
    refusal_text,
)
from backoffice.admin.pages.pages import pickers
from backoffice.admin.pages.templating import redirect, render
from backoffice.chain.organisations import list_organisations, stores_of
from backoffice.http.path_values import RowId
from backoffice.http.services import ServicesDep, get_services
from backoffice.models.packs import CouponPack
from backoffice.packs.definition import definition_data
from backoffice.packs.details import pack_details
from backoffice.packs.errors import PackError, PackInputError, PackStateError
from backoffice.packs.issuance import ACTIVE, ARCHIVED
from backoffice.packs.lifecycle import (
    EDITABLE_WHEN_ACTIVE,
    PackFilter,
    archive_pack,
    copy_pack,
    create_pack,
    definition_of,
    edit_pack,
    get_pack,
    publish_pack,
)
from backoffice.packs.list_query import list_page
from backoffice.packs.listing import pack_rows, sales_state
from pos_app.protocol import bounds

router = APIRouter(prefix="/admin/packs", include_in_schema=False)
PAGE_SIZE = 50


# ---------------------------------------------------------------- the list


SortKey = Literal[
    "name", "type", "status", "sales_state", "price", "issued", "sold", "inventory_left", "created"
]


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
    sort: SortKey = "created",
    order: Literal["asc", "desc"] = "desc",
    page: Annotated[int, Query(ge=1, le=bounds.ROW_ID.high)] = 1,
) -> HTMLResponse:
    """The pack list (``GET /api/v1/admin/packs``), filtered by type, status, name, store
    and channel, sorted by any column (``sort``, ``order``), 50 a page."""
    wanted = PackFilter(type or None, status or None, name or None, channel or None, store or None)
    now = services.clock()
    with pack_transaction(services) as session:
        packs, total = list_page(
            session,
            wanted,
            sort=sort,
            descending=order == "desc",
            today=now.date(),
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
        rows = pack_rows(session, packs, now)
        context = pickers(session)
    filters = {"type": type, "status": status, "name": name, "store": store, "channel": channel}
    return render(
        request,
        "packs/list.html",
        context
        | {
            "rows": rows,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "filters": filters,
            "sort": sort,
            "order": order,
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
        services = get_services(request)
        try:
            image = store_image(
                session, upload.file.read(), now=services.clock(), actor=actor(user)
            )
        except ImageRefused as refused:
            raise PackInputError("image_url", str(refused)) from None
        values["image_url"] = image_url(services.public_url, image)
    if form.get("remove_image") == "on":
        values["image_url"] = ""
    chosen = [int(v) for v in values["organisations"] if v.isascii() and v.isdigit()]
    return pack_data(values, stores_of(list_organisations(session), chosen))


def _field_errors(error: PackError) -> dict[str, str]:
    return {input_name(error.field): refusal_text(error)}


@router.get("/new", response_class=HTMLResponse)
def new_pack_form(request: Request, _user: GroupAdminDep, services: ServicesDep) -> HTMLResponse:
    with pack_transaction(services) as session:
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
        with pack_transaction(services) as fresh:
            return _form_page(request, fresh, values, pack=None, errors=_field_errors(error))
    finally:
        session.close()
    state = "saved as a draft" if draft else "created"
    return redirect(f"/admin/packs/{pack_id}", f"“{name}” {state}.")


@router.get("/{pack_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request, pack_id: RowId, _user: GroupAdminDep, services: ServicesDep
) -> HTMLResponse:
    with pack_transaction(services) as session:
        pack = pack_or_404(session, pack_id)
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
            pack = pack_or_404(session, pack_id)
            values["type"] = pack.pack_type
            data = _submitted(request, session, form, user, values)
            if pack.status == ACTIVE:
                data = {key: value for key, value in data.items() if key in EDITABLE_WHEN_ACTIVE}
            name = edit_pack(session, pack_id, data, now=services.clock(), actor=actor(user)).name
    except PackError as error:
        with pack_transaction(services) as fresh:
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
    with pack_transaction(services) as session:
        pack = pack_or_404(session, pack_id)
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
    with pack_transaction(services) as session:
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
    with pack_transaction(services) as session:
        name = publish_pack(session, pack_id, now=services.clock()).name
    return redirect(f"/admin/packs/{pack_id}", f"“{name}” is published.")


@router.get("/{pack_id}/archive", response_class=HTMLResponse)
def archive_confirmation(
    request: Request, pack_id: RowId, _user: GroupAdminDep, services: ServicesDep
) -> HTMLResponse:
    with pack_transaction(services) as session:
        return render(request, "packs/archive.html", {"pack": pack_or_404(session, pack_id)})


@router.post("/{pack_id}/archive")
def archive(
    request: Request,
    pack_id: RowId,
    _user: GroupAdminDep,
    _form: AdminFormDep,
    services: ServicesDep,
) -> Response:
    """Archive (``POST /api/v1/admin/packs/{id}/archive``, K8): sales and distribution stop."""
    with pack_transaction(services) as session:
        name = archive_pack(session, pack_id, now=services.clock()).name
    return redirect(
        f"/admin/packs/{pack_id}", f"“{name}” is archived. Coupons already issued stay valid."
    )
