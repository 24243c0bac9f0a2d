"""Member lookup by phone: matching rules and the member's entitlements."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from pos_app.store.changes import apply_records
from pos_app.store.member_directory import members_by_phone, phone_matches, redeemed_here
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
def test_phone_matching(query: str, phone: str, matches: bool) -> None:
    """Digits only; the whole number, or its last 7 digits or more."""
    assert phone_matches(query, phone) is matches


def test_members_come_with_their_entitlements(sessions: sessionmaker[Session]) -> None:
    """A member found by phone carries their entitlements, in code order."""
    document = {
        "members": [
            {"id": "M-1", "name": "Ada", "phone": "+1 555 0100001"},
            {"id": "M-2", "name": "Grace", "phone": "+1 555 0100002"},
        ],
        "entitlements": [
            {"code": "E-2", "member_id": "M-1", "coupon_code": "MV-4", "status": "active"},
            {"code": "E-1", "member_id": "M-1", "coupon_code": "MV-4", "status": "redeemed"},
            {"code": "E-3", "member_id": "M-2", "coupon_code": "MV-4", "status": "active"},
        ],
    }
    with UnitOfWork(sessions) as uow:
        apply_records(uow.session, store_document_records(document), NOW)
        uow.commit()
    with UnitOfWork(sessions) as uow:
        (record,) = members_by_phone(uow.session, "5550100001")
        assert (record.member_id, record.name) == ("M-1", "Ada")
        assert [e.code for e in record.entitlements] == ["E-1", "E-2"]
        assert members_by_phone(uow.session, "nothing") == []
        assert redeemed_here(uow.session, ["E-1"]) == {}
