"""A loopback HTTP proxy that breaks the network on purpose, between a till and its back office.

The till talks to ``proxy.url``; the proxy forwards each request to the back office
and hands the reply back, unless a :class:`Fault` is set: connections refused
(nothing listens), a 500 made up by the proxy, a reply held longer than the
client waits, a reply dropped after the back office handled the request, or a
reply cut off half-way through its body. A fault can be limited to paths
(``/api/v1/events``) and to a number of requests; a ``rewrite`` hook can change
a reply's body (to serve a crafted page).

Each client connection carries one request: the proxy asks the back office to
close after its reply, and tells the client the same (``Connection: close``).
Plain sockets and threads; HTTP/1.1 with ``Content-Length`` bodies only (what
``requests`` sends and uvicorn answers).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

HOST = "127.0.0.1"
MAX_HEAD_BYTES = 64 * 1024
UPSTREAM_TIMEOUT = 30.0


class Fault(StrEnum):
    """What the proxy does to the next matching request."""

    NONE = "none"  # forward the request, hand the reply back
    REFUSE = "refuse"  # nothing listens on the port: connections are refused
    SERVER_ERROR = "server_error"  # answer 500 without forwarding anything
    SLOW_REPLY = "slow_reply"  # forward, then hold the reply for ``slow_delay`` seconds
    DROP_REPLY = "drop_reply"  # forward, read the reply, close without sending it
    TRUNCATE_REPLY = "truncate_reply"  # forward, send the head and half the body, close


# (method, path, status, body) -> a new body, or None to leave the reply alone.
Rewrite = Callable[[str, str, int, bytes], bytes | None]


@dataclass(frozen=True)
class Exchange:
    """One request the proxy handled: what it was, the fault applied, and the back
    office's status (None when the request was never forwarded or got no reply)."""

    method: str
    path: str
    fault: Fault
    status: int | None


class ProxyProtocolError(Exception):
    """A request or reply the proxy cannot frame (no Content-Length, head too long)."""


