"""When a pack's coupons are valid (COUPON-PACK-RULES K2) and which local day a sale is
on (K4): the one arithmetic the back office issues coupons with and a till issues them
with when it sells a pack offline (K15), so both give a coupon the same window.

Instants are aware UTC datetimes; "local" means the pack's time zone (a zoneinfo
name). A local time that does not exist (the hour a clock springs forward over) is
read with the offset before the change, i.e. it lands that much later; an ambiguous
one (the hour repeated in autumn) is its first occurrence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

LAST_INSTANT = timedelta(microseconds=1)


class Effective(StrEnum):
    """When an issued coupon starts to be valid (K2)."""

    immediate = "immediate"
    after_hours = "after_hours"
    after_days = "after_days"


def aware(moment: datetime) -> datetime:
    """``moment``, refused when it has no offset (an instant needs one)."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: an instant needs an offset")
    return moment


def local_to_utc(wall: datetime, zone: ZoneInfo) -> datetime:
    """The instant a naive local wall-clock time names in ``zone`` (fold 0, see above)."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """The local date of an instant: what sales periods and daily limits count (K4)."""
    return aware(moment).astimezone(zone).date()


@dataclass(frozen=True)
class ValidityWindow:
    """When an issued coupon is valid: from ``valid_from`` up to ``valid_to``, exclusive (K2)."""

    valid_from: datetime
    valid_to: datetime

    def contains(self, moment: datetime) -> bool:
        return self.valid_from <= moment < self.valid_to


def validity_window(
    issued_at: datetime, entry: Mapping[str, Any], zone: ZoneInfo
) -> ValidityWindow:
    """The validity of a coupon of content ``entry`` issued at ``issued_at`` (K2).

    ``immediate``: from the moment of issue; ``after_hours`` N: from issue + N
    hours; ``after_days`` N: from local midnight N days after the local day of
    issue. It lasts ``validity_days`` × 24 hours.
    """
    issued_at = aware(issued_at).astimezone(UTC)
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
    return aware(moment).astimezone(zone).isoformat()


def till_window(window: ValidityWindow, zone: ZoneInfo) -> tuple[str, str]:
    """``valid_from`` and ``valid_to`` for the entitlement record.

    The till takes both bounds as inclusive local times, so ``valid_to`` is the
    window's last instant (its exclusive end less a microsecond).
    """
    return till_time(window.valid_from, zone), till_time(window.valid_to - LAST_INSTANT, zone)


def window_of_record(valid_from: str, valid_to: str) -> ValidityWindow:
    """The window an entitlement record's bounds (as :func:`till_window` writes them)
    name, back as instants with an exclusive end; ValueError if they are not instants."""
    start, last = datetime.fromisoformat(valid_from), datetime.fromisoformat(valid_to)
    if start.tzinfo is None or last.tzinfo is None:
        raise ValueError("valid_from and valid_to must carry an offset")
    window = ValidityWindow(start.astimezone(UTC), (last + LAST_INSTANT).astimezone(UTC))
    if window.valid_to <= window.valid_from:
        raise ValueError("valid_to is before valid_from")
    return window
