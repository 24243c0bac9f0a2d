"""A bad network between till and back office (S3, S5, S8): refused connections, 5xx,
replies slower than the client waits, replies lost or cut after the back office
committed. Nothing is lost and nothing is counted twice."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

import pytest

from pos_app.sync.errors import BackOfficeUnavailable
from tests.e2e.conftest import EnrollTill
from tests.e2e.tills import assert_same_sales, backoffice_sales
from tests.helpers.fault_proxy import Exchange, Fault, FaultProxy
from tests.helpers.live_backoffice import LiveBackOffice

pytestmark = pytest.mark.slow  # starts servers or processes

PING = "/api/v1/ping"
EVENTS = "/api/v1/events"
CHANGES = "/api/v1/changes"

# (what breaks, fault, paths it hits, whether the back office still gets the upload)
FAULTS: list[tuple[str, Fault, tuple[str, ...], bool]] = [
    ("connection refused", Fault.REFUSE, (), False),
    ("500 on every request", Fault.SERVER_ERROR, (), False),
    ("500 on upload", Fault.SERVER_ERROR, (EVENTS,), False),
    ("probe slower than the timeout", Fault.SLOW_REPLY, (PING,), False),
    ("upload reply slower than the timeout", Fault.SLOW_REPLY, (EVENTS,), True),
    ("upload reply dropped after commit", Fault.DROP_REPLY, (EVENTS,), True),
    ("upload reply truncated", Fault.TRUNCATE_REPLY, (EVENTS,), True),
]
BASKETS = [
    [("BURGER", 1), ("FRIES", 1), ("COLA", 1)],
    [("SALAD", 2), ("LEMONADE", 1)],
    [("CAKE", 2), ("LATTE", 1), ("COOKIE", 1)],
    [("WRAP", 1), ("TEA", 3)],
]


def _answered(seen: list[Exchange], *, path: str, after: int) -> bool:
    """Whether the back office answered a request to ``path`` after the first ``after``."""
    return any(e.path == path and e.status == 200 for e in seen[after:])


def test_sales_survive_every_fault_and_arrive_exactly_once(
    backoffice: LiveBackOffice, proxy: FaultProxy, enroll: EnrollTill
) -> None:
    """S3/S5: sales made under every network fault stay queued, then arrive exactly once."""
    till = enroll("till-1", url=proxy.url)
    till.sync()
    sold = 0
    for n, (what, fault, paths, committed) in enumerate(FAULTS):
        for basket in (BASKETS[n % len(BASKETS)], BASKETS[(n + 1) % len(BASKETS)]):
            till.sell(basket, card=n % 2 == 1)
            sold += 1
        proxy.set_fault(fault, paths=paths)
        received_before = len(backoffice.sales())
        seen_before = len(proxy.exchanges)
        with pytest.raises(BackOfficeUnavailable):
            till.sync()
        proxy.heal()
        assert till.outbox_statuses()["pending"] == sold, what  # S5: all still queued
        if committed:  # the back office answered; the till never got the answer
            proxy.wait_for(partial(_answered, path=EVENTS, after=seen_before))
            assert len(backoffice.sales()) == sold, f"{what}: the back office committed"
        else:
            assert len(backoffice.sales()) == received_before, f"{what}: nothing arrived"

    status = till.sync()
    assert (status.online, status.pending_events, status.failed_events) == (True, 0, 0)
    # Every sale went up while a reply was lost, so each was acknowledged by a resend (S3).
    assert till.outbox_statuses() == {"duplicate": sold}
    assert_same_sales(till.closed_sales(), backoffice_sales(backoffice.sales()))
    assert len(till.closed_sales()) == sold


def test_download_faults_apply_each_page_once(
    backoffice: LiveBackOffice, proxy: FaultProxy, enroll: EnrollTill
) -> None:
    """S5/S8: a changes page lost or cut on the way is not applied; the next sync applies it."""
    till = enroll("till-1", url=proxy.url)
    till.sync()
    for n, fault in enumerate((Fault.DROP_REPLY, Fault.TRUNCATE_REPLY, Fault.SLOW_REPLY)):
        price = f"3.{n + 1}0"
        backoffice.put_record(
            "items", "COLA", {"sku": "COLA", "name": "Cola", "price": price, "category": "drinks"}
        )
        till.sell([("BURGER", 1)])
        cursor = till.runtime.sync_store.download_cursor()
        proxy.set_fault(fault, paths=(CHANGES,))
        with pytest.raises(BackOfficeUnavailable):
            till.sync()
        proxy.heal()
        assert till.outbox_statuses()["pending"] == 0  # the upload went through first
        assert till.runtime.sync_store.download_cursor() == cursor  # S8: nothing applied
        assert till.runtime.till.book.items["COLA"].price != Decimal(price)

        status = till.sync()
        assert status.online
        assert till.runtime.till.book.items["COLA"].price == Decimal(price)
        assert till.sync_run().pull_changes() == (0, 0, 1)  # current: nothing to apply again
    assert_same_sales(till.closed_sales(), backoffice_sales(backoffice.sales()))
