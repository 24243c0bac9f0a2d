"""A till's pack supplies over HTTP (COUPON-PACK-RULES K13, K15), beside sync: its quota
of each limited pack and its blocks of coupon codes (``POST /api/v1/till/pack-supplies``,
at every sync after the download), and one unit reserved for a sale while online
(``POST /api/v1/till/pack-reservations``). Both need the till's device token."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import APIRouter
from sqlalchemy.exc import IntegrityError

from backoffice.http.bearer import DeviceDep
from backoffice.http.services import ServicesDep
from backoffice.sync.pack_supplies import pack_supplies, reserve_for_sale
from pos_app.protocol.pack_supplies import (
    PackSupplies,
    PackSuppliesRequest,
    Reservation,
    ReservationRequest,
)

router = APIRouter(prefix="/api/v1/till", tags=["till packs"])
T = TypeVar("T")


def _twice_on_race(attempt: Callable[[], T]) -> T:
    """Once more when a concurrent request of the same till created the same row first
    (the second attempt finds it)."""
    try:
        return attempt()
    except IntegrityError:
        return attempt()


@router.post("/pack-supplies")
def supplies(body: PackSuppliesRequest, device: DeviceDep, services: ServicesDep) -> PackSupplies:
    """Top up the till's quota of every limited pack it sells with an order (K13) and,
    when it has fewer codes left than the low mark, reserve it a new block (K15)."""

    def attempt() -> PackSupplies:
        with services.database.sessions.begin() as session:
            return pack_supplies(session, device, body, services.clock())

    return _twice_on_race(attempt)


@router.post("/pack-reservations")
def reserve(body: ReservationRequest, device: DeviceDep, services: ServicesDep) -> Reservation:
    """One unit for a sale at the till, online (K13), after the back office's checks of
    the sale and the member's limits (K12); ``refused`` says which failed."""

    def attempt() -> Reservation:
        with services.database.sessions.begin() as session:
            return reserve_for_sale(session, device, body, services.clock())

    return _twice_on_race(attempt)
