"""Member lookup by phone: matching rules and the member's entitlements (with their packs)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from pos_app.store.changes import apply_records
from pos_app.store.member_directory import members_by_phone, redeemed_here
from pos_app.store.store_document import store_document_records
from pos_app.store.unit_of_work import UnitOfWork

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("query", "phone", "matches"),
    [
        ("+1 555 010 0001", "+15550100001", True),
        ("5550100001", "+15550100001", True),
        ("0100001", "+15550100001", True),  # 7 digits: the end of the number
        ("00001", "+15550100001", False),  # too short to be the end of a number
        ("", "+15550100001", False),
        ("5550100002", "+15550100001", False),
    ],
)
def test_phone_matching(
    sessions: sessionmaker[Session], query: str, phone: str, matches: bool
) -> None:
    """Digits only; the whole number, or its last 7 digits or more: found by keyed digest
    (issue 18 item 5), the number itself never stored, shown masked."""
    with UnitOfWork(sessions) as uow:
        document = {"members": [{"id": "M-1", "name": "Ada", "phone": phone}]}
        apply_records(uow.session, store_document_records(document), NOW)
        uow.commit()
    with UnitOfWork(sessions) as uow:
        found = members_by_phone(uow.session, query)
        assert [m.member_id for m in found] == (["M-1"] if matches else [])
        assert [m.phone for m in found] == (["•••• 0001"] if matches else [])
        stored = uow.session.execute(text("SELECT * FROM members")).mappings().one()
    assert "phone" not in stored and "5550100001" not in str(dict(stored))


def test_members_come_with_their_entitlements(sessions: sessionmaker[Session]) -> None:
    """A member found by phone carries their entitlements, in code order, each with the
    pack that issued it (None for a coupon not from a pack)."""
    document = {
        "members": [
            {"id": "M-1", "name": "Ada", "phone": "+1 555 0100001"},
            {"id": "M-2", "name": "Grace", "phone": "+1 555 0100002"},
        ],
        "entitlements": [
            {"code": "E-2", "member_id": "M-1", "coupon_code": "MV-4", "status": "active"},
            {"code": "E-1", "member_id": "M-1", "coupon_code": "MV-4", "status": "redeemed"},
            {"code": "E-3", "member_id": "M-2", "coupon_code": "MV-4", "status": "active"},
            {
                "code": "PK-1",
                "member_id": "M-1",
                "coupon_code": "MV-4",
                "status": "issued",
                "pack_id": "7",
                "pack_name": "Welcome pack",
            },
        ],
    }
    with UnitOfWork(sessions) as uow:
        apply_records(uow.session, store_document_records(document), NOW)
        uow.commit()
    with UnitOfWork(sessions) as uow:
        (record,) = members_by_phone(uow.session, "5550100001")
        assert (record.member_id, record.name) == ("M-1", "Ada")
        assert [e.code for e in record.entitlements] == ["E-1", "E-2", "PK-1"]
        packs = [(e.pack_id, e.pack_name) for e in record.entitlements]
        assert packs == [(None, None), (None, None), ("7", "Welcome pack")]
        assert members_by_phone(uow.session, "nothing") == []
        assert redeemed_here(uow.session, ["E-1"]) == {}


def test_an_entitlement_keeps_its_pack_until_a_later_record_drops_it(
    sessions: sessionmaker[Session],
) -> None:
    """The pack is part of the record: a newer record of the same code replaces it; a
    pack field that is not a string keeps the record aside (S9)."""
    member = {"id": "M-1", "name": "Ada", "phone": "5550100001"}
    packed = {
        "code": "PK-1",
        "member_id": "M-1",
        "coupon_code": "MV-4",
        "status": "issued",
        "pack_id": "7",
        "pack_name": "Welcome pack",
    }
    plain = {key: value for key, value in packed.items() if not key.startswith("pack_")}
    with UnitOfWork(sessions) as uow:
        apply_records(
            uow.session,
            store_document_records({"members": [member], "entitlements": [packed]}),
            NOW,
        )
        uow.commit()
    with UnitOfWork(sessions) as uow:
        (entitlement,) = members_by_phone(uow.session, "5550100001")[0].entitlements
        assert (entitlement.pack_id, entitlement.pack_name) == ("7", "Welcome pack")
        outcome = apply_records(
            uow.session,
            store_document_records(
                {"entitlements": [plain, {**packed, "code": "PK-2", "pack_id": 7}]}
            ),
            NOW,
        )
        uow.commit()
    assert [s.record_id for s in outcome.set_aside] == ["PK-2"]
    assert "pack_id" in outcome.set_aside[0].reason
    with UnitOfWork(sessions) as uow:
        (entitlement,) = members_by_phone(uow.session, "5550100001")[0].entitlements
        assert (entitlement.code, entitlement.pack_id, entitlement.pack_name) == (
            "PK-1",
            None,
            None,
        )
