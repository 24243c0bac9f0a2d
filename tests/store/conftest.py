"""Fixtures for the store tests: a real, migrated SQLite file per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from pos_app.store._all_models import Base
from pos_app.store.database import create_session_factory, create_till_engine
from pos_app.store.device import create_device
from pos_app.store.migrate import upgrade_database
from pos_app.store.unit_of_work import UnitOfWork

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_till_engine(tmp_path / "till.sqlite3")
    upgrade_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    factory = create_session_factory(engine)
    with UnitOfWork(factory) as uow:
        create_device(uow.session, NOW, store_id="DEMO-1")
        uow.commit()
    return factory


@pytest.fixture
def snapshot(engine: Engine) -> Callable[[], dict[str, list[tuple[Any, ...]]]]:
    """Every row of every table, to compare before and after an action."""

    def take() -> dict[str, list[tuple[Any, ...]]]:
        with engine.connect() as connection:
            return {
                name: sorted(tuple(row) for row in connection.execute(select(table)))
                for name, table in sorted(Base.metadata.tables.items())
            }

    return take
