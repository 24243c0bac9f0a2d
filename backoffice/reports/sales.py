"""Received sales and their returns, as `pos-backoffice sales` lists them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from backoffice.clock import iso_time
from backoffice.models.conflicts import Conflict
from backoffice.models.intake import ReceivedEvent
from backoffice.models.sales import SaleTicket
from backoffice.models.shifts import SaleRefund
from backoffice.reports.anomalies import held_sales


def list_sales(session: Session, *, store_id: str | None = None) -> list[dict[str, Any]]:
    """Every received ticket in arrival order: id, store, device, total, lines and more.

    A sale held as an anomaly (:mod:`backoffice.reports.anomalies`) is not clean revenue:
    it is left out until an administrator accepts it.

    Each line carries its adjustments (stage, kind, source, rule, amount) as the till
    sent them, so the per-line breakdown can be compared with the till's. Amounts are
    the decimal strings the till sent.
    """
    query = (
        select(SaleTicket, ReceivedEvent.idempotency_key, Conflict.reason, ReceivedEvent.body)
        .join(ReceivedEvent, ReceivedEvent.id == SaleTicket.event_id)
        .outerjoin(Conflict, Conflict.event_id == SaleTicket.event_id)
        .where(~held_sales())
        .options(selectinload(SaleTicket.lines))
        .order_by(SaleTicket.id)
    )
    if store_id is not None:
        query = query.where(SaleTicket.store_id == store_id)
    refunds = _refunds_by_sale(session, store_id)
    return [
        {
            "id": sale.ticket_id,
            "number": (body.get("payload") or {}).get("number"),
            "refunds": refunds.get((sale.store_id, sale.ticket_id), []),
            "refunded": str(
                sum(
                    (
                        Decimal(r["amount"])
                        for r in refunds.get((sale.store_id, sale.ticket_id), [])
                    ),
                    Decimal(0),
                )
            ),
            "store": sale.store_id,
            "device": sale.device_id,
            "currency": sale.currency,
            "total": str(sale.total),
            "opened_at": iso_time(sale.opened_at),
            "closed_at": iso_time(sale.closed_at),
            "received_at": iso_time(sale.received_at),
            "idempotency_key": key,
            "conflict": conflict_reason,
            "lines": [
                {
                    "line_id": line.line_id,
                    "sku": line.sku,
                    "name": line.name,
                    "qty": line.qty,
                    "unit_price": str(line.unit_price),
                    "gross": str(line.gross),
                    "net": str(line.net),
                    "adjustments": [
                        {
                            "stage": adjustment.get("stage"),
                            "kind": adjustment.get("kind"),
                            "source": adjustment.get("source"),
                            "rule": adjustment.get("rule"),
                            "amount": adjustment.get("amount"),
                        }
                        for adjustment in line.adjustments
                    ],
                }
                for line in sale.lines
            ],
        }
        for sale, key, conflict_reason, body in session.execute(query)
    ]


def _refunds_by_sale(
    session: Session, store_id: str | None
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Every stored return, by (store, sale ticket id), in arrival order."""
    query = select(SaleRefund).order_by(SaleRefund.id)
    if store_id is not None:
        query = query.where(SaleRefund.store_id == store_id)
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for refund in session.scalars(query):
        out.setdefault((refund.store_id, refund.refund_of), []).append(
            {
                "number": refund.number,
                "refund_id": refund.refund_id,
                "method": refund.method,
                "amount": str(refund.amount),
                "tax": str(refund.tax),
                "refunded_at": iso_time(refund.refunded_at),
                "lines": refund.lines,
                "restored_codes": refund.restored_codes,
            }
        )
    return out
