"""The back office's Alembic migrations: from empty to head, and no drift from the models."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from backoffice.migrate import alembic_config, upgrade_database
from backoffice.models._all_models import Base


def _diffs(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_from_empty_creates_every_table(empty_database_url: str) -> None:
    """S7/S3 storage: `upgrade head` on an empty database builds every model's table."""
    upgrade_database(empty_database_url)
    assert _tables(empty_database_url) == {*Base.metadata.tables, "alembic_version"}


def test_migrations_match_the_models(empty_database_url: str) -> None:
    """Autogenerate finds no difference between the migrated schema and the models."""
    upgrade_database(empty_database_url)
    assert _diffs(empty_database_url) == []


def test_downgrade_to_base_and_up_again(empty_database_url: str) -> None:
    """Migrations are reversible: down to base leaves no tables, up again rebuilds them."""
    upgrade_database(empty_database_url)
    command.downgrade(alembic_config(empty_database_url), "base")
    assert _tables(empty_database_url) <= {"alembic_version"}
    upgrade_database(empty_database_url)
    assert _diffs(empty_database_url) == []


def test_upgrade_twice_is_harmless(database_url: str) -> None:
    """Every command upgrades first: on a database already at head that changes nothing."""
    upgrade_database(database_url)
    assert _diffs(database_url) == []


def test_0004_adds_and_removes_the_admin_page_tables(empty_database_url: str) -> None:
    """0004: accounts, sessions, organisations and images come and go with the revision."""
    new_tables = {"admin_users", "admin_sessions", "organisations", "stored_images"}
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0003")
    assert not new_tables & _tables(empty_database_url)
    command.upgrade(config, "0004_admin_pages")
    assert new_tables <= _tables(empty_database_url)
    command.downgrade(config, "0003")
    assert not new_tables & _tables(empty_database_url)


def test_0008_numbers_the_tills_already_enrolled(empty_database_url: str) -> None:
    """0008: devices enrolled before it are numbered per store in enrollment order; the
    number is unique within a store."""
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0007_pack_sales")
    engine = create_engine(empty_database_url)
    enrolled = [("b", "S1", 2), ("a", "S1", 1), ("c", "S2", 3), ("d", "S1", 4)]
    try:
        with engine.begin() as connection:
            for device_id, store_id, day in enrolled:
                connection.execute(
                    text(
                        "INSERT INTO devices (device_id, store_id, name, token_hash,"
                        " enrolled_at) VALUES (:d, :s, :d, :d, :at)"
                    ),
                    {"d": device_id, "s": store_id, "at": datetime(2026, 11, day, tzinfo=UTC)},
                )
        command.upgrade(config, "0008_till_numbers")
        with engine.begin() as connection:
            rows = connection.execute(text("SELECT device_id, till_number FROM devices"))
            numbers = {device_id: number for device_id, number in rows}
            assert numbers == {"a": 1, "b": 2, "d": 3, "c": 1}
            with pytest.raises(IntegrityError):
                connection.execute(text("UPDATE devices SET till_number = 1 WHERE device_id = 'b'"))
    finally:
        engine.dispose()
    command.downgrade(config, "0007_pack_sales")


def test_0009_gives_each_number_held_to_the_first_sale_that_carried_it(
    empty_database_url: str,
) -> None:
    """0009: the sales already received claim their numbers in the order they came; a
    number repeated by a till that started numbers again each day is claimed once, and
    a sale without a number claims none."""
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0008_till_numbers")
    engine = create_engine(empty_database_url)
    at = datetime(2026, 11, 21, tzinfo=UTC)
    sales: list[tuple[str, str | None]] = [
        ("T-1", "D1-01-000001"),
        ("T-2", "D1-01-000002"),
        ("T-3", "D1-01-000001"),
        ("T-4", None),
    ]
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO devices (device_id, store_id, name, token_hash, enrolled_at,"
                    " till_number) VALUES ('d', 'S1', 'd', 'd', :at, 1)"
                ),
                {"at": at},
            )
            for index, (ticket_id, number) in enumerate(sales, start=1):
                body = json.dumps({"payload": {"ticket_id": ticket_id, "number": number}})
                connection.execute(
                    text(
                        "INSERT INTO received_events (id, idempotency_key, payload_hash,"
                        " device_id, store_id, received_at, outcome, body) VALUES"
                        " (:id, :key, 'h', 'd', 'S1', :at, 'accepted', :body)"
                    ),
                    {"id": index, "key": f"k{index}", "at": at, "body": body},
                )
                connection.execute(
                    text(
                        "INSERT INTO sale_tickets (id, event_id, ticket_id, store_id, device_id,"
                        " currency, total, opened_at, closed_at, received_at) VALUES"
                        " (:id, :id, :ticket, 'S1', 'd', 'USD', '1.00', :at, :at, :at)"
                    ),
                    {"id": index, "ticket": ticket_id, "at": at},
                )
        command.upgrade(config, "0009_sale_numbers")
        with engine.begin() as connection:
            rows = connection.execute(
                text("SELECT number, ticket_id FROM sale_numbers ORDER BY number")
            ).all()
            assert [tuple(row) for row in rows] == [
                ("D1-01-000001", "T-1"),
                ("D1-01-000002", "T-2"),
            ]
    finally:
        engine.dispose()
    command.downgrade(config, "0008_till_numbers")
