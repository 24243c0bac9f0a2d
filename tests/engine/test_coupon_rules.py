"""The revised coupon rules sentence by sentence (R4 stages 2 and 5, R7, R8, R10 and the
Details on gift lines and face-value caps), each in several orders of actions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from pos_app.engine import PricedTicket, Ticket
from pos_app.engine.commands import (
    AddItem,
    ApplyDiscount,
    CancelPromotion,
    Close,
    Redeem,
    RemoveCoupon,
    TicketCommand,
    TriggerPromotion,
)
from tests.helpers.engine_builders import (
    D,
    TillClock,
    assert_refused,
    coupon,
    coupon_amounts,
    nets,
    open_ticket,
    price_book,
    promotion,
    promotion_amounts,
)

HALF_BURGER = promotion("P1", "percent_off", percent="50", items=["BURGER"])
HALF_BURGER_BY_HAND = promotion("P1", "percent_off", auto=False, percent="50", items=["BURGER"])
GROUP_PURCHASES = {
    "group_purchase": coupon("GP", "group_purchase", items=["BURGER"]),
    "third_party_as_group_purchase": {
        **coupon("GP", "third_party", items=["BURGER"]),
        "as": "group_purchase",
    },
}
MEMBER_VOUCHERS = {
    deduct_from: coupon(
        "MV", "member_voucher", face_value="5.00", deduct_from=deduct_from, items=["BURGER"]
    )
    for deduct_from in ("original", "discounted")
}


def run(
    promotions: Sequence[dict[str, Any]],
    coupons: Sequence[dict[str, Any]],
    steps: Sequence[TicketCommand],
) -> PricedTicket:
    """A fresh ticket after ``steps``, each of which must succeed."""
    ticket = Ticket(price_book(promotions, coupons), TillClock())
    for step in steps:
        ticket.apply(step)
    return ticket.priced


# ---------------------------------------------------------------- R4 stage 2, R7


@pytest.mark.parametrize("kind", sorted(GROUP_PURCHASES))
def test_group_purchase_covers_its_units_only_and_the_rest_keep_the_promotion(kind: str) -> None:
    """R7: a one-burger coupon on three burgers at 50 % covers one; two keep the promotion."""
    ticket = open_ticket([HALF_BURGER], [GROUP_PURCHASES[kind]], lines=[("L1", "BURGER", 3)])
    assert ticket.priced.total == D("18.00")
    ticket.apply(Redeem("GP"))
    assert coupon_amounts(ticket.priced) == {"GP": D("12.00")}
    assert promotion_amounts(ticket.priced) == {"P1": D("12.00")}
    assert nets(ticket.priced) == {"L1": D("12.00")}
    (line,) = ticket.priced.lines
    assert [(a.stage, a.source, a.rule) for a in line.adjustments] == [
        (2, "GP", "R7"),
        (3, "P1", "R1 R5"),
    ]


@pytest.mark.parametrize("kind", sorted(GROUP_PURCHASES))
def test_group_purchase_total_does_not_depend_on_when_the_other_burgers_are_rung(
    kind: str,
) -> None:
    """R7: coupon before or after the other burgers, on their line or a new one: 12.00."""
    gp = GROUP_PURCHASES[kind]
    orders: dict[str, list[TicketCommand]] = {
        "all rung, then the coupon": [AddItem("L1", "BURGER", 3), Redeem("GP")],
        "coupon, then two more": [
            AddItem("L1", "BURGER", 1),
            Redeem("GP"),
            AddItem("L2", "BURGER", 2),
        ],
        "one rung, two rung, coupon": [
            AddItem("L1", "BURGER", 1),
            AddItem("L2", "BURGER", 2),
            Redeem("GP"),
        ],
        "coupon removed and redeemed again": [
            AddItem("L1", "BURGER", 1),
            Redeem("GP"),
            AddItem("L2", "BURGER", 2),
            RemoveCoupon("GP"),
            Redeem("GP"),
        ],
    }
    for name, steps in orders.items():
        priced = run([HALF_BURGER], [gp], steps)
        assert priced.total == D("12.00"), name
        assert coupon_amounts(priced) == {"GP": D("12.00")}, name
        assert promotion_amounts(priced) == {"P1": D("12.00")}, name


def test_group_purchase_before_or_after_a_trigger_gives_the_same_total() -> None:
    """R7: triggering the 50 % before or after a one-burger coupon on two burgers: 6.00."""
    gp = GROUP_PURCHASES["group_purchase"]
    trigger_first = run(
        [HALF_BURGER_BY_HAND],
        [gp],
        [AddItem("L1", "BURGER", 2), TriggerPromotion("P1"), Redeem("GP")],
    )
    coupon_first = run(
        [HALF_BURGER_BY_HAND],
        [gp],
        [AddItem("L1", "BURGER", 2), Redeem("GP"), TriggerPromotion("P1")],
    )
    for priced in (trigger_first, coupon_first):
        assert priced.total == D("6.00")
        assert promotion_amounts(priced) == {"P1": D("6.00")}
        assert coupon_amounts(priced) == {"GP": D("12.00")}


def test_cancelling_and_triggering_again_on_a_group_purchase_line() -> None:
    """R7 R12: the promotion on the uncovered burger can be cancelled and triggered again."""
    ticket = open_ticket(
        [HALF_BURGER_BY_HAND],
        [GROUP_PURCHASES["group_purchase"]],
        lines=[("L1", "BURGER", 2)],
    )
    ticket.apply(Redeem("GP"))
    ticket.apply(TriggerPromotion("P1"))
    ticket.apply(CancelPromotion("P1"))
    assert ticket.priced.total == D("12.00")
    ticket.apply(TriggerPromotion("P1"))
    assert ticket.priced.total == D("6.00")


def test_bogo_takes_the_units_a_group_purchase_leaves() -> None:
    """R7 R5: three burgers under buy-one-get-one, one covered: the other two make a pair."""
    bogo = promotion("P1", "bogo", items=["BURGER"])
    gp = GROUP_PURCHASES["group_purchase"]
    after = run([bogo], [gp], [AddItem("L1", "BURGER", 3), Redeem("GP")])
    before = run(
        [bogo], [gp], [AddItem("L1", "BURGER", 1), Redeem("GP"), AddItem("L2", "BURGER", 2)]
    )
    for priced in (after, before):
        assert promotion_amounts(priced) == {"P1": D("12.00")}
        assert priced.total == D("12.00")


def test_covered_units_do_not_qualify_a_threshold() -> None:
    """R7 R5: the covered burger does not count toward spend-20-save-5; the second does."""
    spend = promotion("P1", "amount_off", threshold="20.00", amount="5.00", items=["BURGER"])
    ticket = open_ticket([spend], [GROUP_PURCHASES["group_purchase"]], lines=[("L1", "BURGER", 2)])
    assert promotion_amounts(ticket.priced) == {"P1": D("5.00")}
    ticket.apply(Redeem("GP"))
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("12.00")
    ticket.apply(AddItem("L2", "BURGER", 1))
    assert promotion_amounts(ticket.priced) == {"P1": D("5.00")}
    assert nets(ticket.priced) == {"L1": D("9.50"), "L2": D("9.50")}


def test_group_purchase_lines_take_no_local_discount_even_on_uncovered_units() -> None:
    """R7 R9: the line of a one-burger coupon takes no order discount, its second unit neither."""
    ticket = open_ticket(
        [],
        [GROUP_PURCHASES["group_purchase"]],
        lines=[("L1", "BURGER", 2), ("L2", "SALAD", 1)],
    )
    ticket.apply(Redeem("GP"))
    ticket.apply(ApplyDiscount("D1", percent="10"))
    assert ticket.priced.discounts["D1"] == D("0.80")
    assert nets(ticket.priced) == {"L1": D("12.00"), "L2": D("7.20")}


def test_group_purchase_units_come_from_its_lines_oldest_first() -> None:
    """R7: a two-unit coupon over a one-burger line and a two-burger line covers the first
    line's burger and one of the second's; the third burger keeps its 50 %."""
    gp = coupon("GP", "group_purchase", items=["BURGER"], units=2)
    ticket = open_ticket([HALF_BURGER], [gp], lines=[("L1", "BURGER", 1), ("L2", "BURGER", 2)])
    ticket.apply(Redeem("GP"))
    assert coupon_amounts(ticket.priced) == {"GP": D("24.00")}
    assert nets(ticket.priced) == {"L1": D("0.00"), "L2": D("6.00")}


def test_face_value_cap_is_split_over_lines_by_the_covered_units_value() -> None:
    """R7 Details R2: a 0.04 cap over one tea on L1 and two on L2 (weights 1.05 : 2.10)
    gives 0.01 / 0.03 by largest remainder over the lines, not 0.02 / 0.02 per unit."""
    gp = coupon("GP", "group_purchase", items=["TEA"], units=3, face_value="0.04")
    ticket = open_ticket([], [gp], lines=[("L1", "TEA", 1), ("L2", "TEA", 2)])
    ticket.apply(Redeem("GP"))
    assert coupon_amounts(ticket.priced) == {"GP": D("0.04")}
    assert nets(ticket.priced) == {"L1": D("1.04"), "L2": D("2.07")}


def test_face_value_cap_tie_goes_to_the_earlier_line() -> None:
    """R7 Details R2: a 0.01 cap over one tea on each of two lines lands on the first."""
    gp = coupon("GP", "group_purchase", items=["TEA"], units=2, face_value="0.01")
    ticket = open_ticket([], [gp], lines=[("L1", "TEA", 1), ("L2", "TEA", 1)])
    ticket.apply(Redeem("GP"))
    assert nets(ticket.priced) == {"L1": D("1.04"), "L2": D("1.05")}


def test_face_value_cap_over_covered_units_leaves_the_others_to_the_promotion() -> None:
    """R7 Details: a 5.00 cap on one of two burgers; the other takes the 50 %: 13.00."""
    gp = coupon("GP", "group_purchase", items=["BURGER"], face_value="5.00")
    ticket = open_ticket([HALF_BURGER], [gp], lines=[("L1", "BURGER", 2)])
    ticket.apply(Redeem("GP"))
    assert coupon_amounts(ticket.priced) == {"GP": D("5.00")}
    assert promotion_amounts(ticket.priced) == {"P1": D("6.00")}
    assert ticket.priced.total == D("13.00")


def test_group_purchase_raises_the_bill_when_it_is_worth_less_than_the_promotion() -> None:
    """R7 seed §5.1: a 5.00 coupon displaces the 6.00 promotion on its burger: +1.00."""
    gp = coupon("GP", "group_purchase", items=["BURGER"], face_value="5.00")
    ticket = open_ticket([HALF_BURGER], [gp], lines=[("L1", "BURGER", 1)])
    assert ticket.priced.total == D("6.00")
    ticket.apply(Redeem("GP"))
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("7.00")


# ---------------------------------------------------------------- R4 stage 5, R8


@pytest.mark.parametrize("deduct_from", sorted(MEMBER_VOUCHERS))
def test_member_voucher_runs_in_stage_five_whatever_it_deducts_from(deduct_from: str) -> None:
    """R4 stage 5: a member voucher's adjustment is a stage-5 one, after the promotion."""
    ticket = open_ticket([HALF_BURGER], [MEMBER_VOUCHERS[deduct_from]], lines=[("L1", "BURGER", 1)])
    ticket.apply(Redeem("MV"))
    (line,) = ticket.priced.lines
    assert [(a.stage, a.source) for a in line.adjustments] == [(3, "P1"), (5, "MV")]
    assert ticket.priced.total == D("1.00")


