"""What enters as JSON (Details, S15): amounts and percents are plain decimal strings read
by one reader, and JSON nested deeper than its format is refused naming where, never a
RecursionError."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.protocol.bounds import (
    MAX_JSON_DEPTH,
    BoundError,
    JsonInputError,
    JsonTooDeep,
    check_money_text,
    json_problem,
    nesting_problem,
    read_json,
    too_deep_text,
)
from pos_app.protocol.taxes import TaxRateError, parse_tax_rate


@pytest.mark.parametrize("written", ["1e2", "1E+2", "+5", "5.", ".5", " 5", "1_0", "NaN", "--1"])
def test_wire_money_is_a_plain_decimal_string(written: str) -> None:
    """Details S15: an amount on the wire is digits and one point, maybe negative."""
    with pytest.raises(BoundError):
        check_money_text(written)


@pytest.mark.parametrize("written", ["12.00", "-0.50", "0", "9999999999999999.99"])
def test_wire_money_may_be_negative(written: str) -> None:
    """S15: a ticket's computed amounts (a raised price's adjustment) may be negative."""
    assert check_money_text(written) == written


@pytest.mark.parametrize("written", ["2e1", "+20", "-0", "20 %"])
def test_a_tax_rate_is_a_plain_decimal_string(written: str) -> None:
    """Details: a tax rate (a percent) is read by the same reader as every amount."""
    with pytest.raises(TaxRateError):
        parse_tax_rate(written)
    assert parse_tax_rate("20") == Decimal(20)


def test_json_nested_beyond_the_parser_names_where() -> None:
    """Details: 100,000 levels end in JsonTooDeep naming the place, not a RecursionError."""
    text = '{"a": 1, "b": {"c": [1, ' + "[" * 100_000 + "]" * 100_000 + "]}}"
    with pytest.raises(JsonTooDeep) as deep:
        read_json(text, 5)
    assert deep.value.path == "b.c[1][0][0]"
    assert str(deep.value) == "b.c[1][0][0]: is nested deeper than 5 levels"


def test_json_one_level_too_deep_names_where() -> None:
    """Details: one level past the bound is refused; the bound itself is read."""
    assert read_json('{"x": [[1]]}', 3) == {"x": [[1]]}
    with pytest.raises(JsonTooDeep) as deep:
        read_json('{"x": [[[1]]]}', 3)
    assert deep.value.path == "x[0][0]"


def test_not_json_is_an_input_error() -> None:
    """S15: text that is not JSON (or not UTF-8) is refused in words, never a traceback."""
    for text in ("{", b"\xff\xfe\x00", "[1,]"):
        with pytest.raises(JsonInputError):
            read_json(text)


def test_a_stored_value_too_deep_is_named_at_any_depth() -> None:
    """S15: a record or event nested past 16 levels is named, even past the encoder."""
    value: Any = "x"
    for _ in range(3000):
        value = [value]
    problem = json_problem({"extra": value})
    assert problem == ("extra" + "[0]" * 15, f"is nested deeper than {MAX_JSON_DEPTH} levels")


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text('[]{}"\\ab', max_size=4)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text("ab[{", max_size=2), inner, max_size=3)
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None, database=None)
@given(json_values, st.integers(1, 6))
def test_the_text_screen_and_the_walk_agree(value: object, depth: int) -> None:
    """S15: the fast screen over the text says "too deep" exactly when the walk finds a
    container deeper than the bound (brackets inside strings do not count)."""
    encoded = json.dumps(value, ensure_ascii=False)
    assert too_deep_text(encoded, depth) == (nesting_problem(value, depth) is not None)
