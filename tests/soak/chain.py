"""A whole chain for the soak, every part a real process on 127.0.0.1: back-office
servers (`pos-backoffice serve`) on one PostgreSQL database, tills (the
:mod:`tests.soak.till_worker` process on a data directory of its own, synced by
`pos-app sync --once`), and an administrator working through the admin API.

Any process may be killed with SIGKILL at any moment (:meth:`Chain.kill_server`,
:meth:`TillProcess.kill`, a sync killed mid-run); :meth:`Chain.settle` brings every
part back and syncs until the tills have nothing left to send.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, make_url, text

from backoffice.chain.demo_chain import load_chain, read_chain_file
from backoffice.database import Database
from backoffice.migrate import upgrade_database
from backoffice.trust.admin_tokens import issue_admin_token
from backoffice.trust.enrollment import issue_enrollment_code
from pos_app.store.database import database_path
from pos_app.wiring import enroll_till
from tests.e2e.tills import console_script
from tests.helpers.live_backoffice import free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0
STORE = "DEMO-1"
MEMBERS = ("M-1001", "M-1002")
MEMBER_PHONES = ("+15550100001", "+15550100002")


class ProcessDied(RuntimeError):
    """A process of the chain ended when it should not have."""


@dataclass
class ServerProcess:
    """One `pos-backoffice serve` on a fixed port; its log collects every run's output."""

    database_url: str
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    *console_script("pos-backoffice"),
                    "serve",
                    "--port",
                    str(self.port),
                    "--chores-interval",
                    "1",
                    "--access-log",
                    "--database-url",
                    self.database_url,
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.starts += 1
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                requests.get(f"{self.url}/api/v1/ping", timeout=2)
                return
            except requests.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    raise ProcessDied(
                        f"serve did not start: {self.log.read_text()[-3000:]}"
                    ) from None
                time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(30)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(30)
            self.process = None


@dataclass
class TillProcess:
    """A till worker process on ``data_dir``; :meth:`ask` sends one action."""

    name: str
    data_dir: Path
    process: subprocess.Popen[str] | None = None
    lives: int = 0
    restored_lines: int = 0

    def start(self) -> dict[str, Any]:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.soak.till_worker", str(self.data_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=(self.data_dir / "worker.log").open("a"),
            text=True,
            cwd=ROOT,
        )
        self.lives += 1
        ready = self._read()
        if ready is None or not ready.get("ready"):
            raise ProcessDied(f"till {self.name} did not start: {self.stderr_tail()}")
        self.restored_lines += int(ready["restored_lines"])
        return ready

    def _read(self) -> dict[str, Any] | None:
        assert self.process is not None and self.process.stdout is not None
        line = self.process.stdout.readline()
        return json.loads(line) if line else None

    def ask(self, action: dict[str, Any], *, kill_after: float | None = None) -> Any:
        """The till's answer to ``action``; with ``kill_after``, the process is killed
        that many seconds after the action was sent (the answer is then ``None``)."""
        if self.process is None:
            self.start()
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(json.dumps(action) + "\n")
        self.process.stdin.flush()
        if kill_after is not None:
            time.sleep(kill_after)
            self.kill()
            return None
        answer = self._read()
        if answer is None:
            raise ProcessDied(f"till {self.name} died on {action}: {self.stderr_tail()}")
        return answer

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(30)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(60)
            self.process = None

    def stderr_tail(self) -> str:
        return (self.data_dir / "worker.log").read_text(errors="replace")[-3000:]


