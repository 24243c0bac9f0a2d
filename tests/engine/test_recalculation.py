"""The five-stage pipeline (R4) and the order inside each stage (ENGINE-RULES "Details")."""

from __future__ import annotations

from pos_app.engine.commands import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    Present,
    Redeem,
    RemoveDiscount,
    RemoveLine,
    SetQuantity,
    Unpresent,
)
from tests.helpers.engine_builders import (
    D,
    assert_refused,
    coupon,
    coupon_amounts,
    nets,
    open_ticket,
    promotion,
    promotion_amounts,
)


def test_promotion_applies_to_the_adjusted_price() -> None:
    """R4: stage 1 runs before stage 3: 50 % off a burger re-priced to 10.00 is 5.00."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="50", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(AdjustPrice("L1", "10.00"))
    assert promotion_amounts(ticket.priced) == {"P1": D("5.00")}
    assert nets(ticket.priced) == {"L1": D("5.00")}


def test_store_discount_is_taken_after_promotions() -> None:
    """R4: stage 3 before stage 4: 10 % order discount on 10.80 is 1.08."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="10", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(ApplyDiscount("D1", percent="10"))
    assert ticket.priced.discounts["D1"] == D("1.08")
    assert ticket.priced.total == D("9.72")


def test_cash_voucher_is_taken_after_store_discounts_whatever_the_action_order() -> None:
    """R4: stage 4 before stage 5: 10 % off 12.00, then a 5.00 voucher: 5.80."""
    ticket = open_ticket([], [coupon("CV", "cash_voucher", face_value="5.00")])
    ticket.apply(AddItem("L1", "BURGER"))
    ticket.apply(Redeem("CV"))
    ticket.apply(ApplyDiscount("D1", percent="10"))
    assert ticket.priced.discounts["D1"] == D("1.20")
    assert coupon_amounts(ticket.priced) == {"CV": D("5.00")}
    assert ticket.priced.total == D("5.80")


def test_stage_five_coupons_run_in_coupon_sequence_not_redemption_order() -> None:
    """R4: the sequence-1 voucher takes 5.00 first; the sequence-2 one is capped at 7.00."""
    ticket = open_ticket(
        [],
        [
            coupon("CVA", "cash_voucher", sequence=2, face_value="10.00"),
            coupon("CVB", "cash_voucher", sequence=1, face_value="5.00"),
        ],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("CVA"))
    assert coupon_amounts(ticket.priced) == {"CVA": D("10.00")}
    ticket.apply(Redeem("CVB"))
    assert coupon_amounts(ticket.priced) == {"CVA": D("7.00"), "CVB": D("5.00")}
    assert ticket.priced.total == D("0.00")


def test_store_discounts_run_in_the_order_applied() -> None:
    """R4: 2.00 off, then 50 % off what is left (10.00) is 5.00."""
    ticket = open_ticket(lines=[("L1", "BURGER", 1)])
    ticket.apply(ApplyDiscount("D1", amount="2.00", line_id="L1"))
    ticket.apply(ApplyDiscount("D2", percent="50", line_id="L1"))
    assert ticket.priced.discounts == {"D1": D("2.00"), "D2": D("5.00")}
    assert nets(ticket.priced) == {"L1": D("5.00")}


