"""The fault proxy does to HTTP what the sync tests rely on (S5): forward, refuse, fail,
hold, drop and cut replies, limited to paths and counts, and rewrite bodies."""

from __future__ import annotations

import errno
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.helpers.fault_proxy import Exchange, Fault, FaultProxy

TIMEOUT = (0.5, 0.5)


class _Upstream(ThreadingHTTPServer):
    """Answers every request with JSON naming its method, path and body; counts them."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _EchoHandler)
        self.seen: list[tuple[str, str, bytes]] = []
        self.seen_lock = threading.Lock()


class _EchoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Upstream

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        with self.server.seen_lock:
            self.server.seen.append((self.command, self.path, body))
        reply = json.dumps(
            {"method": self.command, "path": self.path, "body": body.decode(), "pad": "x" * 64}
        ).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture
def upstream() -> Iterator[_Upstream]:
    server = _Upstream()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def proxy(upstream: _Upstream) -> Iterator[FaultProxy]:
    with FaultProxy(upstream.server_address[1], slow_delay=1.5) as fault_proxy:
        yield fault_proxy


def test_forwards_requests_and_replies(proxy: FaultProxy, upstream: _Upstream) -> None:
    """Without a fault, the request reaches the server and its reply comes back whole."""
    with requests.Session() as http:  # several requests: each gets its own connection
        for n in range(3):
            reply = http.post(f"{proxy.url}/api/v1/events?x={n}", data=b'{"n": 1}', timeout=5)
            assert reply.status_code == 201
            assert reply.json()["body"] == '{"n": 1}'
            assert reply.json()["path"] == f"/api/v1/events?x={n}"
            assert reply.headers["Connection"] == "close"  # one request per connection
    assert len(upstream.seen) == 3
    assert proxy.exchanges[0] == Exchange("POST", "/api/v1/events", Fault.NONE, 201)


def test_refuse_closes_the_port_and_heal_opens_it_again(
    proxy: FaultProxy, upstream: _Upstream
) -> None:
    """REFUSE: connections are refused (nothing listens); healed, the same port serves."""
    port = proxy.port
    proxy.set_fault(Fault.REFUSE)
    with pytest.raises(requests.ConnectionError) as refused:
        requests.get(f"{proxy.url}/api/v1/ping", timeout=TIMEOUT)
    assert f"Errno {errno.ECONNREFUSED}" in str(refused.value)
    assert upstream.seen == []
    proxy.heal()
    assert proxy.port == port
    assert requests.get(f"{proxy.url}/api/v1/ping", timeout=TIMEOUT).status_code == 201


def test_server_error_answers_500_without_forwarding(
    proxy: FaultProxy, upstream: _Upstream
) -> None:
    """SERVER_ERROR: a 500 made up by the proxy; the server never sees the request."""
    proxy.set_fault(Fault.SERVER_ERROR)
    reply = requests.post(f"{proxy.url}/api/v1/events", data=b"{}", timeout=TIMEOUT)
    assert reply.status_code == 500
    assert upstream.seen == []
    assert proxy.exchanges == [Exchange("POST", "/api/v1/events", Fault.SERVER_ERROR, None)]


def test_slow_reply_outlasts_the_clients_read_timeout(
    proxy: FaultProxy, upstream: _Upstream
) -> None:
    """SLOW_REPLY: the server handles the request; the reply comes after the client gave up."""
    proxy.set_fault(Fault.SLOW_REPLY)
    with pytest.raises(requests.ReadTimeout):
        requests.post(f"{proxy.url}/api/v1/events", data=b"{}", timeout=TIMEOUT)
    assert len(upstream.seen) == 1


def test_drop_reply_closes_after_the_server_answered(
    proxy: FaultProxy, upstream: _Upstream
) -> None:
    """DROP_REPLY: the server handles the request; the client gets a closed connection."""
    proxy.set_fault(Fault.DROP_REPLY)
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{proxy.url}/api/v1/events", data=b"{}", timeout=TIMEOUT)
    assert len(upstream.seen) == 1
    assert proxy.exchanges[0].status == 201


def test_truncate_reply_sends_half_the_body(proxy: FaultProxy, upstream: _Upstream) -> None:
    """TRUNCATE_REPLY: head with the full Content-Length, half the body, then close."""
    proxy.set_fault(Fault.TRUNCATE_REPLY)
    with pytest.raises(requests.RequestException) as cut:
        requests.post(f"{proxy.url}/api/v1/events", data=b"{}", timeout=TIMEOUT).content  # noqa: B018
    assert "IncompleteRead" in repr(cut.value) or "incomplete" in repr(cut.value).lower()
    assert len(upstream.seen) == 1


def test_fault_limited_to_paths_and_times(proxy: FaultProxy, upstream: _Upstream) -> None:
    """A fault for ``paths`` hits only those paths, and only ``times`` requests."""
    proxy.set_fault(Fault.SERVER_ERROR, paths=("/api/v1/events",), times=2)
    statuses = [
        requests.get(f"{proxy.url}{path}", timeout=TIMEOUT).status_code
        for path in ("/api/v1/ping", "/api/v1/events", "/api/v1/events", "/api/v1/events")
    ]
    assert statuses == [201, 500, 500, 201]
    assert [path for _, path, _ in upstream.seen] == ["/api/v1/ping", "/api/v1/events"]


def test_refuse_cannot_be_limited_to_paths(proxy: FaultProxy) -> None:
    """REFUSE acts on the port, so a path or a count for it is a mistake in the test."""
    with pytest.raises(ValueError, match="REFUSE"):
        proxy.set_fault(Fault.REFUSE, paths=("/api/v1/events",))


def test_rewrite_replaces_a_reply_body(proxy: FaultProxy) -> None:
    """A rewrite hook changes the body; Content-Length follows."""

    def rewrite(method: str, path: str, status: int, body: bytes) -> bytes | None:
        if path != "/api/v1/changes":
            return None
        reply = json.loads(body)
        return json.dumps({**reply, "rewritten": [method, status]}).encode()

    proxy.set_rewrite(rewrite)
    changed = requests.get(f"{proxy.url}/api/v1/changes", timeout=TIMEOUT).json()
    assert changed["rewritten"] == ["GET", 201]
    assert "rewritten" not in requests.get(f"{proxy.url}/api/v1/ping", timeout=TIMEOUT).json()


def test_stop_gives_up_a_held_reply(upstream: _Upstream) -> None:
    """Stopping while a reply is held returns at once, and the port refuses afterwards."""
    proxy = FaultProxy(upstream.server_address[1], slow_delay=60).start()
    proxy.set_fault(Fault.SLOW_REPLY)
    with pytest.raises(requests.ReadTimeout):
        requests.get(f"{proxy.url}/api/v1/ping", timeout=TIMEOUT)
    proxy.stop(timeout=5)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{proxy.url}/api/v1/ping", timeout=TIMEOUT)


def test_wait_for_returns_once_the_reply_is_in(proxy: FaultProxy) -> None:
    """wait_for() waits on the exchanges: a dropped reply is recorded with its status."""
    proxy.set_fault(Fault.DROP_REPLY)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{proxy.url}/api/v1/events", timeout=TIMEOUT)
    seen = proxy.wait_for(lambda exchanges: len(exchanges) == 1, timeout=5)
    assert seen == [Exchange("GET", "/api/v1/events", Fault.DROP_REPLY, 201)]
    with pytest.raises(TimeoutError):
        proxy.wait_for(lambda exchanges: len(exchanges) == 2, timeout=0.05)
