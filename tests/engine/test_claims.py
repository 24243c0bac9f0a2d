"""Claims and stacking: promotions claim units (R5), coupons claim lines (R6-R11)."""

from __future__ import annotations

from pos_app.engine.commands import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    CancelPromotion,
    Present,
    Redeem,
    RemoveCoupon,
    RemoveLine,
    SetQuantity,
    TriggerPromotion,
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

HALF_BURGER_BY_HAND = promotion("P1", "percent_off", auto=False, percent="50", items=["BURGER"])

# ---------------------------------------------------------------- R5 units


def test_lower_sequence_claims_the_unit_first() -> None:
    """R5: a sequence-1 special price claims the burger; the sequence-2 50 % gets nothing."""
    ticket = open_ticket(
        [
            promotion("P1", "special_price", sequence=1, price="9.00", items=["BURGER"]),
            promotion("P2", "percent_off", sequence=2, percent="50", items=["BURGER"]),
        ],
        lines=[("L1", "BURGER", 1)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("3.00")}
    assert nets(ticket.priced) == {"L1": D("9.00")}


def test_units_of_one_line_can_take_different_promotions() -> None:
    """R5: two cakes go to the bogo, the third unit to the 50 % promotion."""
    ticket = open_ticket(
        [
            promotion("P1", "bogo", sequence=1, items=["CAKE"]),
            promotion("P2", "percent_off", sequence=2, percent="50", items=["CAKE"]),
        ],
        lines=[("L1", "CAKE", 3)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("6.00"), "P2": D("3.00")}
    assert nets(ticket.priced) == {"L1": D("9.00")}


def test_min_spend_is_measured_on_unclaimed_units() -> None:
    """R5: lattes claimed by a special price do not count toward a drinks min spend."""
    ticket = open_ticket(
        [
            promotion("P1", "special_price", sequence=1, price="4.00", items=["LATTE"]),
            promotion(
                "P2",
                "percent_off",
                sequence=2,
                percent="10",
                items=["category:drinks"],
                min_spend="10.00",
            ),
        ],
        lines=[("L1", "LATTE", 2), ("L2", "COLA", 1)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("2.00")}
    assert ticket.priced.total == D("11.00")


def test_amount_off_threshold_is_measured_on_unclaimed_units() -> None:
    """R5: a burger claimed by an earlier promotion does not count toward spend-20-save-5."""
    ticket = open_ticket(
        [
            promotion("P1", "percent_off", sequence=1, percent="10", items=["BURGER"]),
            promotion("P2", "amount_off", sequence=2, threshold="20.00", amount="5.00"),
        ],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("1.20")}
    assert ticket.priced.total == D("18.80")


def test_gift_threshold_is_measured_on_unclaimed_units() -> None:
    """R5: a claimed burger does not count toward a 10.00 gift; fries + salad (12.00) do."""
    ticket = open_ticket(
        [
            promotion("P1", "percent_off", sequence=1, percent="10", items=["BURGER"]),
            promotion("P2", "gift", sequence=2, threshold="10.00", gift_sku="CAKE"),
        ],
        lines=[("L1", "BURGER", 1), ("L2", "FRIES", 1)],
    )
    assert ticket.priced.line("gift:P2") is None
    ticket.apply(AddItem("L3", "SALAD"))
    assert ticket.priced.line("gift:P2") is not None
    assert ticket.priced.total == D("22.80")


def test_threshold_is_measured_on_the_current_value() -> None:
    """R5: a burger re-priced to 9.00 no longer reaches a 10.00 min spend."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="10", items=["BURGER"], min_spend="10.00")],
        lines=[("L1", "BURGER", 1)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("1.20")}
    ticket.apply(AdjustPrice("L1", "9.00"))
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("9.00")


def test_gift_claims_nothing() -> None:
    """R5: a gift earlier in sequence leaves the burger to a 10 % promotion."""
    ticket = open_ticket(
        [
            promotion("P1", "gift", sequence=1, threshold="10.00", gift_sku="TEA"),
            promotion("P2", "percent_off", sequence=2, percent="10", items=["BURGER"]),
        ],
        lines=[("L1", "BURGER", 1)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("1.05"), "P2": D("1.20")}
    assert ticket.priced.total == D("10.80")


def test_presented_units_take_no_promotion() -> None:
    """R5: a presented burger takes no 50 % promotion."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="50", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Present("L1"))
    assert promotion_amounts(ticket.priced) == {}
    assert nets(ticket.priced) == {"L1": D("0.00")}


def test_presented_units_do_not_qualify_a_threshold() -> None:
    """R5: a presented salad does not help the burger reach spend-20-save-5."""
    ticket = open_ticket(
        [promotion("P1", "amount_off", threshold="20.00", amount="5.00")],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("5.00")}
    ticket.apply(Present("L2"))
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("12.00")


def test_amount_off_claims_every_unit_it_counts() -> None:
    """R5: spend-and-save claims every eligible unit, so a later 50 % gets none of them."""
    ticket = open_ticket(
        [
            promotion("P1", "amount_off", sequence=1, threshold="0", amount="1.00"),
            promotion("P2", "percent_off", sequence=2, percent="50", items=["BURGER"]),
        ],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("1.00")}
    assert ticket.priced.total == D("19.00")


def test_combo_claims_each_unit_of_its_sets_only() -> None:
    """R5: the burger in the set takes no 50 %; the second burger, outside any set, does."""
    ticket = open_ticket(
        [
            promotion("P1", "combo", sequence=1, components=[["BURGER"], ["FRIES"]], price="10.00"),
            promotion("P2", "percent_off", sequence=2, percent="50", items=["BURGER", "FRIES"]),
        ],
        lines=[("L1", "BURGER", 2), ("L2", "FRIES", 1)],
    )
    # Set: burger 12 + fries 4 → saving 6.00 spread 4.50 / 1.50; the other burger 6.00 off.
    assert promotion_amounts(ticket.priced) == {"P1": D("6.00"), "P2": D("6.00")}
    assert nets(ticket.priced) == {"L1": D("13.50"), "L2": D("2.50")}


# ---------------------------------------------------------------- R6 coupon lines


def test_coupon_with_empty_items_claims_nothing() -> None:
    """R6: items [] means no applicable items: the voucher covers the ticket, claims no line."""
    ticket = open_ticket(
        [],
        [coupon("CV", "cash_voucher", face_value="2.00", items=[])],
        lines=[("L1", "BURGER", 1), ("L2", "COLA", 1)],
    )
    ticket.apply(Redeem("CV"))
    ticket.apply(Present("L2"))
    assert coupon_amounts(ticket.priced) == {"CV": D("2.00")}
    assert nets(ticket.priced) == {"L1": D("10.00"), "L2": D("0.00")}


def test_coupons_never_claim_a_gift_line() -> None:
    """Details: a cake voucher whose cake is only a gift line claims nothing: 0.00."""
    ticket = open_ticket(
        [promotion("G", "gift", threshold="10.00", gift_sku="CAKE")],
        [coupon("CV", "cash_voucher", face_value="2.00", items=["CAKE"])],
        lines=[("L1", "BURGER", 1)],
    )
    assert ticket.priced.line("gift:G") is not None
    ticket.apply(Redeem("CV"))
    assert coupon_amounts(ticket.priced) == {"CV": D("0.00")}
    assert ticket.priced.coupons["CV"].line_ids == ()
    assert ticket.state.redemption("CV") is not None
    assert ticket.state.redemption("CV").claimed_lines == ()  # type: ignore[union-attr]
    assert nets(ticket.priced) == {"L1": D("12.00"), "gift:G": D("0.00")}


def test_coupon_claims_only_the_lines_on_the_ticket_at_redemption() -> None:
    """R6: a cola added after a cola voucher is not covered until it is redeemed again."""
    ticket = open_ticket(
        [],
        [coupon("CV", "cash_voucher", face_value="5.00", items=["COLA"])],
        lines=[("L1", "COLA", 1)],
    )
    ticket.apply(Redeem("CV"))
    assert coupon_amounts(ticket.priced) == {"CV": D("3.00")}
    ticket.apply(AddItem("L2", "COLA"))
    assert nets(ticket.priced) == {"L1": D("0.00"), "L2": D("3.00")}
    assert coupon_amounts(ticket.priced) == {"CV": D("3.00")}

    ticket.apply(RemoveCoupon("CV"))
    ticket.apply(Redeem("CV"))
    assert coupon_amounts(ticket.priced) == {"CV": D("5.00")}
    assert nets(ticket.priced) == {"L1": D("0.50"), "L2": D("0.50")}


def test_line_added_after_redemption_is_not_covered_by_the_coupon() -> None:
    """R6: the later cola can be presented; the claimed one cannot."""
    ticket = open_ticket(
        [],
        [coupon("CV", "cash_voucher", face_value="1.00", items=["COLA"])],
        lines=[("L1", "COLA", 1)],
    )
    ticket.apply(Redeem("CV"))
    ticket.apply(AddItem("L2", "COLA"))
    ticket.apply(Present("L2"))
    assert nets(ticket.priced) == {"L1": D("2.00"), "L2": D("0.00")}
    assert_refused(ticket, Present("L1"), "COVERED_BY_COUPON")


def test_coupon_without_items_covers_the_whole_ticket_at_every_recalculation() -> None:
    """R6: a 5.00 voucher with no items grows from 3.00 to 5.00 when a burger joins."""
    ticket = open_ticket(
        [], [coupon("CV", "cash_voucher", face_value="5.00")], lines=[("L1", "COLA", 1)]
    )
    ticket.apply(Redeem("CV"))
    assert coupon_amounts(ticket.priced) == {"CV": D("3.00")}
    ticket.apply(AddItem("L2", "BURGER"))
    assert coupon_amounts(ticket.priced) == {"CV": D("5.00")}
    assert nets(ticket.priced) == {"L1": D("2.00"), "L2": D("8.00")}


def test_quantity_of_a_claimed_line_cannot_change() -> None:
    """R6: a coupon covers the units on the ticket when it was redeemed; raising the
    quantity of its line is refused COVERED_BY_COUPON and the coupon stays as it was."""
    ticket = open_ticket(
        [],
        [coupon("GP", "group_purchase", items=["BURGER"], units=2)],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("GP"))
    assert coupon_amounts(ticket.priced) == {"GP": D("12.00")}
    assert_refused(ticket, SetQuantity("L1", 3), "COVERED_BY_COUPON")
    assert coupon_amounts(ticket.priced) == {"GP": D("12.00")}
    assert nets(ticket.priced) == {"L1": D("0.00")}


def test_setting_the_quantity_a_claimed_line_has_changes_nothing() -> None:
    """R6: setting a covered line's quantity to what it already is is accepted, no change."""
    ticket = open_ticket(
        [], [coupon("GP", "group_purchase", items=["BURGER"])], lines=[("L1", "BURGER", 2)]
    )
    ticket.apply(Redeem("GP"))
    before = ticket.priced
    assert ticket.apply(SetQuantity("L1", 2)) == before
    assert ticket.state.line("L1") is not None


def test_custom_coupon_lines_may_change_quantity() -> None:
    """R11: a custom coupon claims nothing, so its lines change quantity freely."""
    ticket = open_ticket(
        [],
        [coupon("CU", "custom", items=["BURGER"], face_value="5.00")],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("CU"))
    ticket.apply(SetQuantity("L1", 3))
    assert nets(ticket.priced) == {"L1": D("31.00")}


# ---------------------------------------------------------------- R7 group purchase


def test_group_purchase_coupons_take_different_units() -> None:
    """R7: two one-unit group purchases on two burgers take one burger each."""
    ticket = open_ticket(
        [],
        [
            coupon("GP1", "group_purchase", sequence=2, items=["BURGER"]),
            coupon("GP2", "group_purchase", sequence=1, items=["BURGER"]),
        ],
        lines=[("L1", "BURGER", 2)],
    )
    ticket.apply(Redeem("GP1"))
    ticket.apply(Redeem("GP2"))
    assert coupon_amounts(ticket.priced) == {"GP1": D("12.00"), "GP2": D("12.00")}
    assert nets(ticket.priced) == {"L1": D("0.00")}


def test_group_purchase_with_no_free_unit_is_refused() -> None:
    """R7 seed §2.2: a second group purchase finds the one burger taken by the first (even
    though the first is capped at 5.00) and is refused NOT_APPLICABLE; the cash voucher
    keeps its amount."""
    ticket = open_ticket(
        [],
        [
            coupon("GP1", "group_purchase", items=["BURGER"], face_value="5.00"),
            coupon("GP2", "group_purchase", items=["BURGER"], face_value="10.00"),
            coupon("CV", "cash_voucher", face_value="5.00"),
        ],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("GP1"))
    ticket.apply(Redeem("CV"))
    refusal = assert_refused(ticket, Redeem("GP2"), "NOT_APPLICABLE")
    assert "Burger (line 1)" in refusal.message and "group-purchase" in refusal.message
    assert coupon_amounts(ticket.priced) == {"GP1": D("5.00"), "CV": D("5.00")}


def test_group_purchase_units_follow_redemption_order_not_sequence() -> None:
    """R7: units go in redemption order: the two-unit coupon redeemed first takes the first
    two burgers of L1, the later one the burger on L2."""
    ticket = open_ticket(
        [],
        [
            coupon("BIG", "group_purchase", sequence=9, items=["BURGER"], units=2),
            coupon("ONE", "group_purchase", sequence=1, items=["BURGER"], face_value="7.00"),
        ],
        lines=[("L1", "BURGER", 2), ("L2", "BURGER", 1)],
    )
    ticket.apply(Redeem("BIG"))
    ticket.apply(Redeem("ONE"))
    assert coupon_amounts(ticket.priced) == {"BIG": D("24.00"), "ONE": D("7.00")}
    assert nets(ticket.priced) == {"L1": D("0.00"), "L2": D("5.00")}
    ticket.apply(RemoveCoupon("BIG"))  # the later coupon now takes the first free unit
    assert coupon_amounts(ticket.priced) == {"ONE": D("7.00")}
    assert nets(ticket.priced) == {"L1": D("17.00"), "L2": D("12.00")}


def test_group_purchase_face_value_spread_over_units_by_value() -> None:
    """R7 R2: a 10.00 cap over a 12.00 burger and a 9.99 wine unit is split 5.46 / 4.54."""
    ticket = open_ticket(
        [],
        [coupon("GP", "group_purchase", items=["BURGER", "WINE"], units=2, face_value="10.00")],
        lines=[("L1", "BURGER", 1), ("L2", "WINE", 1)],
    )
    ticket.apply(Redeem("GP"))
    assert nets(ticket.priced) == {"L1": D("6.54"), "L2": D("5.45")}


def test_group_purchase_covers_one_unit_by_default() -> None:
    """R7: a group-purchase coupon without units takes one burger's original price."""
    ticket = open_ticket(
        [], [coupon("GP", "group_purchase", items=["BURGER"])], lines=[("L1", "BURGER", 2)]
    )
    ticket.apply(Redeem("GP"))
    assert coupon_amounts(ticket.priced) == {"GP": D("12.00")}
    assert nets(ticket.priced) == {"L1": D("12.00")}


def test_group_purchase_is_capped_by_its_face_value() -> None:
    """R7: two burgers (24.00) under a 10.00 face value: 10.00 off."""
    ticket = open_ticket(
        [],
        [coupon("GP", "group_purchase", items=["BURGER"], units=2, face_value="10.00")],
        lines=[("L1", "BURGER", 3)],
    )
    ticket.apply(Redeem("GP"))
    assert coupon_amounts(ticket.priced) == {"GP": D("10.00")}
    assert nets(ticket.priced) == {"L1": D("26.00")}


def test_group_purchase_takes_units_oldest_line_first() -> None:
    """R7: one unit over mains takes the older salad, not the dearer burger."""
    ticket = open_ticket(
        [],
        [coupon("GP", "group_purchase", items=["category:mains"])],
        lines=[("L1", "SALAD", 1), ("L2", "BURGER", 1)],
    )
    ticket.apply(Redeem("GP"))
    assert coupon_amounts(ticket.priced) == {"GP": D("8.00")}
    assert nets(ticket.priced) == {"L1": D("0.00"), "L2": D("12.00")}


def test_group_purchase_cap_is_spread_over_its_units() -> None:
    """R7: a 10.00 cap over a salad and a burger is spread 8:12 as 4.00 / 6.00."""
    ticket = open_ticket(
        [],
        [coupon("GP", "group_purchase", items=["category:mains"], units=2, face_value="10.00")],
        lines=[("L1", "SALAD", 1), ("L2", "BURGER", 1)],
    )
    ticket.apply(Redeem("GP"))
    assert nets(ticket.priced) == {"L1": D("4.00"), "L2": D("6.00")}


def test_group_purchase_units_take_no_promotion_redeemed_first() -> None:
    """R7: after a one-burger group purchase, a 50 % trigger takes the other burger only;
    on a line whose every unit the coupon covers, it is refused."""
    ticket = open_ticket(
        [HALF_BURGER_BY_HAND],
        [coupon("GP", "group_purchase", items=["BURGER"])],
        lines=[("L1", "BURGER", 2)],
    )
    ticket.apply(Redeem("GP"))
    ticket.apply(TriggerPromotion("P1"))
    assert promotion_amounts(ticket.priced) == {"P1": D("6.00")}
    assert nets(ticket.priced) == {"L1": D("6.00")}

    single = open_ticket(
        [HALF_BURGER_BY_HAND],
        [coupon("GP", "group_purchase", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    single.apply(Redeem("GP"))
    refusal = assert_refused(single, TriggerPromotion("P1"), "NOT_APPLICABLE")
    assert "Burger (line 1) is covered by coupon GP" in refusal.message


def test_group_purchase_drops_a_promotion_already_on_the_line() -> None:
    """R7: a bogo on two burgers gives way to the group purchase (whatever the order)."""
    ticket = open_ticket(
        [promotion("P1", "bogo", items=["BURGER"])],
        [coupon("GP", "group_purchase", items=["BURGER"])],
        lines=[("L1", "BURGER", 2)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("12.00")}
    ticket.apply(Redeem("GP"))
    assert promotion_amounts(ticket.priced) == {}
    assert coupon_amounts(ticket.priced) == {"GP": D("12.00")}
    assert nets(ticket.priced) == {"L1": D("12.00")}


def test_group_purchase_line_never_qualifies_a_later_automatic_promotion() -> None:
    """R7: a second burger does not reach a 24.00 min spend with the covered one."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="50", items=["BURGER"], min_spend="24.00")],
        [coupon("GP", "group_purchase", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("GP"))
    ticket.apply(AddItem("L2", "BURGER"))
    assert promotion_amounts(ticket.priced) == {}
    assert nets(ticket.priced) == {"L1": D("0.00"), "L2": D("12.00")}


def test_original_price_member_voucher_keeps_the_promotion() -> None:
    """R4 R8: a 5.00 member voucher deducting from the original price runs in stage 5:
    the 50 % promotion stays and the voucher takes 5.00 of the 6.00 left."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="50", items=["BURGER"])],
        [
            coupon(
                "MV", "member_voucher", face_value="5.00", deduct_from="original", items=["BURGER"]
            )
        ],
        lines=[("L1", "BURGER", 1)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("6.00")}
    ticket.apply(Redeem("MV"))
    assert promotion_amounts(ticket.priced) == {"P1": D("6.00")}
    assert coupon_amounts(ticket.priced) == {"MV": D("5.00")}
    assert nets(ticket.priced) == {"L1": D("1.00")}
    assert [a.stage for a in ticket.priced.lines[0].adjustments] == [3, 5]


def test_third_party_as_group_purchase_excludes_promotions() -> None:
    """R7: a third-party coupon acting as group purchase takes the burger out of promotions."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="50", items=["BURGER"])],
        [{**coupon("TP", "third_party", items=["BURGER"]), "as": "group_purchase"}],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    ticket.apply(Redeem("TP"))
    assert promotion_amounts(ticket.priced) == {}
    assert coupon_amounts(ticket.priced) == {"TP": D("12.00")}
    assert ticket.priced.total == D("8.00")


# ---------------------------------------------------------------- R8 order of actions


def test_coupon_first_then_promotion_trigger_is_refused() -> None:
    """R8: a cash voucher on the burger keeps a later-triggered burger promotion off it."""
    ticket = open_ticket(
        [HALF_BURGER_BY_HAND],
        [coupon("CV", "cash_voucher", face_value="2.00", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("CV"))
    assert_refused(ticket, TriggerPromotion("P1"), "NOT_APPLICABLE")
    assert nets(ticket.priced) == {"L1": D("10.00")}


def test_coupon_first_then_automatic_promotion_stays_off() -> None:
    """R8: a min spend reached after redemption does not bring a promotion onto the line."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="50", items=["BURGER"], min_spend="24.00")],
        [coupon("CV", "cash_voucher", face_value="2.00", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("CV"))
    ticket.apply(AddItem("L2", "BURGER"))
    assert promotion_amounts(ticket.priced) == {}
    assert nets(ticket.priced) == {"L1": D("10.00"), "L2": D("12.00")}


def test_coupon_claimed_line_cannot_qualify_a_promotion() -> None:
    """R8: a claimed burger does not help a new salad reach spend-20-save-5."""
    ticket = open_ticket(
        [promotion("P1", "amount_off", threshold="20.00", amount="5.00", items=["category:mains"])],
        [coupon("CV", "cash_voucher", face_value="1.00", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("CV"))
    ticket.apply(AddItem("L2", "SALAD"))
    assert promotion_amounts(ticket.priced) == {}
    assert nets(ticket.priced) == {"L1": D("11.00"), "L2": D("8.00")}


def test_promotion_first_then_coupon_deducts_from_the_discounted_price() -> None:
    """R8: a 3.00 voucher after 20 % off two lattes leaves 5.00, and follows the promotion."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="20", items=["LATTE"])],
        [coupon("CV", "cash_voucher", face_value="3.00", items=["LATTE"])],
        lines=[("L1", "LATTE", 2)],
    )
    ticket.apply(Redeem("CV"))
    assert promotion_amounts(ticket.priced) == {"P1": D("2.00")}
    assert nets(ticket.priced) == {"L1": D("5.00")}
    ticket.apply(CancelPromotion("P1"))
    assert promotion_amounts(ticket.priced) == {}
    assert nets(ticket.priced) == {"L1": D("7.00")}


def test_bogo_paid_unit_keeps_its_promotion_after_a_coupon() -> None:
    """R8: the bogo claimed the latte (paid unit) before the voucher, so the bogo stays."""
    ticket = open_ticket(
        [promotion("P1", "bogo", items=["category:drinks"])],
        [coupon("CV", "cash_voucher", face_value="1.00", items=["LATTE"])],
        lines=[("L1", "LATTE", 1), ("L2", "COLA", 1)],
    )
    ticket.apply(Redeem("CV"))
    assert promotion_amounts(ticket.priced) == {"P1": D("3.00")}
    assert nets(ticket.priced) == {"L1": D("4.00"), "L2": D("0.00")}


def test_add_on_trigger_keeps_its_promotion_after_a_coupon() -> None:
    """R8: the add-on claimed the burger (its trigger) before the voucher, so it stays."""
    ticket = open_ticket(
        [
            promotion(
                "P1", "add_on", trigger_items=["BURGER"], addon_items=["COLA"], addon_price="1.00"
            )
        ],
        [coupon("CV", "cash_voucher", face_value="1.00", items=["BURGER"])],
        lines=[("L1", "BURGER", 1), ("L2", "COLA", 1)],
    )
    ticket.apply(Redeem("CV"))
    assert promotion_amounts(ticket.priced) == {"P1": D("2.00")}
    assert nets(ticket.priced) == {"L1": D("11.00"), "L2": D("1.00")}


def test_nth_item_counted_unit_keeps_its_promotion_after_a_coupon() -> None:
    """R8: the latte counted toward a second-drink-free offer keeps it after a voucher."""
    ticket = open_ticket(
        [promotion("P1", "nth_item", n=2, percent="100", items=["category:drinks"])],
        [coupon("CV", "cash_voucher", face_value="1.00", items=["LATTE"])],
        lines=[("L1", "LATTE", 1), ("L2", "COLA", 1)],
    )
    ticket.apply(Redeem("CV"))
    assert promotion_amounts(ticket.priced) == {"P1": D("3.00")}
    assert nets(ticket.priced) == {"L1": D("4.00"), "L2": D("0.00")}


def test_only_promotions_on_the_line_at_redemption_stay() -> None:
    """R8: a latte line claimed under the 50 % keeps it, and cannot qualify the bogo with
    a second latte added later."""
    ticket = open_ticket(
        [
            promotion("P1", "bogo", sequence=1, items=["LATTE"]),
            promotion("P2", "percent_off", sequence=2, percent="50", items=["LATTE"]),
        ],
        [coupon("CV", "cash_voucher", face_value="1.00", items=["LATTE"])],
        lines=[("L1", "LATTE", 1)],
    )
    ticket.apply(Redeem("CV"))  # the 50 % was on L1 then: it stays, the bogo stays off
    ticket.apply(AddItem("L2", "LATTE"))
    assert promotion_amounts(ticket.priced) == {"P2": D("5.00")}
    assert nets(ticket.priced) == {"L1": D("1.50"), "L2": D("2.50")}


def test_custom_coupon_does_not_keep_promotions_off() -> None:
    """R11: a promotion can still be triggered on a line a custom coupon applies to."""
    ticket = open_ticket(
        [HALF_BURGER_BY_HAND],
        [coupon("CU", "custom", face_value="1.00", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("CU"))
    ticket.apply(TriggerPromotion("P1"))
    assert promotion_amounts(ticket.priced) == {"P1": D("6.00")}
    assert coupon_amounts(ticket.priced) == {"CU": D("1.00")}
    assert nets(ticket.priced) == {"L1": D("5.00")}


def test_voucher_without_items_does_not_keep_promotions_off() -> None:
    """R8: a voucher with no applicable items claims nothing; its amount follows a trigger."""
    ticket = open_ticket(
        [HALF_BURGER_BY_HAND],
        [coupon("CV", "cash_voucher", face_value="5.00")],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("CV"))
    ticket.apply(TriggerPromotion("P1"))
    assert promotion_amounts(ticket.priced) == {"P1": D("6.00")}
    assert nets(ticket.priced) == {"L1": D("1.00")}


# ---------------------------------------------------------------- R9 local discounts


def test_order_discount_is_spread_over_unclaimed_lines_only() -> None:
    """R9: 2.00 off the order skips the group-purchase burger: 1.45 / 0.55 on salad / cola."""
    ticket = open_ticket(
        [],
        [coupon("GP", "group_purchase", items=["BURGER"])],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1), ("L3", "COLA", 1)],
    )
    ticket.apply(Redeem("GP"))
    ticket.apply(ApplyDiscount("D1", amount="2.00"))
    assert ticket.priced.discounts["D1"] == D("2.00")
    assert nets(ticket.priced) == {"L1": D("0.00"), "L2": D("6.55"), "L3": D("2.45")}


def test_cash_voucher_lines_take_no_order_discount() -> None:
    """R9: a 10 % order discount after a cola voucher is taken of the burger only."""
    ticket = open_ticket(
        [],
        [coupon("CV", "cash_voucher", face_value="1.00", items=["COLA"])],
        lines=[("L1", "COLA", 1), ("L2", "BURGER", 1)],
    )
    ticket.apply(Redeem("CV"))
    ticket.apply(ApplyDiscount("D1", percent="10"))
    assert ticket.priced.discounts["D1"] == D("1.20")
    assert nets(ticket.priced) == {"L1": D("2.00"), "L2": D("10.80")}


def test_original_price_member_voucher_lines_take_no_local_discount() -> None:
    """R9: a 10 % order discount skips a line under an original-price member voucher."""
    ticket = open_ticket(
        [],
        [
            coupon(
                "MV", "member_voucher", face_value="5.00", deduct_from="original", items=["BURGER"]
            )
        ],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    ticket.apply(Redeem("MV"))
    ticket.apply(ApplyDiscount("D1", percent="10"))
    assert ticket.priced.discounts["D1"] == D("0.80")
    assert nets(ticket.priced) == {"L1": D("7.00"), "L2": D("7.20")}


def test_custom_coupon_lines_still_take_local_discounts() -> None:
    """R11: a custom coupon's line takes a 10 % order discount, then the coupon."""
    ticket = open_ticket(
        [],
        [coupon("CU", "custom", face_value="1.00", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("CU"))
    ticket.apply(ApplyDiscount("D1", percent="10"))
    assert ticket.priced.discounts["D1"] == D("1.20")
    assert nets(ticket.priced) == {"L1": D("9.80")}


# ---------------------------------------------------------------- R10 member coupons


def test_member_discount_skips_lines_of_a_cash_voucher() -> None:
    """R10: a 10 % member discount leaves the voucher's burger and takes 0.80 of the salad."""
    ticket = open_ticket(
        [],
        [
            coupon("CV", "cash_voucher", face_value="2.00", items=["BURGER"]),
            coupon("MD", "member_discount", percent="10"),
        ],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    ticket.apply(Redeem("CV"))
    ticket.apply(Redeem("MD"))
    assert coupon_amounts(ticket.priced) == {"CV": D("2.00"), "MD": D("0.80")}
    assert nets(ticket.priced) == {"L1": D("10.00"), "L2": D("7.20")}


def test_member_discount_does_not_skip_custom_coupon_lines() -> None:
    """R10: custom coupons claim nothing, so a member discount still covers their line."""
    ticket = open_ticket(
        [],
        [
            coupon("CU", "custom", face_value="1.00", items=["BURGER"]),
            coupon("MD", "member_discount", percent="10"),
        ],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    ticket.apply(Redeem("CU"))
    ticket.apply(Redeem("MD"))
    assert coupon_amounts(ticket.priced) == {"CU": D("1.00"), "MD": D("2.00")}
    assert nets(ticket.priced) == {"L1": D("9.80"), "L2": D("7.20")}


def test_member_voucher_skips_third_party_lines() -> None:
    """R10: a member voucher leaves a third-party voucher's burger and takes 5.00 of the salad."""
    ticket = open_ticket(
        [],
        [
            {
                **coupon("TP", "third_party", face_value="2.00", items=["BURGER"]),
                "as": "cash_voucher",
            },
            coupon("MV", "member_voucher", sequence=2, face_value="5.00", deduct_from="discounted"),
        ],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    ticket.apply(Redeem("TP"))
    ticket.apply(Redeem("MV"))
    assert coupon_amounts(ticket.priced) == {"TP": D("2.00"), "MV": D("5.00")}
    assert nets(ticket.priced) == {"L1": D("10.00"), "L2": D("3.00")}


def test_member_voucher_does_not_skip_member_discount_lines() -> None:
    """R10: only platform and third-party lines are skipped; 5.00 over 10.80:8.00."""
    ticket = open_ticket(
        [],
        [
            coupon("MD", "member_discount", percent="10", items=["BURGER"]),
            coupon("MV", "member_voucher", face_value="5.00", deduct_from="discounted"),
        ],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    ticket.apply(Redeem("MD"))
    ticket.apply(Redeem("MV"))
    assert coupon_amounts(ticket.priced) == {"MD": D("1.20"), "MV": D("5.00")}
    assert nets(ticket.priced) == {"L1": D("7.93"), "L2": D("5.87")}


def test_member_voucher_left_with_no_line_is_not_applicable() -> None:
    """R10: a member voucher whose only line is under a group purchase is refused."""
    ticket = open_ticket(
        [],
        [
            coupon("GP", "group_purchase", items=["BURGER"]),
            coupon("MV", "member_voucher", face_value="5.00", deduct_from="discounted"),
        ],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("GP"))
    assert_refused(ticket, Redeem("MV"), "NOT_APPLICABLE")


# ---------------------------------------------------------------- R11 custom coupons


def test_custom_coupon_is_not_refused_for_a_presented_line() -> None:
    """R11: a custom coupon is redeemed though one of its burgers is presented."""
    ticket = open_ticket(
        [],
        [coupon("CU", "custom", face_value="1.00", items=["BURGER"])],
        lines=[("L1", "BURGER", 1), ("L2", "BURGER", 1)],
    )
    ticket.apply(Present("L1"))
    ticket.apply(Redeem("CU"))
    assert coupon_amounts(ticket.priced) == {"CU": D("1.00")}
    assert nets(ticket.priced) == {"L1": D("0.00"), "L2": D("11.00")}


def test_custom_coupon_is_not_refused_for_a_line_discount() -> None:
    """R11: a custom coupon is redeemed on a burger under a 10 % line discount."""
    ticket = open_ticket(
        [],
        [coupon("CU", "custom", face_value="1.00", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(ApplyDiscount("D1", percent="10", line_id="L1"))
    ticket.apply(Redeem("CU"))
    assert nets(ticket.priced) == {"L1": D("9.80")}


def test_custom_coupon_claims_nothing() -> None:
    """R11: a custom coupon's line can still be re-priced, presented, discounted and removed."""
    ticket = open_ticket(
        [],
        [coupon("CU", "custom", face_value="1.00", items=["BURGER"])],
        lines=[("L1", "BURGER", 1), ("L2", "BURGER", 1)],
    )
    ticket.apply(Redeem("CU"))
    ticket.apply(AdjustPrice("L1", "10.00"))
    ticket.apply(ApplyDiscount("D1", amount="1.00", line_id="L1"))
    ticket.apply(Present("L2"))
    # L1: 10.00 - 1.00 discount - 1.00 coupon; L2 presented.
    assert nets(ticket.priced) == {"L1": D("8.00"), "L2": D("0.00")}
    ticket.apply(RemoveLine("L2"))
    assert nets(ticket.priced) == {"L1": D("8.00")}


def test_custom_coupon_with_items_covers_only_lines_there_when_redeemed() -> None:
    """R6, §6: a custom coupon's BURGER lines are fixed at redemption; a later burger
    line is not covered until the coupon is redeemed again (it still claims nothing, R11)."""
    ticket = open_ticket(
        [],
        [coupon("CU", "custom", percent="10", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("CU"))
    ticket.apply(AddItem("L2", "BURGER", 1))
    assert coupon_amounts(ticket.priced) == {"CU": D("1.20")}
    assert nets(ticket.priced) == {"L1": D("10.80"), "L2": D("12.00")}
    ticket.apply(RemoveCoupon("CU"))
    ticket.apply(Redeem("CU"))
    assert coupon_amounts(ticket.priced) == {"CU": D("2.40")}
    ticket.apply(Present("L2"))  # custom coupons claim nothing: the line stays free to present
