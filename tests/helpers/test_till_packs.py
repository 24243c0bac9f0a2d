"""The till-packs helper stocks a till the way a download and pack-supplies would."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from pos_app.engine import PackOffer
from pos_app.store.pack_ledger import codes_left, pack_terms, units_left
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.runtime import TillRuntime
from pos_app.wiring import open_till
from tests.helpers.device_clock import FakeClock
from tests.helpers.till_packs import TEA_PACK_ID, pack_data, stock_till


@pytest.fixture
def runtime(data_dir: Path, clock: FakeClock) -> Iterator[TillRuntime]:
    opened = open_till(data_dir, clock=clock)
    yield opened
    opened.close()


def test_stock_till_applies_packs_quota_and_blocks(runtime: TillRuntime) -> None:
    """Helper: the pack records, the granted units and the code blocks reach the till."""
    stock_till(runtime, pack_data(inventory=9), granted={TEA_PACK_ID: 4}, blocks=(3, 4))
    offer = PackOffer(TEA_PACK_ID, "Tea lover's pack", Decimal("10.00"))
    assert runtime.till.book.packs == {TEA_PACK_ID: offer}
    with UnitOfWork(runtime.database.sessions) as uow:
        assert pack_terms(uow.session)[TEA_PACK_ID].inventory == 9
        assert units_left(uow.session, TEA_PACK_ID) == 4
        assert codes_left(uow.session) == 2000