class FaultProxy:
    """Listens on 127.0.0.1 (a free port unless given) and forwards to
    ``upstream_host:upstream_port``. Thread-safe: faults may be changed from the test's
    thread while connections are handled on the proxy's own threads."""

    def __init__(
        self,
        upstream_port: int,
        upstream_host: str = HOST,
        *,
        port: int = 0,
        slow_delay: float = 2.0,
    ) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.slow_delay = slow_delay
        self._lock = threading.Lock()
        self._recorded = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._fault = Fault.NONE
        self._paths: tuple[str, ...] = ()
        self._times: int | None = None
        self._rewrite: Rewrite | None = None
        self._exchanges: list[Exchange] = []
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._handlers: set[threading.Thread] = set()
        self._port = port

    # ------------------------------------------------------------ control

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._port}"

    def start(self) -> FaultProxy:
        """Start listening (on the same port again after a stop or a refusal)."""
        with self._lock:
            self._stopping.clear()
            if self._fault is not Fault.REFUSE:
                self._listen()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening, give up held replies, wait for the handlers to finish."""
        self._stopping.set()
        with self._lock:
            accept_thread = self._unlisten()
            handlers = list(self._handlers)
        _join(accept_thread, timeout)
        for handler in handlers:
            handler.join(timeout)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def set_fault(
        self, fault: Fault, *, paths: tuple[str, ...] = (), times: int | None = None
    ) -> None:
        """Apply ``fault`` from now on to requests whose path starts with one of ``paths``
        (every request when empty), for the next ``times`` of them (for ever when None);
        the others pass. ``REFUSE`` closes the listening socket (for every path)."""
        if fault is Fault.REFUSE and (paths or times is not None):
            raise ValueError("REFUSE closes the port: it cannot be limited to paths or times")
        accept_thread = None
        with self._lock:
            self._fault, self._paths, self._times = fault, paths, times
            if self._stopping.is_set():
                return
            if fault is Fault.REFUSE:
                accept_thread = self._unlisten()
            elif self._listener is None:
                self._listen()
        _join(accept_thread, 5.0)

    def heal(self) -> None:
        """No more faults: forward everything."""
        self.set_fault(Fault.NONE)

    def set_rewrite(self, rewrite: Rewrite | None) -> None:
        """Change replies' bodies with ``rewrite`` (None: leave them alone)."""
        with self._lock:
            self._rewrite = rewrite

    @property
    def exchanges(self) -> list[Exchange]:
        """Every request handled so far, in the order they arrived."""
        with self._lock:
            return list(self._exchanges)

    def wait_for(
        self, condition: Callable[[list[Exchange]], bool], timeout: float = 10.0
    ) -> list[Exchange]:
        """Wait until ``condition(exchanges)`` holds (an exchange is recorded once the back
        office's reply is in, before any fault is done to it); returns the exchanges."""
        with self._recorded:
            if not self._recorded.wait_for(lambda: condition(list(self._exchanges)), timeout):
                raise TimeoutError(f"{self.url}: no such exchange after {timeout} s")
            return list(self._exchanges)

    # ------------------------------------------------------------ listening

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self._port))
        listener.listen(64)
        self._port = listener.getsockname()[1]
        self._listener = listener
        thread = threading.Thread(
            target=self._accept_loop, args=(listener,), name=f"fault-proxy-{self._port}"
        )
        thread.daemon = True
        thread.start()
        self._accept_thread = thread

    def _unlisten(self) -> threading.Thread | None:
        """Close the listening socket (the port refuses from now on); returns the accept
        thread for the caller to join once it has let go of the lock."""
        listener, thread = self._listener, self._accept_thread
        self._listener = self._accept_thread = None
        if listener is None:
            return None
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        listener.close()
        return thread

    def _accept_loop(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # the listener was closed
            handler = threading.Thread(target=self._handle, args=(client,), daemon=True)
            with self._lock:
                self._handlers.add(handler)
            handler.start()

    # ------------------------------------------------------------ one connection

    def _fault_for(self, path: str) -> Fault:
        with self._lock:
            fault = self._fault
            if fault is Fault.NONE:
                return fault
            if self._paths and not path.startswith(self._paths):
                return Fault.NONE
            if self._times is not None:
                if self._times <= 0:
                    return Fault.NONE
                self._times -= 1
            return fault

    def _record(self, method: str, path: str, fault: Fault, status: int | None) -> None:
        with self._recorded:
            self._exchanges.append(Exchange(method, path, fault, status))
            self._recorded.notify_all()

    def _handle(self, client: socket.socket) -> None:
        try:
            with client:
                client.settimeout(UPSTREAM_TIMEOUT)
                request = _read_message(client, request=True)
                if request is None:
                    return
                head, body = request
                method, target = _request_line(head)
                path = urlsplit(target).path
                fault = self._fault_for(path)
                if fault is Fault.SERVER_ERROR:
                    self._record(method, path, fault, None)
                    client.sendall(_server_error())
                    return
                reply = self._forward(head, body)
                if reply is None:
                    self._record(method, path, fault, None)
                    client.sendall(_bad_gateway())
                    return
                reply_head, reply_body = reply
                # One request per client connection: say so, or the client would send
                # its next request down a connection the proxy is about to close.
                reply_head = _with_header(reply_head, "Connection", "close")
                status = _status(reply_head)
                self._record(method, path, fault, status)
                reply_head, reply_body = self._rewritten(
                    method, path, status, reply_head, reply_body
                )
                if fault is Fault.DROP_REPLY:
                    return
                if fault is Fault.SLOW_REPLY and self._stopping.wait(self.slow_delay):
                    return
                if fault is Fault.TRUNCATE_REPLY:
                    client.sendall(reply_head + reply_body[: len(reply_body) // 2])
                    return
                client.sendall(reply_head + reply_body)
        except (OSError, ProxyProtocolError):
            pass  # the client went away or sent what the proxy cannot frame: drop it
        finally:
            with self._lock:
                self._handlers.discard(threading.current_thread())

    def _forward(self, head: bytes, body: bytes) -> tuple[bytes, bytes] | None:
        """Send the request upstream with ``Connection: close``; the whole reply, or None
        when the back office cannot be reached."""
        try:
            with socket.create_connection(self.upstream, timeout=UPSTREAM_TIMEOUT) as upstream:
                upstream.sendall(_with_header(head, "Connection", "close") + body)
                return _read_message(upstream, request=False)
        except OSError:
            return None

    def _rewritten(
        self, method: str, path: str, status: int, head: bytes, body: bytes
    ) -> tuple[bytes, bytes]:
        with self._lock:
            rewrite = self._rewrite
        if rewrite is None:
            return head, body
        new_body = rewrite(method, path, status, body)
        if new_body is None:
            return head, body
        return _with_header(head, "Content-Length", str(len(new_body))), new_body


def _join(thread: threading.Thread | None, timeout: float) -> None:
    if thread is not None and thread is not threading.current_thread():
        thread.join(timeout)


# ---------------------------------------------------------------- HTTP framing


def _read_message(sock: socket.socket, *, request: bool) -> tuple[bytes, bytes] | None:
    """One HTTP message (head with its blank line, body) from ``sock``; None when the
    peer closed before sending anything. A reply without Content-Length is read to EOF."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            if not data:
                return None
            raise ProxyProtocolError("connection closed inside the message head")
        data += chunk
        if len(data) > MAX_HEAD_BYTES and b"\r\n\r\n" not in data:
            raise ProxyProtocolError("message head too long")
    end = data.index(b"\r\n\r\n") + 4
    head, body = data[:end], data[end:]
    length = _content_length(head)
    if length is None:
        if request:
            if _header(head, "Transfer-Encoding") is not None:
                raise ProxyProtocolError("chunked request bodies are not supported")
            return head, b""
        while chunk := sock.recv(65536):
            body += chunk
        return head, body
    while len(body) < length:
        chunk = sock.recv(min(65536, length - len(body)))
        if not chunk:
            raise ProxyProtocolError("connection closed inside the message body")
        body += chunk
    return head, body[:length]


def _head_lines(head: bytes) -> list[bytes]:
    return head[:-4].split(b"\r\n")


def _header(head: bytes, name: str) -> str | None:
    wanted = name.lower().encode("ascii")
    for line in _head_lines(head)[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == wanted:
            return value.strip().decode("latin-1")
    return None


def _content_length(head: bytes) -> int | None:
    value = _header(head, "Content-Length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise ProxyProtocolError(f"bad Content-Length {value!r}") from None


def _with_header(head: bytes, name: str, value: str) -> bytes:
    """``head`` with header ``name`` set to ``value`` (replacing any it had)."""
    wanted = name.lower().encode("ascii")
    lines = _head_lines(head)
    kept = [lines[0]] + [
        line for line in lines[1:] if line.partition(b":")[0].strip().lower() != wanted
    ]
    kept.append(f"{name}: {value}".encode("latin-1"))
    return b"\r\n".join(kept) + b"\r\n\r\n"


def _request_line(head: bytes) -> tuple[str, str]:
    parts = _head_lines(head)[0].decode("latin-1").split(" ")
    if len(parts) != 3:
        raise ProxyProtocolError(f"bad request line {parts!r}")
    return parts[0], parts[1]


def _status(head: bytes) -> int:
    parts = _head_lines(head)[0].decode("latin-1").split(" ", 2)
    try:
        return int(parts[1])
    except (IndexError, ValueError):
        raise ProxyProtocolError(f"bad status line {parts!r}") from None


def _canned(status: str, body: bytes) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


def _server_error() -> bytes:
    return _canned("500 Internal Server Error", b'{"detail":"fault proxy: injected 500"}')


def _bad_gateway() -> bytes:
    return _canned("502 Bad Gateway", b'{"detail":"fault proxy: back office unreachable"}')
