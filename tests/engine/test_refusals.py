"""Refusals: every code of the rules' table, the fixed cashier messages, the precedence order,
and that a refused action leaves the ticket exactly as it was."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from pos_app.engine import Ticket, TicketCommand
from pos_app.engine.commands import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    CancelPromotion,
    Close,
    Present,
    Redeem,
    RemoveCoupon,
    RemoveDiscount,
    RemoveLine,
    SetQuantity,
    TriggerPromotion,
    Unadjust,
    Unpresent,
)
from tests.helpers.engine_builders import (
    D,
    TillClock,
    assert_refused,
    coupon,
    coupon_amounts,
    nets,
    open_ticket,
    promotion,
)

PRESENT_EXECUTED_MESSAGE = "Promotion executed, cancel before redeeming coupon"
DISCOUNT_EXECUTED_MESSAGE = "Discount executed, cancel before redeeming coupon"
COVERED_BY_COUPON_MESSAGE = "Item is covered by a coupon, remove the coupon first"
ZERO_AMOUNT_COUPON_MESSAGE = "Coupon amount is 0, remove it to close the bill"


# Non-custom coupons that apply to burgers, one of each kind (FORMAT.md coupon table).
BURGER_COUPONS: dict[str, dict[str, Any]] = {
    "group_purchase": coupon("C", "group_purchase", items=["BURGER"]),
    "cash_voucher": coupon("C", "cash_voucher", face_value="2.00", items=["BURGER"]),
    "third_party_gp": {**coupon("C", "third_party", items=["BURGER"]), "as": "group_purchase"},
    "third_party_cv": {
        **coupon("C", "third_party", face_value="2.00", items=["BURGER"]),
        "as": "cash_voucher",
    },
    "member_voucher_discounted": coupon(
        "C", "member_voucher", face_value="2.00", deduct_from="discounted", items=["BURGER"]
    ),
    "member_voucher_original": coupon(
        "C", "member_voucher", face_value="2.00", deduct_from="original", items=["BURGER"]
    ),
}


def burger_and_cola(*coupons: dict[str, Any], **kwargs: Any) -> Ticket:
    return open_ticket(
        kwargs.pop("promotions", []),
        list(coupons),
        lines=[("L1", "BURGER", 1), ("L2", "COLA", 1)],
        **kwargs,
    )


# ---------------------------------------------------------------- PRESENT_EXECUTED


@pytest.mark.parametrize("kind", sorted(BURGER_COUPONS))
def test_coupon_on_a_presented_line_is_refused(kind: str) -> None:
    """R7 §4.2.1: a non-custom coupon whose items include a presented line is refused."""
    ticket = burger_and_cola(BURGER_COUPONS[kind])
    ticket.apply(Present("L1"))
    refusal = assert_refused(ticket, Redeem("C"), "PRESENT_EXECUTED")
    assert refusal.message == PRESENT_EXECUTED_MESSAGE


@pytest.mark.parametrize("kind", sorted(BURGER_COUPONS))
def test_coupon_on_a_price_adjusted_line_is_refused(kind: str) -> None:
    """R7 §4.2.1: a non-custom coupon whose items include a re-priced line is refused."""
    ticket = burger_and_cola(BURGER_COUPONS[kind])
    ticket.apply(AdjustPrice("L1", "11.00"))
    refusal = assert_refused(ticket, Redeem("C"), "PRESENT_EXECUTED")
    assert refusal.message == PRESENT_EXECUTED_MESSAGE


def test_presented_line_outside_the_coupons_items_does_not_block_it() -> None:
    """R7 §4.2.1: a presented cola does not stop a burger voucher."""
    ticket = burger_and_cola(BURGER_COUPONS["cash_voucher"])
    ticket.apply(Present("L2"))
    ticket.apply(Redeem("C"))
    assert nets(ticket.priced) == {"L1": D("10.00"), "L2": D("0.00")}


def test_voucher_without_items_is_not_blocked_by_a_presented_line() -> None:
    """R7 §4.1.1: a voucher with no applicable items is redeemed; it skips the free line."""
    ticket = burger_and_cola(coupon("CV", "cash_voucher", face_value="2.00"))
    ticket.apply(Present("L2"))
    ticket.apply(Redeem("CV"))
    assert coupon_amounts(ticket.priced) == {"CV": D("2.00")}
    assert nets(ticket.priced) == {"L1": D("10.00"), "L2": D("0.00")}


# ---------------------------------------------------------------- DISCOUNT_EXECUTED


@pytest.mark.parametrize("kind", sorted(BURGER_COUPONS))
def test_coupon_on_a_line_discounted_line_is_refused(kind: str) -> None:
    """R9 §4.2.3: a platform/member/third-party coupon on a discounted line is refused."""
    ticket = burger_and_cola(BURGER_COUPONS[kind])
    ticket.apply(ApplyDiscount("D1", percent="10", line_id="L1"))
    refusal = assert_refused(ticket, Redeem("C"), "DISCOUNT_EXECUTED")
    assert refusal.message == DISCOUNT_EXECUTED_MESSAGE


@pytest.mark.parametrize("kind", sorted(BURGER_COUPONS))
def test_coupon_under_an_order_discount_is_refused(kind: str) -> None:
    """R9 §4.2.3: an order-level discount counts as a local discount on every line."""
    ticket = burger_and_cola(BURGER_COUPONS[kind])
    ticket.apply(ApplyDiscount("D1", amount="1.00"))
    refusal = assert_refused(ticket, Redeem("C"), "DISCOUNT_EXECUTED")
    assert refusal.message == DISCOUNT_EXECUTED_MESSAGE


def test_order_discount_with_a_zero_share_still_blocks_a_coupon() -> None:
    """R9: one cent off burger + cola lands on the burger; a cola voucher is still refused."""
    ticket = burger_and_cola(coupon("CV", "cash_voucher", face_value="1.00", items=["COLA"]))
    ticket.apply(ApplyDiscount("D1", amount="0.01"))
    assert nets(ticket.priced) == {"L1": D("11.99"), "L2": D("3.00")}
    assert_refused(ticket, Redeem("CV"), "DISCOUNT_EXECUTED")


def test_member_discount_coupon_blocks_a_platform_coupon() -> None:
    """R10: a line covered by a member discount coupon counts as locally discounted."""
    ticket = burger_and_cola(
        coupon("MD", "member_discount", percent="10"), BURGER_COUPONS["cash_voucher"]
    )
    ticket.apply(Redeem("MD"))
    refusal = assert_refused(ticket, Redeem("C"), "DISCOUNT_EXECUTED")
    assert refusal.message == DISCOUNT_EXECUTED_MESSAGE


def test_discount_on_another_line_does_not_block_a_coupon() -> None:
    """R9 §4.2.3: a discounted cola does not stop a burger voucher; both stay."""
    ticket = burger_and_cola(BURGER_COUPONS["cash_voucher"])
    ticket.apply(ApplyDiscount("D1", percent="50", line_id="L2"))
    ticket.apply(Redeem("C"))
    assert ticket.priced.discounts["D1"] == D("1.50")
    assert nets(ticket.priced) == {"L1": D("10.00"), "L2": D("1.50")}


# ---------------------------------------------------------------- COVERED_BY_COUPON

COVERING_ACTIONS: dict[str, TicketCommand] = {
    "present": Present("L1"),
    "adjust_price": AdjustPrice("L1", "10.00"),
    "line_discount": ApplyDiscount("D1", percent="10", line_id="L1"),
    "remove": RemoveLine("L1"),
    "set_qty": SetQuantity("L1", 2),
}


@pytest.mark.parametrize("kind", sorted(BURGER_COUPONS))
@pytest.mark.parametrize("action", sorted(COVERING_ACTIONS))
def test_claimed_line_cannot_be_changed(kind: str, action: str) -> None:
    """R6 §4.1.1 §5.1 §6: present, re-price, line discount, quantity change or delete on a
    claimed line is refused."""
    ticket = burger_and_cola(BURGER_COUPONS[kind])
    ticket.apply(Redeem("C"))
    refusal = assert_refused(ticket, COVERING_ACTIONS[action], "COVERED_BY_COUPON")
    assert refusal.message == COVERED_BY_COUPON_MESSAGE


def test_unclaimed_line_can_still_be_changed() -> None:
    """R6 §4.1.1: the cola next to a covered burger can be presented and deleted."""
    ticket = burger_and_cola(BURGER_COUPONS["group_purchase"])
    ticket.apply(Redeem("C"))
    ticket.apply(Present("L2"))
    assert nets(ticket.priced) == {"L1": D("0.00"), "L2": D("0.00")}
    ticket.apply(RemoveLine("L2"))
    assert nets(ticket.priced) == {"L1": D("0.00")}


def test_more_of_a_claimed_item_is_a_new_line() -> None:
    """R6 §5.1: a second burger is a new line the voucher does not cover until redeemed
    again."""
    ticket = burger_and_cola(BURGER_COUPONS["cash_voucher"])
    ticket.apply(Redeem("C"))
    ticket.apply(AddItem("L3", "BURGER"))
    assert nets(ticket.priced) == {"L1": D("10.00"), "L2": D("3.00"), "L3": D("12.00")}


# ---------------------------------------------------------------- ZERO_AMOUNT_COUPON


def test_zero_amount_voucher_blocks_closing_until_removed() -> None:
    """R8 §5.2: a voucher left worth 0 by presenting its line must be removed to close."""
    ticket = open_ticket(
        [], [coupon("CV", "cash_voucher", face_value="2.00")], lines=[("L1", "COLA", 1)]
    )
    ticket.apply(Redeem("CV"))
    ticket.apply(Present("L1"))
    assert coupon_amounts(ticket.priced) == {"CV": D("0.00")}
    assert ticket.priced.can_close is False
    refusal = assert_refused(ticket, Close(), "ZERO_AMOUNT_COUPON")
    assert refusal.message == ZERO_AMOUNT_COUPON_MESSAGE

    ticket.apply(RemoveCoupon("CV"))
    assert ticket.priced.can_close is True
    ticket.apply(Close())
    assert ticket.state.closed is True


def test_zero_amount_custom_coupon_blocks_closing() -> None:
    """R11 §7: a custom coupon on a presented line is redeemed, worth 0, and blocks closing."""
    ticket = burger_and_cola(coupon("CU", "custom", face_value="1.00", items=["BURGER"]))
    ticket.apply(Present("L1"))
    ticket.apply(Redeem("CU"))
    assert coupon_amounts(ticket.priced) == {"CU": D("0.00")}
    refusal = assert_refused(ticket, Close(), "ZERO_AMOUNT_COUPON")
    assert refusal.message == ZERO_AMOUNT_COUPON_MESSAGE


# ---------------------------------------------------------------- NOT_APPLICABLE


def test_trigger_whose_conditions_fail_is_not_applicable() -> None:
    """R12: a latte promotion cannot be triggered on a ticket without lattes."""
    ticket = burger_and_cola(
        promotions=[promotion("P1", "percent_off", auto=False, percent="10", items=["LATTE"])]
    )
    refusal = assert_refused(ticket, TriggerPromotion("P1"), "NOT_APPLICABLE")
    assert refusal.message and refusal.message != "NOT_APPLICABLE"


def test_trigger_on_a_covered_item_names_the_coupon_and_the_line() -> None:
    """R8: a burger promotion triggered while the burger is under a group purchase says so,
    not "no eligible item"."""
    ticket = burger_and_cola(
        BURGER_COUPONS["group_purchase"],
        promotions=[promotion("P1", "percent_off", auto=False, percent="10", items=["BURGER"])],
    )
    ticket.apply(Redeem("C"))
    refusal = assert_refused(ticket, TriggerPromotion("P1"), "NOT_APPLICABLE")
    assert "Burger (line 1) is covered by coupon C" in refusal.message


def test_trigger_on_an_item_another_promotion_holds_names_it() -> None:
    """R5: a trigger whose only burger is held by an earlier promotion names that one."""
    ticket = burger_and_cola(
        promotions=[
            promotion("P0", "special_price", sequence=1, price="10.00", items=["BURGER"]),
            promotion("P1", "percent_off", sequence=2, auto=False, percent="10", items=["BURGER"]),
        ]
    )
    refusal = assert_refused(ticket, TriggerPromotion("P1"), "NOT_APPLICABLE")
    assert "Burger (line 1) already takes part in promotion P0" in refusal.message


def test_coupon_for_items_not_on_the_ticket_is_not_applicable() -> None:
    """R6: a cake voucher on a burger-and-cola ticket is refused."""
    ticket = burger_and_cola(coupon("CV", "cash_voucher", face_value="2.00", items=["CAKE"]))
    refusal = assert_refused(ticket, Redeem("CV"), "NOT_APPLICABLE")
    assert refusal.message and refusal.message != "NOT_APPLICABLE"


@pytest.mark.parametrize(
    "definition",
    [
        coupon("C", "cash_voucher", face_value="2.00"),
        coupon("C", "custom", percent="10"),
        coupon("C", "member_discount", percent="10"),
    ],
)
def test_any_coupon_on_an_empty_ticket_is_not_applicable(definition: dict[str, Any]) -> None:
    """R6: a coupon on an empty ticket is refused NOT_APPLICABLE."""
    ticket = open_ticket([], [definition])
    assert_refused(ticket, Redeem("C"), "NOT_APPLICABLE")


def test_voucher_below_its_min_spend_is_not_applicable() -> None:
    """R8: a 20.00 min spend is not met by 15.00."""
    ticket = burger_and_cola(coupon("CV", "cash_voucher", face_value="2.00", min_spend="20.00"))
    refusal = assert_refused(ticket, Redeem("CV"), "NOT_APPLICABLE")
    assert refusal.message and refusal.message != "NOT_APPLICABLE"


def test_cancelling_a_promotion_not_in_effect_is_not_applicable() -> None:
    """R12: cancelling a promotion that does not apply is refused."""
    ticket = burger_and_cola(
        promotions=[promotion("P1", "percent_off", percent="10", items=["LATTE"])]
    )
    assert_refused(ticket, CancelPromotion("P1"), "NOT_APPLICABLE")


# ---------------------------------------------------------------- ALREADY_APPLIED


def test_same_coupon_twice_is_already_applied() -> None:
    """R6: one coupon code once per ticket."""
    ticket = burger_and_cola(coupon("CV", "cash_voucher", face_value="2.00"))
    ticket.apply(Redeem("CV"))
    assert_refused(ticket, Redeem("CV"), "ALREADY_APPLIED")


def test_same_promotion_triggered_twice_is_already_applied() -> None:
    """R12: a triggered promotion in effect cannot be triggered again."""
    ticket = burger_and_cola(
        promotions=[promotion("P1", "percent_off", auto=False, percent="10", items=["COLA"])]
    )
    ticket.apply(TriggerPromotion("P1"))
    assert_refused(ticket, TriggerPromotion("P1"), "ALREADY_APPLIED")


def test_triggering_an_automatic_promotion_in_effect_is_already_applied() -> None:
    """R12: an automatic promotion already in effect cannot be triggered."""
    ticket = burger_and_cola(
        promotions=[promotion("P1", "percent_off", percent="10", items=["COLA"])]
    )
    assert_refused(ticket, TriggerPromotion("P1"), "ALREADY_APPLIED")


def test_second_discount_with_the_same_id_is_already_applied() -> None:
    """R9: a discount id is used once per ticket."""
    ticket = burger_and_cola()
    ticket.apply(ApplyDiscount("D1", percent="10", line_id="L1"))
    assert_refused(ticket, ApplyDiscount("D1", percent="5"), "ALREADY_APPLIED")


# ---------------------------------------------------------------- UNKNOWN

UNKNOWN_ACTIONS: dict[str, TicketCommand] = {
    "add unknown sku": AddItem("L9", "NOPE"),
    "redeem unknown code": Redeem("NOCODE"),
    "trigger unknown promotion": TriggerPromotion("NOPROMO"),
    "cancel unknown promotion": CancelPromotion("NOPROMO"),
    "set_qty unknown line": SetQuantity("L9", 2),
    "remove unknown line": RemoveLine("L9"),
    "present unknown line": Present("L9"),
    "unpresent unknown line": Unpresent("L9"),
    "adjust unknown line": AdjustPrice("L9", "1.00"),
    "unadjust unknown line": Unadjust("L9"),
    "discount unknown line": ApplyDiscount("D9", percent="10", line_id="L9"),
    "remove coupon not on ticket": RemoveCoupon("CV"),
    "remove discount not on ticket": RemoveDiscount("D9"),
    "set_qty gift line": SetQuantity("gift:G", 2),
    "remove gift line": RemoveLine("gift:G"),
    "present gift line": Present("gift:G"),
    "adjust gift line": AdjustPrice("gift:G", "1.00"),
    "discount gift line": ApplyDiscount("D9", percent="10", line_id="gift:G"),
}


@pytest.mark.parametrize("name", sorted(UNKNOWN_ACTIONS))
def test_unknown_names_are_refused(name: str) -> None:
    """R3: an unknown SKU, coupon, promotion, line or gift line is UNKNOWN."""
    ticket = burger_and_cola(
        coupon("CV", "cash_voucher", face_value="2.00"),
        promotions=[promotion("G", "gift", threshold="10.00", gift_sku="CAKE")],
    )
    assert ticket.priced.line("gift:G") is not None
    assert_refused(ticket, UNKNOWN_ACTIONS[name], "UNKNOWN")


# ---------------------------------------------------------------- INVALID

INVALID_ACTIONS: dict[str, TicketCommand] = {
    "qty 0": AddItem("L9", "COLA", 0),
    "qty -1": AddItem("L9", "COLA", -1),
    "qty text": AddItem("L9", "COLA", "2"),
    "qty float": AddItem("L9", "COLA", 1.5),
    "qty bool": AddItem("L9", "COLA", True),
    "set_qty 0": SetQuantity("L1", 0),
    "duplicate line id": AddItem("L1", "COLA"),
    "empty line id": AddItem("", "COLA"),
    "negative price": AdjustPrice("L1", "-1.00"),
    "non-numeric price": AdjustPrice("L1", "abc"),
    "float price": AdjustPrice("L1", 1.5),
    "percent over 100": ApplyDiscount("D9", percent="101"),
    "percent below 0": ApplyDiscount("D9", percent="-5"),
    "negative amount": ApplyDiscount("D9", amount="-1.00"),
    "percent and amount": ApplyDiscount("D9", percent="5", amount="1.00"),
    "neither percent nor amount": ApplyDiscount("D9"),
}


@pytest.mark.parametrize("name", sorted(INVALID_ACTIONS))
def test_malformed_input_is_invalid(name: str) -> None:
    """R3: quantity below 1, bad prices, percents outside 0–100 are INVALID."""
    ticket = burger_and_cola()
    assert_refused(ticket, INVALID_ACTIONS[name], "INVALID")


CLOSED_ACTIONS: dict[str, TicketCommand] = {
    "add": AddItem("L9", "COLA"),
    "set_qty": SetQuantity("L1", 2),
    "remove": RemoveLine("L1"),
    "present": Present("L1"),
    "unpresent": Unpresent("L1"),
    "adjust_price": AdjustPrice("L1", "1.00"),
    "unadjust": Unadjust("L1"),
    "discount": ApplyDiscount("D9", percent="10"),
    "remove_discount": RemoveDiscount("D1"),
    "trigger": TriggerPromotion("P1"),
    "cancel": CancelPromotion("P1"),
    "redeem": Redeem("CV"),
    "remove_coupon": RemoveCoupon("CV"),
    "close": Close(),
    "add unknown sku": AddItem("L9", "NOPE"),
    "redeem unknown code": Redeem("NOCODE"),
}


@pytest.mark.parametrize("name", sorted(CLOSED_ACTIONS))
def test_every_action_on_a_closed_ticket_is_invalid(name: str) -> None:
    """R3: after close every step is refused INVALID, before UNKNOWN."""
    ticket = burger_and_cola(
        coupon("CV", "cash_voucher", face_value="2.00"),
        promotions=[promotion("P1", "percent_off", auto=False, percent="10", items=["COLA"])],
    )
    ticket.apply(ApplyDiscount("D1", percent="10"))
    ticket.apply(Close())
    assert_refused(ticket, CLOSED_ACTIONS[name], "INVALID")


# ---------------------------------------------------------------- precedence


def test_invalid_quantity_wins_over_unknown_sku() -> None:
    """Details: INVALID > UNKNOWN (quantity 0 of an unknown item)."""
    assert_refused(open_ticket(), AddItem("L1", "NOPE", 0), "INVALID")


def test_invalid_price_wins_over_unknown_line() -> None:
    """Details: INVALID > UNKNOWN (negative price on an unknown line)."""
    assert_refused(open_ticket(), AdjustPrice("L9", "-1.00"), "INVALID")


def test_invalid_percent_wins_over_unknown_line() -> None:
    """Details: INVALID > UNKNOWN (150 % on an unknown line)."""
    assert_refused(open_ticket(), ApplyDiscount("D1", percent="150", line_id="L9"), "INVALID")


def test_unknown_line_wins_over_already_applied_discount() -> None:
    """Details: UNKNOWN > ALREADY_APPLIED (a reused discount id on an unknown line)."""
    ticket = burger_and_cola()
    ticket.apply(ApplyDiscount("D1", percent="10"))
    assert_refused(ticket, ApplyDiscount("D1", percent="10", line_id="L9"), "UNKNOWN")


def test_already_applied_wins_over_expired() -> None:
    """Details: ALREADY_APPLIED > EXPIRED (a coupon redeemed again after it expired)."""
    clock = TillClock(datetime(2026, 11, 21, 12, 0))
    ticket = burger_and_cola(
        coupon("CV", "cash_voucher", face_value="2.00", valid_to="2026-11-21"), clock=clock
    )
    ticket.apply(Redeem("CV"))
    clock.now = datetime(2026, 11, 22, 9, 0)
    assert_refused(ticket, Redeem("CV"), "ALREADY_APPLIED")


def test_not_yet_valid_wins_over_not_applicable() -> None:
    """Details: NOT_YET_VALID > NOT_APPLICABLE (a future coupon on an empty ticket)."""
    ticket = open_ticket(
        [], [coupon("CV", "cash_voucher", face_value="2.00", valid_from="2026-12-01")]
    )
    assert_refused(ticket, Redeem("CV"), "NOT_YET_VALID")


def test_expired_wins_over_not_applicable_for_a_trigger() -> None:
    """Details: EXPIRED > NOT_APPLICABLE (an expired promotion with nothing to do)."""
    ticket = burger_and_cola(
        promotions=[
            promotion(
                "P1",
                "percent_off",
                auto=False,
                percent="10",
                items=["LATTE"],
                valid_to="2026-01-01",
            )
        ]
    )
    assert_refused(ticket, TriggerPromotion("P1"), "EXPIRED")


def test_no_applicable_item_wins_over_present_executed() -> None:
    """Details: NOT_APPLICABLE (no item) > PRESENT_EXECUTED: a presented burger, a cake voucher."""
    ticket = burger_and_cola(coupon("CV", "cash_voucher", face_value="2.00", items=["CAKE"]))
    ticket.apply(Present("L1"))
    assert_refused(ticket, Redeem("CV"), "NOT_APPLICABLE")


def test_present_executed_wins_over_discount_executed() -> None:
    """Details: PRESENT_EXECUTED > DISCOUNT_EXECUTED (a presented, discounted burger)."""
    ticket = burger_and_cola(BURGER_COUPONS["cash_voucher"])
    ticket.apply(AdjustPrice("L1", "11.00"))
    ticket.apply(ApplyDiscount("D1", percent="10", line_id="L1"))
    assert_refused(ticket, Redeem("C"), "PRESENT_EXECUTED")


def test_present_executed_wins_over_min_spend() -> None:
    """Details: PRESENT_EXECUTED > NOT_APPLICABLE (min spend)."""
    ticket = burger_and_cola(
        coupon("CV", "cash_voucher", face_value="2.00", items=["BURGER"], min_spend="100.00")
    )
    ticket.apply(Present("L1"))
    assert_refused(ticket, Redeem("CV"), "PRESENT_EXECUTED")


def test_discount_executed_wins_over_min_spend() -> None:
    """Details: DISCOUNT_EXECUTED > NOT_APPLICABLE (min spend)."""
    ticket = burger_and_cola(
        coupon("CV", "cash_voucher", face_value="2.00", items=["BURGER"], min_spend="100.00")
    )
    ticket.apply(ApplyDiscount("D1", percent="10", line_id="L1"))
    assert_refused(ticket, Redeem("CV"), "DISCOUNT_EXECUTED")


# ---------------------------------------------------------------- nothing changes

RICH_REFUSALS: dict[str, tuple[TicketCommand, str]] = {
    "unknown sku": (AddItem("L9", "NOPE"), "UNKNOWN"),
    "qty 0": (SetQuantity("L2", 0), "INVALID"),
    "present covered": (Present("L1"), "COVERED_BY_COUPON"),
    "remove covered": (RemoveLine("L1"), "COVERED_BY_COUPON"),
    "coupon twice": (Redeem("GP"), "ALREADY_APPLIED"),
    "trigger twice": (TriggerPromotion("P2"), "ALREADY_APPLIED"),
    "discount twice": (ApplyDiscount("D1", amount="1.00"), "ALREADY_APPLIED"),
    "voucher on discounted line": (Redeem("CV"), "DISCOUNT_EXECUTED"),
    "expired coupon": (Redeem("OLD"), "EXPIRED"),
    "cancel not in effect": (CancelPromotion("P3"), "NOT_APPLICABLE"),
    "zero voucher close": (Close(), "ZERO_AMOUNT_COUPON"),
}


def rich_ticket() -> Ticket:
    """Promotions (automatic and triggered), a gift, coupons and discounts all in play."""
    ticket = open_ticket(
        [
            promotion("P1", "percent_off", sequence=1, percent="20", items=["LATTE"]),
            promotion("P2", "bogo", sequence=2, auto=False, items=["COLA"]),
            promotion("P3", "special_price", sequence=3, price="1.00", items=["TEA"]),
            promotion("G", "gift", sequence=4, threshold="10.00", gift_sku="CAKE"),
        ],
        [
            coupon("GP", "group_purchase", items=["BURGER"]),
            coupon("CV", "cash_voucher", face_value="2.00", items=["COLA"]),
            coupon("CU", "custom", sequence=2, face_value="50.00", items=["LATTE"]),
            coupon("CU0", "custom", sequence=3, percent="0"),
            coupon("OLD", "cash_voucher", face_value="2.00", valid_to="2026-01-01"),
        ],
        lines=[("L1", "BURGER", 2), ("L2", "COLA", 2), ("L3", "LATTE", 1)],
    )
    ticket.apply(Redeem("GP"))
    ticket.apply(TriggerPromotion("P2"))
    ticket.apply(ApplyDiscount("D1", percent="10"))
    ticket.apply(Redeem("CU"))
    ticket.apply(Redeem("CU0"))
    return ticket


@pytest.mark.parametrize("name", sorted(RICH_REFUSALS))
def test_refused_action_leaves_the_ticket_exactly_as_it_was(name: str) -> None:
    """R3: a refused action changes nothing: same state, same prices, same next recalculation."""
    ticket = rich_ticket()
    assert coupon_amounts(ticket.priced) == {"GP": D("12.00"), "CU": D("3.60"), "CU0": D("0.00")}
    action, code = RICH_REFUSALS[name]
    state, priced = ticket.state, ticket.priced
    assert_refused(ticket, action, code)
    assert ticket.recalculate() == priced
    assert ticket.state == state


def test_unpresent_and_unadjust_on_a_plain_line_change_nothing() -> None:
    """Details: unpresent / unadjust on a line that is neither is accepted and changes nothing."""
    ticket = burger_and_cola()
    state, priced = ticket.state, ticket.priced
    ticket.apply(Unpresent("L1"))
    ticket.apply(Unadjust("L2"))
    assert ticket.state == state
    assert ticket.priced == priced
