"""The promotion and coupon pages: lists, a form for every promotion type and coupon kind the
engine knows, and deletion with a confirmation.

A save goes through :func:`backoffice.chain.record_kinds.checked_record_data` and
:func:`backoffice.chain.change_log.put_record`, as ``PUT /api/v1/admin/promotions/{id}``
(or ``/coupons/{code}``) does, so the tills get it on their next sync; a delete
is ``DELETE`` there (a tombstone). A refusal shows on the input at fault and saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from backoffice.admin.pages import record_forms
from backoffice.admin.pages.auth import AdminFormDep, GroupAdminDep, actor
from backoffice.admin.pages.labels import COUPON_KIND_LABELS, PROMOTION_TYPE_LABELS, readable
from backoffice.admin.pages.pages import error_page
from backoffice.admin.pages.record_forms import Input
from backoffice.admin.pages.templating import redirect, render
from backoffice.admin.users import SignedIn
from backoffice.chain.archive import remove_record
from backoffice.chain.change_log import find_record, put_record, record_is_live
from backoffice.chain.record_kinds import KINDS, checked_record_data
from backoffice.chain.record_listing import live_records
from backoffice.chain.record_uses import uses_of
from backoffice.http.services import ServicesDep
from backoffice.models.records import Record
from pos_app.protocol.records import RecordDataError

MAX_ID_LENGTH = 64
RecordSort = Literal["order", "name", "code", "type", "auto_execute", "valid_from", "valid_to"]


@dataclass(frozen=True)
class RecordArea:
    """One area of these pages: promotions or coupons."""

    kind: str
    path: str
    title: str
    singular: str
    type_field: str
    type_labels: dict[str, str]
    inputs: dict[str, tuple[Input, ...]]

    @property
    def id_field(self) -> str:
        return KINDS[self.kind].id_field


PROMOTIONS = RecordArea(
    "promotion",
    "/admin/promotions",
    "Promotions",
    "promotion",
    "type",
    PROMOTION_TYPE_LABELS,
    record_forms.PROMOTION_INPUTS,
)
COUPONS = RecordArea(
    "coupon",
    "/admin/coupons",
    "Coupons",
    "coupon",
    "kind",
    COUPON_KIND_LABELS,
    record_forms.COUPON_INPUTS,
)
router = APIRouter(include_in_schema=False)


class RecordMissing(Exception):
    """No live promotion or coupon by that id (the app answers with :func:`missing_page`)."""

    def __init__(self, area: RecordArea) -> None:
        self.area = area


def _live_record(session: Session, area: RecordArea, record_id: str) -> Record:
    """The live record of the area, with a type or kind its forms know."""
    record = find_record(session, area.kind, record_id)
    if record is None or record.deleted or record.data.get(area.type_field) not in area.inputs:
        raise RecordMissing(area)
    return record


def sorted_records(
    rows: list[dict[str, Any]], sort: str, area: RecordArea, *, descending: bool = False
) -> list[dict[str, Any]]:
    """The list's rows sorted by a column (``order``: the execution order), ties by id."""

    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        if sort == "name":
            value: Any = str(row.get("name") or row["id"]).lower()
        elif sort == "code":
            value = str(row["id"]).lower()
        elif sort == "type":
            value = area.type_labels.get(str(row.get(area.type_field)), "")
        elif sort == "auto_execute":
            value = bool(row.get("auto_execute"))
        elif sort in ("valid_from", "valid_to"):
            value = str(row.get(sort) or "")
        else:
            value = int(row.get("sequence") or 0)
        return (value, str(row["id"]))

    return sorted(rows, key=key, reverse=descending)


def _item_choices(session: Session) -> dict[str, str]:
    items = live_records(session, "item").rows
    choices = {row["id"]: str(row.get("name") or row["id"]) for row in items}
    for category in sorted({str(row.get("category")) for row in items if row.get("category")}):
        choices[f"category:{category}"] = f"Every item in {category}"
    return choices


