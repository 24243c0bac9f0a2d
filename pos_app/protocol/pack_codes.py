"""The codes of coupons a till issues when it sells a pack (COUPON-PACK-RULES K15).

The back office reserves blocks of codes for each till; a block is a number the back
office hands out once (its table's key), and its codes are that number and an index
inside the block, written with the letters and digits read aloud without doubt (no
0/O, no 1/I). A code is ``PT`` + six characters of block + four of index: two blocks
never share a code, so no two tills ever issue the same one, and codes the back
office issues itself (``PK`` + random) never meet them either.
"""

from __future__ import annotations

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TILL_CODE_PREFIX = "PT"
BLOCK_DIGITS = 6
INDEX_DIGITS = 4
MAX_BLOCK_NUMBER = len(CODE_ALPHABET) ** BLOCK_DIGITS - 1
MAX_BLOCK_SIZE = len(CODE_ALPHABET) ** INDEX_DIGITS
CODE_LENGTH = len(TILL_CODE_PREFIX) + BLOCK_DIGITS + INDEX_DIGITS
_VALUE = {ch: i for i, ch in enumerate(CODE_ALPHABET)}


def _encode(number: int, digits: int) -> str:
    base = len(CODE_ALPHABET)
    if not 0 <= number < base**digits:
        raise ValueError(f"{number} does not fit in {digits} code characters")
    out = []
    for _ in range(digits):
        number, digit = divmod(number, base)
        out.append(CODE_ALPHABET[digit])
    return "".join(reversed(out))


def _decode(text: str) -> int | None:
    number = 0
    for ch in text:
        value = _VALUE.get(ch)
        if value is None:
            return None
        number = number * len(CODE_ALPHABET) + value
    return number


def block_prefix(block_number: int) -> str:
    """The prefix every code of block ``block_number`` starts with."""
    if block_number < 1:
        raise ValueError(f"block numbers start at 1, not {block_number}")
    return TILL_CODE_PREFIX + _encode(block_number, BLOCK_DIGITS)


def block_code(prefix: str, index: int) -> str:
    """Code number ``index`` (from 0) of the block with ``prefix``."""
    if len(prefix) != len(TILL_CODE_PREFIX) + BLOCK_DIGITS:
        raise ValueError(f"{prefix!r} is not a block prefix")
    return prefix + _encode(index, INDEX_DIGITS)


def parse_block_code(code: str) -> tuple[int, int] | None:
    """``code``'s block number and index, or None when it is not a till-issued code."""
    if len(code) != CODE_LENGTH or not code.startswith(TILL_CODE_PREFIX):
        return None
    block = _decode(code[len(TILL_CODE_PREFIX) : len(TILL_CODE_PREFIX) + BLOCK_DIGITS])
    index = _decode(code[-INDEX_DIGITS:])
    if block is None or index is None or block < 1:
        return None
    return block, index
