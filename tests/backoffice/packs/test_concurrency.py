"""Parallel buyers against a real uvicorn server (K4): no oversell, limits hold, orders once.

Each test runs on SQLite (writers queue on BEGIN IMMEDIATE) and on PostgreSQL
(buyers queue on the pack row's SELECT ... FOR UPDATE).
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
import uvicorn
from sqlalchemy import func, select

from backoffice.app import create_app
from backoffice.database import Database
from backoffice.models.packs import PackCoupon, PackPurchase
from tests.backoffice.conftest import MovableClock
from tests.backoffice.packs.conftest import paid_pack

pytestmark = pytest.mark.slow  # starts servers or processes

BUYERS = 16


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server_url(database_url: str, clock: MovableClock, demo_chain: None) -> Iterator[str]:
    """The back office served by uvicorn on a thread, with the test clock."""
    port = _free_port()
    app = create_app(database_url, clock=clock, pack_scheduler_interval=None)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def _create(server_url: str, headers: dict[str, str], body: dict[str, Any]) -> int:
    response = requests.post(
        f"{server_url}/api/v1/admin/packs", json=body, headers=headers, timeout=10
    )
    assert response.status_code == 201, response.text
    pack_id: int = response.json()["id"]
    return pack_id


def _buy_in_parallel(
    server_url: str, headers: dict[str, str], pack_id: int, bodies: list[dict[str, Any]]
) -> list[requests.Response]:
    barrier = threading.Barrier(len(bodies))

    def buy(body: dict[str, Any]) -> requests.Response:
        barrier.wait()
        return requests.post(
            f"{server_url}/api/v1/mall/packs/{pack_id}/purchases",
            json={"store_id": "DEMO-1", **body},
            headers=headers,
            timeout=60,
        )

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(buy, bodies))


def _outcomes(responses: list[requests.Response]) -> Counter[str]:
    return Counter(
        str(r.status_code) if r.status_code < 400 else r.json()["detail"][0]["type"]
        for r in responses
    )


def test_parallel_buyers_never_oversell(
    server_url: str, admin_headers: dict[str, str], database: Database
) -> None:
    """K4 inventory: 16 buyers at once for 5 units: exactly 5 sales, the rest SOLD_OUT."""
    pack_id = _create(server_url, admin_headers, paid_pack(inventory=5))
    bodies = [{"member_id": f"M-100{1 + i % 2}", "order_id": f"O-{i}"} for i in range(BUYERS)]
    responses = _buy_in_parallel(server_url, admin_headers, pack_id, bodies)
    assert _outcomes(responses) == {"201": 5, "SOLD_OUT": BUYERS - 5}
    with database.sessions.begin() as session:
        assert session.scalar(select(func.count(PackPurchase.id))) == 5
        assert session.scalar(select(func.count(PackCoupon.code))) == 5
    details = requests.get(
        f"{server_url}/api/v1/admin/packs/{pack_id}", headers=admin_headers, timeout=10
    ).json()
    assert details["sold"] == 5 and details["statistics"]["packs_sold"] == 5


def test_parallel_purchases_by_one_member_hold_the_limits(
    server_url: str, admin_headers: dict[str, str]
) -> None:
    """K4 limits: one member buying 16 times at once gets exactly the total, or daily, limit."""
    total = _create(server_url, admin_headers, paid_pack(limits={"total": 3}))
    daily = _create(server_url, admin_headers, paid_pack(limits={"total": 10, "daily": 2}))
    bodies = [{"member_id": "M-1001"} for _ in range(BUYERS)]
    by_total = _buy_in_parallel(server_url, admin_headers, total, bodies)
    assert _outcomes(by_total) == {"201": 3, "LIMIT_TOTAL_REACHED": BUYERS - 3}
    by_day = _buy_in_parallel(server_url, admin_headers, daily, bodies)
    assert _outcomes(by_day) == {"201": 2, "LIMIT_DAILY_REACHED": BUYERS - 2}


def test_one_order_sent_in_parallel_is_one_purchase(
    server_url: str, admin_headers: dict[str, str]
) -> None:
    """K4: the same order id sent by 16 retries at once is bought once."""
    pack_id = _create(server_url, admin_headers, paid_pack(inventory=100))
    bodies = [{"member_id": "M-1001", "order_id": "ORDER-RETRIED"} for _ in range(BUYERS)]
    responses = _buy_in_parallel(server_url, admin_headers, pack_id, bodies)
    assert _outcomes(responses) == {"201": 1, "200": BUYERS - 1}
    assert len({r.json()["purchase_id"] for r in responses}) == 1
