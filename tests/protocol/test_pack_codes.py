"""The codes tills issue with the packs they sell (COUPON-PACK-RULES K15): every code
names its block and index, and two blocks never share a code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.protocol.pack_codes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_BLOCK_NUMBER,
    MAX_BLOCK_SIZE,
    block_code,
    block_prefix,
    parse_block_code,
)

blocks = st.integers(1, MAX_BLOCK_NUMBER)
indexes = st.integers(0, MAX_BLOCK_SIZE - 1)


@given(blocks, indexes)
def test_a_code_names_its_block_and_index(block: int, index: int) -> None:
    """K15: a till-issued code reads back as its block and index; no 0/O, no 1/I."""
    code = block_code(block_prefix(block), index)
    assert len(code) == CODE_LENGTH and code.startswith("PT")
    assert set(code[2:]) <= set(CODE_ALPHABET) and not set(code) & set("01OI")
    assert parse_block_code(code) == (block, index)


@given(blocks, indexes, blocks, indexes)
def test_two_blocks_never_share_a_code(a: int, i: int, b: int, j: int) -> None:
    """K15: different blocks or indexes make different codes."""
    if (a, i) != (b, j):
        assert block_code(block_prefix(a), i) != block_code(block_prefix(b), j)


@pytest.mark.parametrize(
    "code", ["", "PK2345678ABCD", "PTAAAAAA", "PT00000000AA", "PTAAAAAAAAAA", "pt23456789AB"]
)
def test_other_codes_are_not_till_codes(code: str) -> None:
    """K15: back-office codes, short codes and block 0 are not codes of a till's block."""
    assert parse_block_code(code) is None


def test_out_of_range_numbers_are_refused() -> None:
    """K15: a block number or index that does not fit is refused, not wrapped."""
    with pytest.raises(ValueError):
        block_prefix(0)
    with pytest.raises(ValueError):
        block_prefix(MAX_BLOCK_NUMBER + 1)
    with pytest.raises(ValueError):
        block_code(block_prefix(1), MAX_BLOCK_SIZE)