@pytest.mark.parametrize("deduct_from", sorted(MEMBER_VOUCHERS))
def test_member_voucher_before_or_after_the_promotion_gives_the_same_total(
    deduct_from: str,
) -> None:
    """R8: voucher before or after the trigger, removed and redeemed again: 1.00 each time."""
    mv = MEMBER_VOUCHERS[deduct_from]
    orders: dict[str, list[TicketCommand]] = {
        "promotion first": [AddItem("L1", "BURGER", 1), TriggerPromotion("P1"), Redeem("MV")],
        "voucher first": [AddItem("L1", "BURGER", 1), Redeem("MV"), TriggerPromotion("P1")],
        "voucher again": [
            AddItem("L1", "BURGER", 1),
            Redeem("MV"),
            TriggerPromotion("P1"),
            RemoveCoupon("MV"),
            Redeem("MV"),
        ],
    }
    for name, steps in orders.items():
        priced = run([HALF_BURGER_BY_HAND], [mv], steps)
        assert priced.total == D("1.00"), name
        assert promotion_amounts(priced) == {"P1": D("6.00")}, name
        assert coupon_amounts(priced) == {"MV": D("5.00")}, name


def test_original_price_voucher_measures_its_min_spend_on_the_original_price() -> None:
    """R4 stage 5: a 10.00 min spend is met on the burger's original 12.00 though the 50 %
    leaves 6.00; the same voucher deducting from the discounted price is refused."""
    original = coupon(
        "MV", "member_voucher", face_value="5.00", deduct_from="original", min_spend="10.00"
    )
    ticket = open_ticket([HALF_BURGER], [original], lines=[("L1", "BURGER", 1)])
    ticket.apply(Redeem("MV"))
    assert coupon_amounts(ticket.priced) == {"MV": D("5.00")}
    assert ticket.priced.total == D("1.00")

    discounted = {**original, "deduct_from": "discounted"}
    ticket = open_ticket([HALF_BURGER], [discounted], lines=[("L1", "BURGER", 1)])
    refusal = assert_refused(ticket, Redeem("MV"), "NOT_APPLICABLE")
    assert "minimum spend" in refusal.message


