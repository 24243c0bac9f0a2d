"""The screen for text no database can store (SYNC-RULES S15): `suspect_json` is a fast
first pass over the encoded event; it may flag a clean event (then the event is walked),
but it never lets an unstorable one through."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.protocol.bounds import _walk, json_problem, suspect_json

UNSTORABLE = {
    "a NUL in a name": {"name": "Tea\x00"},
    "a lone surrogate": {"name": "\ud800"},
    "an integer past 64 bits": {"device_seq": 9223372036854775808},
    "a negative integer past 64 bits": {"n": -9223372036854775809},
    "a float too large": {"price": float("inf")},
    "not a number": {"price": float("nan")},
    "a NUL in a key, deep": {"lines": [{"a\x00": 1}]},
}


@pytest.mark.parametrize("value", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_every_unstorable_value_is_suspect_and_found(value: object) -> None:
    """S15: each kind of unstorable text is flagged by the screen and named by the walk."""
    assert suspect_json(json.dumps(value, ensure_ascii=False))
    assert json_problem(value) is not None


def test_a_clean_ticket_is_not_suspect() -> None:
    """The common case takes the fast path: digits, money and names raise no flag."""
    clean = {
        "ticket_id": "D1-01-000147",
        "device_seq": 922337203685477580,  # 18 digits: within 64 bits
        "lines": [{"sku": "BURGER", "price": "12.00", "name": "Classic burger 1/4 lb"}],
        "barcode": "4006381333931",
    }
    assert not suspect_json(json.dumps(clean, ensure_ascii=False))
    assert json_problem(clean) is None


def test_a_suspect_but_clean_value_is_walked_and_passes() -> None:
    """A 19-digit barcode in a string or an item called NaN is only suspect: the walk
    finds nothing wrong, so the event is stored."""
    value = {"barcode": "1234567890123456789", "name": "NaN bread"}
    assert suspect_json(json.dumps(value, ensure_ascii=False))
    assert json_problem(value) is None


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(st.characters(codec=None, exclude_categories=())),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_the_screen_never_misses_what_the_walk_finds(value: object) -> None:
    """S15: json_problem (screen, then walk) agrees with walking every value."""
    assert json_problem(value) == _walk(value, "")