def _form_page(
    request: Request,
    session: Session,
    area: RecordArea,
    type_value: str,
    values: dict[str, Any],
    *,
    record_id: str | None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "records/form.html",
        {
            "area": area,
            "type_value": type_value,
            "inputs": area.inputs[type_value],
            "validity_inputs": record_forms.VALIDITY_INPUTS,
            "values": values,
            "errors": errors or {},
            "record_id": record_id,
            "item_choices": _item_choices(session),
            "max_components": record_forms.MAX_COMPONENTS,
        },
        status_code=422 if errors else 200,
    )


def _next_sequence(session: Session, kind: str) -> int:
    rows = live_records(session, kind).rows
    return max((int(row.get("sequence") or 0) for row in rows), default=0) + 1


def _save(
    session: Session,
    area: RecordArea,
    record_id: str,
    type_value: str,
    values: dict[str, Any],
    existing: Record | None,
    *,
    now: Any,
    by: str,
) -> None:
    inputs = area.inputs[type_value]
    data = record_forms.record_data(values, inputs)
    data[area.type_field] = type_value
    if area.kind == "promotion":
        data["auto_execute"] = bool(values.get("auto_execute"))
    if existing is not None and not existing.deleted:
        managed = record_forms.managed_fields(inputs) | {area.type_field, "auto_execute"}
        data = {k: v for k, v in existing.data.items() if k not in managed} | data
    else:
        data["sequence"] = _next_sequence(session, area.kind)
    checked = checked_record_data(
        KINDS[area.kind], record_id, data, lambda k, i: record_is_live(session, k, i)
    )
    store_id = existing.store_id if existing is not None else None
    put_record(session, area.kind, record_id, checked, store_id=store_id, now=now, actor=by)


def _add_routes(area: RecordArea) -> None:
    @router.get(area.path, response_class=HTMLResponse, name=f"{area.kind}_list")
    def listing(
        request: Request,
        _user: GroupAdminDep,
        services: ServicesDep,
        search: str = "",
        type: str = "",
        sort: RecordSort = "order",
        order: Literal["asc", "desc"] = "asc",
    ) -> HTMLResponse:
        with services.database.sessions.begin() as session:
            where = {area.type_field: type} if type else None
            found = live_records(session, area.kind, search=search or None, where=where)
            items = _item_choices(session)
        rows = sorted_records(found.rows, sort, area, descending=order == "desc")
        return render(
            request,
            "records/list.html",
            {
                "area": area,
                "rows": rows,
                "search": search,
                "type": type,
                "item_choices": items,
                "sort": sort,
                "order": order,
            },
        )

    @router.get(area.path + "/new", response_class=HTMLResponse, name=f"{area.kind}_new")
    def new_form(
        request: Request, _user: GroupAdminDep, services: ServicesDep, type: str = ""
    ) -> HTMLResponse:
        if type not in area.inputs:
            return render(request, "records/choose_type.html", {"area": area})
        with services.database.sessions.begin() as session:
            values = record_forms.values_of({}, area.inputs[type]) | {
                "auto_execute": True,
                "new_id": "",
            }
            return _form_page(request, session, area, type, values, record_id=None)

    @router.post(area.path + "/new", response_class=HTMLResponse, name=f"{area.kind}_create")
    def create(
        request: Request, user: GroupAdminDep, form: AdminFormDep, services: ServicesDep
    ) -> Response:
        type_value = str(form.get("type") or "")
        if type_value not in area.inputs:
            return render(request, "records/choose_type.html", {"area": area}, status_code=422)
        return _submit(request, services, area, type_value, form, user, record_id=None)

    @router.get(
        area.path + "/{record_id}/edit", response_class=HTMLResponse, name=f"{area.kind}_edit_form"
    )
    def edit_form(
        request: Request, record_id: str, _user: GroupAdminDep, services: ServicesDep
    ) -> HTMLResponse:
        with services.database.sessions.begin() as session:
            record = _live_record(session, area, record_id)
            type_value = str(record.data[area.type_field])
            values = record_forms.values_of(record.data, area.inputs[type_value])
            values["auto_execute"] = bool(record.data.get("auto_execute", True))
            return _form_page(request, session, area, type_value, values, record_id=record_id)

    @router.post(
        area.path + "/{record_id}/edit", response_class=HTMLResponse, name=f"{area.kind}_edit"
    )
    def edit(
        request: Request,
        record_id: str,
        user: GroupAdminDep,
        form: AdminFormDep,
        services: ServicesDep,
    ) -> Response:
        with services.database.sessions.begin() as session:
            type_value = str(_live_record(session, area, record_id).data[area.type_field])
        return _submit(request, services, area, type_value, form, user, record_id=record_id)

    @router.get(
        area.path + "/{record_id}/delete",
        response_class=HTMLResponse,
        name=f"{area.kind}_delete_form",
    )
    def delete_form(
        request: Request, record_id: str, _user: GroupAdminDep, services: ServicesDep
    ) -> HTMLResponse:
        with services.database.sessions.begin() as session:
            record = _live_record(session, area, record_id)
            name = str(record.data.get("name") or record_id)
            uses = uses_of(session, area.kind, record_id)
        return render(
            request,
            "records/delete.html",
            {"area": area, "record_id": record_id, "name": name, "uses": uses},
        )

    @router.post(area.path + "/{record_id}/delete", name=f"{area.kind}_delete")
    def delete(
        request: Request,
        record_id: str,
        user: GroupAdminDep,
        _form: AdminFormDep,
        services: ServicesDep,
    ) -> Response:
        with services.database.sessions.begin() as session:
            record = _live_record(session, area, record_id)
            name = str(record.data.get("name") or record_id)
            removal = remove_record(
                session, area.kind, record_id, now=services.clock(), actor=actor(user)
            )
        if removal.archived:
            return redirect(
                area.path,
                f"“{name}” archived, not deleted: it is used by {'; '.join(removal.uses)}."
                " Tills keep it so these go on working.",
            )
        return redirect(area.path, f"“{name}” deleted. Tills remove it on their next sync.")


