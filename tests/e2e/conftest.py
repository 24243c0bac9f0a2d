"""End-to-end fixtures: a live back office on 127.0.0.1 over its own SQLite file, a
fault proxy in front of it, and enrolled tills with their own data directories."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.tills import EnrolledTill
from tests.helpers.fault_proxy import FaultProxy
from tests.helpers.live_backoffice import LiveBackOffice, prepare_database, running_backoffice

EnrollTill = Callable[..., EnrolledTill]


@pytest.fixture(scope="session")
def backoffice_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated back-office database with the demo chain, copied by each test."""
    path = tmp_path_factory.mktemp("backoffice-template") / "backoffice.sqlite3"
    prepare_database(path)
    return path


@pytest.fixture
def backoffice(tmp_path: Path, backoffice_template: Path) -> Iterator[LiveBackOffice]:
    """A running back office with store DEMO-1; stopped at the end of the test."""
    with running_backoffice(tmp_path / "backoffice", template=backoffice_template) as office:
        yield office


@pytest.fixture
def proxy(backoffice: LiveBackOffice) -> Iterator[FaultProxy]:
    """A fault proxy in front of the back office, forwarding until told otherwise."""
    with FaultProxy(backoffice.port) as fault_proxy:
        yield fault_proxy


@pytest.fixture
def enroll(tmp_path: Path, backoffice: LiveBackOffice) -> Iterator[EnrollTill]:
    """``enroll(name, url=..., store=...)``: a fresh till enrolled at ``url`` (default:
    the back office itself) with a new one-time code; closed at the end of the test."""
    opened: list[EnrolledTill] = []

    def enroll_till(name: str, *, url: str | None = None, store: str = "DEMO-1") -> EnrolledTill:
        till = EnrolledTill.enroll(
            name, tmp_path / name, url or backoffice.url, backoffice.device_code(store)
        )
        opened.append(till)
        return till

    yield enroll_till
    for till in opened:
        till.close()
