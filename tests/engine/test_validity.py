"""Validity windows of promotions and coupons: EXPIRED / NOT_YET_VALID, inclusive bounds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pytest

from pos_app.engine import Ticket
from pos_app.engine.commands import AddItem, Redeem, TriggerPromotion
from tests.helpers.engine_builders import (
    D,
    TillClock,
    assert_refused,
    coupon,
    coupon_amounts,
    open_ticket,
    price_book,
    promotion,
    promotion_amounts,
)


def latte_promotion(**window: Any) -> dict[str, Any]:
    return promotion("P1", "percent_off", percent="20", items=["LATTE"], **window)


def latte_voucher(**window: Any) -> dict[str, Any]:
    return coupon("CV", "cash_voucher", face_value="1.00", **window)


def ticket_at(
    now: datetime, promotions: Sequence[dict[str, Any]] = (), coupons: Sequence[dict[str, Any]] = ()
) -> Ticket:
    return open_ticket(promotions, coupons, lines=[("L1", "LATTE", 1)], clock=TillClock(now))


def test_expired_automatic_promotion_does_not_apply() -> None:
    """Refusals (EXPIRED): an automatic promotion that ended yesterday does nothing."""
    ticket = ticket_at(datetime(2026, 11, 21, 12), [latte_promotion(valid_to="2026-11-20")])
    assert promotion_amounts(ticket.priced) == {}


def test_future_automatic_promotion_does_not_apply() -> None:
    """Refusals (NOT_YET_VALID): an automatic promotion starting tomorrow does nothing."""
    ticket = ticket_at(datetime(2026, 11, 21, 12), [latte_promotion(valid_from="2026-11-22")])
    assert promotion_amounts(ticket.priced) == {}


def test_triggering_an_expired_promotion_is_expired() -> None:
    """Refusals: triggering a promotion past its window is EXPIRED."""
    definition = latte_promotion(valid_to="2026-11-20") | {"auto_execute": False}
    ticket = ticket_at(datetime(2026, 11, 21, 12), [definition])
    assert_refused(ticket, TriggerPromotion("P1"), "EXPIRED")


def test_triggering_a_future_promotion_is_not_yet_valid() -> None:
    """Refusals: triggering a promotion before its window is NOT_YET_VALID."""
    definition = latte_promotion(valid_from="2026-11-22T08:00:00") | {"auto_execute": False}
    ticket = ticket_at(datetime(2026, 11, 21, 12), [definition])
    assert_refused(ticket, TriggerPromotion("P1"), "NOT_YET_VALID")


def test_redeeming_an_expired_coupon_is_expired() -> None:
    """Refusals: redeeming a coupon past its window is EXPIRED."""
    ticket = ticket_at(datetime(2026, 11, 21, 12), coupons=[latte_voucher(valid_to="2026-11-20")])
    assert_refused(ticket, Redeem("CV"), "EXPIRED")


def test_redeeming_a_future_coupon_is_not_yet_valid() -> None:
    """Refusals: redeeming a coupon before its window is NOT_YET_VALID."""
    ticket = ticket_at(
        datetime(2026, 11, 21, 12), coupons=[latte_voucher(valid_from="2026-11-21T12:00:01")]
    )
    assert_refused(ticket, Redeem("CV"), "NOT_YET_VALID")


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 11, 21, 0, 0, 0),
        datetime(2026, 11, 21, 23, 59, 59),
        datetime(2026, 11, 21, 23, 59, 59, 999999),
    ],
)
def test_date_only_valid_to_covers_the_whole_day(now: datetime) -> None:
    """Details: valid_to "2026-11-21" still holds at any time on the 21st."""
    ticket = ticket_at(
        now, [latte_promotion(valid_to="2026-11-21")], [latte_voucher(valid_to="2026-11-21")]
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("1.00")}
    ticket.apply(Redeem("CV"))
    assert coupon_amounts(ticket.priced) == {"CV": D("1.00")}


def test_date_only_valid_to_ends_at_midnight() -> None:
    """Details: valid_to "2026-11-21" no longer holds at 00:00 on the 22nd."""
    ticket = ticket_at(
        datetime(2026, 11, 22, 0, 0, 0),
        [latte_promotion(valid_to="2026-11-21")],
        [latte_voucher(valid_to="2026-11-21")],
    )
    assert promotion_amounts(ticket.priced) == {}
    assert_refused(ticket, Redeem("CV"), "EXPIRED")


def test_date_only_valid_from_starts_at_midnight() -> None:
    """Details: valid_from "2026-11-21" holds from 00:00 on the 21st, not a second before."""
    window = {"valid_from": "2026-11-21"}
    early = ticket_at(datetime(2026, 11, 20, 23, 59, 59), coupons=[latte_voucher(**window)])
    assert_refused(early, Redeem("CV"), "NOT_YET_VALID")
    on_time = ticket_at(datetime(2026, 11, 21, 0, 0, 0), coupons=[latte_voucher(**window)])
    on_time.apply(Redeem("CV"))
    assert coupon_amounts(on_time.priced) == {"CV": D("1.00")}


def test_date_time_bounds_are_inclusive() -> None:
    """Details: a window ending at 12:00:00 holds at 12:00:00 and not at 12:00:01."""
    window = {"valid_to": "2026-11-21T12:00:00"}
    at_end = ticket_at(datetime(2026, 11, 21, 12, 0, 0), [latte_promotion(**window)])
    assert promotion_amounts(at_end.priced) == {"P1": D("1.00")}
    after = ticket_at(datetime(2026, 11, 21, 12, 0, 1), [latte_promotion(**window)])
    assert promotion_amounts(after.priced) == {}


def test_promotion_stops_at_the_first_recalculation_after_it_ends() -> None:
    """Details: a ticket left open past midnight loses an ended promotion on recalculation."""
    clock = TillClock(datetime(2026, 11, 21, 23, 0))
    ticket = open_ticket(
        [latte_promotion(valid_to="2026-11-21")], lines=[("L1", "LATTE", 1)], clock=clock
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("1.00")}
    clock.now = datetime(2026, 11, 22, 0, 30)
    ticket.apply(AddItem("L2", "LATTE"))
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("10.00")


def test_without_a_clock_the_tills_clock_is_used() -> None:
    """Details: with no `now` the till's clock is used (2000 is past, so one window is over)."""
    book = price_book(
        [
            promotion("OLD", "percent_off", percent="50", items=["LATTE"], valid_to="2000-01-01"),
            promotion("NEW", "percent_off", percent="20", items=["COLA"], valid_from="2000-01-01"),
        ]
    )
    ticket = Ticket(book)
    ticket.apply(AddItem("L1", "LATTE"))
    ticket.apply(AddItem("L2", "COLA"))
    assert promotion_amounts(ticket.priced) == {"NEW": D("0.60")}
