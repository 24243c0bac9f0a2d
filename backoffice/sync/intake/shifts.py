"""``ticket.refunded`` and ``shift.closed``: returns and closed business days, each stored
once per store.

A return that gave a coupon back (the customer returned everything it covered) frees
its single-use code: the code's claim by that sale is dropped and an entitlement goes
back to ``active`` through the change log, so every till can take it again. A return
or a day sent again under another idempotency key is a ``duplicate``; (store, id) is
unique, so two uploads racing meet there.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record, lock_change_log, put_record
from backoffice.clock import iso_time
from backoffice.models.intake import ReceivedEvent
from backoffice.models.sales import RedeemedCode
from backoffice.models.shifts import SaleRefund, ShiftClosing
from backoffice.sync.intake.verdict import Verdict
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.outcomes import DuplicateReason, Outcome
from pos_app.protocol.payloads import ShiftClosed, TicketRefunded


def record_refund(
    session: Session,
    event: ReceivedEvent,
    refund: TicketRefunded,
    device: DeviceIdentity,
    now: datetime,
) -> Verdict:
    """Store a return against its sale and give back the coupons it restored."""
    earlier = _refund(session, device.store_id, refund.refund_id)
    if earlier is None:
        row = SaleRefund(
            event_id=event.id,
            refund_id=refund.refund_id,
            store_id=device.store_id,
            device_id=device.device_id,
            number=refund.number,
            refund_of=refund.refund_of,
            refund_of_number=refund.refund_of_number,
            currency=refund.currency,
            method=refund.method,
            amount=Decimal(refund.amount),
            tax=Decimal(refund.tax),
            lines=[line.model_dump() for line in refund.lines],
            restored_codes=list(refund.restored_codes),
            refunded_at=refund.refunded_at,
            received_at=now,
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            earlier = _refund(session, device.store_id, refund.refund_id)
            if earlier is None:
                raise
    if earlier is not None:
        return _again(
            DuplicateReason.REFUND_ALREADY_RECEIVED,
            f"payload.refund_id: return {earlier.number} of store {earlier.store_id} was"
            f" already received at {iso_time(earlier.received_at)}",
        )
    for code in sorted(set(refund.restored_codes)):
        _release(session, code, refund, device, now)
    return Verdict.accepted()


def record_shift(
    session: Session,
    event: ReceivedEvent,
    shift: ShiftClosed,
    device: DeviceIdentity,
    now: datetime,
) -> Verdict:
    """Store a till's closed business day with its Z report."""
    earlier = _shift(session, device.store_id, shift.shift_id)
    if earlier is None:
        try:
            with session.begin_nested():
                session.add(
                    ShiftClosing(
                        event_id=event.id,
                        shift_id=shift.shift_id,
                        store_id=device.store_id,
                        device_id=device.device_id,
                        business_day=shift.business_day,
                        currency=shift.currency,
                        sales=Decimal(shift.sales),
                        returns=Decimal(shift.returns),
                        net=Decimal(shift.net),
                        report=dict(shift.report),
                        opened_at=shift.opened_at,
                        closed_at=shift.closed_at,
                        received_at=now,
                    )
                )
                session.flush()
        except IntegrityError:
            earlier = _shift(session, device.store_id, shift.shift_id)
            if earlier is None:
                raise
    if earlier is not None:
        return _again(
            DuplicateReason.SHIFT_ALREADY_RECEIVED,
            f"payload.shift_id: the business day {earlier.business_day} of this till was"
            f" already received at {iso_time(earlier.received_at)}",
        )
    return Verdict.accepted()


def _again(reason: DuplicateReason, detail: str) -> Verdict:
    return Verdict(Outcome.DUPLICATE, reason, detail)


def _refund(session: Session, store_id: str, refund_id: str) -> SaleRefund | None:
    return session.scalar(
        select(SaleRefund).where(SaleRefund.store_id == store_id, SaleRefund.refund_id == refund_id)
    )


def _shift(session: Session, store_id: str, shift_id: str) -> ShiftClosing | None:
    return session.scalar(
        select(ShiftClosing).where(
            ShiftClosing.store_id == store_id, ShiftClosing.shift_id == shift_id
        )
    )


def _release(
    session: Session, code: str, refund: TicketRefunded, device: DeviceIdentity, now: datetime
) -> None:
    """Drop the sale's claim of a single-use ``code``; an entitlement is active again."""
    claim = session.get(RedeemedCode, code)
    if claim is None or claim.ticket_id != refund.refund_of or claim.store_id != device.store_id:
        return  # another sale holds it (or none): nothing of this sale to give back
    session.delete(claim)
    session.flush()
    if claim.source != "entitlement":
        return
    lock_change_log(session)
    record = find_record(session, "entitlement", code, fresh=True)
    if record is None or record.deleted or record.data.get("status") != "redeemed":
        return
    put_record(
        session,
        "entitlement",
        code,
        {**record.data, "status": "active"},
        store_id=record.store_id,
        now=now,
        actor=f"device:{device.device_id}",
    )
