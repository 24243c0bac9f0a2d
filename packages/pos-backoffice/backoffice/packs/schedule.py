"""The time arithmetic of packs (K2, K3, K4): cycles, validity windows, local dates.

Instants are aware UTC datetimes; "local" means the pack's time zone (a zoneinfo
name). A recurring cycle keeps the local wall-clock time of the first one, so a
weekly pack at 10:00 stays at 10:00 across a daylight-saving change; a monthly
pack keeps the first cycle's day of the month, clamped to the month's last day
(31 Jan, 28 Feb, 31 Mar, ...). A local time that does not exist (the hour a
clock springs forward over) is read with the offset before the change, i.e. it
lands that much later; an ambiguous one (the hour repeated in autumn) is its first
occurrence.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from backoffice.packs.definition import Effective, Period

LAST_INSTANT = timedelta(microseconds=1)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: an instant needs an offset")
    return moment


def local_to_utc(wall: datetime, zone: ZoneInfo) -> datetime:
    """The instant a naive local wall-clock time names in ``zone`` (fold 0, see above)."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """The local date of an instant: what sales periods and daily limits count (K4)."""
    return _aware(moment).astimezone(zone).date()


def add_months(day: date, months: int, day_of_month: int) -> date:
    """``day`` moved ``months`` months on, on ``day_of_month`` clamped to the month's end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day_of_month, last))


def cycle_time(
    start: datetime, cycle: int, period: Period | str | None, zone: ZoneInfo
) -> datetime:
    """When cycle ``cycle`` (0-based) of a distribution that started at ``start`` is due (K3).

    Always counted from ``start``, never from the previous cycle, so a clamped
    month (28 Feb) does not pull later months back.
    """
    start = _aware(start)
    if cycle < 0:
        raise ValueError(f"cycle {cycle} is negative")
    if cycle == 0 or period is None:
        return start.astimezone(UTC)
    wall = start.astimezone(zone).replace(tzinfo=None)
    if period == Period.daily:
        day = wall.date() + timedelta(days=cycle)
    elif period == Period.weekly:
        day = wall.date() + timedelta(weeks=cycle)
    elif period == Period.monthly:
        day = add_months(wall.date(), cycle, wall.day)
    else:
        raise ValueError(f"unknown period {period!r}")
    return local_to_utc(datetime.combine(day, wall.time()), zone)


@dataclass(frozen=True)
class ValidityWindow:
    """When an issued coupon is valid: from ``valid_from`` up to ``valid_to``, exclusive (K2)."""

    valid_from: datetime
    valid_to: datetime

    def contains(self, moment: datetime) -> bool:
        return self.valid_from <= moment < self.valid_to


def validity_window(issued_at: datetime, entry: dict[str, Any], zone: ZoneInfo) -> ValidityWindow:
    """The validity of a coupon of content ``entry`` issued at ``issued_at`` (K2).

    ``immediate``: from the moment of issue; ``after_hours`` N: from issue + N
    hours; ``after_days`` N: from local midnight N days after the local day of
    issue. It lasts ``validity_days`` × 24 hours.
    """
    issued_at = _aware(issued_at).astimezone(UTC)
    effective = Effective(entry.get("effective", Effective.immediate))
    delay = int(entry.get("delay") or 0)
    if effective == Effective.immediate:
        start = issued_at
    elif effective == Effective.after_hours:
        start = issued_at + timedelta(hours=delay)
    else:
        day = local_date(issued_at, zone) + timedelta(days=delay)
        start = local_to_utc(datetime.combine(day, datetime.min.time()), zone)
    return ValidityWindow(start, start + timedelta(days=int(entry["validity_days"])))


def till_time(moment: datetime, zone: ZoneInfo) -> str:
    """An instant as the till reads an entitlement's window: local time, with its offset."""
    return _aware(moment).astimezone(zone).isoformat()


def till_window(window: ValidityWindow, zone: ZoneInfo) -> tuple[str, str]:
    """``valid_from`` and ``valid_to`` for the entitlement record.

    The till takes both bounds as inclusive local times, so ``valid_to`` is the
    window's last instant (its exclusive end less a microsecond).
    """
    return till_time(window.valid_from, zone), till_time(window.valid_to - LAST_INSTANT, zone)
