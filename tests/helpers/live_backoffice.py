"""A real back office for end-to-end tests: uvicorn serving :func:`backoffice.app.create_app`
on 127.0.0.1, in a thread of the test process, over an SQLite file of its own.

The database is migrated and holds the demo chain (DEMO-1) before the server
starts. The server can be stopped and started again on the same port, with the
same data, to take the network away and give it back. Device codes and admin
tokens are minted the way `pos-backoffice device-code` / `admin-token` do.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import uvicorn
from sqlalchemy import func, select

from backoffice.app import create_app
from backoffice.chain.change_log import lock_change_log
from backoffice.chain.demo_chain import load_chain, read_chain_file
from backoffice.database import Database
from backoffice.migrate import upgrade_database
from backoffice.models.records import ChangeLogEntry
from backoffice.reports.sales import list_sales
from backoffice.sync.conflicts import list_conflicts
from backoffice.trust.admin_tokens import issue_admin_token
from backoffice.trust.enrollment import issue_enrollment_code

HOST = "127.0.0.1"
START_TIMEOUT = 15.0


def free_port(host: str = HOST) -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def prepare_database(path: Path, template: Path | None = None) -> str:
    """An SQLite back-office database at ``path``, migrated, with the demo chain loaded:
    a copy of ``template`` when given (made by this function earlier), else built."""
    path.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{path}"
    if template is not None:
        shutil.copyfile(template, path)
        return url
    upgrade_database(url)
    database = Database(url)
    try:
        with database.sessions.begin() as session:
            load_chain(session, read_chain_file(), datetime.now(UTC))
    finally:
        database.dispose()  # the last connection closing folds the WAL into the file
    return url


@dataclass(frozen=True)
class RawChange:
    """A change-log entry as :meth:`LiveBackOffice.append_raw_changes` writes it."""

    kind: str
    record_id: str
    data: dict[str, Any]
    version: int = 1
    store_id: str | None = None


class LiveBackOffice:
    """One back office on ``http://127.0.0.1:<port>``; ``start()`` / ``stop()`` may be
    called again and again (the port and the data stay). Not thread-safe: drive it from
    the test's thread."""

    def __init__(self, database_url: str, *, port: int | None = None, host: str = HOST) -> None:
        self.database_url = database_url
        self.host = host
        self.port = port or free_port(host)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._admin_token: str | None = None
        self._http = requests.Session()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    # ------------------------------------------------------------ life cycle

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Serve until :meth:`stop`; returns once the socket accepts connections."""
        if self._server is not None:
            return
        config = uvicorn.Config(
            create_app(self.database_url),
            host=self.host,
            port=self.port,
            log_level="warning",
            timeout_graceful_shutdown=5,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name=f"backoffice-{self.port}", daemon=True)
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError(f"{self.url}: the back office did not start (port taken?)")
            if time.monotonic() > deadline:
                server.should_exit = True
                raise RuntimeError(f"{self.url}: the back office did not start in {timeout} s")
            time.sleep(0.01)  # uvicorn offers no event to wait on
        self._server, self._thread = server, thread

    def stop(self, timeout: float = START_TIMEOUT) -> None:
        """Stop serving: afterwards connections to the port are refused."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        self._http.close()
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(timeout)
        if thread.is_alive():
            raise RuntimeError(f"{self.url}: the back office did not stop in {timeout} s")

    # ------------------------------------------------------------ credentials (S12)

    @contextmanager
    def database(self) -> Iterator[Database]:
        """Direct access to the back office's database, for setting up and checking."""
        database = Database(self.database_url)
        try:
            yield database
        finally:
            database.dispose()

    def device_code(self, store_id: str = "DEMO-1") -> str:
        """A one-time enrollment code, as `pos-backoffice device-code --store` prints it."""
        with self.database() as database, database.sessions.begin() as session:
            return issue_enrollment_code(session, store_id, datetime.now(UTC))

    def admin_token(self, name: str = "e2e-admin") -> str:
        """A new group_admin token, as `pos-backoffice admin-token --name` prints it."""
        with self.database() as database, database.sessions.begin() as session:
            return issue_admin_token(session, name, datetime.now(UTC))

    # ------------------------------------------------------------ HTTP

    def admin(self, method: str, path: str, body: Any = None, **params: str) -> Any:
        """Call the admin API (``/api/v1/admin`` + ``path``) with a group_admin token;
        returns the JSON reply, or raises naming the URL and the reply on a 4xx/5xx."""
        if self._admin_token is None:
            self._admin_token = self.admin_token()
        url = f"{self.url}/api/v1/admin{path}"
        response = self._http.request(
            method,
            url,
            json=body,
            params=params or None,
            headers={"Authorization": f"Bearer {self._admin_token}"},
            timeout=10,
        )
        if response.status_code >= 400:
            raise AssertionError(f"{method} {url}: {response.status_code} {response.text}")
        return response.json()

    def put_record(
        self, collection: str, record_id: str, data: dict[str, Any], store_id: str | None = None
    ) -> dict[str, Any]:
        """``PUT /api/v1/admin/{collection}/{record_id}``: tills get it on their next pull."""
        params = {"store_id": store_id} if store_id is not None else {}
        reply: dict[str, Any] = self.admin("PUT", f"/{collection}/{record_id}", data, **params)
        return reply

    # ------------------------------------------------------------ what it holds

    def sales(self, store_id: str | None = None) -> list[dict[str, Any]]:
        """Received tickets, as `pos-backoffice sales --json` lists them."""
        with self.database() as database, database.sessions.begin() as session:
            return list_sales(session, store_id=store_id)

    def conflicts(self, store_id: str | None = None) -> list[dict[str, Any]]:
        """Conflicts found in uploads, as `pos-backoffice conflicts --json` lists them."""
        with self.database() as database, database.sessions.begin() as session:
            return list_conflicts(session, store_id=store_id)

    def count(self, model: type[Any]) -> int:
        """How many rows a back-office table holds."""
        with self.database() as database, database.sessions.begin() as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)

    def append_raw_change(
        self,
        kind: str,
        record_id: str,
        data: dict[str, Any],
        *,
        version: int = 1,
        store_id: str | None = None,
    ) -> int:
        """Write a change-log entry straight into the database, bypassing every check:
        how a record of a kind or version the till does not know reaches it (S9).
        Returns its sequence number (the cursor after it)."""
        (seq,) = self.append_raw_changes([RawChange(kind, record_id, data, version, store_id)])
        return seq

    def append_raw_changes(self, changes: Sequence[RawChange]) -> list[int]:
        """Many raw change-log entries in one transaction; their sequence numbers."""
        with self.database() as database, database.sessions.begin() as session:
            lock_change_log(session)
            now = datetime.now(UTC)
            entries = [
                ChangeLogEntry(
                    kind=change.kind,
                    record_id=change.record_id,
                    store_id=change.store_id,
                    version=change.version,
                    deleted=False,
                    data=change.data,
                    changed_at=now,
                    changed_by="e2e:raw",
                )
                for change in changes
            ]
            session.add_all(entries)
            session.flush()
            return [int(entry.seq) for entry in entries]


@contextmanager
def running_backoffice(
    directory: Path, *, template: Path | None = None, port: int | None = None
) -> Iterator[LiveBackOffice]:
    """A started :class:`LiveBackOffice` over ``directory/backoffice.sqlite3``; stopped
    when the block ends."""
    url = prepare_database(directory / "backoffice.sqlite3", template)
    office = LiveBackOffice(url, port=port)
    office.start()
    try:
        yield office
    finally:
        office.stop()
