"""The unit of work, the one transaction style: on its sqlite3 connection alone (the hot
paths' plain statements, no session) or with its ORM session; same pragmas, same
durability, same stored form as the ORM; rolled back unless committed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from pos_app.store.database import DirectStatement, engine_of
from pos_app.store.models.tickets import OpenTicket, Payment
from pos_app.store.unit_of_work import UnitOfWork

OPEN_TICKET = DirectStatement.insert(
    OpenTicket, ("ticket_id", "opened_at", "updated_at", "state", "payments")
)


def open_ticket_ids(sessions: sessionmaker[Session]) -> list[str]:
    with UnitOfWork(sessions) as uow:
        return list(
            uow.session.scalars(select(OpenTicket.ticket_id).order_by(OpenTicket.ticket_id))
        )


def test_a_unit_on_its_connection_commits_durably(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    """S1: a unit begun on its connection alone is immediate, runs with
    synchronous=FULL and commits."""
    assert engine_of(sessions) is engine
    now = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)
    with UnitOfWork(sessions) as uow:
        connection = uow.connection
        assert connection.in_transaction
        assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        OPEN_TICKET.execute(connection, ("T1", now, now, "{}", "[]"))
        uow.commit()
    assert not connection.in_transaction
    assert open_ticket_ids(sessions) == ["T1"]


def test_a_unit_that_raises_writes_nothing(engine: Engine, sessions: sessionmaker[Session]) -> None:
    """S1: an error inside the block rolls everything back and goes on up."""
    now = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)
    with pytest.raises(RuntimeError, match="power cut"), UnitOfWork(sessions) as uow:
        connection = uow.connection
        OPEN_TICKET.execute(connection, ("T1", now, now, "{}", "[]"))
        raise RuntimeError("power cut")
    assert not connection.in_transaction
    assert open_ticket_ids(sessions) == []
    with UnitOfWork(sessions) as uow:  # the pool hands out a clean connection
        OPEN_TICKET.execute(uow.connection, ("T2", now, now, "{}", "[]"))
        uow.commit()
    assert open_ticket_ids(sessions) == ["T2"]


def test_a_unit_left_without_commit_writes_nothing(sessions: sessionmaker[Session]) -> None:
    """S1: leaving the block without commit rolls back, on the connection or the session."""
    now = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)
    with UnitOfWork(sessions) as uow:
        OPEN_TICKET.execute(uow.connection, ("T1", now, now, "{}", "[]"))
    with UnitOfWork(sessions) as uow:
        uow.session.add(
            OpenTicket(ticket_id="T2", opened_at=now, updated_at=now, state="{}", payments="[]")
        )
    assert open_ticket_ids(sessions) == []


def test_a_unit_writes_on_its_session_and_connection_in_one_transaction(
    sessions: sessionmaker[Session],
) -> None:
    """S1: the session first, then the connection: one transaction, one commit; the
    session asked for after the connection alone began is refused."""
    now = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)
    with UnitOfWork(sessions) as uow:
        uow.session.add(
            OpenTicket(ticket_id="T1", opened_at=now, updated_at=now, state="{}", payments="[]")
        )
        OPEN_TICKET.execute(uow.connection, ("T2", now, now, "{}", "[]"))
        uow.commit()
    assert open_ticket_ids(sessions) == ["T1", "T2"]
    with UnitOfWork(sessions) as uow:
        OPEN_TICKET.execute(uow.connection, ("T3", now, now, "{}", "[]"))
        with pytest.raises(RuntimeError, match="session first"):
            uow.session.get(OpenTicket, "T1")
    assert open_ticket_ids(sessions) == ["T1", "T2"]


def test_direct_statements_store_values_as_the_orm_does(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    """Money as exact decimal strings, instants as UTC text, naive times refused."""
    local = datetime(2026, 11, 21, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    with UnitOfWork(sessions) as uow:
        OPEN_TICKET.execute(uow.connection, ("T1", local, local, "{}", "[]"))
        uow.commit()
    with UnitOfWork(sessions) as uow:
        uow.session.add(
            OpenTicket(ticket_id="T2", opened_at=local, updated_at=local, state="{}", payments="[]")
        )
        uow.commit()
    with engine.connect() as connection:
        stored = connection.exec_driver_sql(
            "SELECT opened_at, updated_at FROM open_tickets ORDER BY ticket_id"
        ).all()
    assert stored[0] == stored[1] == ("2026-11-21T12:30:00+00:00", "2026-11-21T12:30:00+00:00")

    payment = DirectStatement.insert(Payment, ("ticket_id", "position", "method", "amount"))
    with UnitOfWork(sessions) as uow:
        connection = uow.connection
        with pytest.raises(ValueError, match="time zone"):
            OPEN_TICKET.execute(connection, ("T3", local.replace(tzinfo=None), local, "", ""))
        with pytest.raises(TypeError, match="Decimal"):
            payment.execute(connection, ("T1", 0, "cash", 1.5))
        with pytest.raises(ValueError, match="parameters"):
            payment.execute(connection, ("T1", 0, "cash"))
