"""Applying downloaded pages: one transaction with the cursor, tombstones, set-aside."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pos_app.store import changes
from pos_app.store.models.configuration import CatalogItem, CouponRecord, PromotionRecord
from pos_app.store.models.members import Entitlement, Member
from pos_app.store.models.staff import StaffMember
from pos_app.store.sync_store import SyncStore
from pos_app.store.unit_of_work import UnitOfWork
from tests.store.conftest import NOW


def record(kind: str, record_id: str, data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "version": 1, "id": record_id, "deleted": False, "data": data, **extra}


def item(sku: str, price: str = "3.00") -> dict[str, Any]:
    return record("item", sku, {"sku": sku, "name": sku.title(), "price": price, "category": "c"})


def tombstone(kind: str, record_id: str) -> dict[str, Any]:
    return {"kind": kind, "version": 1, "id": record_id, "deleted": True, "data": {}}


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> SyncStore:
    return SyncStore(sessions, lambda: NOW)


def skus(sessions: sessionmaker[Session]) -> list[str]:
    with UnitOfWork(sessions) as uow:
        return list(uow.session.scalars(select(CatalogItem.sku).order_by(CatalogItem.sku)))


def test_a_page_and_its_cursor_are_applied_together(
    store: SyncStore, sessions: sessionmaker[Session]
) -> None:
    """S8: after a page, its records and its cursor are both there."""
    assert store.download_cursor() is None
    outcome = store.apply_changes_page([item("COLA"), item("TEA")], "41")
    assert (outcome.applied, outcome.deleted, outcome.set_aside) == (2, 0, ())
    assert store.download_cursor() == "41"
    assert skus(sessions) == ["COLA", "TEA"]


def test_a_page_that_fails_half_way_leaves_neither_records_nor_cursor(
    store: SyncStore,
    sessions: sessionmaker[Session],
    snapshot: Callable[[], object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """S8: a crash mid-page applies nothing of it, and the old cursor stays."""
    store.apply_changes_page([item("COLA")], "1")
    before = snapshot()

    def crash(session: Session, record_id: str, data: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setitem(changes._APPLIERS, "member", crash)
    page = [item("TEA"), record("member", "M-1", {"id": "M-1", "name": "Ada"}), item("LATTE")]
    with pytest.raises(RuntimeError, match="power cut"):
        store.apply_changes_page(page, "2")
    assert snapshot() == before
    assert store.download_cursor() == "1"
    assert skus(sessions) == ["COLA"]


def test_applying_the_same_page_twice_changes_nothing_more(
    store: SyncStore, snapshot: Callable[[], object]
) -> None:
    """S8: records are upserts by id, so a replayed page is harmless."""
    page = [item("COLA"), item("COLA", "3.50")]
    store.apply_changes_page(page, "7")
    once = snapshot()
    store.apply_changes_page(page, "7")
    assert snapshot() == once


def test_a_later_record_updates_the_same_id(
    store: SyncStore, sessions: sessionmaker[Session]
) -> None:
    """S7: records come in change order; the latest version of an id wins."""
    store.apply_changes_page([item("COLA", "3.00")], "1")
    store.apply_changes_page([item("COLA", "3.25")], "2")
    with UnitOfWork(sessions) as uow:
        assert str(uow.session.get(CatalogItem, "COLA").price) == "3.25"  # type: ignore[union-attr]


def test_tombstones_delete_each_kind(store: SyncStore, sessions: sessionmaker[Session]) -> None:
    """S7: a deleted (or archived) record is removed from the till."""
    store.apply_changes_page(
        [
            item("COLA"),
            record(
                "promotion",
                "P1",
                {
                    "id": "P1",
                    "type": "percent_off",
                    "sequence": 1,
                    "auto_execute": True,
                    "percent": "10",
                },
            ),
            record(
                "coupon",
                "CV",
                {"code": "CV", "kind": "cash_voucher", "sequence": 1, "face_value": "2.00"},
            ),
            record("member", "M-1", {"id": "M-1", "name": "Ada", "phone": "1"}),
            record(
                "entitlement",
                "E-1",
                {"code": "E-1", "member_id": "M-1", "coupon_code": "CV", "status": "active"},
            ),
        ],
        "1",
    )
    outcome = store.apply_changes_page(
        [
            tombstone("item", "COLA"),
            tombstone("promotion", "P1"),
            tombstone("coupon", "CV"),
            tombstone("member", "M-1"),
            tombstone("entitlement", "E-1"),
            tombstone("item", "NEVER-SEEN"),
        ],
        "2",
    )
    assert outcome.deleted == 6
    with UnitOfWork(sessions) as uow:
        for model in (CatalogItem, PromotionRecord, CouponRecord, Member, Entitlement):
            assert list(uow.session.scalars(select(model))) == []


def test_unknown_kinds_and_versions_are_kept_aside_and_the_page_still_applies(
    store: SyncStore, sessions: sessionmaker[Session]
) -> None:
    """S9: an unknown kind or version is kept aside and reported; sync goes on."""
    page = [
        item("COLA"),
        record("coupon_pack", "PACK-1", {"id": "PACK-1"}),
        {**item("TEA"), "version": 2},
        item("LATTE"),
    ]
    outcome = store.apply_changes_page(page, "9")
    assert outcome.applied == 2
    assert [(s.kind, s.version, s.record_id) for s in outcome.set_aside] == [
        ("coupon_pack", "1", "PACK-1"),
        ("item", "2", "TEA"),
    ]
    assert skus(sessions) == ["COLA", "LATTE"]
    assert store.download_cursor() == "9"
    reported = store.set_aside_records(unreported_only=True)
    assert [r.record_id for r in reported] == ["PACK-1", "TEA"]
    assert "unknown kind" in reported[0].reason and "unknown version" in reported[1].reason
    store.mark_set_aside_reported([r.id for r in reported])
    assert store.set_aside_records(unreported_only=True) == []
    assert len(store.set_aside_records()) == 2


def test_a_definition_the_engine_cannot_read_is_kept_aside_not_half_applied(
    store: SyncStore, sessions: sessionmaker[Session]
) -> None:
    """S9: a malformed promotion or item is kept aside with the field at fault."""
    page = [
        record(
            "promotion",
            "P9",
            {"id": "P9", "type": "percent_off", "sequence": 1, "auto_execute": True},
        ),
        record("item", "X", {"sku": "X", "name": "X", "price": 3.5}),
        record("item", "Y", {"sku": "Z", "name": "Y", "price": "1.00"}),
        "not a record",
    ]
    outcome = store.apply_changes_page(page, "3")
    assert outcome.applied == 0
    reasons = [s.reason for s in outcome.set_aside]
    assert "data.percent" in reasons[0]
    assert "data.price" in reasons[1]
    assert "differs from the record's id" in reasons[2]
    assert "must be an object" in reasons[3]
    assert skus(sessions) == []
    assert store.download_cursor() == "3"


def test_a_page_without_cursor_leaves_the_cursor_alone(store: SyncStore) -> None:
    """S7: only the back office's cursor moves the cursor (a local load does not)."""
    store.apply_changes_page([item("COLA")], "5")
    store.apply_changes_page([item("TEA")], None)
    assert store.download_cursor() == "5"


