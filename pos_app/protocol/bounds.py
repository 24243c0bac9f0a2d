"""The one table of bounds both ends share (S15): what the back office accepts, a till
can sell and upload; what a till uploads, the back office can store.

The upload's payload models (:mod:`.payloads`), the record checks the admin API and
the till run (:mod:`.records`) and the back office's column sizes are all built from
:data:`BOUNDS`. Money and quantities are the engine's own ranges
(:mod:`pos_app.engine.bounds`); an amount a ticket computes (a line of 9,999 units at
the highest price, a total of many lines) may be larger and signed, and is bounded by
:data:`TICKET_AMOUNT`. Text never holds a NUL character or a lone surrogate (neither
can be stored in PostgreSQL nor encoded as UTF-8).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from pos_app.engine.bounds import MAX_AMOUNT, MAX_QUANTITY, MIN_QUANTITY


@dataclass(frozen=True)
class TextBound:
    """Text of ``min_length`` to ``max_length`` characters (a column of that size)."""

    max_length: int
    min_length: int = 1

    def rule(self) -> str:
        if self.min_length == 0:
            return f"text of at most {self.max_length} characters"
        return f"text of 1 to {self.max_length} characters"


@dataclass(frozen=True)
class IntegerBound:
    """A whole number from ``low`` to ``high`` (a column that holds it)."""

    low: int
    high: int

    def rule(self) -> str:
        return f"a whole number from {self.low:,} to {self.high:,}"

    def holds(self, value: int) -> bool:
        return self.low <= value <= self.high


# ---------------------------------------------------------------- the table

ID = TextBound(128)  # skus, ticket and line ids, coupon and entitlement codes, member ids, ...
STORE_ID = TextBound(64)  # stores, devices, packs named in records
KEY = TextBound(64)  # idempotency keys, conflict keys, event types, reason codes
NAME = TextBound(256)  # what people read: item, promotion, member and pack names
NAME_OR_EMPTY = TextBound(NAME.max_length, 0)
CURRENCY = TextBound(8)
LONG_TEXT = TextBound(4_000, 0)  # notes, addresses, descriptions

INT64 = IntegerBound(-(2**63), 2**63 - 1)
COUNTER = IntegerBound(0, 2**63 - 1)  # device sequence numbers
INT32 = IntegerBound(-(2**31), 2**31 - 1)  # ids the database numbers itself (packs, ...)
ROW_ID = IntegerBound(1, 2**31 - 1)
QUANTITY = IntegerBound(MIN_QUANTITY, MAX_QUANTITY)
STAGE = IntegerBound(0, 99)

PRICE = MAX_AMOUNT  # the engine's range for a price or an amount in a definition
# A ticket's computed amount: 9,999 units at the highest price, times many lines.
TICKET_AMOUNT = Decimal("9999999999999999.99")
MONEY_TEXT = 32  # characters of a money string on the wire (a column holds 40)
MONEY_PLACES = 6

FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2100, 12, 31)
DATE_RULE = "a time with an offset, in the years 2000 to 2100"


@dataclass(frozen=True)
class Bounds:
    """Every bound above by name, for documents and tests (``pos-backoffice`` shows it)."""

    text: Mapping[str, TextBound]
    integers: Mapping[str, IntegerBound]


BOUNDS = Bounds(
    text={
        "id": ID,
        "store_id": STORE_ID,
        "key": KEY,
        "name": NAME,
        "name_or_empty": NAME_OR_EMPTY,
        "currency": CURRENCY,
        "long_text": LONG_TEXT,
    },
    integers={
        "int64": INT64,
        "counter": COUNTER,
        "int32": INT32,
        "row_id": ROW_ID,
        "quantity": QUANTITY,
        "stage": STAGE,
    },
)


# ---------------------------------------------------------------- checks

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_MONEY = re.compile(rf"^-?\d{{1,17}}(\.\d{{1,{MONEY_PLACES}}})?$")


class BoundError(ValueError):
    """A value outside the bounds; the message says what it must be."""


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored or encoded (a NUL, a lone surrogate), or None."""
    if "\x00" in value:
        return "must not contain a NUL character"
    if not value.isascii() and _LONE_SURROGATE.search(value):
        return "must be valid Unicode (it holds a lone surrogate)"
    return None


