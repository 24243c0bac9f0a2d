"""`pos-backoffice serve` as a real process for the browser tests and `make screenshots`:
a database (SQLite file or PostgreSQL URL) with the demo chain and an administrator added
by `pos-backoffice admin-user add --password-stdin`, then the server on a free port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import requests

from backoffice.chain.demo_chain import load_chain, read_chain_file
from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.trust.enrollment import issue_enrollment_code
from tests.helpers.live_backoffice import HOST, free_port

ADMIN_EMAIL = "ada@example.com"
ADMIN_PASSWORD = "correct horse battery"
START_TIMEOUT = 30.0


def backoffice_command(*args: str) -> list[str]:
    """The `pos-backoffice` console script of this venv with ``args``."""
    script = Path(sys.executable).with_name("pos-backoffice")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "backoffice.cli"]
    return [*base, *args]


def prepare_admin_database(database_url: str) -> None:
    """Migrate, load the demo chain, add the administrator (through the real command line)."""
    done = subprocess.run(
        backoffice_command(
            "admin-user", "add", ADMIN_EMAIL, "--password-stdin", "--database-url", database_url
        ),
        input=ADMIN_PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"admin-user add failed: {done.stderr}")
    database = Database(database_url)
    try:
        with database.sessions.begin() as session:
            load_chain(session, read_chain_file(), utc_now())
    finally:
        database.dispose()


class ServedBackOffice:
    """`pos-backoffice serve` over ``database_url`` on 127.0.0.1; a context manager."""

    def __init__(self, database_url: str, log_path: Path, *, port: int | None = None) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.port = port or free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        """Start the process; returns once the sign-in page answers."""
        log = self.log_path.open("wb")
        self._process = subprocess.Popen(
            backoffice_command(
                "serve",
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--database-url",
                self.database_url,
                "--log-level",
                "warning",
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self._process.poll() is not None:
                raise RuntimeError(f"serve exited: {self.log_path.read_text(errors='replace')}")
            try:
                if requests.get(f"{self.url}/admin/sign-in", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.url}: serve did not answer in {START_TIMEOUT} s")
            time.sleep(0.1)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def device_code(self, store_id: str = "DEMO-1") -> str:
        """A one-time enrollment code, as `pos-backoffice device-code` prints it."""
        database = Database(self.database_url)
        try:
            with database.sessions.begin() as session:
                return issue_enrollment_code(session, store_id, utc_now())
        finally:
            database.dispose()

    def __enter__(self) -> ServedBackOffice:
        self.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()