class Chain:
    """The chain's processes, its database and the administrator's token."""

    def __init__(self, admin_url: str, work_dir: Path, *, servers: int, tills: int) -> None:
        self.work_dir = work_dir
        self._admin_db_url = make_url(admin_url).set(database="postgres")
        name = f"soak_{datetime.now(UTC):%Y%m%d%H%M%S}_{random.randrange(16**6):06x}"
        self.database_url = self._admin_db_url.set(database=name).render_as_string(
            hide_password=False
        )
        self._create_database(name)
        upgrade_database(self.database_url)
        database = Database(self.database_url)
        try:
            with database.sessions.begin() as session:
                now = datetime.now(UTC)
                load_chain(session, read_chain_file(), now)
                self.admin_token = issue_admin_token(session, "soak", now)
                codes = [issue_enrollment_code(session, STORE, now) for _ in range(tills)]
        finally:
            database.dispose()
        self.servers = [
            ServerProcess(self.database_url, work_dir / f"server-{n}.log") for n in range(servers)
        ]
        for server in self.servers:
            server.start()
        self.tills = []
        for n, code in enumerate(codes, start=1):
            data_dir = work_dir / f"till-{n}"
            enroll_till(data_dir, self.servers[0].url, code, device_name=f"Soak till {n}")
            self.tills.append(TillProcess(f"till-{n}", data_dir))
        self.sync_kills = 0
        self.syncs = 0

    def _create_database(self, name: str) -> None:
        engine = create_engine(self._admin_db_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()

    def drop_database(self) -> None:
        engine = create_engine(self._admin_db_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            name = make_url(self.database_url).database
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    # ------------------------------------------------------------ servers

    def live_server(self, rng: random.Random) -> ServerProcess:
        live = [s for s in self.servers if s.process is not None]
        if not live:
            self.servers[0].start()
            live = [self.servers[0]]
        return rng.choice(live)

    def kill_server(self, index: int) -> None:
        """SIGKILL one server; the next time it is needed it starts again, same port."""
        self.servers[index].kill()

    def restart_servers(self) -> None:
        for server in self.servers:
            if server.process is None:
                server.start()

    # ------------------------------------------------------------ the administrator

    def admin(self, method: str, path: str, server: ServerProcess, body: Any = None) -> Any:
        response = requests.request(
            method,
            f"{server.url}/api/v1/admin{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.admin_token}"},
            timeout=60,
        )
        if response.status_code >= 500:
            raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
        return response

    # ------------------------------------------------------------ sync

    def sync(self, till: TillProcess, server: ServerProcess, kill_after: float | None) -> bool:
        """`pos-app sync --once` against ``server``; killed after ``kill_after`` seconds
        when given. Whether it ran to its end with nothing left to send."""
        settings_file = till.data_dir / "sync.json"
        settings = json.loads(settings_file.read_text(encoding="utf-8"))
        settings["url"] = server.url
        settings_file.write_text(json.dumps(settings), encoding="utf-8")
        self.syncs += 1
        process = subprocess.Popen(
            [*console_script("pos-app"), "--data-dir", str(till.data_dir), "sync", "--once"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        try:
            process.wait(timeout=kill_after if kill_after is not None else 180)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate(timeout=30)
            self.sync_kills += 1
            return False
        _, err = process.communicate(timeout=30)
        return process.returncode == 0 and "Traceback" not in err

    def settle(self, rng: random.Random) -> None:
        """Every server up, every till up, and each till synced until nothing is pending."""
        self.restart_servers()
        for till in self.tills:
            if till.process is None:
                till.start()
        for till in self.tills:
            for _ in range(5):
                if self.sync(till, self.live_server(rng), None) and self.pending(till) == 0:
                    break
            else:
                raise AssertionError(f"{till.name} could not send everything: {self.pending(till)}")

    @staticmethod
    def pending(till: TillProcess) -> int:
        """Events the till still has to send, read from its file."""
        connection = sqlite3.connect(f"file:{database_path(till.data_dir)}?mode=ro", uri=True)
        try:
            row = connection.execute(
                "SELECT COUNT(*) FROM outbox_events WHERE status = 'pending'"
            ).fetchone()
        finally:
            connection.close()
        return int(row[0])

    def close(self) -> None:
        for till in self.tills:
            till.kill()
        for server in self.servers:
            server.stop()