def check_text(value: str, bound: TextBound) -> str:
    """``value`` if it is clean text within ``bound``; else :class:`BoundError`."""
    problem = text_problem(value)
    if problem is not None:
        raise BoundError(problem)
    if not bound.min_length <= len(value) <= bound.max_length:
        raise BoundError(f"must be {bound.rule()}")
    return value


def check_integer(value: int, bound: IntegerBound) -> int:
    if not bound.holds(value):
        raise BoundError(f"must be {bound.rule()}")
    return value


def check_money_text(value: str, limit: Decimal = TICKET_AMOUNT) -> str:
    """A plain decimal string (``"12.00"``, ``"-0.50"``) of at most :data:`MONEY_TEXT`
    characters and at most ``limit`` in size."""
    if len(value) > MONEY_TEXT or not _MONEY.match(value):
        raise BoundError(
            f"must be a decimal string such as '12.00' (at most {MONEY_PLACES} decimal places)"
        )
    try:
        amount = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise BoundError("must be a decimal string such as '12.00'") from None
    if abs(amount) > limit:
        raise BoundError(f"must be at most {limit:,} in size")
    return value


def check_instant(value: datetime) -> datetime:
    """An aware time whose UTC date falls in the years 2000 to 2100."""
    if value.tzinfo is None:
        raise BoundError(f"must be {DATE_RULE}")
    try:
        day = value.astimezone(UTC).date()
    except OverflowError:
        raise BoundError(f"must be {DATE_RULE}") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise BoundError(f"must be {DATE_RULE}")
    return value


# The encoder writes a NUL as the escape \u0000, a lone surrogate as it is, a number too
# large for a float as Infinity (when it is let to), an integer past 64 bits as 19 or
# more digits. A run of digits is found by mapping every digit to 0 (one C pass, about
# ten times faster than a regular expression over the same text).
_NAMED_SUSPECTS = ("\\u0000", "Infinity", "NaN")
_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")
_LONG_NUMBER = "0" * 19


def suspect_json(encoded: str) -> bool:
    """Whether JSON text (``ensure_ascii=False``) may hold what :func:`json_problem` finds."""
    if any(suspect in encoded for suspect in _NAMED_SUSPECTS):
        return True
    try:
        encoded.encode("utf-8")
    except UnicodeEncodeError:
        return True  # a lone surrogate
    return _LONG_NUMBER in encoded.translate(_DIGITS_AS_ZERO)


def json_problem(value: object) -> tuple[str, str] | None:
    """The first place in a JSON value holding what cannot be stored, as (path, problem),
    or None: a key or string with a NUL or a lone surrogate (at any depth), an integer
    past 64 bits, a number too large for a float. Clean values (nearly all) are told
    apart by one pass of the JSON encoder; only a suspect one is walked for the path."""
    try:
        encoded = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError:
        return _walk(value, "")
    except TypeError:
        return ("", "must be JSON")
    if not suspect_json(encoded):
        return None
    return _walk(value, "")


def _walk(value: object, path: str) -> tuple[str, str] | None:
    """The first place in a JSON value holding text that cannot be stored, as
    (path, problem), or None: every key and string is checked, at any depth."""
    if isinstance(value, str):
        problem = text_problem(value)
        return (path, problem) if problem else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            shown = ascii(key)[1:-1] if isinstance(key, str) and text_problem(key) else key
            where = f"{path}.{shown}" if path else str(shown)
            if isinstance(key, str) and text_problem(key):
                return (where, f"key {text_problem(key)}")
            found = _walk(item, where)
            if found:
                return found
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _walk(item, f"{path}[{index}]")
            if found:
                return found
        return None
    if isinstance(value, int) and not isinstance(value, bool) and not INT64.holds(value):
        return (path, f"must be {INT64.rule()}")
    if isinstance(value, float) and not math.isfinite(value):
        return (path, "must be a finite number")
    return None