def test_original_price_voucher_is_capped_at_what_is_left() -> None:
    """R4 stage 5: an 8.00 original-price voucher on a burger at 50 % deducts the 6.00 left."""
    mv = coupon("MV", "member_voucher", face_value="8.00", deduct_from="original", items=["BURGER"])
    ticket = open_ticket([HALF_BURGER], [mv], lines=[("L1", "BURGER", 1)])
    ticket.apply(Redeem("MV"))
    assert coupon_amounts(ticket.priced) == {"MV": D("6.00")}
    assert ticket.priced.total == D("0.00")


def test_member_vouchers_run_in_coupon_sequence_with_the_other_stage_five_coupons() -> None:
    """R4 stage 5: a sequence-1 cash voucher takes 10.00 first; the sequence-2 original-price
    voucher is measured on the original 12.00 (min spend 12.00 met) and takes the 2.00 left."""
    cv = coupon("CV", "cash_voucher", sequence=1, face_value="10.00")
    mv = coupon(
        "MV",
        "member_voucher",
        sequence=2,
        face_value="5.00",
        deduct_from="original",
        min_spend="12.00",
    )
    ticket = open_ticket([], [mv, cv], lines=[("L1", "BURGER", 1)])
    ticket.apply(Redeem("MV"))
    ticket.apply(Redeem("CV"))
    assert coupon_amounts(ticket.priced) == {"MV": D("2.00"), "CV": D("10.00")}
    assert ticket.priced.total == D("0.00")


