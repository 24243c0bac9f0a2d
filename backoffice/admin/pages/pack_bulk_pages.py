"""Several coupon packs at once (K8, K10): archive the packs ticked on the list, or export
them, or every pack the filters select, as a CSV file a spreadsheet opens.

Archiving is :func:`backoffice.packs.lifecycle.archive_pack` for each pack ticked, in one
transaction: all are archived or, if one is refused, none.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.admin.pages.auth import AdminFormDep, GroupAdminDep
from backoffice.admin.pages.labels import CHANNELS, PACK_STATUSES, PACK_TYPES, SALES_STATES, label
from backoffice.admin.pages.pack_refusals import pack_transaction
from backoffice.admin.pages.templating import redirect
from backoffice.chain.record_listing import live_records
from backoffice.http.services import ServicesDep
from backoffice.models.packs import CouponPack
from backoffice.packs.lifecycle import archive_pack
from backoffice.packs.list_query import PackFilter, filtered
from backoffice.packs.listing import pack_rows

router = APIRouter(prefix="/admin/packs", include_in_schema=False)
MAX_SELECTED = 500
EXPORT_LIMIT = 10_000
COLUMNS = (
    "Name",
    "Type",
    "Status",
    "Sales state",
    "Price",
    "Currency",
    "Channels",
    "First day of sales",
    "Last day of sales",
    "Packs issued",
    "Coupons redeemed",
    "Sold",
    "Inventory left",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """A value as a spreadsheet shows it; text that a spreadsheet would run is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_line(pack: CouponPack, row: dict[str, Any], currency: dict[str, str]) -> list[str]:
    paid = pack.pack_type == "paid"
    left = row["inventory_left"]
    return [
        spreadsheet_cell(value)
        for value in (
            pack.name,
            label(pack.pack_type, PACK_TYPES),
            label(pack.status, PACK_STATUSES),
            label(row["sales_state"], SALES_STATES),
            pack.price,
            currency.get(pack.store_ids[0], "") if pack.store_ids else "",
            ", ".join(label(c, CHANNELS) for c in pack.channels),
            pack.sales_first_day,
            pack.sales_last_day,
            row["issued"],
            row["redeemed"],
            pack.sold_count if paid else "",
            ("Unlimited" if left is None else left) if paid else "",
        )
    ]


def _csv(session: Session, packs: Iterable[CouponPack], now: datetime) -> Response:
    packs = list(packs)
    rows = pack_rows(session, packs, now)
    currency = {
        row["id"]: str(row.get("currency") or "") for row in live_records(session, "store").rows
    }
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for pack, row in zip(packs, rows, strict=True):
        writer.writerow(_csv_line(pack, row, currency))
    return Response(
        "\ufeff" + out.getvalue(),  # the byte-order mark: spreadsheets then read UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="coupon-packs.csv"'},
    )


@router.get("/export.csv")
def export_filtered(
    _user: GroupAdminDep,
    services: ServicesDep,
    type: str = "",
    status: str = "",
    name: str = "",
    store: str = "",
    channel: str = "",
) -> Response:
    """Every pack the list's filters select (newest first), as CSV."""
    wanted = PackFilter(type or None, status or None, name or None, channel or None, store or None)
    with pack_transaction(services) as session:
        query = filtered(wanted).order_by(CouponPack.id.desc()).limit(EXPORT_LIMIT)
        packs: list[CouponPack] = list(session.scalars(query).all())
        return _csv(session, packs, services.clock())


@router.post("/bulk")
def bulk(_user: GroupAdminDep, form: AdminFormDep, services: ServicesDep) -> Response:
    """Archive or export the packs ticked on the list."""
    given = [str(v) for v in form.getlist("pack")]
    ids = sorted({int(v) for v in given if v.isdigit() and len(v) < 10})
    action = str(form.get("action") or "")
    back = str(form.get("back") or "/admin/packs")
    back = back if back.startswith("/admin/packs") else "/admin/packs"
    if not ids:
        return redirect(back, "Tick at least one coupon pack first.")
    if len(ids) > MAX_SELECTED:
        return redirect(back, f"Tick at most {MAX_SELECTED} coupon packs at a time.")
    with pack_transaction(services) as session:
        packs = list(
            session.scalars(
                select(CouponPack).where(CouponPack.id.in_(ids)).order_by(CouponPack.id.desc())
            ).all()
        )
        if action == "export":
            return _csv(session, packs, services.clock())
        if action != "archive":
            return redirect(back, "Choose what to do with the packs ticked: archive or export.")
        newly = [pack.name for pack in packs if pack.status != "archived"]
        for pack in packs:
            archive_pack(session, pack.id, now=services.clock())
    if not newly:
        return redirect(back, "The packs ticked were archived already.")
    return redirect(
        back,
        f"{len(newly)} coupon pack(s) archived: {', '.join(newly[:5])}"
        + (" and more" if len(newly) > 5 else "")
        + ". Coupons already issued stay valid.",
    )
