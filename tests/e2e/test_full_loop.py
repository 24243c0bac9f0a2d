"""The whole loop over real HTTP: an admin change comes down, a sale made offline goes up
once the network returns, and both sides hold the same sale (S7, S1, S3)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from pos_app.store.models.members import Entitlement
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.sync.errors import BackOfficeUnavailable
from tests.e2e.conftest import EnrollTill
from tests.e2e.tills import assert_same_sales, backoffice_sales, run_command
from tests.helpers.fault_proxy import Fault, FaultProxy
from tests.helpers.live_backoffice import LiveBackOffice

pytestmark = pytest.mark.slow  # starts servers or processes

COLA_HALF = {
    "id": "COLA-HALF",
    "name": "Cola half price",
    "type": "percent_off",
    "sequence": 9,
    "auto_execute": True,
    "percent": "50",
    "items": ["COLA"],
}
BURGER = {"sku": "BURGER", "name": "Classic burger", "price": "12.50", "category": "mains"}
ENTITLEMENT = {
    "code": "ENT-LOOP-1",
    "member_id": "M-1001",
    "coupon_code": "MV-4",
    "status": "active",
}


def test_admin_change_offline_sale_and_resync_arrive_exactly_once(
    backoffice: LiveBackOffice, proxy: FaultProxy, enroll: EnrollTill
) -> None:
    """S7/S1/S3: admin change down, offline sale queued, up once online, same breakdown."""
    till = enroll("till-1", url=proxy.url)
    assert till.sync().online
    assert "COLA-HALF" not in till.runtime.till.book.promotions

    backoffice.put_record("promotions", "COLA-HALF", COLA_HALF)
    backoffice.put_record("items", "BURGER", BURGER)
    backoffice.put_record("entitlements", "ENT-LOOP-1", ENTITLEMENT)
    status = till.sync()
    assert status.online and status.pending_events == 0
    book = till.runtime.till.book
    assert book.promotions["COLA-HALF"].sequence == 9
    assert book.items["BURGER"].price == Decimal("12.50")
    assert "ENT-LOOP-1" in book.coupons

    proxy.set_fault(Fault.REFUSE)  # the network goes away
    closed = till.sell([("COLA", 1), ("BURGER", 1)], coupons=["ENT-LOOP-1"])
    sources = {a.source for line in closed.priced.lines for a in line.adjustments}
    assert {"COLA-HALF", "ENT-LOOP-1"} <= sources
    assert closed.priced.lines[1].unit_price == Decimal("12.50")

    with pytest.raises(BackOfficeUnavailable):
        till.sync()
    code, report = till.sync_cli()
    assert code == 1
    assert (report["complete"], report["online"], report["pending_events"]) == (False, False, 1)
    assert till.outbox_statuses() == {"pending": 1}
    assert backoffice.sales() == []

    proxy.heal()  # the network is back
    code, report = till.sync_cli()
    assert code == 0, report
    assert (report["complete"], report["uploaded"], report["pending_events"]) == (True, 1, 0)
    assert till.outbox_statuses() == {"accepted": 1}

    listed = run_command(
        "pos-backoffice", "sales", "--json", "--database-url", backoffice.database_url
    )
    assert listed.returncode == 0, listed.stderr
    office_sales = backoffice_sales(json.loads(listed.stdout))
    assert [sale.ticket_id for sale in office_sales] == [closed.closed_ticket_id]
    assert_same_sales(till.closed_sales(), office_sales)
    assert office_sales[0].total == closed.priced.total

    # The redemption came back down: the entitlement is spent on the till as well.
    with UnitOfWork(till.runtime.database.sessions) as uow:
        entitlement = uow.session.get(Entitlement, "ENT-LOOP-1")
        assert entitlement is not None and entitlement.status == "redeemed"
    till.runtime.till.reload_configuration()
    assert "ENT-LOOP-1" not in till.runtime.till.book.coupons