def test_member_discount_never_keeps_a_promotion_off_its_line() -> None:
    """R8: a burger under a member discount still qualifies and takes a promotion whose
    min spend a second burger reaches later (a cash voucher would keep it off)."""
    min_spend = promotion("P1", "percent_off", percent="50", items=["BURGER"], min_spend="24.00")
    md = coupon("MD", "member_discount", percent="10", items=["BURGER"])
    ticket = open_ticket([min_spend], [md], lines=[("L1", "BURGER", 1)])
    ticket.apply(Redeem("MD"))
    ticket.apply(AddItem("L2", "BURGER", 1))
    assert promotion_amounts(ticket.priced) == {"P1": D("12.00")}
    assert coupon_amounts(ticket.priced) == {"MD": D("0.60")}
    assert nets(ticket.priced) == {"L1": D("5.40"), "L2": D("6.00")}


def test_member_voucher_line_still_qualifies_a_later_promotion() -> None:
    """R8: a burger under a member voucher counts toward a promotion's min spend."""
    min_spend = promotion("P1", "percent_off", percent="50", items=["BURGER"], min_spend="24.00")
    ticket = open_ticket([min_spend], [MEMBER_VOUCHERS["discounted"]], lines=[("L1", "BURGER", 1)])
    ticket.apply(Redeem("MV"))
    assert ticket.priced.total == D("7.00")
    ticket.apply(AddItem("L2", "BURGER", 1))
    assert promotion_amounts(ticket.priced) == {"P1": D("12.00")}
    assert nets(ticket.priced) == {"L1": D("1.00"), "L2": D("6.00")}


CASH_VOUCHERS = {
    "cash_voucher": coupon("CV", "cash_voucher", face_value="2.00", items=["BURGER"]),
    "third_party_as_cash_voucher": {
        **coupon("CV", "third_party", face_value="2.00", items=["BURGER"]),
        "as": "cash_voucher",
    },
}


