"""The back office's own clock (S13): injected, so tests can move it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC)


def iso_time(moment: datetime) -> str:
    """The protocol's time form: ISO 8601 in UTC with an explicit offset (``+00:00``)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")
