"""The direct (session-less) transactions and statements of the hot paths: same
pragmas, same durability, same stored form as the ORM."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from pos_app.store.database import DirectStatement, direct_transaction, engine_of
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


def test_a_direct_transaction_commits_durably(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    """S1: a direct transaction is immediate, runs with synchronous=FULL and commits."""
    assert engine_of(sessions) is engine
    now = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)
    with direct_transaction(engine) as connection:
        assert connection.in_transaction
        assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        OPEN_TICKET.execute(connection, ("T1", now, now, "{}", "[]"))
    assert not connection.in_transaction
    assert open_ticket_ids(sessions) == ["T1"]


def test_a_direct_transaction_that_raises_writes_nothing(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    """S1: an error inside the block rolls everything back and goes on up."""
    now = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)
    with pytest.raises(RuntimeError, match="power cut"), direct_transaction(engine) as connection:
        OPEN_TICKET.execute(connection, ("T1", now, now, "{}", "[]"))
        raise RuntimeError("power cut")
    assert not connection.in_transaction
    assert open_ticket_ids(sessions) == []
    with direct_transaction(engine) as connection:  # the pool hands out a clean connection
        OPEN_TICKET.execute(connection, ("T2", now, now, "{}", "[]"))
    assert open_ticket_ids(sessions) == ["T2"]


def test_direct_statements_store_values_as_the_orm_does(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    """Money as exact decimal strings, instants as UTC text, naive times refused."""
    local = datetime(2026, 11, 21, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    with direct_transaction(engine) as connection:
        OPEN_TICKET.execute(connection, ("T1", local, local, "{}", "[]"))
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
    with direct_transaction(engine) as connection:
        with pytest.raises(ValueError, match="time zone"):
            OPEN_TICKET.execute(connection, ("T3", local.replace(tzinfo=None), local, "", ""))
        with pytest.raises(TypeError, match="Decimal"):
            payment.execute(connection, ("T1", 0, "cash", 1.5))
        with pytest.raises(ValueError, match="parameters"):
            payment.execute(connection, ("T1", 0, "cash"))
