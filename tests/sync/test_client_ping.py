"""The till's ping carries its report (issue 18, item 7) as query parameters, so a back
office from before the report, which reads none of them, answers it as it always did:
here a server on a real loopback socket that answers ``GET /api/v1/ping`` exactly as
the back office did before the report existed (its clock and the token's store)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from pos_app.protocol.sync_api import TillReport
from pos_app.sync.client import BackOfficeClient

OLDER_PING = {
    "ok": True,
    "server_time": "2026-12-07T12:00:00Z",
    "store_id": "DEMO-1",
    "retention_seconds": 2592000,
}


class _OlderBackOffice(BaseHTTPRequestHandler):
    queries: ClassVar[list[dict[str, list[str]]]] = []

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        type(self).queries.append(parse_qs(url.query))
        body = json.dumps(OLDER_PING).encode()
        self.send_response(200 if url.path == "/api/v1/ping" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        return


@pytest.fixture
def older_office() -> Iterator[str]:
    _OlderBackOffice.queries = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OlderBackOffice)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_report_rides_in_the_query_and_an_older_back_office_answers_as_ever(
    older_office: str,
) -> None:
    client = BackOfficeClient(older_office, "token")
    report = TillReport(software_version="0.18.0", outbox_depth=5, parked_events=1)
    pong = client.ping(report)
    assert (pong.store_id, pong.server_time, pong.token) == ("DEMO-1", "2026-12-07T12:00:00Z", None)
    assert _OlderBackOffice.queries == [
        {"software_version": ["0.18.0"], "outbox_depth": ["5"], "parked_events": ["1"]}
    ]
    client.ping()  # without a report: no parameters at all
    assert _OlderBackOffice.queries[-1] == {}
