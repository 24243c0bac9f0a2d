"""``GET /api/v1/till-numbers`` (issue 18): what the back office holds of the calling
till's numbers, so a till rebuilt from it (``pos-app db recover``) goes on after the
highest ticket number it ever sent and never gives one twice."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backoffice.http.bearer import DeviceDep
from backoffice.http.error_bodies import AUTH_RESPONSES, DEVICE_ONLY
from backoffice.http.services import SessionDep
from backoffice.models.sales import SaleNumber
from backoffice.models.shifts import SaleRefund, ShiftClosing
from backoffice.models.trust import Device
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.sync_api import TillNumbers

router = APIRouter(prefix="/api/v1", tags=["sync"])


def _sequence(number: str | None) -> int:
    tail = (number or "").rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def till_numbers(session: Session, device: DeviceIdentity) -> TillNumbers:
    """The till's numbers as the back office holds them."""
    highest: list[str] = []
    for column, device_column, store_column in (
        (SaleNumber.number, SaleNumber.device_id, SaleNumber.store_id),
        (SaleRefund.number, SaleRefund.device_id, SaleRefund.store_id),
    ):
        top = session.scalar(
            select(column)
            .where(device_column == device.device_id, store_column == device.store_id)
            .order_by(func.length(column).desc(), column.desc())
            .limit(1)
        )
        if top:
            highest.append(top)
    last = max(highest, key=_sequence, default=None)
    sales = session.scalar(
        select(func.count()).where(
            SaleNumber.device_id == device.device_id, SaleNumber.store_id == device.store_id
        )
    )
    z_reports = session.scalar(
        select(func.count()).where(
            ShiftClosing.device_id == device.device_id, ShiftClosing.store_id == device.store_id
        )
    )
    till = session.get(Device, device.device_id)
    return TillNumbers(
        till_number=till.till_number if till is not None else None,
        last_ticket_number=last,
        last_sequence=_sequence(last),
        sales_held=int(sales or 0),
        z_reports=int(z_reports or 0),
    )


@router.get("/till-numbers", responses={**AUTH_RESPONSES, **DEVICE_ONLY})
def get_till_numbers(device: DeviceDep, session: SessionDep) -> TillNumbers:
    """The calling till's numbers as the back office holds them (its token says which)."""
    with session.begin():
        return till_numbers(session, device)
