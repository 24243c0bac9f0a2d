"""Coupon codes of packs sold at many tills never collide (COUPON-PACK-RULES K15): 20
tills, each with its own database, sell 500 packs of three coupons; their blocks come
from the back office's own reservation code over its database, topped up as the tills
run low, and every code is taken the way closing a ticket takes it."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from backoffice.database import Database
from backoffice.models.pack_sales import PackCodeBlock
from backoffice.sync.pack_supplies import pack_supplies
from backoffice.trust.device_tokens import DeviceIdentity
from backoffice.trust.enrollment import enroll_device, issue_enrollment_code
from pos_app.protocol.pack_codes import parse_block_code
from pos_app.protocol.pack_supplies import PackSuppliesRequest
from pos_app.store.pack_ledger import take_codes
from pos_app.wiring import open_till
from tests.helpers.live_backoffice import prepare_database

TILLS = 20
SALES = 500
COUPONS_PER_PACK = 3
SALES_PER_SYNC = 50
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_codes_from_20_tills_and_500_sales_each_never_collide(tmp_path: Path) -> None:
    """K15: 20 tills x 500 sales x 3 coupons: 30,000 codes, all different, each from a
    block the back office reserved for the till that issued it."""
    office = Database(prepare_database(tmp_path / "backoffice.sqlite3"))
    template = tmp_path / "template"
    open_till(template).close()  # one migrated demo till, copied for each till
    issued: dict[str, list[str]] = {}
    try:
        devices = []
        for n in range(TILLS):
            with office.sessions.begin() as session:
                code = issue_enrollment_code(session, "DEMO-1", NOW)
                enrolled = enroll_device(session, code, f"till-{n}", NOW)
            devices.append(DeviceIdentity(enrolled.device_id, "DEMO-1", f"till-{n}"))
        for device in devices:
            data_dir = tmp_path / device.name
            shutil.copytree(template, data_dir)
            runtime = open_till(data_dir)
            codes: list[str] = []
            try:
                for _ in range(SALES // SALES_PER_SYNC):
                    request = PackSuppliesRequest(codes_left=runtime.sync_store.pack_codes_left())
                    with office.sessions.begin() as session:
                        supplies = pack_supplies(session, device, request, NOW)
                    runtime.sync_store.apply_pack_supplies(supplies)
                    with runtime.database.unit_of_work() as uow:
                        for _ in range(SALES_PER_SYNC):
                            codes += take_codes(uow.connection, COUPONS_PER_PACK)
                        uow.commit()
            finally:
                runtime.close()
            issued[device.device_id] = codes
        with office.sessions.begin() as session:
            owner = {b.id: b.device_id for b in session.scalars(select(PackCodeBlock))}
    finally:
        office.dispose()

    every = [code for codes in issued.values() for code in codes]
    assert len(every) == TILLS * SALES * COUPONS_PER_PACK
    repeated = [code for code, n in Counter(every).items() if n > 1]
    assert repeated == []
    for device_id, codes in issued.items():
        for code in codes:
            parsed = parse_block_code(code)
            assert parsed is not None and owner[parsed[0]] == device_id
    assert len(owner) == TILLS * 2  # 1,500 codes each: two blocks of 1,000