@pytest.mark.parametrize("kind", sorted(CASH_VOUCHERS))
def test_cash_voucher_keeps_a_later_promotion_off_its_line(kind: str) -> None:
    """R8: a (third-party as) cash voucher redeemed first keeps the 50 % off its burger."""
    ticket = open_ticket([HALF_BURGER_BY_HAND], [CASH_VOUCHERS[kind]], lines=[("L1", "BURGER", 1)])
    ticket.apply(Redeem("CV"))
    refusal = assert_refused(ticket, TriggerPromotion("P1"), "NOT_APPLICABLE")
    assert "covered by coupon CV" in refusal.message


@pytest.mark.parametrize("kind", sorted(CASH_VOUCHERS))
def test_cash_voucher_after_the_promotion_deducts_from_the_discounted_price(kind: str) -> None:
    """R8 §4.2.2: promotion first, then the voucher: the promotion stays, 6.00 - 2.00."""
    ticket = open_ticket([HALF_BURGER_BY_HAND], [CASH_VOUCHERS[kind]], lines=[("L1", "BURGER", 1)])
    ticket.apply(TriggerPromotion("P1"))
    ticket.apply(Redeem("CV"))
    assert promotion_amounts(ticket.priced) == {"P1": D("6.00")}
    assert ticket.priced.total == D("4.00")


