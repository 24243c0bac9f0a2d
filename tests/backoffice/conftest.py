"""Back-office fixtures: each test runs on SQLite (a real temp file) and on PostgreSQL.

PostgreSQL is the server at ``$POS_BACKOFFICE_TEST_PG`` (default
postgresql+psycopg://postgres@127.0.0.1:5432/test); this session creates its own
uniquely named database there, migrates it once, empties it before each test
and drops it at the end. If the server cannot be reached, the PostgreSQL
variants are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from backoffice.app import create_app
from backoffice.chain.demo_chain import load_chain, read_chain_file
from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.migrate import upgrade_database
from backoffice.models._all_models import Base
from backoffice.trust.admin_tokens import issue_admin_token
from backoffice.trust.enrollment import issue_enrollment_code

with warnings.catch_warnings():
    # Starlette 1.x asks for httpx2 under its TestClient; httpx is what the project has.
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from fastapi.testclient import TestClient

PG_URL = os.environ.get(
    "POS_BACKOFFICE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", "postgresql"]


class MovableClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class PostgresServer:
    """Where the test databases go, or why there are none."""

    admin_url: URL | None
    problem: str | None

    def create_database(self, prefix: str) -> str:
        assert self.admin_url is not None
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        assert self.admin_url is not None
        name = make_url(url).database
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> PostgresServer:
    """The PostgreSQL server, reached through its ``postgres`` maintenance database."""
    admin_url = make_url(PG_URL).set(database="postgres")
    engine = create_engine(admin_url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means "no server here"
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        return PostgresServer(None, f"PostgreSQL not reachable at {PG_URL}: {first_line}")
    finally:
        engine.dispose()
    return PostgresServer(admin_url, None)


@pytest.fixture(scope="session")
def postgres_database(postgres_server: PostgresServer) -> Iterator[str | None]:
    """One migrated database for this test session, dropped at the end."""
    if postgres_server.problem:
        yield None
        return
    url = postgres_server.create_database("backoffice_test")
    try:
        upgrade_database(url)
        yield url
    finally:
        postgres_server.drop_database(url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies (faster than migrating every time)."""
    path = tmp_path_factory.mktemp("template") / "backoffice.sqlite3"
    upgrade_database(f"sqlite:///{path}")
    return path


def _empty_tables(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):  # children before parents
            connection.execute(table.delete())
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    postgres_server: PostgresServer,
) -> str:
    """A migrated, empty database: a fresh SQLite file, or the session's PostgreSQL database."""
    if request.param == "sqlite":
        path = tmp_path / "backoffice.sqlite3"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"
    if postgres_server.problem:
        pytest.skip(postgres_server.problem)
    url = request.getfixturevalue("postgres_database")
    assert url is not None
    _empty_tables(url)
    return str(url)


@pytest.fixture(params=BACKENDS)
def empty_database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_server: PostgresServer
) -> Iterator[str]:
    """A database with no tables at all (a new SQLite file, or a new PostgreSQL database)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    if postgres_server.problem:
        pytest.skip(postgres_server.problem)
    url = postgres_server.create_database("backoffice_empty")
    try:
        yield url
    finally:
        postgres_server.drop_database(url)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(datetime(2026, 11, 21, 12, 0, tzinfo=UTC))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """Direct access to the test database, for setting up and checking."""
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def client(database_url: str, clock: MovableClock) -> Iterator[TestClient]:
    """The API over the test database, with the movable clock."""
    with TestClient(create_app(database_url, clock=clock)) as test_client:
        yield test_client


@pytest.fixture
def demo_chain(database: Database) -> None:
    """The demo chain (DEMO-1) plus a second store, OTHER-1, for store-scoping tests."""
    chain = read_chain_file()
    with database.sessions.begin() as session:
        load_chain(session, chain, utc_now())
        load_chain(
            session,
            {"store": {"id": "OTHER-1", "name": "Other", "address": "2 St", "currency": "USD"}},
            utc_now(),
        )


@pytest.fixture
def admin_headers(database: Database) -> dict[str, str]:
    with database.sessions.begin() as session:
        token = issue_admin_token(session, "test-admin", utc_now())
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class EnrolledTill:
    device_id: str
    store_id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def enroll(
    client: TestClient, database: Database, store_id: str, name: str, now: datetime
) -> EnrolledTill:
    """A till enrolled through the API with a fresh one-time code issued at ``now``."""
    with database.sessions.begin() as session:
        code = issue_enrollment_code(session, store_id, now)
    response = client.post("/api/v1/devices/enroll", json={"code": code, "device_name": name})
    assert response.status_code == 201, response.text
    body = response.json()
    return EnrolledTill(body["device_id"], body["store_id"], body["token"])


@pytest.fixture
def till(
    client: TestClient, database: Database, demo_chain: None, clock: MovableClock
) -> EnrolledTill:
    """A till enrolled into DEMO-1."""
    return enroll(client, database, "DEMO-1", "till-1", clock())


class AdminApi:
    """Calls the API as a group_admin (or with other headers)."""

    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    def __call__(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", self.headers)
        return self.client.request(method, path, headers=headers, **kwargs)

    def create(self, body: dict[str, Any], **params: Any) -> dict[str, Any]:
        response = self("POST", "/api/v1/admin/packs", json=body, params=params)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    def details(self, pack_id: int) -> dict[str, Any]:
        response = self("GET", f"/api/v1/admin/packs/{pack_id}")
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def buy(self, pack_id: int, **body: Any) -> Any:
        body = {"member_id": "M-1001", "store_id": "DEMO-1", **body}
        return self("POST", f"/api/v1/mall/packs/{pack_id}/purchases", json=body)

    def run_scheduler(self) -> dict[str, Any]:
        response = self("POST", "/api/v1/admin/pack-scheduler/run")
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result


@pytest.fixture
def api_client(database_url: str, clock: MovableClock) -> Iterator[TestClient]:
    """The API over the test database with the movable clock, no background scheduler."""
    app = create_app(database_url, clock=clock, pack_scheduler_interval=None)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def api(api_client: TestClient, demo_chain: None, admin_headers: dict[str, str]) -> AdminApi:
    """The API as a group_admin, over the demo chain (DEMO-1, OTHER-1, members M-1001/2)."""
    return AdminApi(api_client, admin_headers)
