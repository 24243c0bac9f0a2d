"""Two `pos-backoffice serve` processes on one PostgreSQL database (S17), under tills
uploading to both at once (with resends to the other one) and an administrator editing
through both: every sale is stored exactly once, every change reaches every till, and
the scheduler's work is done once, by one process."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from backoffice.chain.demo_chain import load_chain, read_chain_file
from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.migrate import upgrade_database
from backoffice.models.packs import PackCoupon, PackIssuance
from backoffice.models.records import Record
from backoffice.models.sales import SaleTicket
from backoffice.trust.admin_tokens import issue_admin_token
from backoffice.trust.enrollment import enroll_device, issue_enrollment_code
from tests.backoffice.conftest import PostgresServer
from tests.backoffice.factories import ticket_closed
from tests.e2e.tills import console_script
from tests.helpers.live_backoffice import free_port

pytestmark = pytest.mark.slow

TILLS = 4
BATCHES = 6
BATCH = 20
EDITS = 24
LEADER_LINE = "runs the scheduler and the chores"


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


@pytest.fixture
def shared_database(postgres_server: PostgresServer) -> Iterator[str]:
    if postgres_server.problem:
        pytest.skip(postgres_server.problem)
    url = postgres_server.create_database("backoffice_servers")
    try:
        upgrade_database(url)
        yield url
    finally:
        postgres_server.drop_database(url)


def _serve(database_url: str, log: Path) -> Server:
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                *console_script("pos-backoffice"),
                "serve",
                "--port",
                str(port),
                "--chores-interval",
                "0.3",
                "--database-url",
                database_url,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{url}/api/v1/ping", timeout=1)
            return Server(url, process, log)
        except requests.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"serve did not start: {log.read_text()}") from None
            time.sleep(0.1)


@pytest.fixture
def two_servers(shared_database: str, tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    servers = [_serve(shared_database, tmp_path / f"serve-{n}.log") for n in (1, 2)]
    try:
        yield servers[0], servers[1]
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            server.process.wait(30)


def _setup(database_url: str) -> tuple[str, list[tuple[str, str]]]:
    """The demo chain, an admin token and enrolled tills: (admin token, [(device, token)])."""
    database = Database(database_url)
    now = utc_now()
    try:
        with database.sessions.begin() as session:
            load_chain(session, read_chain_file(), now)
            admin = issue_admin_token(session, "servers-test", now)
            tills = []
            for number in range(TILLS):
                code = issue_enrollment_code(session, "DEMO-1", now)
                device = enroll_device(session, code, f"till-{number}", now)
                tills.append((device.device_id, device.token))
        return admin, tills
    finally:
        database.dispose()


def _upload(url: str, token: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = requests.post(
        f"{url}/api/v1/events",
        json={"events": events},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


class FollowingTill:
    """A till's download: pulls from either server, applies records to a dict."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.cursor = ""
        self.records: dict[tuple[str, str], dict[str, Any]] = {}

    def pull(self, url: str) -> None:
        while True:
            response = requests.get(
                f"{url}/api/v1/changes",
                params={"cursor": self.cursor, "limit": "7"},
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=30,
            )
            assert response.status_code == 200, response.text
            page = response.json()
            for record in page["records"]:
                key = (record["kind"], record["id"])
                if record["deleted"]:
                    self.records.pop(key, None)
                else:
                    self.records[key] = record["data"]
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return


