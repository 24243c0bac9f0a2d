"""The till's phone key (issue 18 item 5): its own until the chain's arrives; taking the
chain's empties the old digests and asks for a snapshot, whose member records make
them again, so a typed number finds its member as before."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pos_app.store.changes import apply_records, download_cursor
from pos_app.store.member_directory import members_by_phone
from pos_app.store.models.members import Member
from pos_app.store.phone_key import phone_key, take_phone_key
from pos_app.store.store_document import store_document_records
from pos_app.store.unit_of_work import UnitOfWork

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
CHAIN_KEY = "ab" * 32
DOCUMENT = {"members": [{"id": "M-1", "name": "Ada", "phone": "+1 555 010 0001"}]}


def _load(sessions: sessionmaker[Session], cursor: str | None = None) -> None:
    with UnitOfWork(sessions) as uow:
        apply_records(uow.session, store_document_records(DOCUMENT), NOW, cursor)
        uow.commit()


def test_the_chain_key_replaces_the_tills_own_and_asks_for_a_snapshot(
    sessions: sessionmaker[Session],
) -> None:
    _load(sessions, "c-1")
    with UnitOfWork(sessions) as uow:
        own = phone_key(uow.session)
        assert take_phone_key(uow.session, CHAIN_KEY) is True
        uow.commit()
    with UnitOfWork(sessions) as uow:
        assert phone_key(uow.session) == bytes.fromhex(CHAIN_KEY) != own
        assert download_cursor(uow.session) is None, "the next download is a snapshot"
        assert uow.session.scalar(select(Member.phone_digests)) == ""
        assert members_by_phone(uow.session, "5550100001") == []
    _load(sessions)  # the snapshot's member records
    with UnitOfWork(sessions) as uow:
        (found,) = members_by_phone(uow.session, "5550100001")
        assert found.phone == "•••• 0001"
        assert take_phone_key(uow.session, CHAIN_KEY) is False, "the same key changes nothing"
