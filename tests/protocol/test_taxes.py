"""Taxes from line nets (docs/sync-protocol.md, "Taxes"): per rate per ticket, rounded
half-up once, spread over the rate's lines by largest remainder; nets plus tax equal
the amount paid, inclusive or exclusive; returns give back exact shares."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.engine import Currency
from pos_app.protocol.taxes import (
    TaxRateError,
    compute_taxes,
    parse_tax_rate,
    rate_key,
    returned_share,
)

USD = Currency.of("USD")
D = Decimal


def test_exclusive_tax_is_rounded_once_per_rate_not_per_line() -> None:
    """Three lines of 0.05 at 10%: 0.015 rounds to 0.02 for the rate (per line it
    would be 0.01 × 3 = 0.03); the lines share 0.02 by largest remainder."""
    taxes = compute_taxes(
        [("L1", D("0.05"), D(10)), ("L2", D("0.05"), D(10)), ("L3", D("0.05"), D(10))],
        USD,
        inclusive=False,
    )
    (rate,) = taxes.rates
    assert (rate.base, rate.tax) == (D("0.15"), D("0.02"))
    assert [taxes.lines[i] for i in ("L1", "L2", "L3")] == [D("0.01"), D("0.01"), D("0.00")]
    assert taxes.amount_due(D("0.15")) == D("0.17")


def test_inclusive_tax_is_the_part_of_the_price_that_is_tax() -> None:
    """12.00 at 20% included holds 2.00 of tax; the customer pays 12.00; net of tax 10.00."""
    taxes = compute_taxes([("L1", D("12.00"), D(20))], USD, inclusive=True)
    (rate,) = taxes.rates
    assert (rate.tax, rate.net_of_tax, rate.paid) == (D("2.00"), D("10.00"), D("12.00"))
    assert taxes.amount_due(D("12.00")) == D("12.00")


def test_rates_are_kept_apart_and_ordered() -> None:
    """Two rates on one ticket: one row each, in rate order; a 0% line has no tax."""
    taxes = compute_taxes(
        [("L1", D("9.99"), D(20)), ("L2", D("4.00"), D(0)), ("L3", D("1.05"), D("5.5"))],
        USD,
        inclusive=False,
    )
    assert [(rate_key(r.rate), r.base, r.tax) for r in taxes.rates] == [
        ("0", D("4.00"), D("0.00")),
        ("5.5", D("1.05"), D("0.06")),
        ("20", D("9.99"), D("2.00")),
    ]


@given(
    nets=st.lists(st.integers(min_value=0, max_value=100_000), min_size=1, max_size=40),
    rates=st.lists(st.sampled_from(["0", "5", "5.5", "10", "19", "20", "21"]), min_size=1),
    inclusive=st.booleans(),
)
def test_odd_cents_over_many_lines_add_up_exactly(
    nets: list[int], rates: list[str], inclusive: bool
) -> None:
    """Any lines at any rates: each rate's tax is its base's, rounded half-up once;
    lines' taxes add up to it; nets without tax plus tax equal the amount paid."""
    lines = [(f"L{i}", USD.from_minor(net), D(rates[i % len(rates)])) for i, net in enumerate(nets)]
    taxes = compute_taxes(lines, USD, inclusive=inclusive)
    for rate in taxes.rates:
        divisor = 100 + rate.rate if inclusive else D(100)
        expected = (rate.base * rate.rate / divisor).quantize(D("0.01"), ROUND_HALF_UP)
        assert rate.tax == expected
        members = [i for i, _, r in lines if r == rate.rate]
        assert sum(taxes.lines[i] for i in members) == rate.tax
    nets_total = sum((net for _, net, _ in lines), D(0))
    paid = taxes.amount_due(nets_total)
    net_of_tax = sum((r.net_of_tax for r in taxes.rates), D(0))
    assert net_of_tax + taxes.total == paid


@given(
    amount=st.integers(min_value=0, max_value=10_000),
    qty=st.integers(min_value=1, max_value=30),
    data=st.data(),
)
def test_returns_unit_by_unit_give_back_the_whole_amount(
    amount: int, qty: int, data: st.DataObject
) -> None:
    """Returning a line in any number of steps gives back exactly its amount."""
    total = USD.from_minor(amount)
    returned = 0
    back = D(0)
    while returned < qty:
        step = data.draw(st.integers(min_value=1, max_value=qty - returned))
        back += returned_share(total, qty, returned, step, USD)
        returned += step
    assert back == total


@pytest.mark.parametrize("raw", ["-1", "101", "abc", "1.2345", 20, None, "NaN"])
def test_a_bad_tax_rate_is_refused(raw: object) -> None:
    """A tax rate is a percent string from 0 to 100, at most 3 places."""
    with pytest.raises(TaxRateError):
        parse_tax_rate(raw)


def test_a_rate_reads_back_as_people_write_it() -> None:
    """ "20.0" is 20, "5.50" is 5.5: the key reports and payloads use."""
    assert rate_key(parse_tax_rate("20.0")) == "20"
    assert rate_key(parse_tax_rate("5.50")) == "5.5"
