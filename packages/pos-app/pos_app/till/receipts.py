"""The receipt of a sale the till closed: the store's header from the synced store
record, the closed ticket's lines, coupons and payments (pure; printing is elsewhere)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pos_app.printing import Receipt, StoreHeader
from pos_app.store.device import get_device
from pos_app.store.models.configuration import StoreInfo
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.till import TicketChange

DEFAULT_FOOTER = "Thank you for your visit!"


def store_header(sessions: sessionmaker[Session]) -> StoreHeader:
    """The till's store as a receipt names it (name, address lines, id)."""
    with UnitOfWork(sessions) as uow:
        session = uow.session
        device = get_device(session)
        store = session.get(StoreInfo, device.store_id) if device and device.store_id else None
        if store is None:
            stores = list(session.scalars(select(StoreInfo).limit(2)))
            store = stores[0] if len(stores) == 1 else None
        if store is None:
            return StoreHeader("Till", (), (device.store_id or "") if device else "")
        lines = tuple(part.strip() for part in store.address.split("\n") if part.strip())
        return StoreHeader(store.name, lines, store.store_id)


def sale_receipt(
    change: TicketChange,
    *,
    store: StoreHeader,
    device_id: str,
    closed_at: datetime,
    footer: str = DEFAULT_FOOTER,
) -> Receipt:
    """The receipt of the sale ``change`` reports (the result of ``Till.close``)."""
    if change.closed_ticket_id is None:
        raise ValueError("a receipt is printed for a closed ticket only")
    return Receipt.from_ticket(
        change.priced,
        ticket_id=change.closed_ticket_id,
        store=store,
        device_id=device_id,
        closed_at=closed_at,
        payments=change.payments,
        footer=footer,
    )
