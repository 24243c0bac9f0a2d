"""Sales held as anomalies (issue 18): listed for administrators with names, money in
its currency and the reasons in words, and accepted one at a time (who and when kept).

A held sale counts in no report (:func:`held_sales` is the one test of it) until it is
accepted; an accepted one counts like any other and stays listed, with who accepted it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from backoffice.clock import iso_time
from backoffice.models.anomalies import SaleAnomaly
from backoffice.models.intake import ReceivedEvent
from backoffice.models.sales import SaleTicket
from backoffice.models.trust import Device
from backoffice.reports.store_names import store_names
from pos_app.engine import Currency


class AnomalyError(LookupError):
    """An anomaly that cannot be accepted: no such one, or accepted already."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.missing = missing


def held_sales() -> ColumnElement[bool]:
    """True for a :class:`SaleTicket` held as an anomaly not yet accepted."""
    return exists().where(SaleAnomaly.sale_id == SaleTicket.id, SaleAnomaly.accepted_at.is_(None))


def list_anomalies(
    session: Session, *, store_id: str | None = None, held_only: bool = False
) -> list[dict[str, Any]]:
    """Every anomaly, newest first: the sale's number, store and till by name, its total
    with its currency, each reason in words, and whether and by whom it was accepted."""
    query = (
        select(SaleAnomaly, SaleTicket, ReceivedEvent.body, Device.name)
        .join(SaleTicket, SaleTicket.id == SaleAnomaly.sale_id)
        .join(ReceivedEvent, ReceivedEvent.id == SaleTicket.event_id)
        .outerjoin(Device, Device.device_id == SaleAnomaly.device_id)
        .order_by(SaleAnomaly.id.desc())
    )
    if store_id is not None:
        query = query.where(SaleAnomaly.store_id == store_id)
    if held_only:
        query = query.where(SaleAnomaly.accepted_at.is_(None))
    rows = session.execute(query).all()
    stores = store_names(session, {anomaly.store_id for anomaly, *_ in rows})
    return [
        {
            "id": anomaly.id,
            "number": (body.get("payload") or {}).get("number") or sale.ticket_id,
            "ticket_id": sale.ticket_id,
            "store": stores.get(anomaly.store_id, anomaly.store_id),
            "store_id": anomaly.store_id,
            "till": till_name or anomaly.device_id,
            "currency": sale.currency,
            "total": str(sale.total),
            "total_shown": _money(sale.currency, sale.total),
            "closed_at": iso_time(sale.closed_at),
            "received_at": iso_time(sale.received_at),
            "reasons": [reason["text"] for reason in anomaly.reasons],
            "reason_codes": [reason["code"] for reason in anomaly.reasons],
            "state": "held" if anomaly.accepted_at is None else "accepted",
            "accepted_at": iso_time(anomaly.accepted_at) if anomaly.accepted_at else None,
            "accepted_by": anomaly.accepted_by,
        }
        for anomaly, sale, body, till_name in rows
    ]


def accept_anomaly(session: Session, anomaly_id: int, actor: str, now: datetime) -> str:
    """Accept a held sale: it counts as revenue from now on, and who accepted it and when
    are kept. Returns the sale's number as people read it."""
    row = session.execute(
        select(SaleAnomaly, SaleTicket.ticket_id, ReceivedEvent.body)
        .join(SaleTicket, SaleTicket.id == SaleAnomaly.sale_id)
        .join(ReceivedEvent, ReceivedEvent.id == SaleTicket.event_id)
        .where(SaleAnomaly.id == anomaly_id)
        .with_for_update(of=SaleAnomaly)
    ).first()
    if row is None:
        raise AnomalyError(f"there is no anomaly {anomaly_id}", missing=True)
    anomaly, ticket_id, body = row
    number = (body.get("payload") or {}).get("number") or ticket_id
    if anomaly.accepted_at is not None:
        raise AnomalyError(
            f"sale {number} was already accepted by {anomaly.accepted_by}"
            f" at {iso_time(anomaly.accepted_at)}"
        )
    anomaly.accepted_at = now
    anomaly.accepted_by = actor
    return str(number)


def _money(code: str, amount: Any) -> str:
    currency = Currency.of(code)
    return f"{currency.code} {currency.format(amount)}"
