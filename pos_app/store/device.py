"""This till's identity: its device id and store (S12, S13)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from pos_app.store.models.device import Device


def get_device(session: Session) -> Device | None:
    return session.get(Device, 1)


def create_device(session: Session, now: datetime, store_id: str | None = None) -> Device:
    """Give a new till its device row: a local device id until enrollment names one."""
    device = Device(
        id=1, device_id=str(uuid.uuid4()), store_id=store_id, last_seq=0, created_at=now
    )
    session.add(device)
    session.flush()
    return device


def set_enrollment(
    session: Session, device_id: str, store_id: str, till_number: int | None = None
) -> Device:
    """Record the device id, store and till number the back office gave at enrollment
    (S12); no number keeps the one the till has. Events already queued keep the ids
    they were made with."""
    device = get_device(session)
    if device is None:
        raise LookupError("the till has no device row; start it once before enrolling")
    device.device_id = device_id
    device.store_id = store_id
    if till_number is not None:
        device.till_number = till_number
    session.flush()
    return device