def test_member_discount_runs_after_store_discounts() -> None:
    """R4: a member discount redeemed first still runs after a later store discount."""
    ticket = open_ticket(
        [],
        [coupon("MD", "member_discount", percent="10")],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    ticket.apply(Redeem("MD"))
    ticket.apply(ApplyDiscount("D1", amount="2.00"))
    # D1: 2.00 over 12:8 → 1.20 / 0.80; MD: 10 % of 18.00 = 1.80 → 1.08 / 0.72.
    assert ticket.priced.discounts["D1"] == D("2.00")
    assert coupon_amounts(ticket.priced) == {"MD": D("1.80")}
    assert nets(ticket.priced) == {"L1": D("9.72"), "L2": D("6.48")}


def test_member_discounts_run_in_coupon_sequence() -> None:
    """R4: the sequence-1 member discount (10 %) runs before the sequence-2 one (50 %)."""
    ticket = open_ticket(
        [],
        [
            coupon("MD50", "member_discount", sequence=2, percent="50"),
            coupon("MD10", "member_discount", sequence=1, percent="10"),
        ],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("MD50"))
    ticket.apply(Redeem("MD10"))
    assert coupon_amounts(ticket.priced) == {"MD50": D("5.40"), "MD10": D("1.20")}
    assert ticket.priced.total == D("5.40")


def test_member_discount_percent_is_taken_of_the_sum_once() -> None:
    """R1: 10 % over three 1.05 teas is 0.32 (of 3.15), spread 0.11 / 0.11 / 0.10."""
    ticket = open_ticket(
        [],
        [coupon("MD", "member_discount", percent="10")],
        lines=[("L1", "TEA", 1), ("L2", "TEA", 1), ("L3", "TEA", 1)],
    )
    ticket.apply(Redeem("MD"))
    assert coupon_amounts(ticket.priced) == {"MD": D("0.32")}
    assert nets(ticket.priced) == {"L1": D("0.94"), "L2": D("0.94"), "L3": D("0.95")}


def test_custom_percent_coupon_is_taken_of_the_sum_once() -> None:
    """R1: a 10 % custom coupon over three 1.05 teas is 0.32, not 3 × 0.11."""
    ticket = open_ticket(
        [],
        [coupon("CU", "custom", percent="10")],
        lines=[("L1", "TEA", 1), ("L2", "TEA", 1), ("L3", "TEA", 1)],
    )
    ticket.apply(Redeem("CU"))
    assert coupon_amounts(ticket.priced) == {"CU": D("0.32")}
    assert ticket.priced.total == D("2.83")


def test_voucher_follows_a_promotion_when_it_changes() -> None:
    """R4: the whole ticket is recalculated: a voucher spread follows the new promotion value."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="20", items=["LATTE"])],
        [coupon("CV", "cash_voucher", face_value="3.00")],
        lines=[("L1", "LATTE", 2), ("L2", "BURGER", 1)],
    )
    ticket.apply(Redeem("CV"))
    assert nets(ticket.priced) == {"L1": D("6.80"), "L2": D("10.20")}
    ticket.apply(SetQuantity("L1", 4))
    # Latte 20.00 − 4.00 = 16.00; 3.00 over 16:12 → 1.71 / 1.29.
    assert nets(ticket.priced) == {"L1": D("14.29"), "L2": D("10.71")}
    assert ticket.priced.total == D("25.00")


def test_voucher_min_spend_is_measured_at_its_turn() -> None:
    """R4: a 20.00 min spend is not met by 20.00 of items already 1.20 off."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="10", items=["BURGER"])],
        [coupon("CV", "cash_voucher", face_value="2.00", min_spend="20.00")],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    assert_refused(ticket, Redeem("CV"), "NOT_APPLICABLE")
    assert ticket.priced.coupons == {}


def test_custom_min_spend_is_measured_after_earlier_stage_five_coupons() -> None:
    """R4: after a 5.00 voucher (sequence 1) only 15.00 is left for a 16.00 min spend."""
    ticket = open_ticket(
        [],
        [
            coupon("CV", "cash_voucher", sequence=1, face_value="5.00"),
            coupon("CU", "custom", sequence=2, face_value="1.00", min_spend="16.00"),
        ],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    ticket.apply(Redeem("CU"))
    assert coupon_amounts(ticket.priced) == {"CU": D("1.00")}
    ticket.apply(Redeem("CV"))
    assert coupon_amounts(ticket.priced) == {"CU": D("0.00"), "CV": D("5.00")}
    assert ticket.priced.can_close is False


def test_removing_a_line_removes_its_store_discounts() -> None:
    """Details: a store discount on a removed line goes with it."""
    ticket = open_ticket(lines=[("L1", "BURGER", 1), ("L2", "COLA", 1)])
    ticket.apply(ApplyDiscount("D1", percent="10", line_id="L1"))
    ticket.apply(RemoveLine("L1"))
    assert ticket.priced.discounts == {}
    assert ticket.state.discounts == ()
    assert ticket.priced.total == D("3.00")
    assert_refused(ticket, RemoveDiscount("D1"), "UNKNOWN")


def test_presented_and_adjusted_line_counts_as_presented() -> None:
    """Details: a re-priced line that is also presented is free; unpresent restores 10.00."""
    ticket = open_ticket(lines=[("L1", "BURGER", 1)])
    ticket.apply(AdjustPrice("L1", "10.00"))
    ticket.apply(Present("L1"))
    assert nets(ticket.priced) == {"L1": D("0.00")}
    ticket.apply(Unpresent("L1"))
    assert nets(ticket.priced) == {"L1": D("10.00")}


def test_line_discount_is_capped_at_the_line_net() -> None:
    """R3: 20.00 off a 3.00 cola takes 3.00; the net stops at 0.00."""
    ticket = open_ticket(lines=[("L1", "COLA", 1), ("L2", "FRIES", 1)])
    ticket.apply(ApplyDiscount("D1", amount="20.00", line_id="L1"))
    assert ticket.priced.discounts == {"D1": D("3.00")}
    assert nets(ticket.priced) == {"L1": D("0.00"), "L2": D("4.00")}


def test_order_discount_is_capped_at_the_order_net() -> None:
    """R3: 100.00 off a 15.00 order takes 15.00, every line at 0.00."""
    ticket = open_ticket(lines=[("L1", "BURGER", 1), ("L2", "COLA", 1)])
    ticket.apply(ApplyDiscount("D1", amount="100.00"))
    assert ticket.priced.discounts == {"D1": D("15.00")}
    assert nets(ticket.priced) == {"L1": D("0.00"), "L2": D("0.00")}
    assert ticket.priced.total == D("0.00")
