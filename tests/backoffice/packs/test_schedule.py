"""Pack time arithmetic (K2, K3, K4): cycles, validity windows and local dates, no database."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from backoffice.packs.definition import Period
from backoffice.packs.schedule import (
    add_months,
    cycle_time,
    local_date,
    till_window,
    validity_window,
)

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def test_monthly_from_the_31st_clamps_and_comes_back() -> None:
    """K3: a monthly pack started on 31 Jan is due 28 Feb (29 in a leap year), 31 Mar, 30 Apr."""
    start = datetime(2027, 1, 31, 9, 0, tzinfo=UTC)
    days = [cycle_time(start, i, Period.monthly, ZoneInfo("UTC")).date() for i in range(5)]
    assert days == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
        date(2027, 5, 31),
    ]
    leap = datetime(2028, 1, 31, 9, 0, tzinfo=UTC)
    assert cycle_time(leap, 1, Period.monthly, ZoneInfo("UTC")).date() == date(2028, 2, 29)


def test_monthly_keeps_local_time_and_day_in_the_pack_zone() -> None:
    """K3: day of month and time are local: 31 Oct 10:00 Paris stays 10:00 Paris on 30 Nov."""
    start = datetime(2026, 10, 31, 10, 0, tzinfo=PARIS)
    november = cycle_time(start, 1, Period.monthly, PARIS)
    assert november.astimezone(PARIS).replace(tzinfo=None) == datetime(2026, 11, 30, 10, 0)
    assert november.tzinfo == UTC and november.hour == 9  # CET is UTC+1 after the change


def test_weekly_across_daylight_saving_keeps_the_wall_clock() -> None:
    """K3: a weekly pack at 10:00 Paris before the October change is still at 10:00 after it."""
    start = datetime(2026, 10, 20, 10, 0, tzinfo=PARIS)  # CEST, UTC+2
    first, second = (cycle_time(start, i, Period.weekly, PARIS) for i in (0, 1))
    assert first == datetime(2026, 10, 20, 8, 0, tzinfo=UTC)
    assert second == datetime(2026, 10, 27, 9, 0, tzinfo=UTC)  # CET, UTC+1
    assert second - first == timedelta(days=7, hours=1)
    assert second.astimezone(PARIS).hour == 10


def test_a_cycle_in_the_spring_gap_lands_after_it() -> None:
    """K3: 02:30 does not exist on 29 Mar 2026 in Paris; that cycle is at 03:30 local."""
    start = datetime(2026, 3, 22, 2, 30, tzinfo=PARIS)
    gap = cycle_time(start, 1, Period.weekly, PARIS)
    assert gap.astimezone(PARIS).replace(tzinfo=None) == datetime(2026, 3, 29, 3, 30)


def test_daily_cycles_count_from_the_start() -> None:
    """K3: distribution i happens at issue time + i days."""
    start = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    assert cycle_time(start, 3, Period.daily, ZoneInfo("UTC")) == start + timedelta(days=3)
    assert cycle_time(start, 0, None, ZoneInfo("UTC")) == start


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 1)),
    st.integers(min_value=0, max_value=240),
)
def test_add_months_keeps_the_day_clamped_to_the_month(start: date, months: int) -> None:
    """K3 property: the day is the start's, clamped to the month's last day, never drifting."""
    moved = add_months(start, months, start.day)
    assert (moved.year * 12 + moved.month) - (start.year * 12 + start.month) == months
    assert moved.day == min(start.day, calendar.monthrange(moved.year, moved.month)[1])


def test_immediate_validity_runs_d_times_24_hours() -> None:
    """K2: immediate is valid from the issue instant until + D × 24 h, exclusive."""
    issued = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    window = validity_window(issued, {"effective": "immediate", "validity_days": 30}, PARIS)
    assert window.valid_from == issued
    assert window.valid_to == issued + timedelta(days=30)
    assert window.contains(issued) and not window.contains(window.valid_to)


def test_after_hours_starts_n_hours_after_issue() -> None:
    """K2: after_hours N is valid from issue + N hours."""
    issued = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)
    entry = {"effective": "after_hours", "delay": 3, "validity_days": 1}
    window = validity_window(issued, entry, PARIS)
    assert window.valid_from == issued + timedelta(hours=3)
    assert window.valid_to == window.valid_from + timedelta(hours=24)


def test_after_days_starts_at_local_midnight() -> None:
    """K2: after_days N starts at local midnight N days after the local day of issue."""
    issued = datetime(2026, 11, 21, 23, 30, tzinfo=UTC)  # already 22 Nov 00:30 in Paris
    entry = {"effective": "after_days", "delay": 1, "validity_days": 2}
    window = validity_window(issued, entry, PARIS)
    assert window.valid_from.astimezone(PARIS).replace(tzinfo=None) == datetime(2026, 11, 23)
    assert window.valid_from == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
    assert window.valid_to - window.valid_from == timedelta(days=2)


def test_after_days_across_daylight_saving_counts_24_hour_days() -> None:
    """K2: the validity lasts D × 24 h even when a local day has 25 hours."""
    issued = datetime(2026, 10, 24, 12, 0, tzinfo=PARIS)
    entry = {"effective": "after_days", "delay": 1, "validity_days": 2}
    window = validity_window(issued, entry, PARIS)
    assert window.valid_from.astimezone(PARIS).replace(tzinfo=None) == datetime(2026, 10, 25)
    assert window.valid_to - window.valid_from == timedelta(hours=48)
    assert window.valid_to.astimezone(PARIS).replace(tzinfo=None) == datetime(2026, 10, 26, 23, 0)


def test_the_till_gets_local_times_and_the_last_instant() -> None:
    """K2 and the sync protocol: the till reads local times, both ends inclusive."""
    issued = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    window = validity_window(issued, {"validity_days": 1}, NEW_YORK)
    valid_from, valid_to = till_window(window, NEW_YORK)
    assert valid_from == "2026-11-21T07:00:00-05:00"
    assert valid_to == "2026-11-22T06:59:59.999999-05:00"


def test_local_date_is_the_pack_zone_date() -> None:
    """K4: sales periods and daily limits count local dates."""
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert local_date(late, PARIS) == date(2026, 12, 1)
    assert local_date(late, NEW_YORK) == date(2026, 11, 30)