def test_no_coupon_bars_a_promotion_from_units_it_does_not_cover() -> None:
    """R8: a cash voucher on the burger leaves the salad's promotion alone, and a group
    purchase on one burger leaves the 50 % on the other burger of another line."""
    salad = promotion("P2", "percent_off", sequence=2, percent="50", items=["SALAD"])
    ticket = open_ticket(
        [HALF_BURGER, salad],
        [CASH_VOUCHERS["cash_voucher"], coupon("GP", "group_purchase", items=["BURGER"])],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    ticket.apply(Redeem("CV"))
    ticket.apply(AddItem("L3", "BURGER", 1))
    ticket.apply(AddItem("L4", "SALAD", 1))
    assert promotion_amounts(ticket.priced) == {"P1": D("12.00"), "P2": D("8.00")}


# ---------------------------------------------------------------- R10


def test_member_discount_left_with_no_line_is_refused() -> None:
    """R10: a member discount whose only burger a cash voucher claims is NOT_APPLICABLE,
    and says which line holds it."""
    ticket = open_ticket(
        [],
        [
            CASH_VOUCHERS["cash_voucher"],
            coupon("MD", "member_discount", percent="10", items=["BURGER"]),
        ],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    ticket.apply(Redeem("CV"))
    refusal = assert_refused(ticket, Redeem("MD"), "NOT_APPLICABLE")
    assert "Burger (line 1)" in refusal.message and "CV" in refusal.message


def test_member_discount_without_items_on_a_fully_claimed_ticket_is_refused() -> None:
    """R10: every line of the ticket claimed by another coupon: the member discount is
    NOT_APPLICABLE; with one free line it is redeemed on that line only."""
    md = coupon("MD", "member_discount", percent="10")
    ticket = open_ticket(
        [], [coupon("GP", "group_purchase", items=["BURGER"]), md], lines=[("L1", "BURGER", 2)]
    )
    ticket.apply(Redeem("GP"))
    assert_refused(ticket, Redeem("MD"), "NOT_APPLICABLE")
    ticket.apply(AddItem("L2", "SALAD", 1))
    ticket.apply(Redeem("MD"))
    assert coupon_amounts(ticket.priced) == {"GP": D("12.00"), "MD": D("0.80")}
    assert ticket.priced.coupons["MD"].line_ids == ("L2",)


@pytest.mark.parametrize("kind", sorted(CASH_VOUCHERS))
def test_member_voucher_with_items_under_a_platform_coupon_is_refused(kind: str) -> None:
    """R10: a member voucher whose only burger a (third-party) cash voucher claims is
    NOT_APPLICABLE."""
    ticket = open_ticket(
        [], [CASH_VOUCHERS[kind], MEMBER_VOUCHERS["original"]], lines=[("L1", "BURGER", 1)]
    )
    ticket.apply(Redeem("CV"))
    assert_refused(ticket, Redeem("MV"), "NOT_APPLICABLE")


def test_member_voucher_does_not_skip_a_member_discount_line() -> None:
    """R10: a member voucher skips only platform and third-party lines: it is redeemed on a
    burger a member discount covers."""
    ticket = open_ticket(
        [],
        [
            coupon("MD", "member_discount", percent="10", items=["BURGER"]),
            coupon("MV", "member_voucher", face_value="5.00", deduct_from="original"),
        ],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("MD"))
    ticket.apply(Redeem("MV"))
    assert coupon_amounts(ticket.priced) == {"MD": D("1.20"), "MV": D("5.00")}


# ---------------------------------------------------------------- Details: gift lines

GIFT_CAKE = promotion("G", "gift", threshold="10.00", gift_sku="CAKE")
CAKE_COUPONS: dict[str, dict[str, Any]] = {
    "group_purchase": coupon("C", "group_purchase", items=["CAKE"]),
    "cash_voucher": coupon("C", "cash_voucher", face_value="2.00", items=["CAKE"]),
    "third_party": {
        **coupon("C", "third_party", face_value="2.00", items=["CAKE"]),
        "as": "cash_voucher",
    },
    "member_voucher": coupon(
        "C", "member_voucher", face_value="2.00", deduct_from="original", items=["CAKE"]
    ),
    "member_discount": coupon("C", "member_discount", percent="10", items=["CAKE"]),
    "custom": coupon("C", "custom", face_value="2.00", items=["CAKE"]),
}


@pytest.mark.parametrize("kind", sorted(CAKE_COUPONS))
def test_coupon_whose_items_are_only_gift_lines_is_redeemed_at_zero(kind: str) -> None:
    """Details §5.2 §7: a cake coupon with the cake only a gift line is redeemed at 0.00,
    blocks closing (ZERO_AMOUNT_COUPON) and, once removed, the ticket closes."""
    ticket = open_ticket([GIFT_CAKE], [CAKE_COUPONS[kind]], lines=[("L1", "BURGER", 1)])
    ticket.apply(Redeem("C"))
    assert coupon_amounts(ticket.priced) == {"C": D("0.00")}
    assert ticket.priced.total == D("12.00")
    assert not ticket.priced.can_close
    assert_refused(ticket, Close(), "ZERO_AMOUNT_COUPON")
    ticket.apply(RemoveCoupon("C"))
    ticket.apply(Close())


def test_gift_only_coupon_stays_at_zero_when_the_item_is_rung_later() -> None:
    """Details R6: the cake rung after the gift-only voucher is not covered until the
    voucher is removed and redeemed again."""
    ticket = open_ticket([GIFT_CAKE], [CAKE_COUPONS["cash_voucher"]], lines=[("L1", "BURGER", 1)])
    ticket.apply(Redeem("C"))
    ticket.apply(AddItem("L2", "CAKE", 1))
    assert coupon_amounts(ticket.priced) == {"C": D("0.00")}
    ticket.apply(RemoveCoupon("C"))
    ticket.apply(Redeem("C"))
    assert coupon_amounts(ticket.priced) == {"C": D("2.00")}
    assert nets(ticket.priced)["L2"] == D("4.00")


def test_coupon_with_a_real_line_of_its_item_applies_to_it_beside_the_gift() -> None:
    """Details: a cake on the ticket and a gift cake: the voucher takes the rung cake."""
    ticket = open_ticket(
        [GIFT_CAKE], [CAKE_COUPONS["cash_voucher"]], lines=[("L1", "BURGER", 1), ("L2", "CAKE", 1)]
    )
    ticket.apply(Redeem("C"))
    assert coupon_amounts(ticket.priced) == {"C": D("2.00")}
    assert ticket.priced.coupons["C"].line_ids == ("L2",)


def test_gift_only_coupon_with_a_min_spend_is_refused_for_it() -> None:
    """Details R4 stage 5: a gift-only voucher has nothing to spend on: a 1.00 min spend
    is not reached."""
    cv = {**CAKE_COUPONS["cash_voucher"], "min_spend": "1.00"}
    ticket = open_ticket([GIFT_CAKE], [cv], lines=[("L1", "BURGER", 1)])
    refusal = assert_refused(ticket, Redeem("C"), "NOT_APPLICABLE")
    assert "minimum spend" in refusal.message


def test_coupon_for_an_item_neither_rung_nor_given_is_still_refused() -> None:
    """Details: a cake voucher on a ticket with neither a cake nor a gift cake is refused."""
    ticket = open_ticket([], [CAKE_COUPONS["cash_voucher"]], lines=[("L1", "BURGER", 1)])
    assert_refused(ticket, Redeem("C"), "NOT_APPLICABLE")
