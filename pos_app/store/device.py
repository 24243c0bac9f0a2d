"""This till's identity: its device id and store (S12, S13)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.store.database import Transaction
from pos_app.store.models.configuration import StoreInfo
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


def continue_numbers(session: Session, last_ticket_number: int, last_z_number: int) -> None:
    """Make the till's sequences go on after the given numbers (never back)."""
    device = get_device(session)
    if device is None:
        raise LookupError("the till has no device row; start it once first")
    device.last_ticket_number = max(device.last_ticket_number, last_ticket_number)
    device.last_z_number = max(device.last_z_number, last_z_number)
    session.flush()


@dataclass(frozen=True)
class StoreDetails:
    """The till's store as receipts and reports name it (``name`` None when the till
    knows no store record for it)."""

    store_id: str
    name: str | None
    address_lines: tuple[str, ...]


class DeviceRepository:
    """This till's identity and its store, read in one unit of work."""

    def __init__(self, transaction: Transaction) -> None:
        self._session = transaction.session

    def till_number(self) -> int:
        """The till's number in its store (1 before enrollment gives one)."""
        device = get_device(self._session)
        return device.till_number if device is not None else 1

    def store(self) -> StoreDetails:
        """The device's store, or the only store the till knows when the device names
        none."""
        device = get_device(self._session)
        store = None
        if device is not None and device.store_id:
            store = self._session.get(StoreInfo, device.store_id)
        if store is None:
            stores = list(self._session.scalars(select(StoreInfo).limit(2)))
            store = stores[0] if len(stores) == 1 else None
        if store is None:
            return StoreDetails((device.store_id or "") if device else "", None, ())
        lines = tuple(part.strip() for part in store.address.split("\n") if part.strip())
        return StoreDetails(store.store_id, store.name, lines)

    def store_name(self, store_id: str | None) -> str:
        store = self._session.get(StoreInfo, store_id) if store_id else None
        return store.name if store is not None else ""
