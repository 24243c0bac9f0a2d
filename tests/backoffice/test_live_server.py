"""A real uvicorn server on 127.0.0.1, used over HTTP the way the till's sync will (S3-S12)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests
import uvicorn

from backoffice.app import create_app
from backoffice.cli.main import main
from tests.backoffice.factories import ticket_closed

pytestmark = pytest.mark.slow  # starts servers or processes


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server_url(database_url: str) -> Iterator[str]:
    """The back office served by uvicorn in a thread; stopped when the test ends."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(database_url), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
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


def test_enroll_pull_upload_over_http(
    database_url: str, server_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """S12/S7/S3: enroll with a CLI code, ping, pull every page, upload, resend as duplicate."""
    assert main(["demo", "--database-url", database_url]) == 0
    assert main(["device-code", "--store", "DEMO-1", "--database-url", database_url]) == 0
    code = capsys.readouterr().out.strip().splitlines()[-1]

    with requests.Session() as http:
        enrolled = http.post(
            f"{server_url}/api/v1/devices/enroll",
            json={"code": code, "device_name": "till-1"},
            timeout=10,
        )
        assert enrolled.status_code == 201, enrolled.text
        token = enrolled.json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"

        ping = http.get(f"{server_url}/api/v1/ping", timeout=10).json()
        assert ping["ok"] is True and ping["store_id"] == "DEMO-1"

        cursor, records = "", []
        while True:
            page = http.get(
                f"{server_url}/api/v1/changes",
                params={"cursor": cursor, "limit": "10"},
                timeout=10,
            ).json()
            records += page["records"]
            cursor = page["cursor"]
            if not page["has_more"]:
                break
        assert {r["id"] for r in records if r["kind"] == "store"} == {"DEMO-1"}
        assert len(records) == 33

        sale = ticket_closed("DEMO-1", enrolled.json()["device_id"], ticket_id="T-LIVE")
        for expected in ("accepted", "duplicate"):
            upload = http.post(f"{server_url}/api/v1/events", json={"events": [sale]}, timeout=10)
            assert upload.status_code == 200, upload.text
            assert upload.json()["results"][0]["outcome"] == expected

        assert http.get(f"{server_url}/docs", timeout=10).status_code == 200
        http.headers["Authorization"] = "Bearer wrong"
        assert http.get(f"{server_url}/api/v1/ping", timeout=10).status_code == 401
