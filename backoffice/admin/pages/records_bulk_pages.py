"""Several promotions or coupons at once: delete the ones ticked on the list (a tombstone
each, as ``DELETE /api/v1/admin/promotions/{id}`` leaves; tills drop them on their next
sync; one something uses is archived instead, :mod:`backoffice.chain.archive`), or export
them as a CSV file a spreadsheet opens."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from backoffice.admin.pages.auth import AdminFormDep, GroupAdminDep, actor
from backoffice.admin.pages.pack_bulk_pages import spreadsheet_cell
from backoffice.admin.pages.records_pages import COUPONS, PROMOTIONS, RecordArea
from backoffice.admin.pages.templating import redirect
from backoffice.admin.users import SignedIn
from backoffice.chain.archive import remove_record
from backoffice.chain.change_log import find_record
from backoffice.chain.record_listing import live_records
from backoffice.http.services import Services, ServicesDep

router = APIRouter(include_in_schema=False)
MAX_SELECTED = 500


def _applies(value: Any, items: dict[str, str]) -> str:
    if not value:
        return "Every item"
    return ", ".join(items.get(str(v), str(v)) for v in value)


def _csv(area: RecordArea, rows: list[dict[str, Any]], items: dict[str, str]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    head = ["Name", *(["Code"] if area.kind == "coupon" else []), "Type", "Applies to"]
    if area.kind == "promotion":
        head.append("Auto-execute")
    writer.writerow([*head, "Valid from", "Valid until"])
    for row in rows:
        line = [
            row.get("name") or row["id"],
            *([row["id"]] if area.kind == "coupon" else []),
            area.type_labels.get(str(row.get(area.type_field)), str(row.get(area.type_field))),
            _applies(row.get("items"), items),
        ]
        if area.kind == "promotion":
            line.append("Yes" if row.get("auto_execute") else "No")
        line += [row.get("valid_from") or "", row.get("valid_to") or ""]
        writer.writerow([spreadsheet_cell(value) for value in line])
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{area.path.split("/")[-1]}.csv"'},
    )


def _bulk(area: RecordArea, form: Any, services: Services, user: SignedIn) -> Response:
    ids = list(dict.fromkeys(str(v)[:64] for v in form.getlist("record")))
    action = str(form.get("action") or "")
    if not ids:
        return redirect(area.path, f"Tick at least one {area.singular} first.")
    if len(ids) > MAX_SELECTED:
        return redirect(area.path, f"Tick at most {MAX_SELECTED} at a time.")
    with services.database.sessions.begin() as session:
        live = {row["id"]: row for row in live_records(session, area.kind).rows}
        chosen = [live[i] for i in ids if i in live]
        if action == "export":
            items = {
                row["id"]: str(row.get("name") or row["id"])
                for row in live_records(session, "item").rows
            }
            return _csv(area, chosen, items)
        if action != "delete":
            return redirect(area.path, "Choose what to do with the ones ticked: delete or export.")
        archived: list[str] = []
        for row in chosen:
            record = find_record(session, area.kind, row["id"])
            if record is not None and not record.deleted:
                removal = remove_record(
                    session, area.kind, row["id"], now=services.clock(), actor=actor(user)
                )
                if removal.archived:
                    archived.append(str(row.get("name") or row["id"]))
    deleted = [row for row in chosen if str(row.get("name") or row["id"]) not in archived]
    names = ", ".join(str(row.get("name") or row["id"]) for row in deleted[:5])
    more = " and more" if len(deleted) > 5 else ""
    message = f"{len(deleted)} deleted: {names}{more}. Tills remove them on their next sync."
    if archived:
        message += (
            f" {len(archived)} archived, not deleted, as something uses them:"
            f" {', '.join(archived[:5])}{' and more' if len(archived) > 5 else ''}."
        )
    return redirect(area.path, message)


def _add_route(area: RecordArea) -> None:
    @router.post(area.path + "/bulk", name=f"{area.kind}_bulk")
    def bulk(user: GroupAdminDep, form: AdminFormDep, services: ServicesDep) -> Response:
        """Delete or export the ones ticked on the list."""
        return _bulk(area, form, services, user)


for _area in (PROMOTIONS, COUPONS):
    _add_route(_area)
