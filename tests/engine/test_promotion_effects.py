"""What each promotion type does to the units it may claim (FORMAT.md table, R1, R2, R5)."""

from __future__ import annotations

from pos_app.engine.commands import AddItem, AdjustPrice, RemoveLine, SetQuantity
from tests.helpers.engine_builders import D, nets, open_ticket, promotion, promotion_amounts

# ---------------------------------------------------------------- percent_off


def test_percent_off_takes_the_percent_of_each_eligible_unit() -> None:
    """R1: 20 % off two 5.00 lattes is 2.00 off the line."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="20", items=["LATTE"])],
        lines=[("L1", "LATTE", 2), ("L2", "BURGER", 1)],
    )
    assert nets(ticket.priced) == {"L1": D("8.00"), "L2": D("12.00")}
    assert promotion_amounts(ticket.priced) == {"P1": D("2.00")}


def test_percent_off_waits_for_its_min_spend_and_applies_at_it() -> None:
    """R5: a percent-off with min spend 10.00 applies once eligible spend reaches 10.00."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="20", items=["LATTE"], min_spend="10.00")],
        lines=[("L1", "LATTE", 1)],
    )
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("5.00")
    ticket.apply(SetQuantity("L1", 2))
    assert promotion_amounts(ticket.priced) == {"P1": D("2.00")}
    assert ticket.priced.total == D("8.00")


def test_percent_off_min_spend_counts_only_eligible_items() -> None:
    """R5: a burger does not help a drinks promotion reach its min spend."""
    ticket = open_ticket(
        [
            promotion(
                "P1", "percent_off", percent="10", items=["category:drinks"], min_spend="10.00"
            )
        ],
        lines=[("L1", "LATTE", 1), ("L2", "BURGER", 1)],
    )
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("17.00")


# ---------------------------------------------------------------- amount_off


def test_amount_off_spreads_its_amount_over_eligible_lines() -> None:
    """R2: spend 20.00 on mains, save 5.00, spread 12:8 as 3.00 and 2.00."""
    ticket = open_ticket(
        [promotion("P1", "amount_off", threshold="20.00", amount="5.00", items=["category:mains"])],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1), ("L3", "COLA", 1)],
    )
    assert nets(ticket.priced) == {"L1": D("9.00"), "L2": D("6.00"), "L3": D("3.00")}
    assert promotion_amounts(ticket.priced) == {"P1": D("5.00")}
    assert ticket.priced.total == D("18.00")


def test_amount_off_below_threshold_does_nothing() -> None:
    """R5: 12.00 of eligible spend does not reach a 20.00 threshold."""
    ticket = open_ticket(
        [promotion("P1", "amount_off", threshold="20.00", amount="5.00", items=["category:mains"])],
        lines=[("L1", "BURGER", 1), ("L2", "COLA", 3)],
    )
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("21.00")


def test_amount_off_is_capped_at_the_eligible_value() -> None:
    """R3: 50.00 off a 3.00 cola takes 3.00 and leaves the line at 0.00."""
    ticket = open_ticket(
        [promotion("P1", "amount_off", threshold="0", amount="50.00", items=["COLA"])],
        lines=[("L1", "COLA", 1), ("L2", "FRIES", 1)],
    )
    assert nets(ticket.priced) == {"L1": D("0.00"), "L2": D("4.00")}
    assert promotion_amounts(ticket.priced) == {"P1": D("3.00")}


def test_amount_off_spread_uses_largest_remainder() -> None:
    """R2: 1.00 over 9.99 and 3.00 is 0.77 and 0.23 (remainders 1176 vs 123 of 1299)."""
    ticket = open_ticket(
        [promotion("P1", "amount_off", threshold="0", amount="1.00", items=["WINE", "COLA"])],
        lines=[("L1", "WINE", 1), ("L2", "COLA", 1)],
    )
    assert nets(ticket.priced) == {"L1": D("9.22"), "L2": D("2.77")}


# ---------------------------------------------------------------- special_price


def test_special_price_sets_each_unit_price() -> None:
    """R5: two burgers at a 9.00 special price cost 18.00."""
    ticket = open_ticket(
        [promotion("P1", "special_price", price="9.00", items=["BURGER"])],
        lines=[("L1", "BURGER", 2)],
    )
    assert nets(ticket.priced) == {"L1": D("18.00")}
    assert promotion_amounts(ticket.priced) == {"P1": D("6.00")}


