"""What each event type does once it passed its checks: one handler per type (S3-S6,
K12-K15), in one table.

:data:`HANDLERS` maps an event type to the handler of a run of its events (consecutive
events of that type in an upload, distinct keys). ``ticket.closed``, the chain's hot
path, is stored set-based (:func:`~backoffice.sync.intake.sales.receive_sales`); every
other type one event at a time (:func:`~backoffice.sync.intake.per_event.one_by_one`)
through its function, which gets the payload its type's model parsed. A new event type
is one entry and one function.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from backoffice.models.intake import ReceivedEvent
from backoffice.sync.conflicts import resolve_conflict
from backoffice.sync.intake.pack_sales import (
    ACCEPTED_EXCEPTION,
    accept_held_sale,
    record_pack_refund,
    record_pack_sale,
)
from backoffice.sync.intake.per_event import RunHandler, one_by_one
from backoffice.sync.intake.sales import receive_sales
from backoffice.sync.intake.shifts import record_refund, record_shift
from backoffice.sync.intake.verdict import Verdict
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.events import EventType
from pos_app.protocol.payloads import ConflictResolved, PackRefunded


def _override_changed(
    _session: Session, _event: ReceivedEvent, _payload: Any, _device: DeviceIdentity, _now: datetime
) -> Verdict:
    return Verdict.accepted()  # the stored event is the audit record (R12)


def _conflict_resolved(
    session: Session,
    _event: ReceivedEvent,
    payload: ConflictResolved,
    device: DeviceIdentity,
    now: datetime,
) -> Verdict:
    resolve_conflict(session, payload, device, now)
    if payload.resolution == ACCEPTED_EXCEPTION:  # a pack sold past a limit stays sold (K14)
        accept_held_sale(session, payload.conflict_key, device, now)
    return Verdict.accepted()


def _pack_refunded(
    session: Session,
    event: ReceivedEvent,
    payload: PackRefunded,
    device: DeviceIdentity,
    now: datetime,
) -> Verdict:
    return record_pack_refund(session, event, payload, device, now)


HANDLERS: dict[str, RunHandler] = {
    EventType.TICKET_CLOSED: receive_sales,
    EventType.OVERRIDE_CHANGED: one_by_one(_override_changed),
    EventType.CONFLICT_RESOLVED: one_by_one(_conflict_resolved),
    EventType.TICKET_REFUNDED: one_by_one(record_refund),
    EventType.SHIFT_CLOSED: one_by_one(record_shift),
    EventType.PACK_SOLD: one_by_one(record_pack_sale),
    EventType.PACK_REFUNDED: one_by_one(_pack_refunded),
}
