"""How a sync request can fail, sorted by what the till should do about it (S5)."""

from __future__ import annotations


class SyncError(Exception):
    """Base of every sync failure. The message names the URL at fault; never a token."""


class BackOfficeUnavailable(SyncError):
    """Network error, timeout, 5xx or a truncated/garbled reply: keep everything queued
    and retry later with backoff (S5, S10)."""


class RequestRefused(SyncError):
    """The back office refused the whole request with a 4xx (other than auth)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class NotAuthorized(RequestRefused):
    """401/403: the device token is missing, unknown or acting for another store (S12)."""