def test_special_price_above_the_price_never_raises_it() -> None:
    """R5: a 15.00 special price leaves a 12.00 burger at 12.00."""
    ticket = open_ticket(
        [promotion("P1", "special_price", price="15.00", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    assert nets(ticket.priced) == {"L1": D("12.00")}
    assert promotion_amounts(ticket.priced) == {}


def test_special_price_equal_to_the_price_takes_no_part() -> None:
    """R5: a unit already at the special price takes no part."""
    ticket = open_ticket(
        [promotion("P1", "special_price", price="12.00", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    assert "P1" not in ticket.priced.promotions or ticket.priced.promotions["P1"] == 0
    assert ticket.priced.total == D("12.00")


def test_special_price_only_lowers_the_dearer_units() -> None:
    """R5: a 4.50 drinks price lowers a 5.00 latte and leaves a 3.00 cola at 3.00."""
    ticket = open_ticket(
        [promotion("P1", "special_price", price="4.50", items=["category:drinks"])],
        lines=[("L1", "LATTE", 1), ("L2", "COLA", 1)],
    )
    assert nets(ticket.priced) == {"L1": D("4.50"), "L2": D("3.00")}
    assert promotion_amounts(ticket.priced) == {"P1": D("0.50")}


def test_special_price_never_raises_an_adjusted_price() -> None:
    """R5: a burger re-priced to 8.00 stays at 8.00 under a 9.00 special price."""
    ticket = open_ticket(
        [promotion("P1", "special_price", price="9.00", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(AdjustPrice("L1", "8.00"))
    assert nets(ticket.priced) == {"L1": D("8.00")}
    assert promotion_amounts(ticket.priced) == {}


# ---------------------------------------------------------------- bogo


def test_buy_two_get_one_frees_the_last_unit_of_each_run() -> None:
    """R5: buy 2 get 1 on seven cakes frees two (12.00); the seventh is unclaimed."""
    ticket = open_ticket(
        [
            promotion("P1", "bogo", sequence=1, buy=2, get=1, items=["CAKE"]),
            promotion("P2", "percent_off", sequence=2, percent="50", items=["CAKE"]),
        ],
        lines=[("L1", "CAKE", 7)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("12.00"), "P2": D("3.00")}
    assert nets(ticket.priced) == {"L1": D("27.00")}


def test_bogo_pairs_units_dearest_first() -> None:
    """R5: wine pays for the latte, one cola pays for the other: 8.00 free."""
    ticket = open_ticket(
        [promotion("P1", "bogo", items=["category:drinks"])],
        lines=[("L1", "LATTE", 1), ("L2", "WINE", 1), ("L3", "COLA", 2)],
    )
    assert nets(ticket.priced) == {"L1": D("0.00"), "L2": D("9.99"), "L3": D("3.00")}
    assert promotion_amounts(ticket.priced) == {"P1": D("8.00")}
    assert ticket.priced.total == D("12.99")


def test_bogo_needs_a_complete_run() -> None:
    """R5: one cola is not a buy-one-get-one run."""
    ticket = open_ticket([promotion("P1", "bogo", items=["COLA"])], lines=[("L1", "COLA", 1)])
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("3.00")


# ---------------------------------------------------------------- nth_item


def test_nth_item_counts_units_dearest_first() -> None:
    """R5: every third drink free: latte, cola, cola → the second cola is free."""
    ticket = open_ticket(
        [
            promotion("P1", "nth_item", sequence=1, n=3, percent="100", items=["category:drinks"]),
            promotion("P2", "percent_off", sequence=2, percent="50", items=["COLA"]),
        ],
        lines=[("L1", "LATTE", 1), ("L2", "COLA", 3)],
    )
    # P1 claims the latte and two colas; the fourth unit (a cola) is left for P2.
    assert promotion_amounts(ticket.priced) == {"P1": D("3.00"), "P2": D("1.50")}
    assert nets(ticket.priced) == {"L1": D("5.00"), "L2": D("4.50")}


def test_nth_item_percent_is_rounded_once_per_line() -> None:
    """R1: two half-price teas on one line are 50 % of 2.10 = 1.05, not 2 × 0.53."""
    ticket = open_ticket(
        [promotion("P1", "nth_item", n=2, percent="50", items=["TEA"])],
        lines=[("L1", "TEA", 4)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("1.05")}
    assert nets(ticket.priced) == {"L1": D("3.15")}


def test_nth_item_rounds_half_up() -> None:
    """R1: half of 1.05 is 0.525 → 0.53 off."""
    ticket = open_ticket(
        [promotion("P1", "nth_item", n=2, percent="50", items=["TEA"])],
        lines=[("L1", "TEA", 3)],
    )
    assert nets(ticket.priced) == {"L1": D("2.62")}


# ---------------------------------------------------------------- add_on


def test_add_on_prices_one_add_on_unit_per_trigger_unit() -> None:
    """R5: two burgers let two of three colas cost 1.00 each (4.00 off)."""
    ticket = open_ticket(
        [
            promotion(
                "P1", "add_on", trigger_items=["BURGER"], addon_items=["COLA"], addon_price="1.00"
            )
        ],
        lines=[("L1", "BURGER", 2), ("L2", "COLA", 3)],
    )
    assert nets(ticket.priced) == {"L1": D("24.00"), "L2": D("5.00")}
    assert promotion_amounts(ticket.priced) == {"P1": D("4.00")}


def test_add_on_price_never_raises_an_add_on() -> None:
    """R5: a 3.50 add-on price does not make a 3.00 cola dearer."""
    ticket = open_ticket(
        [
            promotion(
                "P1", "add_on", trigger_items=["BURGER"], addon_items=["COLA"], addon_price="3.50"
            )
        ],
        lines=[("L1", "BURGER", 1), ("L2", "COLA", 1)],
    )
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("15.00")


def test_add_on_picks_the_dearest_add_on_unit() -> None:
    """R5: with one trigger, the 5.00 latte (not the 3.00 cola) becomes the add-on."""
    ticket = open_ticket(
        [
            promotion(
                "P1",
                "add_on",
                trigger_items=["BURGER"],
                addon_items=["category:drinks"],
                addon_price="1.00",
            )
        ],
        lines=[("L1", "BURGER", 1), ("L2", "COLA", 1), ("L3", "LATTE", 1)],
    )
    assert nets(ticket.priced) == {"L1": D("12.00"), "L2": D("3.00"), "L3": D("1.00")}


def test_unit_matching_trigger_and_add_on_counts_as_trigger() -> None:
    """R5: burgers that are both trigger and add-on items are triggers; the cola is the add-on."""
    ticket = open_ticket(
        [
            promotion(
                "P1",
                "add_on",
                trigger_items=["BURGER"],
                addon_items=["BURGER", "COLA"],
                addon_price="1.00",
            )
        ],
        lines=[("L1", "BURGER", 2), ("L2", "COLA", 1)],
    )
    assert nets(ticket.priced) == {"L1": D("24.00"), "L2": D("1.00")}
    assert promotion_amounts(ticket.priced) == {"P1": D("2.00")}


def test_trigger_only_units_make_no_add_on() -> None:
    """R5: two burgers that count as triggers leave no add-on unit: no effect."""
    ticket = open_ticket(
        [
            promotion(
                "P1",
                "add_on",
                trigger_items=["BURGER"],
                addon_items=["BURGER", "COLA"],
                addon_price="1.00",
            )
        ],
        lines=[("L1", "BURGER", 2)],
    )
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("24.00")


def test_unpaired_trigger_unit_is_left_for_later_promotions() -> None:
    """R5: one cola pairs with one burger; the other burger takes the 50 % promotion."""
    ticket = open_ticket(
        [
            promotion(
                "P1",
                "add_on",
                sequence=1,
                trigger_items=["BURGER"],
                addon_items=["COLA"],
                addon_price="1.00",
            ),
            promotion("P2", "percent_off", sequence=2, percent="50", items=["BURGER"]),
        ],
        lines=[("L1", "BURGER", 2), ("L2", "COLA", 1)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("2.00"), "P2": D("6.00")}
    assert nets(ticket.priced) == {"L1": D("18.00"), "L2": D("1.00")}


# ---------------------------------------------------------------- combo


def test_combo_saving_is_spread_over_the_set_by_value() -> None:
    """R2: burger + latte for 12.00 saves 5.00: 3.53 on the burger, 1.47 on the latte."""
    ticket = open_ticket(
        [
            promotion(
                "P1", "combo", components=[["BURGER", "SALAD"], ["COLA", "LATTE"]], price="12.00"
            )
        ],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1), ("L3", "COLA", 1), ("L4", "LATTE", 1)],
    )
    # Second set (salad 8.00 + cola 3.00 = 11.00) is not dearer than 12.00: no part.
    assert nets(ticket.priced) == {
        "L1": D("8.47"),
        "L2": D("8.00"),
        "L3": D("3.00"),
        "L4": D("3.53"),
    }
    assert promotion_amounts(ticket.priced) == {"P1": D("5.00")}


def test_combo_spreads_each_set_over_that_sets_units() -> None:
    """R2: two sets at 10.00 save 6.00 and 2.00, each spread over its own units."""
    ticket = open_ticket(
        [promotion("P1", "combo", components=[["BURGER", "SALAD"], ["FRIES"]], price="10.00")],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1), ("L3", "FRIES", 2)],
    )
    # Set 1: burger 12 + fries 4 → 4.50 / 1.50; set 2: salad 8 + fries 4 → 1.33 / 0.67.
    assert nets(ticket.priced) == {"L1": D("7.50"), "L2": D("6.67"), "L3": D("5.83")}
    assert promotion_amounts(ticket.priced) == {"P1": D("8.00")}
    assert ticket.priced.total == D("20.00")


def test_combo_set_not_dearer_than_its_price_takes_no_part() -> None:
    """R5: cola + tea (4.05) under a 5.00 combo price is left alone."""
    ticket = open_ticket(
        [promotion("P1", "combo", components=[["COLA"], ["TEA"]], price="5.00")],
        lines=[("L1", "COLA", 1), ("L2", "TEA", 1)],
    )
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("4.05")


def test_combo_needs_every_component() -> None:
    """R5: a burger without fries is not a complete set."""
    ticket = open_ticket(
        [promotion("P1", "combo", components=[["BURGER"], ["FRIES"]], price="10.00")],
        lines=[("L1", "BURGER", 2)],
    )
    assert promotion_amounts(ticket.priced) == {}


# ---------------------------------------------------------------- gift


def test_gift_line_joins_at_the_threshold_and_leaves_below_it() -> None:
    """R5: spend 20.00 adds a free cake line worth 6.00; dropping to 12.00 removes it."""
    ticket = open_ticket(
        [promotion("P1", "gift", threshold="20.00", gift_sku="CAKE")],
        lines=[("L1", "BURGER", 2)],
    )
    gift = ticket.priced.line("gift:P1")
    assert gift is not None
    assert (gift.sku, gift.qty, gift.gross, gift.net) == ("CAKE", 1, D("6.00"), D("0.00"))
    assert promotion_amounts(ticket.priced) == {"P1": D("6.00")}
    assert ticket.priced.total == D("24.00")

    ticket.apply(SetQuantity("L1", 1))
    assert ticket.priced.line("gift:P1") is None
    assert promotion_amounts(ticket.priced) == {}
    assert ticket.priced.total == D("12.00")


def test_gift_amount_is_price_times_quantity() -> None:
    """R5: a gift of two cakes is worth 12.00."""
    ticket = open_ticket(
        [promotion("P1", "gift", threshold="10.00", gift_sku="CAKE", qty=2)],
        lines=[("L1", "BURGER", 1)],
    )
    gift = ticket.priced.line("gift:P1")
    assert gift is not None and gift.qty == 2
    assert promotion_amounts(ticket.priced) == {"P1": D("12.00")}
    assert ticket.priced.total == D("12.00")


def test_gift_leaves_when_its_qualifying_line_is_removed() -> None:
    """R5: removing the line that reached the threshold removes the gift."""
    ticket = open_ticket(
        [promotion("P1", "gift", threshold="10.00", gift_sku="CAKE")],
        lines=[("L1", "BURGER", 1), ("L2", "COLA", 1)],
    )
    assert ticket.priced.line("gift:P1") is not None
    ticket.apply(RemoveLine("L1"))
    assert ticket.priced.line("gift:P1") is None
    assert nets(ticket.priced) == {"L2": D("3.00")}


def test_gift_threshold_counts_only_its_items() -> None:
    """R5: a drinks gift at 10.00 ignores the burger; two more colas reach it."""
    ticket = open_ticket(
        [promotion("P1", "gift", threshold="10.00", gift_sku="TEA", items=["category:drinks"])],
        lines=[("L1", "LATTE", 1), ("L2", "BURGER", 1)],
    )
    assert ticket.priced.line("gift:P1") is None
    ticket.apply(AddItem("L3", "COLA", 2))
    assert ticket.priced.line("gift:P1") is not None
    assert promotion_amounts(ticket.priced) == {"P1": D("1.05")}
    assert ticket.priced.total == D("23.00")


# ---------------------------------------------------------------- picking order


def test_dearest_unit_is_picked_before_the_oldest() -> None:
    """R5: in a latte-and-cola pair the cheaper cola is free, though it was rung up first."""
    ticket = open_ticket(
        [promotion("P1", "bogo", items=["category:drinks"])],
        lines=[("L1", "COLA", 1), ("L2", "LATTE", 1)],
    )
    assert nets(ticket.priced) == {"L1": D("0.00"), "L2": D("5.00")}


def test_nth_item_picks_oldest_line_first_on_ties() -> None:
    """R5: of three equal colas, the two oldest form the pair; the third is left over."""
    ticket = open_ticket(
        [
            promotion("P1", "nth_item", sequence=1, n=2, percent="100", items=["COLA"]),
            promotion("P2", "percent_off", sequence=2, percent="50", items=["COLA"]),
        ],
        lines=[("L1", "COLA", 1), ("L2", "COLA", 1), ("L3", "COLA", 1)],
    )
    assert nets(ticket.priced) == {"L1": D("3.00"), "L2": D("0.00"), "L3": D("1.50")}


def test_bogo_picks_oldest_line_first_on_ties() -> None:
    """R5: of three equal colas, the two oldest form the run; the third is left over."""
    ticket = open_ticket(
        [
            promotion("P1", "bogo", sequence=1, items=["COLA"]),
            promotion("P2", "percent_off", sequence=2, percent="50", items=["COLA"]),
        ],
        lines=[("L1", "COLA", 1), ("L2", "COLA", 1), ("L3", "COLA", 1)],
    )
    assert nets(ticket.priced) == {"L1": D("3.00"), "L2": D("0.00"), "L3": D("1.50")}


def test_add_on_picks_oldest_line_first_on_ties() -> None:
    """R5: one trigger, two equal colas: the older cola is the add-on."""
    ticket = open_ticket(
        [
            promotion(
                "P1", "add_on", trigger_items=["BURGER"], addon_items=["COLA"], addon_price="1.00"
            )
        ],
        lines=[("L1", "BURGER", 1), ("L2", "COLA", 1), ("L3", "COLA", 1)],
    )
    assert nets(ticket.priced) == {"L1": D("12.00"), "L2": D("1.00"), "L3": D("3.00")}


def test_combo_picks_oldest_line_first_on_ties() -> None:
    """R5: cola + fries for 5.00 uses the older cola: 0.86 / 1.14 off."""
    ticket = open_ticket(
        [promotion("P1", "combo", components=[["COLA"], ["FRIES"]], price="5.00")],
        lines=[("L1", "COLA", 1), ("L2", "FRIES", 1), ("L3", "COLA", 1)],
    )
    assert nets(ticket.priced) == {"L1": D("2.14"), "L2": D("2.86"), "L3": D("3.00")}


def test_empty_items_mean_every_item() -> None:
    """FORMAT: an empty items list means every item: 10 % off burger and cola."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="10", items=[])],
        lines=[("L1", "BURGER", 1), ("L2", "COLA", 1)],
    )
    assert promotion_amounts(ticket.priced) == {"P1": D("1.50")}
    assert nets(ticket.priced) == {"L1": D("10.80"), "L2": D("2.70")}
