"""The open ticket's intent survives a round trip through its stored JSON form."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.engine import LineState, PackLine, Redemption, StoreDiscount, TicketState
from pos_app.store.ticket_state_codec import (
    TicketStateFormatError,
    dump_ticket_state,
    load_ticket_state,
)

ids = st.text(alphabet="ABCL0123456789-:", min_size=1, max_size=8)
money = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False)
percent = st.decimals(min_value=0, max_value=100, places=3, allow_nan=False)

lines = st.builds(
    LineState,
    line_id=ids,
    sku=ids,
    qty=st.integers(1, 50),
    unit_price=money,
    presented=st.booleans(),
    adjusted_price=st.none() | money,
)
discounts = st.builds(
    StoreDiscount,
    discount_id=ids,
    percent=st.none() | percent,
    amount=st.none() | money,
    line_id=st.none() | ids,
)
redemptions = st.builds(
    Redemption,
    code=ids,
    claimed_lines=st.lists(ids, max_size=3).map(tuple),
    promotions_before=st.dictionaries(ids, st.frozensets(ids, max_size=3), max_size=3),
)
packs = st.builds(
    PackLine, line_id=ids, pack_id=ids, name=st.text(max_size=20), price=money, member_id=ids
)
states = st.builds(
    TicketState,
    lines=st.lists(lines, max_size=5).map(tuple),
    discounts=st.lists(discounts, max_size=3).map(tuple),
    redemptions=st.lists(redemptions, max_size=3).map(tuple),
    triggered=st.lists(ids, max_size=3).map(tuple),
    cancelled=st.lists(ids, max_size=3).map(tuple),
    closed=st.booleans(),
    packs=st.lists(packs, max_size=2).map(tuple),
)


@given(states)
def test_round_trip_keeps_the_state_exactly(state: TicketState) -> None:
    """A restored open ticket has exactly the intent that was stored (crash recovery)."""
    restored = load_ticket_state(dump_ticket_state(state))
    assert restored == state
    for before, after in zip(state.lines, restored.lines, strict=True):
        assert str(before.unit_price) == str(after.unit_price)  # same Decimal exponent


def test_amounts_are_decimal_strings() -> None:
    """Money is a decimal string in storage, never a float."""
    text = dump_ticket_state(TicketState(lines=(LineState("L1", "COLA", 1, Decimal("3.10")),)))
    assert '"unit_price":"3.10"' in text


def test_a_ticket_stored_before_packs_reads_with_no_member_and_no_pack() -> None:
    """K12: an open ticket written by a till before coupon packs still restores."""
    text = (
        '{"format":1,"lines":[],"discounts":[],"redemptions":[],"triggered":[],'
        '"cancelled":[],"closed":false}'
    )
    assert load_ticket_state(text) == TicketState()


@pytest.mark.parametrize("text", ['{"format": 99}', "not json", '{"format": 1}'])
def test_unreadable_state_is_reported(text: str) -> None:
    """Stored state of an unknown format is refused with a clear error."""
    with pytest.raises(TicketStateFormatError):
        load_ticket_state(text)
