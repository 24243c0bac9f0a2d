"""Auto-execute, manual triggers and cancellation of promotions (R12, ENGINE-RULES "Details")."""

from __future__ import annotations

from pos_app.engine import Ticket
from pos_app.engine.commands import (
    AddItem,
    CancelPromotion,
    Redeem,
    RemoveCoupon,
    RemoveLine,
    SetQuantity,
    TriggerPromotion,
)
from tests.helpers.engine_builders import (
    D,
    TillClock,
    assert_refused,
    coupon,
    nets,
    open_ticket,
    price_book,
    promotion,
    promotion_amounts,
)

LATTE_20 = promotion("P1", "percent_off", percent="20", items=["LATTE"])
LATTE_20_BY_HAND = promotion("P1", "percent_off", auto=False, percent="20", items=["LATTE"])


def test_automatic_promotion_applies_whenever_its_conditions_hold() -> None:
    """R12: an automatic promotion comes and goes with its eligible items."""
    ticket = open_ticket([LATTE_20], lines=[("L1", "LATTE", 1)])
    assert promotion_amounts(ticket.priced) == {"P1": D("1.00")}
    ticket.apply(RemoveLine("L1"))
    assert promotion_amounts(ticket.priced) == {}
    ticket.apply(AddItem("L2", "LATTE", 2))
    assert promotion_amounts(ticket.priced) == {"P1": D("2.00")}


def test_auto_execute_defaults_to_true() -> None:
    """R12: a promotion without auto_execute applies automatically."""
    definition = {"id": "P1", "type": "percent_off", "sequence": 1, "percent": "20"}
    ticket = open_ticket([definition], lines=[("L1", "LATTE", 1)])
    assert promotion_amounts(ticket.priced) == {"P1": D("1.00")}


def test_manual_promotion_waits_for_the_trigger() -> None:
    """R12: with auto-execute off nothing happens until the cashier triggers it."""
    ticket = open_ticket([LATTE_20_BY_HAND], lines=[("L1", "LATTE", 1)])
    assert promotion_amounts(ticket.priced) == {}
    ticket.apply(TriggerPromotion("P1"))
    assert promotion_amounts(ticket.priced) == {"P1": D("1.00")}
    assert nets(ticket.priced) == {"L1": D("4.00")}


def test_triggered_promotion_stays_and_covers_later_lines() -> None:
    """R12: a triggered promotion stays through later actions and takes new eligible units."""
    ticket = open_ticket([LATTE_20_BY_HAND], lines=[("L1", "LATTE", 1)])
    ticket.apply(TriggerPromotion("P1"))
    ticket.apply(AddItem("L2", "LATTE", 2))
    ticket.apply(AddItem("L3", "BURGER"))
    assert promotion_amounts(ticket.priced) == {"P1": D("3.00")}
    assert ticket.priced.total == D("24.00")


def test_cancelled_manual_promotion_is_off_until_triggered_again() -> None:
    """R12: cancel takes a triggered promotion off; a new trigger brings it back."""
    ticket = open_ticket([LATTE_20_BY_HAND], lines=[("L1", "LATTE", 1)])
    ticket.apply(TriggerPromotion("P1"))
    ticket.apply(CancelPromotion("P1"))
    assert promotion_amounts(ticket.priced) == {}
    ticket.apply(AddItem("L2", "LATTE"))
    assert promotion_amounts(ticket.priced) == {}
    ticket.apply(TriggerPromotion("P1"))
    assert promotion_amounts(ticket.priced) == {"P1": D("2.00")}


def test_triggering_twice_is_already_applied() -> None:
    """R12: the same promotion triggered twice is ALREADY_APPLIED."""
    ticket = open_ticket([LATTE_20_BY_HAND], lines=[("L1", "LATTE", 1)])
    ticket.apply(TriggerPromotion("P1"))
    assert_refused(ticket, TriggerPromotion("P1"), "ALREADY_APPLIED")


def test_triggering_an_automatic_promotion_in_effect_is_already_applied() -> None:
    """R12: an automatic promotion in effect is already applied."""
    ticket = open_ticket([LATTE_20], lines=[("L1", "LATTE", 1)])
    assert_refused(ticket, TriggerPromotion("P1"), "ALREADY_APPLIED")


def test_trigger_without_eligible_items_is_not_applicable() -> None:
    """R12: a trigger whose conditions do not hold is refused and not remembered."""
    ticket = open_ticket([LATTE_20_BY_HAND], lines=[("L1", "BURGER", 1)])
    assert_refused(ticket, TriggerPromotion("P1"), "NOT_APPLICABLE")
    ticket.apply(AddItem("L2", "LATTE"))
    assert promotion_amounts(ticket.priced) == {}


