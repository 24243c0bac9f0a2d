"""The till against a real back office at chain scale (S15-S17): a bootstrap that
removes what the back office dropped while the till was away, statuses that tell a
server error and a revoked device from being offline, a rotated token, and an item
at the edge of every bound sold and received."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from backoffice.models.trust import Device
from backoffice.sync.change_feed import compact
from backoffice.trust.device_tokens import revoke_device
from pos_app.engine import AddItem, Close
from pos_app.store.models.configuration import CatalogItem
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.sync.daemon import SyncDaemon
from pos_app.sync.enrollment import load_settings
from pos_app.till.commands import PayCash
from tests.e2e.conftest import EnrollTill
from tests.helpers.fault_proxy import Fault, FaultProxy
from tests.helpers.live_backoffice import LiveBackOffice

pytestmark = pytest.mark.slow


def _catalog(till_runtime: object) -> set[str]:
    sessions = till_runtime.database.sessions  # type: ignore[attr-defined]
    with UnitOfWork(sessions) as uow:
        return set(uow.session.scalars(select(CatalogItem.sku)))


def test_a_till_older_than_the_retention_window_starts_again_from_a_snapshot(
    backoffice: LiveBackOffice, enroll: EnrollTill
) -> None:
    """S16: a till away past the window gets 410, downloads a snapshot again, and ends
    with exactly the back office's records: what was deleted meanwhile is removed."""
    till = enroll("till-away")
    till.sync()
    assert "COLA" in _catalog(till.runtime)
    backoffice.admin("DELETE", "/items/COLA")
    for price in ("4.00", "4.50", "5.00"):
        backoffice.put_record(
            "items", "SHAKE", {"sku": "SHAKE", "name": "Shake", "price": price, "category": "drink"}
        )
    with backoffice.database() as database:
        later = datetime.now(UTC) + timedelta(days=31)
        assert compact(database.sessions, later, timedelta(days=30)).dropped >= 3
    status = till.sync()
    assert status.online
    catalog = _catalog(till.runtime)
    assert "COLA" not in catalog and "SHAKE" in catalog
    assert till.sync_run().pull_changes()[0] == 0  # current, from the log again


def test_status_tells_a_server_error_and_a_revoked_device_from_offline(
    backoffice: LiveBackOffice, proxy: FaultProxy, enroll: EnrollTill
) -> None:
    """S17: a back office answering 500 is "server error", one refusing the revoked
    device is "device revoked", one not answering is "offline"; events stay queued."""
    till = enroll("till-status", url=proxy.url)
    till.sync()
    till.runtime.till.reload_configuration()
    till.sell([("BURGER", 1)])
    daemon = SyncDaemon(till.sync_run())
    proxy.set_fault(Fault.SERVER_ERROR)
    assert daemon.run_once().state == "server error"
    proxy.set_fault(Fault.REFUSE)
    assert daemon.run_once().state == "offline"
    proxy.heal()
    with backoffice.database() as database, database.sessions.begin() as session:
        device_id = session.scalars(select(Device.device_id)).first()
        assert device_id is not None
        revoke_device(session, device_id, datetime.now(UTC))
    status = daemon.run_once()
    assert status.state == "device revoked: enroll again"
    assert status.pending_events == 1
    assert "device revoked" in status.summary()


def test_a_rotated_token_is_kept_and_used(backoffice: LiveBackOffice, enroll: EnrollTill) -> None:
    """S17: when the back office rotates the device token at a sync, the till saves the
    new one before using it, and syncs on with it."""
    till = enroll("till-rotate")
    first = load_settings(till.data_dir).token
    with backoffice.database() as database, database.sessions.begin() as session:
        device = session.scalars(select(Device)).one()
        device.token_issued_at = datetime.now(UTC) - timedelta(days=40)
    assert till.sync().online
    rotated = load_settings(till.data_dir).token
    assert rotated != first
    assert till.sync().online
    with backoffice.database() as database, database.sessions.begin() as session:
        assert session.scalars(select(Device)).one().next_token_hash is None


def test_an_item_at_every_bound_is_sold_and_received(
    backoffice: LiveBackOffice, enroll: EnrollTill
) -> None:
    """S15: an item the admin API accepts (the longest id and name, the highest price)
    can be sold at a till and arrives at the back office; so does the highest quantity."""
    sku = "S" * 128
    name = "Ä" * 256
    backoffice.put_record(
        "items",
        sku,
        {"sku": sku, "name": name, "price": "999999999999.99", "category": "edge"},
    )
    till = enroll("till-edge")
    till.sync()
    till.runtime.till.reload_configuration()
    register = till.runtime.till
    for line in (AddItem("L1", sku, 1), AddItem("L1", "COLA", 9_999)):
        register.handle(line)
        register.handle(PayCash(str(register.amount_due)))
        assert register.handle(Close()).closed_ticket_id is not None
    status = till.sync()
    assert status.pending_events == 0 and status.failed_events == 0
    ((edge,), (many,)) = [sale["lines"] for sale in backoffice.sales()]
    assert (edge["sku"], edge["name"], edge["unit_price"]) == (sku, name, "999999999999.99")
    assert (many["sku"], many["qty"]) == ("COLA", 9_999)
