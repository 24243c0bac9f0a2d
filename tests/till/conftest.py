"""Fixtures for the till tests: a demo-store data directory on a real SQLite file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from pos_app.store._all_models import Base
from pos_app.till.manager import Actor
from pos_app.till.runtime import TillRuntime
from pos_app.wiring import open_till
from tests.helpers.device_clock import FakeClock  # re-exported to test modules

Snapshot = dict[str, list[tuple[Any, ...]]]


@pytest.fixture
def runtime(data_dir: Path, clock: FakeClock) -> Iterator[TillRuntime]:
    runtime = open_till(data_dir, clock=clock)
    yield runtime
    runtime.close()


@pytest.fixture
def grace(runtime: TillRuntime) -> Actor:
    """Grace, the till's first manager (PIN 2468), signed in."""
    runtime.access.set_pin("Grace", "2468", by=None)
    return Actor(runtime.access.verify_pin("Grace", "2468"))


def take_snapshot(engine: Engine) -> Snapshot:
    """Every row of every table."""
    with engine.connect() as connection:
        return {
            name: sorted(tuple(row) for row in connection.execute(select(table)))
            for name, table in sorted(Base.metadata.tables.items())
        }


@pytest.fixture
def snapshot(runtime: TillRuntime) -> Callable[[], Snapshot]:
    return lambda: take_snapshot(runtime.database.engine)
