"""The till's pack supplies from the back office (COUPON-PACK-RULES K13, K15), beside the
change log: quotas and code blocks fetched at every sync after the download
(:class:`PackSupplier`), and online reservations for a sale (:class:`OnlinePackDesk`)."""

from __future__ import annotations

import logging

from pos_app.protocol.pack_supplies import Reservation, ReservationRequest
from pos_app.store.sync_store import SyncStore
from pos_app.sync.client import BackOfficeClient
from pos_app.sync.errors import MalformedReply, SyncError

log = logging.getLogger(__name__)

# An online reservation is asked while the cashier waits: a short wait, then offline.
RESERVATION_TIMEOUT = (1.0, 2.0)


class PackSupplier:
    """Fetches the till's quotas of limited packs and, when it runs low on codes, a new
    block, and stores them. One sync thread at a time."""

    def __init__(self, store: SyncStore, client: BackOfficeClient) -> None:
        self._store = store
        self._client = client

    def refresh(self) -> None:
        """Ask and store; a reply that is not the protocol's is a BackOfficeUnavailable."""
        self._store.apply_pack_supplies(self._client.pack_supplies(self._store.pack_codes_left()))


class OnlinePackDesk:
    """The till's :class:`~pos_app.till.pack_sales.PackDesk` over HTTP: the back office's
    answer to a reservation, or None when it cannot be reached or answers nonsense (the
    till then sells from its own quota). Owns its client (and closes it)."""

    def __init__(self, client: BackOfficeClient) -> None:
        self._client = client

    def reserve(self, request: ReservationRequest) -> Reservation | None:
        try:
            return self._client.reserve_pack(request)
        except MalformedReply:
            log.warning("pack reservation: the back office's reply is not a reservation")
            return None
        except SyncError as exc:
            log.info("pack reservation: no answer (%s)", exc)
            return None

    def close(self) -> None:
        self._client.close()
