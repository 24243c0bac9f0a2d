"""Alembic migrations: from empty, from every earlier revision, and no drift."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session

from pos_app.store._all_models import Base
from pos_app.store.database import create_till_engine
from pos_app.store.member_directory import members_by_phone
from pos_app.store.migrate import (
    current_revision,
    downgrade_database,
    head_revision,
    revision_history,
    upgrade_database,
)


def _drift(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return list(compare_metadata(context, Base.metadata))


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_creates_every_table(tmp_path: Path) -> None:
    """An empty file upgrades to head with every model's table."""
    engine = create_till_engine(tmp_path / "till.sqlite3")
    try:
        assert current_revision(engine) is None
        upgrade_database(engine)
        assert current_revision(engine) == head_revision()
        assert _tables(engine) == set(Base.metadata.tables)
    finally:
        engine.dispose()


@pytest.mark.parametrize("start", ["base", *revision_history()])
def test_upgrade_from_each_earlier_revision_reaches_head_without_drift(
    tmp_path: Path, start: str
) -> None:
    """A database at any revision (or empty) upgrades to head and matches the models."""
    engine = create_till_engine(tmp_path / "till.sqlite3")
    try:
        if start != "base":
            upgrade_database(engine, start)
            assert current_revision(engine) == start
        upgrade_database(engine)
        assert current_revision(engine) == head_revision()
        assert _drift(engine) == []
    finally:
        engine.dispose()


def test_models_and_migrations_have_no_drift(engine: Engine) -> None:
    """Autogenerate finds nothing between the migrated database and the models."""
    assert _drift(engine) == []


def test_downgrade_to_base_and_up_again(engine: Engine) -> None:
    """Every migration's downgrade runs, and the schema comes back whole."""
    downgrade_database(engine, "base")
    assert _tables(engine) == set()
    upgrade_database(engine)
    assert _tables(engine) == set(Base.metadata.tables)


def test_upgrade_twice_is_harmless(engine: Engine) -> None:
    """Upgrading a database already at head changes nothing."""
    upgrade_database(engine)
    assert current_revision(engine) == head_revision()


def test_every_connection_has_the_till_pragmas(engine: Engine) -> None:
    """S1: WAL, foreign keys, a busy timeout and synchronous=FULL on every connection."""
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_constraints_follow_the_naming_convention(engine: Engine) -> None:
    """Constraint names are stable (naming convention), so batch migrations find them."""
    inspector = inspect(engine)
    assert inspector.get_unique_constraints("outbox_events")[0]["name"] == (
        "uq_outbox_events_idempotency_key"
    )
    assert {fk["name"] for fk in inspector.get_foreign_keys("payments")} == {
        "fk_payments_ticket_id_tickets"
    }


def test_the_outbox_tally_starts_from_the_events_already_queued(tmp_path: Path) -> None:
    """A till upgraded with events waiting gets a tally equal to them, kept from then on."""
    history = revision_history()
    before_tally = history[history.index("0003") - 1]
    engine = create_till_engine(tmp_path / "till.sqlite3")
    try:
        upgrade_database(engine, before_tally)
        with engine.begin() as connection:
            for seq, status in enumerate(["accepted", "pending", "failed", "pending"], start=1):
                connection.execute(
                    text(
                        "INSERT INTO outbox_events (device_seq, idempotency_key, type, version,"
                        " device_time, created_at, payload, status) VALUES"
                        " (:seq, :key, 'ticket.closed', 1, 't', 't', '{}', :status)"
                    ),
                    {"seq": seq, "key": f"k{seq}", "status": status},
                )
        upgrade_database(engine)
        with engine.begin() as connection:
            assert connection.execute(text("SELECT pending FROM outbox_tally")).scalar() == 2
            connection.execute(text("UPDATE outbox_events SET status = 'accepted'"))
            assert connection.execute(text("SELECT pending FROM outbox_tally")).scalar() == 0
    finally:
        engine.dispose()


def test_stored_phone_numbers_become_keyed_digests(tmp_path: Path) -> None:
    """Issue 18 item 5: a till upgraded with members keeps no phone number, only digests
    under its new phone key and the last four digits; the typed number still finds them."""
    history = revision_history()
    before = history[history.index("0008_member_phone_digests") - 1]
    engine = create_till_engine(tmp_path / "till.sqlite3")
    try:
        upgrade_database(engine, before)
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO members (member_id, name, phone) VALUES ('M-1', 'Ada', :p)"),
                {"p": "+1 555 010 0001"},
            )
        upgrade_database(engine)
        with engine.begin() as connection:
            row = connection.execute(text("SELECT * FROM members")).mappings().one()
        assert "phone" not in row and row["phone_last4"] == "0001"
        assert "5550100001" not in str(dict(row))
        with Session(engine) as session:
            (found,) = members_by_phone(session, "555 010 0001")
            assert (found.member_id, found.phone) == ("M-1", "•••• 0001")
            assert [m.member_id for m in members_by_phone(session, "0100001")] == ["M-1"]
    finally:
        engine.dispose()
