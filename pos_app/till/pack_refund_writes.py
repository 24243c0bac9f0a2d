"""What a pack refund writes at the till, whichever way it comes (a pack line returned
by a manager, or a sale the back office made a conflict): the refund with its withdrawn
coupons, the audit entry and the ``pack.refunded`` event, in the caller's unit of work."""

from __future__ import annotations

from datetime import datetime

from pos_app.protocol.payloads import PackRefunded, wire_instant
from pos_app.store.pack_ledger import PackRefundRecord, SoldRecord
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.payments import Method

REVOKED = "revoked"  # what the sale's coupons become here


def write_pack_refund(
    uow: UnitOfWork,
    sale: SoldRecord,
    *,
    audit_action: str,
    method: str,
    paid_back: Method,
    manager: str,
    store_id: str,
    now: datetime,
    note: str,
    conflict_key: str | None = None,
) -> None:
    """Record the refund of ``sale`` (its coupons revoked), audit it as ``audit_action``
    and queue ``pack.refunded``; the caller commits."""
    codes = [coupon["code"] for coupon in sale.coupons]
    record = PackRefundRecord(
        sale.sale_id, sale.price, sale.currency, method, manager, now, conflict_key or "", note
    )
    uow.packs.add_refund(record, codes, REVOKED)
    uow.audit.record(
        now,
        manager,
        audit_action,
        sale.sale_id,
        {"amount": str(sale.price), "method": method, "codes": codes, "note": note},
    )
    uow.outbox.add(
        PackRefunded(
            sale_id=sale.sale_id,
            store_id=store_id,
            amount=str(sale.price),
            currency=sale.currency,
            method=paid_back,
            manager=manager,
            refunded_at=wire_instant(now),
            conflict_key=conflict_key,
            note=note,
        ),
        now,
    )
