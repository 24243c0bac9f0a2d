"""Closed business days the tills reported, as `pos-backoffice shifts` lists them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.clock import iso_time
from backoffice.models.shifts import ShiftClosing


def list_shifts(session: Session, *, store_id: str | None = None) -> list[dict[str, Any]]:
    """Every closed business day the tills reported, in arrival order, with its Z report."""
    query = select(ShiftClosing).order_by(ShiftClosing.id)
    if store_id is not None:
        query = query.where(ShiftClosing.store_id == store_id)
    return [
        {
            "shift_id": shift.shift_id,
            "store": shift.store_id,
            "device": shift.device_id,
            "business_day": shift.business_day,
            "currency": shift.currency,
            "sales": str(shift.sales),
            "returns": str(shift.returns),
            "net": str(shift.net),
            "opened_at": iso_time(shift.opened_at),
            "closed_at": iso_time(shift.closed_at),
            "received_at": iso_time(shift.received_at),
            "report": shift.report,
        }
        for shift in session.scalars(query)
    ]
