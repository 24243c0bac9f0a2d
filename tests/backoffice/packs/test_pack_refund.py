"""The one refund path (backoffice/packs/pack_refund.py; COUPON-PACK-RULES K4, K5, K14):
refunded once even when two people refund the same pack at the same moment, on SQLite
and PostgreSQL; the automatic refund cannot refund it a second time."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from backoffice.database import Database
from backoffice.models.packs import CouponPack, PackPurchase, PackRefund
from backoffice.packs.errors import PackStateError
from backoffice.packs.pack_refund import ALREADY_REFUNDED, refund_purchase
from backoffice.packs.refunds import REFUND_GRACE, settle_purchase
from tests.backoffice.conftest import AdminApi, MovableClock
from tests.backoffice.packs.conftest import paid_pack


def test_two_refunds_at_once_refund_once(
    api: AdminApi, database: Database, clock: MovableClock
) -> None:
    """K5 "once": two sessions refund the same purchase at once; one refunds, the other
    is told it was already refunded; one refund row, the unit given back once."""
    pack = api.create(paid_pack(inventory=3))
    api.buy(pack["id"], order_id="O-RACE")
    with database.sessions.begin() as session:
        purchase_id = session.scalar(select(PackPurchase.id))
    assert purchase_id is not None
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def refund(who: str) -> None:
        start.wait()
        try:
            with database.sessions.begin() as session:
                refund_purchase(session, purchase_id, note="asked", now=clock(), actor=who)
            outcomes.append("refunded")
        except PackStateError as refused:
            outcomes.append(refused.code)

    threads = [threading.Thread(target=refund, args=(f"admin:{n}",)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == sorted(["refunded", ALREADY_REFUNDED])
    with database.sessions.begin() as session:
        assert len(session.scalars(select(PackRefund)).all()) == 1
        assert session.get(CouponPack, pack["id"]).sold_count == 0  # type: ignore[union-attr]


def test_the_scheduler_skips_a_pack_refunded_by_hand(
    api: AdminApi, database: Database, clock: MovableClock
) -> None:
    """K5: a pack refunded by hand before it expired is not refunded again at expiry."""
    pack = api.create(paid_pack(auto_refund=True))
    api.buy(pack["id"], order_id="O-HAND")
    with database.sessions.begin() as session:
        purchase_id = session.scalar(select(PackPurchase.id))
        assert purchase_id is not None
        refund_purchase(session, purchase_id, note="asked", now=clock(), actor="admin:a")
    clock.advance(timedelta(days=30) + REFUND_GRACE)
    with database.sessions.begin() as session:
        decision = settle_purchase(
            session, purchase_id, now=clock(), grace=REFUND_GRACE, actor="scheduler"
        )
        assert decision.outcome == "skipped"
        assert len(session.scalars(select(PackRefund)).all()) == 1
