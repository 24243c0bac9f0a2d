"""The member limits of a paid pack (K4), the one rule both the back office and the till
count with."""

from __future__ import annotations

from pos_app.protocol.pack_limits import (
    LIMIT_DAILY_REACHED,
    LIMIT_TOTAL_REACHED,
    Bought,
    LimitBreach,
    limit_breach,
)
from pos_app.protocol.pack_records import PackLimits


def test_no_limits_never_refuse() -> None:
    """K4: a pack without limits is sold to a member any number of times."""
    assert limit_breach(PackLimits(), Bought(total=1_000, on_day=1_000)) is None


def test_the_total_limit_counts_what_was_bought_plus_what_is_wanted() -> None:
    """K4: with a total limit of 2, a member who bought 1 may buy 1 more, not 2."""
    limits = PackLimits(total=2)
    assert limit_breach(limits, Bought(total=1, on_day=0)) is None
    assert limit_breach(limits, Bought(total=1, on_day=0), wanted=2) == LimitBreach("total", 1, 2)
    breach = limit_breach(limits, Bought(total=2, on_day=0))
    assert breach is not None and breach.reason == LIMIT_TOTAL_REACHED and not breach.daily


def test_the_daily_limit_counts_the_day_of_the_sale() -> None:
    """K4: with a daily limit of 1, a second pack the same local day is refused, and the
    total limit is checked first."""
    limits = PackLimits(total=5, daily=1)
    assert limit_breach(limits, Bought(total=3, on_day=0)) is None
    breach = limit_breach(limits, Bought(total=3, on_day=1))
    assert breach == LimitBreach("daily", 1, 1)
    assert breach is not None and breach.reason == LIMIT_DAILY_REACHED and breach.daily
    assert limit_breach(limits, Bought(total=5, on_day=1)) == LimitBreach("total", 5, 5)
