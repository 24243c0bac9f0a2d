"""Fixtures for the till tests: a demo-store data directory on a real SQLite file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from pos_app.store._all_models import Base
from pos_app.wiring import TillRuntime, open_till

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)

Snapshot = dict[str, list[tuple[Any, ...]]]


class FakeClock:
    """A device clock the test moves by hand."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "till"


@pytest.fixture
def runtime(data_dir: Path, clock: FakeClock) -> Iterator[TillRuntime]:
    runtime = open_till(data_dir, clock=clock)
    yield runtime
    runtime.close()


def take_snapshot(engine: Engine) -> Snapshot:
    """Every row of every table."""
    with engine.connect() as connection:
        return {
            name: sorted(tuple(row) for row in connection.execute(select(table)))
            for name, table in sorted(Base.metadata.tables.items())
        }


@pytest.fixture
def snapshot(runtime: TillRuntime) -> Callable[[], Snapshot]:
    return lambda: take_snapshot(runtime.engine)
