"""Money: half-up rounding to the minor unit (R1) and largest-remainder allocation (R2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos_app.engine.money import (
    AmountError,
    Currency,
    allocate_minor,
    parse_amount,
    parse_percent,
)
from tests.helpers.engine_builders import D, nets, open_ticket, promotion

USD = Currency.of("USD")
JPY = Currency.of("JPY")
KWD = Currency.of("KWD")


# ---------------------------------------------------------------- R1 rounding


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        ("0.125", "0.13"),  # half-even would give 0.12
        ("0.135", "0.14"),
        ("2.675", "2.68"),
        ("0.124999", "0.12"),
        ("0.005", "0.01"),
        ("7", "7.00"),
    ],
)
def test_round_is_half_up_to_cents(amount: str, rounded: str) -> None:
    """R1: amounts round half-up to the minor unit, never half-even."""
    assert str(USD.round(D(amount))) == rounded


def test_percent_of_rounds_once_half_up() -> None:
    """R1: 10 % of 3.25 is 0.325, which rounds half-up to 0.33."""
    assert USD.percent_of(D("10"), D("3.25")) == D("0.33")


def test_percent_of_three_units_is_taken_together() -> None:
    """R1: 15 % of three 1.05 units is 15 % of 3.15 = 0.4725 → 0.47, not 3 × 0.16."""
    assert USD.percent_of(D("15"), D("3.15")) == D("0.47")


def test_percent_on_a_line_of_three_units_is_rounded_once() -> None:
    """R1: a percentage on three units of one line is rounded once per line (2.68 net)."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="15", items=["TEA"])],
        lines=[("L1", "TEA", 3)],
    )
    assert ticket.priced.promotions["P1"] == D("0.47")
    assert nets(ticket.priced) == {"L1": D("2.68")}


