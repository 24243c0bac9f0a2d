"""The time arithmetic of packs (K2, K3, K4): cycles here; validity windows and local
dates are the protocol's (:mod:`pos_app.protocol.pack_validity`), shared with the tills
that issue a pack's coupons when they sell it offline (K15).

Instants are aware UTC datetimes; "local" means the pack's time zone (a zoneinfo
name). A recurring cycle keeps the local wall-clock time of the first one, so a
weekly pack at 10:00 stays at 10:00 across a daylight-saving change; a monthly
pack keeps the first cycle's day of the month, clamped to the month's last day
(31 Jan, 28 Feb, 31 Mar, ...).
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from backoffice.packs.definition import Period
from pos_app.protocol.pack_validity import (
    LAST_INSTANT,
    ValidityWindow,
    aware,
    local_date,
    local_to_utc,
    till_time,
    till_window,
    validity_window,
)

__all__ = [
    "LAST_INSTANT",
    "ValidityWindow",
    "add_months",
    "cycle_time",
    "local_date",
    "local_to_utc",
    "till_time",
    "till_window",
    "validity_window",
]


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
    start = aware(start)
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
