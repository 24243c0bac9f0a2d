"""The device's clock: aware local times for what the till records (opened, closed,
device time of events), and the naive local wall-clock time validity windows are
checked against."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]


def local_now() -> datetime:
    """Now, aware, in the device's local time zone."""
    return datetime.now().astimezone()


def aware(moment: datetime) -> datetime:
    """A naive time is taken as the device's local time."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def wall_time(moment: datetime) -> datetime:
    """The local wall-clock time of ``moment``, naive (validity windows are local)."""
    return aware(moment).astimezone().replace(tzinfo=None)