def _submit(
    request: Request,
    services: ServicesDep,
    area: RecordArea,
    type_value: str,
    form: FormData,
    user: SignedIn,
    *,
    record_id: str | None,
) -> Response:
    """Save the form (a new record when ``record_id`` is ``None``) as ``PUT`` does; a refusal
    shows the form again with the message on the input at fault, and nothing is saved."""
    values = record_forms.form_values(form, area.inputs[type_value])
    values["auto_execute"] = form.get("auto_execute") == "on"
    values["new_id"] = str(form.get("new_id") or "").strip()
    try:
        with services.database.sessions.begin() as session:
            target = record_id or _new_id(session, area, values)
            existing = find_record(session, area.kind, target)
            _save(
                session,
                area,
                target,
                type_value,
                values,
                existing,
                now=services.clock(),
                by=actor(user),
            )
    except RecordDataError as bad:
        new_id = record_id is None and bad.field == area.id_field
        field = "new_id" if new_id else record_forms.input_name(bad.field)
        with services.database.sessions.begin() as fresh:
            return _form_page(
                request,
                fresh,
                area,
                type_value,
                values,
                record_id=record_id,
                errors={field: readable(bad.problem)},
            )
    return redirect(
        area.path, f"“{values['name'] or target}” saved. Tills get it on their next sync."
    )


def _new_id(session: Session, area: RecordArea, values: dict[str, Any]) -> str:
    given = str(values["new_id"])
    if not given:
        if area.kind == "coupon":
            raise RecordDataError(area.id_field, "is required: the code cashiers enter")
        taken = {row["id"] for row in live_records(session, area.kind).rows}
        return record_forms.new_record_id(values["name"], taken)
    if len(given) > MAX_ID_LENGTH or any(ch.isspace() for ch in given):
        raise RecordDataError(area.id_field, f"use at most {MAX_ID_LENGTH} characters, no spaces")
    if record_is_live(session, area.kind, given):
        raise RecordDataError(area.id_field, f"{given} is taken: choose another")
    return given


def missing_page(request: Request, area: RecordArea) -> HTMLResponse:
    """The page for a promotion or coupon that does not exist (any more)."""
    return error_page(
        request,
        f"No such {area.singular}",
        f"It may have been deleted. Pick one from the list of {area.title.lower()}.",
        status_code=404,
        back_url=area.path,
        back_label=f"Back to {area.title.lower()}",
    )


for _area in (PROMOTIONS, COUPONS):
    _add_routes(_area)
