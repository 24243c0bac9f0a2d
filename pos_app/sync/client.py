"""The HTTP client of the back office's sync API (docs/sync-protocol.md), over requests.

Timeouts on every call; TLS certificates verified unless ``verify=False`` is set
for a local test server (S12). Tokens are sent as a bearer header and never
appear in an error message or a log line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from pos_app.sync.errors import (
    BackOfficeUnavailable,
    CursorExpired,
    NotAuthorized,
    RequestRefused,
    ServerError,
)

DEFAULT_TIMEOUT = (3.05, 15.0)  # connect, read (seconds)
MAX_TILL_NUMBER = 999  # the middle of a ticket number ("D1-02-000147"): 2 or 3 digits


@dataclass(frozen=True)
class Enrollment:
    """What enrolling a till returns: its device id, its store and its token."""

    device_id: str
    store_id: str
    token: str
    till_number: int | None = None  # None: a back office that numbers no tills


@dataclass(frozen=True)
class ChangesPage:
    """One page of downloaded records and the cursor that follows it (S7); a page of a
    snapshot holds live records, and its last page ends the snapshot (S16)."""

    records: list[dict[str, Any]]
    cursor: str
    has_more: bool
    snapshot: bool = False
    snapshot_complete: bool = False


class BackOfficeClient:
    """Talks to one back office as one enrolled device. Thread-safe enough for one
    daemon thread: it owns its own ``requests.Session``."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        verify: bool = True,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._verify = verify
        self._session = session or requests.Session()

    def close(self) -> None:
        self._session.close()

    # ------------------------------------------------------------ API

    def enroll(self, code: str, device_name: str) -> Enrollment:
        """Exchange a one-time enrollment code for a store-scoped device token (S12)."""
        body = self._request(
            "POST", "/api/v1/devices/enroll", json_body={"code": code, "device_name": device_name}
        )
        try:
            number = body.get("till_number")
            return Enrollment(
                str(body["device_id"]),
                str(body["store_id"]),
                str(body["token"]),
                number if isinstance(number, int) and 1 <= number <= MAX_TILL_NUMBER else None,
            )
        except (KeyError, TypeError, AttributeError):
            raise BackOfficeUnavailable(
                f"{self.base_url}: enrollment reply is incomplete"
            ) from None

    def ping(self) -> dict[str, Any]:
        """Probe the back office (S10); returns its reply with ``server_time``."""
        return self._request("GET", "/api/v1/ping")

    def fetch_changes(self, cursor: str | None, limit: int = 500) -> ChangesPage:
        """One page of changes after ``cursor`` (S7)."""
        params = {"cursor": cursor or "", "limit": str(limit)}
        body = self._request("GET", "/api/v1/changes", params=params)
        records = body.get("records")
        next_cursor = body.get("cursor")
        if not isinstance(records, list) or not isinstance(next_cursor, str):
            raise BackOfficeUnavailable(f"{self.base_url}/api/v1/changes: malformed page")
        return ChangesPage(
            records,
            next_cursor,
            bool(body.get("has_more")),
            snapshot=body.get("snapshot") is True,
            snapshot_complete=body.get("snapshot_complete") is True,
        )

    def use_token(self, token: str) -> None:
        """Send ``token`` from now on (a rotated device token, S17)."""
        self._token = token

    def upload_events(self, events: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        """Upload a batch; returns ``{"server_time", "results": [...]}`` (S3, S4)."""
        body = self._request("POST", "/api/v1/events", json_body={"events": list(events)})
        results = body.get("results")
        if not isinstance(results, list) or len(results) != len(events):
            raise BackOfficeUnavailable(
                f"{self.base_url}/api/v1/events: reply has no result per event"
            )
        return body

    def pack_supplies(self, codes_left: int) -> dict[str, Any]:
        """The till's quotas of limited packs and its code blocks (K13, K15)."""
        return self._request(
            "POST", "/api/v1/till/pack-supplies", json_body={"codes_left": codes_left}
        )

    def reserve_pack(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """One unit of a pack for a sale at the till, online (K13)."""
        return self._request("POST", "/api/v1/till/pack-reservations", json_body=dict(request))

    # ------------------------------------------------------------ transport

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
    ) -> dict[str, Any]:
        url = self.base_url + path
        headers = {"Accept": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            response = self._session.request(
                method,
                url,
                params=params,
                data=json.dumps(json_body) if json_body is not None else None,
                headers={**headers, "Content-Type": "application/json"}
                if json_body is not None
                else headers,
                timeout=self._timeout,
                verify=self._verify,
            )
            content = response.content  # reads the whole body: a cut connection raises here
        except requests.exceptions.SSLError as exc:
            raise BackOfficeUnavailable(f"{url}: TLS verification failed ({exc})") from None
        except requests.RequestException as exc:
            raise BackOfficeUnavailable(f"{url}: {type(exc).__name__}") from None
        status = response.status_code
        if status >= 500:
            raise ServerError(f"{url}: server error {status}")
        if status in (401, 403):
            raise NotAuthorized(
                f"{url}: not authorized ({status}): {_detail(content)}", status, _reason(content)
            )
        if status == 410:
            raise CursorExpired(f"{url}: cursor expired: {_detail(content)}", status)
        if status >= 400:
            raise RequestRefused(f"{url}: refused ({status}): {_detail(content)}", status)
        try:
            body = json.loads(content)
        except ValueError:
            raise BackOfficeUnavailable(f"{url}: reply is not complete JSON") from None
        if not isinstance(body, dict):
            raise BackOfficeUnavailable(f"{url}: reply is not a JSON object")
        return body


def _reason(content: bytes) -> str | None:
    try:
        body = json.loads(content)
    except ValueError:
        return None
    reason = body.get("reason") if isinstance(body, dict) else None
    return reason if isinstance(reason, str) else None


def _detail(content: bytes) -> str:
    try:
        body = json.loads(content)
    except ValueError:
        return content[:200].decode("utf-8", "replace")
    if isinstance(body, dict) and "detail" in body:
        return str(body["detail"])[:500]
    return str(body)[:200]