def test_cancelled_automatic_promotion_stays_off_until_triggered() -> None:
    """R12: cancelling an automatic promotion keeps it off for this ticket until triggered."""
    ticket = open_ticket([LATTE_20], lines=[("L1", "LATTE", 1)])
    ticket.apply(CancelPromotion("P1"))
    assert promotion_amounts(ticket.priced) == {}
    ticket.apply(AddItem("L2", "LATTE", 3))
    ticket.apply(SetQuantity("L1", 2))
    ticket.apply(RemoveLine("L2"))
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("10.00")

    ticket.apply(TriggerPromotion("P1"))
    assert promotion_amounts(ticket.priced) == {"P1": D("2.00")}
    ticket.apply(AddItem("L3", "LATTE"))
    assert promotion_amounts(ticket.priced) == {"P1": D("3.00")}


def test_cancelled_automatic_promotion_frees_its_units() -> None:
    """R12 R5: with the 50 % promotion cancelled, the next one in sequence takes the burger."""
    ticket = open_ticket(
        [
            promotion("P1", "percent_off", sequence=1, percent="50", items=["BURGER"]),
            promotion("P2", "special_price", sequence=2, price="9.00", items=["BURGER"]),
        ],
        lines=[("L1", "BURGER", 1)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("6.00")}
    ticket.apply(CancelPromotion("P1"))
    assert promotion_amounts(ticket.priced) == {"P2": D("3.00")}
    assert nets(ticket.priced) == {"L1": D("9.00")}


def test_cancelling_twice_is_not_applicable() -> None:
    """R12: cancelling a promotion that is not in effect is NOT_APPLICABLE."""
    ticket = open_ticket([LATTE_20], lines=[("L1", "LATTE", 1)])
    ticket.apply(CancelPromotion("P1"))
    assert_refused(ticket, CancelPromotion("P1"), "NOT_APPLICABLE")


def test_triggered_promotion_that_loses_its_effect_is_dropped() -> None:
    """R12: a trigger dropped below its min spend stays off until triggered again."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", auto=False, percent="20", items=["LATTE"], min_spend="10")],
        lines=[("L1", "LATTE", 2)],
    )
    ticket.apply(TriggerPromotion("P1"))
    assert promotion_amounts(ticket.priced) == {"P1": D("2.00")}
    ticket.apply(SetQuantity("L1", 1))
    assert promotion_amounts(ticket.priced) == {}
    assert "P1" not in ticket.state.triggered
    ticket.apply(SetQuantity("L1", 2))
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("10.00")
    ticket.apply(TriggerPromotion("P1"))
    assert promotion_amounts(ticket.priced) == {"P1": D("2.00")}


def test_triggered_promotion_dropped_when_its_line_is_removed() -> None:
    """R12: removing the only latte drops the triggered promotion; a new latte pays full price."""
    ticket = open_ticket([LATTE_20_BY_HAND], lines=[("L1", "LATTE", 1)])
    ticket.apply(TriggerPromotion("P1"))
    ticket.apply(RemoveLine("L1"))
    ticket.apply(AddItem("L2", "LATTE"))
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("5.00")


def test_triggered_promotion_dropped_when_a_coupon_takes_its_line() -> None:
    """R12 R7: a group purchase takes the burger; removing it does not restore the trigger."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", auto=False, percent="50", items=["BURGER"])],
        [coupon("GP", "group_purchase", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(TriggerPromotion("P1"))
    ticket.apply(Redeem("GP"))
    assert promotion_amounts(ticket.priced) == {}
    ticket.apply(RemoveCoupon("GP"))
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("12.00")


def test_manager_override_turns_auto_execute_off() -> None:
    """R12: a store manager's override to off makes an automatic promotion wait for a trigger."""
    book = price_book([LATTE_20]).with_auto_execute({"P1": False})
    ticket = Ticket(book, TillClock())
    ticket.apply(AddItem("L1", "LATTE"))
    assert promotion_amounts(ticket.priced) == {}
    ticket.apply(TriggerPromotion("P1"))
    assert promotion_amounts(ticket.priced) == {"P1": D("1.00")}


def test_manager_override_turns_auto_execute_on() -> None:
    """R12: a store manager's override to on makes a manual promotion automatic."""
    book = price_book([LATTE_20_BY_HAND]).with_auto_execute({"P1": True})
    ticket = Ticket(book, TillClock())
    ticket.apply(AddItem("L1", "LATTE"))
    assert promotion_amounts(ticket.priced) == {"P1": D("1.00")}