def test_the_last_record_of_an_id_in_a_page_decides(
    store: SyncStore, sessions: sessionmaker[Session]
) -> None:
    """S7: records are applied in change order within a page too: written then deleted
    is gone, deleted then written is there, written twice keeps the later version."""
    store.apply_changes_page([item("OLD")], "1")
    outcome = store.apply_changes_page(
        [
            item("COLA", "1.00"),
            tombstone("item", "COLA"),
            tombstone("item", "OLD"),
            item("OLD", "9.00"),
            item("TEA", "2.00"),
            item("TEA", "2.50"),
        ],
        "2",
    )
    assert (outcome.applied, outcome.deleted) == (4, 2)
    with UnitOfWork(sessions) as uow:
        prices = {row.sku: str(row.price) for row in uow.session.scalars(select(CatalogItem))}
    assert prices == {"OLD": "9.00", "TEA": "2.50"}


def test_a_snapshot_keeps_the_people_added_at_this_till(
    store: SyncStore, sessions: sessionmaker[Session]
) -> None:
    """A snapshot's end removes the back office's people it did not send, never the ones
    a manager added at this till (they are the till's own: a sweep once took the first
    manager away, and no one could sign in)."""
    pin_hash = "scrypt$16384$8$1$00$00"
    synced = {"id": "S-OLD", "name": "Old", "role": "cashier", "pin_hash": pin_hash}
    store.apply_changes_page([record("staff", "S-OLD", synced)], "c1")
    with UnitOfWork(sessions) as uow:
        uow.session.add(
            StaffMember(
                staff_id="local:Grace",
                name="Grace",
                role="manager",
                pin_hash=pin_hash,
                source="local",
                failed_pins=0,
            )
        )
        uow.commit()
    store.apply_changes_page(
        [item("TEA")], "c2", snapshot_start=True, snapshot=True, snapshot_complete=True
    )
    with UnitOfWork(sessions) as uow:
        people = uow.session.scalars(select(StaffMember.staff_id)).all()
    assert people == ["local:Grace"]
    assert skus(sessions) == ["TEA"]