def test_two_servers_store_each_sale_once_deliver_every_change_and_schedule_once(
    shared_database: str, two_servers: tuple[Server, Server]
) -> None:
    """S17: concurrent uploads (each batch resent to the other server) and admin edits
    through both servers; sales once, changes everywhere, scheduler work once."""
    first, second = two_servers
    servers = [first.url, second.url]
    admin, tills = _setup(shared_database)
    admin_headers = {"Authorization": f"Bearer {admin}"}
    pack = requests.post(
        f"{first.url}/api/v1/admin/packs",
        json={
            "type": "campaign",
            "name": "Two servers pack",
            "content": [
                {
                    "coupon_code": "CV-5",
                    "quantity": 2,
                    "effective": "immediate",
                    "validity_days": 30,
                }
            ],
            "distribution": {"method": "one_time"},
        },
        headers=admin_headers,
        timeout=30,
    )
    assert pack.status_code == 201, pack.text
    starts = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    distributed = requests.post(
        f"{second.url}/api/v1/admin/packs/{pack.json()['id']}/distributions",
        json={"audience": {"member_ids": ["M-1001", "M-1002"]}, "starts_at": starts},
        headers=admin_headers,
        timeout=30,
    )
    assert distributed.status_code == 201, distributed.text

    followers = [FollowingTill(token) for _, token in tills]
    failures: list[BaseException] = []
    tickets: list[str] = []
    lock = threading.Lock()

    def sell(number: int, device_id: str, token: str) -> None:
        try:
            for batch in range(BATCHES):
                events = [
                    ticket_closed("DEMO-1", device_id, ticket_id=f"T{number}-{batch}-{n}")
                    for n in range(BATCH)
                ]
                with lock:
                    tickets.extend(e["payload"]["ticket_id"] for e in events)
                here, there = servers[batch % 2], servers[(batch + 1) % 2]
                assert {r["outcome"] for r in _upload(here, token, events)} == {"accepted"}
                again = _upload(there, token, events)  # a lost reply: resent elsewhere
                assert {r["outcome"] for r in again} == {"duplicate"}
                followers[number].pull(servers[batch % 2])
        except BaseException as failure:
            failures.append(failure)

    def edit() -> None:
        try:
            for n in range(EDITS):
                body = {
                    "id": f"P-MANY-{n % 3}",
                    "name": f"Many servers {n % 3}",
                    "type": "percent_off",
                    "sequence": 200 + n % 3,
                    "auto_execute": False,
                    "percent": str(1 + n),
                    "items": ["COLA"],
                }
                response = requests.put(
                    f"{servers[n % 2]}/api/v1/admin/promotions/{body['id']}",
                    json=body,
                    headers=admin_headers,
                    timeout=30,
                )
                assert response.status_code in (200, 201), response.text
        except BaseException as failure:
            failures.append(failure)

    threads = [
        threading.Thread(target=sell, args=(n, device, token))
        for n, (device, token) in enumerate(tills)
    ]
    threads.append(threading.Thread(target=edit))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures, failures[0]

    database = Database(shared_database)
    try:
        with database.sessions.begin() as session:
            stored = session.scalars(select(SaleTicket.ticket_id)).all()
            live = {
                (r.kind, r.record_id): r.data
                for r in session.scalars(
                    select(Record).where(Record.deleted.is_(False), Record.store_id.is_(None))
                )
            }
        assert sorted(stored) == sorted(tickets) and len(set(stored)) == len(stored)
        for number, follower in enumerate(followers):
            follower.pull(servers[number % 2])
            fresh = FollowingTill(follower.token)
            fresh.pull(servers[(number + 1) % 2])
            for key, data in live.items():
                assert follower.records.get(key) == data, key
                assert fresh.records.get(key) == data, key
        assert live[("promotion", "P-MANY-2")]["percent"] == str(EDITS)

        deadline = time.monotonic() + 30
        coupons = 0
        while time.monotonic() < deadline:
            with database.sessions.begin() as session:
                coupons = int(session.scalar(select(func.count()).select_from(PackCoupon)) or 0)
            if coupons >= 4:
                break
            time.sleep(0.3)
        time.sleep(1.0)  # more passes: nothing is issued twice
        with database.sessions.begin() as session:
            issuances = int(session.scalar(select(func.count()).select_from(PackIssuance)) or 0)
            coupons = int(session.scalar(select(func.count()).select_from(PackCoupon)) or 0)
        assert (issuances, coupons) == (2, 4)
    finally:
        database.dispose()
    leaders = [s for s in (first, second) if LEADER_LINE in s.log.read_text()]
    assert len(leaders) == 1, [s.log.read_text()[-2000:] for s in (first, second)]
