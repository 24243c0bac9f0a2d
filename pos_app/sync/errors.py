"""How a sync request can fail, sorted by what the till should do about it (S5)."""

from __future__ import annotations

from pos_app.sync.status import SyncProblem


class SyncError(Exception):
    """Base of every sync failure. The message names the URL at fault; never a token."""


class BackOfficeUnavailable(SyncError):
    """Network error, timeout, 5xx or a truncated/garbled reply: keep everything queued
    and retry later with backoff (S5, S10)."""


class MalformedReply(BackOfficeUnavailable):
    """A reply that is not the protocol's (a field the till reads missing or of another
    type): treated as the back office being unavailable."""


class ServerError(BackOfficeUnavailable):
    """A 5xx: the back office is reachable but failing. Kept queued like being offline
    (S5), but shown as a server error (S17)."""


class RequestRefused(SyncError):
    """The back office refused the whole request with a 4xx (other than auth);
    ``detail`` is what it said of why ("" when it said nothing readable)."""

    def __init__(self, message: str, status: int, detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail


class NotAuthorized(RequestRefused):
    """401/403: the device token is missing, unknown, revoked, expired or acting for
    another store (S12, S17); ``reason`` is the back office's code when it gave one."""

    def __init__(self, message: str, status: int, reason: str | None = None) -> None:
        super().__init__(message, status)
        self.reason = reason


class CursorExpired(RequestRefused):
    """410: the download cursor is older than the change log's retention window; the
    till starts again from a snapshot (S16)."""


def problem_of(error: SyncError) -> SyncProblem:
    """What the cashier is told about ``error``."""
    if isinstance(error, ServerError):
        return SyncProblem.SERVER_ERROR
    if isinstance(error, NotAuthorized):
        if error.reason == "DEVICE_REVOKED":
            return SyncProblem.REVOKED
        if error.reason == "TOKEN_EXPIRED":
            return SyncProblem.TOKEN_EXPIRED
        return SyncProblem.NOT_AUTHORIZED
    if isinstance(error, RequestRefused):
        return SyncProblem.REFUSED
    return SyncProblem.OFFLINE
