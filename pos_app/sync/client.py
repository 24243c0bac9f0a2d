"""The HTTP client of the back office's sync API (docs/sync-protocol.md), over requests.

Timeouts on every call; TLS certificates verified unless ``verify=False`` is set
for a local test server (S12). Tokens are sent as a bearer header and never
appear in an error message or a log line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from pydantic import BaseModel, ValidationError

from pos_app.protocol.bounds import JsonInputError, read_json
from pos_app.protocol.pack_supplies import (
    PackSupplies,
    PackSuppliesRequest,
    Reservation,
    ReservationRequest,
)
from pos_app.protocol.payloads import UploadRequest, describe_validation_error, wire_json
from pos_app.protocol.sync_api import (
    ChangesReply,
    EnrollRequest,
    Ping,
    TillNumbers,
    TillReport,
    UploadReply,
)
from pos_app.protocol.sync_api import Enrollment as EnrollmentReply
from pos_app.sync.errors import (
    BackOfficeUnavailable,
    CursorExpired,
    MalformedReply,
    NotAuthorized,
    RequestRefused,
    ServerError,
)

Reply = TypeVar("Reply", bound=BaseModel)

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

    records: list[Any]
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
        path = "/api/v1/devices/enroll"
        body = self._request(
            "POST", path, json_body=EnrollRequest(code=code, device_name=device_name)
        )
        try:
            reply = EnrollmentReply.model_validate(body)
        except ValidationError:
            raise BackOfficeUnavailable(
                f"{self.base_url}: enrollment reply is incomplete"
            ) from None
        number = reply.till_number
        return Enrollment(
            reply.device_id,
            reply.store_id,
            reply.token,
            number if number is not None and 1 <= number <= MAX_TILL_NUMBER else None,
        )

    def ping(self, report: TillReport | None = None) -> Ping:
        """Probe the back office (S10); its clock, the token's store, a rotated token.
        ``report`` (version, outbox depth, parked events) rides along for the operators."""
        params = report.query_parameters() if report is not None else None
        body = self._request("GET", "/api/v1/ping", params=params)
        return self._read(Ping, "/api/v1/ping", body)

    def till_numbers(self) -> TillNumbers:
        """What the back office holds of this till's numbers (a rebuilt till goes on
        after its highest ticket number)."""
        path = "/api/v1/till-numbers"
        return self._read(TillNumbers, path, self._request("GET", path))

    def fetch_changes(self, cursor: str | None, limit: int = 500) -> ChangesPage:
        """One page of changes after ``cursor`` (S7)."""
        params = {"cursor": cursor or "", "limit": str(limit)}
        body = self._request("GET", "/api/v1/changes", params=params)
        try:
            page = ChangesReply.model_validate(body)
        except ValidationError:
            raise BackOfficeUnavailable(f"{self.base_url}/api/v1/changes: malformed page") from None
        return ChangesPage(
            page.records,
            page.cursor,
            page.has_more,
            snapshot=page.snapshot,
            snapshot_complete=page.snapshot_complete,
        )

    def use_token(self, token: str) -> None:
        """Send ``token`` from now on (a rotated device token, S17)."""
        self._token = token

    def upload_events(self, events: Sequence[Mapping[str, Any]]) -> UploadReply:
        """Upload a batch of outbox envelopes; the results, one per event (S3, S4)."""
        path = "/api/v1/events"
        body = self._request("POST", path, json_body=UploadRequest(events=list(events)))
        reply = self._read(UploadReply, path, body)
        if len(reply.results) != len(events):
            raise BackOfficeUnavailable(
                f"{self.base_url}/api/v1/events: reply has no result per event"
            )
        return reply

    def pack_supplies(self, codes_left: int) -> PackSupplies:
        """The till's quotas of limited packs and its code blocks (K13, K15)."""
        path = "/api/v1/till/pack-supplies"
        body = self._request("POST", path, json_body=PackSuppliesRequest(codes_left=codes_left))
        return self._read(PackSupplies, path, body)

    def reserve_pack(self, request: ReservationRequest) -> Reservation:
        """One unit of a pack for a sale at the till, online (K13)."""
        path = "/api/v1/till/pack-reservations"
        return self._read(Reservation, path, self._request("POST", path, json_body=request))

    def _read(self, model: type[Reply], path: str, body: dict[str, Any]) -> Reply:
        """``body`` read as ``model``; a reply that does not fit is a malformed reply."""
        try:
            return model.model_validate(body)
        except ValidationError as exc:
            raise MalformedReply(
                f"{self.base_url}{path}: malformed reply ({describe_validation_error(exc)})"
            ) from None

    # ------------------------------------------------------------ transport

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: BaseModel | None = None,
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
                data=wire_json(json_body) if json_body is not None else None,
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
            detail = _detail(content)
            raise RequestRefused(f"{url}: refused ({status}): {detail}", status, detail)
        try:
            body = read_json(content)
        except JsonInputError as bad:
            raise BackOfficeUnavailable(f"{url}: reply is not usable JSON: {bad}") from None
        if not isinstance(body, dict):
            raise BackOfficeUnavailable(f"{url}: reply is not a JSON object")
        return body


def _reason(content: bytes) -> str | None:
    try:
        body = read_json(content)
    except ValueError:
        return None
    reason = body.get("reason") if isinstance(body, dict) else None
    return reason if isinstance(reason, str) else None


def _detail(content: bytes) -> str:
    try:
        body = read_json(content)
    except ValueError:
        return content[:200].decode("utf-8", "replace")
    if isinstance(body, dict) and "detail" in body:
        return str(body["detail"])[:500]
    return str(body)[:200]