def test_percent_on_separate_lines_is_rounded_per_line() -> None:
    """R1: 15 % of 1.05 on each of two lines rounds per line: 0.16 + 0.16."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="15", items=["TEA"])],
        lines=[("L1", "TEA", 1), ("L2", "TEA", 1)],
    )
    assert ticket.priced.promotions["P1"] == D("0.32")
    assert nets(ticket.priced) == {"L1": D("0.89"), "L2": D("0.89")}


# ---------------------------------------------------------------- R2 allocation


def test_allocate_ties_go_to_the_earlier_line() -> None:
    """R2: 1.00 over three equal weights is 0.34, 0.33, 0.33 (the tie goes first)."""
    assert USD.allocate(D("1.00"), [D("1"), D("1"), D("1")]) == [D("0.34"), D("0.33"), D("0.33")]


def test_allocate_single_cent_between_equal_lines_goes_to_the_first() -> None:
    """R2: one cent over two equal lines lands on the earlier one."""
    assert USD.allocate(D("0.01"), [D("5.00"), D("5.00")]) == [D("0.01"), D("0.00")]


def test_allocate_gives_the_leftover_to_the_largest_remainder() -> None:
    """R2: 1.00 over 1:2 is 0.33 / 0.67, the cent going to the larger remainder."""
    assert USD.allocate(D("1.00"), [D("1"), D("2")]) == [D("0.33"), D("0.67")]


def test_allocate_pro_rata_to_current_nets() -> None:
    """R2: 10.00 over 9.99 and 3.00 is 7.69 / 2.31 (remainders 69 vs 1230 of 1299)."""
    assert USD.allocate(D("10.00"), [D("9.99"), D("3.00")]) == [D("7.69"), D("2.31")]


def test_allocate_does_not_round_each_part_on_its_own() -> None:
    """R2: 0.10 over three equal lines adds up to 0.10 (0.04, 0.03, 0.03), not 0.09."""
    parts = USD.allocate(D("0.10"), [D("2"), D("2"), D("2")])
    assert parts == [D("0.04"), D("0.03"), D("0.03")]


def test_allocate_zero_weight_gets_nothing() -> None:
    """R2: a line with a zero net takes no part of a spread amount."""
    assert USD.allocate(D("1.00"), [D("0"), D("3"), D("1")]) == [D("0.00"), D("0.75"), D("0.25")]


def test_allocate_over_all_zero_weights_is_even() -> None:
    """R2: with every weight zero the amount is spread evenly, ties to the earlier line."""
    assert USD.allocate(D("0.05"), [D("0"), D("0")]) == [D("0.03"), D("0.02")]


@pytest.mark.parametrize(
    ("total", "weights"),
    [
        ("5.00", ["12.00", "8.00"]),
        ("0.07", ["1.05", "1.05", "1.05", "1.05", "1.05"]),
        ("3.33", ["0.01", "100.00", "7.77"]),
        ("100.00", ["33.33", "33.33", "33.34"]),
        ("0.00", ["1.00", "2.00"]),
    ],
)
def test_allocated_parts_add_up_exactly(total: str, weights: list[str]) -> None:
    """R2: parts of a voucher add up exactly to its face value."""
    parts = USD.allocate(D(total), [D(w) for w in weights])
    assert sum(parts, Decimal(0)) == D(total)
    assert all(part == USD.round(part) and part >= 0 for part in parts)


def test_allocate_minor_works_in_whole_minor_units() -> None:
    """R2: 7 minor units over 1:1:1 is 3, 2, 2."""
    assert allocate_minor(7, [1, 1, 1]) == [3, 2, 2]


def test_allocate_of_nothing_is_empty() -> None:
    """R2: an amount over no lines has no parts."""
    assert USD.allocate(D("1.00"), []) == []


# ---------------------------------------------------------------- minor units


def test_currencies_know_their_minor_units() -> None:
    """R1: USD has 2 places, JPY 0, KWD 3 (ISO 4217); codes are case-insensitive."""
    assert (USD.exponent, JPY.exponent, KWD.exponent) == (2, 0, 3)
    assert Currency.of("jpy") == JPY
    assert (USD.quantum, JPY.quantum, KWD.quantum) == (D("0.01"), D("1"), D("0.001"))


def test_jpy_rounds_half_up_to_whole_yen() -> None:
    """R1: yen have no minor unit: 100.5 → 101, 15 % of 1050 = 157.5 → 158."""
    assert str(JPY.round(D("100.5"))) == "101"
    assert JPY.percent_of(D("15"), D("1050")) == D("158")
    assert JPY.format(D("100")) == "100"


def test_jpy_allocation_spreads_whole_yen() -> None:
    """R2: 1000 yen over three equal lines is 334, 333, 333."""
    assert JPY.allocate(D("1000"), [D("1"), D("1"), D("1")]) == [D("334"), D("333"), D("333")]


def test_kwd_rounds_half_up_to_fils() -> None:
    """R1: dinars have three places: 1.2345 → 1.235 (half-even would give 1.234)."""
    assert str(KWD.round(D("1.2345"))) == "1.235"
    assert KWD.percent_of(D("10"), D("1.005")) == D("0.101")
    assert KWD.format(D("1.5")) == "1.500"


def test_kwd_allocation_spreads_fils() -> None:
    """R2: 1.000 KWD over three equal lines is 0.334, 0.333, 0.333."""
    assert KWD.allocate(D("1.000"), [D("1"), D("1"), D("1")]) == [
        D("0.334"),
        D("0.333"),
        D("0.333"),
    ]


def test_minor_unit_round_trip() -> None:
    """R1: 12.34 USD is 1234 cents; 1234 fils is 1.234 KWD."""
    assert USD.to_minor(D("12.34")) == 1234
    assert KWD.from_minor(1234) == D("1.234")


def test_jpy_ticket_rounds_a_percentage_to_whole_yen() -> None:
    """R1: 15 % off a 1050-yen item is 158 yen off, net 892."""
    catalog = [{"sku": "RAMEN", "price": "1050"}]
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="15")],
        lines=[("L1", "RAMEN", 1)],
        catalog=catalog,
        currency="JPY",
    )
    assert ticket.priced.promotions["P1"] == D("158")
    assert ticket.priced.total == D("892")


def test_kwd_ticket_rounds_a_percentage_to_fils() -> None:
    """R1: 15 % off 3 × 1.005 KWD is 15 % of 3.015 = 0.45225 → 0.452."""
    catalog = [{"sku": "TEA", "price": "1.005"}]
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="15")],
        lines=[("L1", "TEA", 3)],
        catalog=catalog,
        currency="KWD",
    )
    assert ticket.priced.promotions["P1"] == D("0.452")
    assert ticket.priced.total == D("2.563")


# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize("raw", [1.5, True, "abc", "NaN", "Infinity", None, [1]])
def test_non_decimal_input_is_refused(raw: object) -> None:
    """R1: no floats (or other non-decimals) on the money path."""
    with pytest.raises(AmountError):
        parse_amount(raw)
    with pytest.raises(AmountError):
        parse_percent(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "1e2",
        "1E+2",
        "-0",
        "+5",
        "-1.00",
        "1_000",
        "\u0661\u0662",
        "12.",
        ".5",
        "1.2.3",
        "0x10",
        100,
        1,
    ],
    ids=repr,
)
def test_only_plain_decimal_strings_are_read(raw: object) -> None:
    """Details: an exponent, a sign, a bare number or other writing is refused, never read
    as a number; the message says how to write it."""
    with pytest.raises(AmountError) as amount:
        parse_amount(raw)
    with pytest.raises(AmountError) as percent:
        parse_percent(raw)
    expected = "not a bare number" if isinstance(raw, int) else "no sign, no exponent"
    assert expected in str(amount.value) and expected in str(percent.value)
    assert "999,999,999,999.99" in str(amount.value) and "0 to 100" in str(percent.value)


@pytest.mark.parametrize(("raw", "value"), [("12", "12"), ("12.5", "12.5"), (" 012.50 ", "12.50")])
def test_plain_decimal_strings_are_read_exactly(raw: str, value: str) -> None:
    """Details: 12, 12.5 and 12.50 are amounts and percents (surrounding spaces aside)."""
    assert parse_amount(raw) == Decimal(value) == parse_percent(raw)


def test_amounts_and_percents_are_range_checked() -> None:
    """R1: an amount is never negative; a percentage lies in 0–100."""
    assert parse_amount("0") == 0
    assert parse_percent("100") == 100
    with pytest.raises(AmountError):
        parse_amount("-0.01")
    with pytest.raises(AmountError):
        parse_percent("100.01")
    with pytest.raises(AmountError):
        parse_percent("-1")


def test_formatting_is_the_same_however_often_and_in_whatever_order() -> None:
    """R1: an amount formats to the currency's places, the same the thousandth time, and a
    negative zero is never taken for a zero (or the other way round)."""
    currency = Currency.of("USD")
    for amount, text in [("12", "12.00"), ("12.00", "12.00"), ("-0.00", "-0.00"), ("0", "0.00")]:
        assert currency.format(Decimal(amount)) == text
        assert currency.format(Decimal(amount)) == text
    assert currency.format(Decimal("0.005")) == "0.01"
