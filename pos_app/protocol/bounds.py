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
from decimal import Decimal

from pos_app.engine.bounds import MAX_AMOUNT, MAX_QUANTITY, MIN_QUANTITY

# The one reader of amounts and percents (the engine's, which needs it too), for the back
# office and the till's edges: pydantic validators, form fields, sync payloads.
from pos_app.engine.bounds import DecimalTextError as DecimalTextError
from pos_app.engine.bounds import plain_decimal as plain_decimal


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
PACK_NAME = TextBound(128)  # a coupon pack's name (its column holds 200 on both ends)
URL = TextBound(2_000)  # an image, redirect or share address

INT64 = IntegerBound(-(2**63), 2**63 - 1)
COUNTER = IntegerBound(0, 2**63 - 1)  # device sequence numbers
INT32 = IntegerBound(-(2**31), 2**31 - 1)  # ids the database numbers itself (packs, ...)
ROW_ID = IntegerBound(1, 2**31 - 1)
COUNT = IntegerBound(0, 2**31 - 1)  # how many of something a till reports (its outbox)
QUANTITY = IntegerBound(MIN_QUANTITY, MAX_QUANTITY)
STAGE = IntegerBound(0, 99)

PRICE = MAX_AMOUNT  # the engine's range for a price or an amount in a definition
# A ticket's computed amount: 9,999 units at the highest price, times many lines.
TICKET_AMOUNT = Decimal("9999999999999999.99")
MONEY_TEXT = 32  # characters of a money string on the wire (a column holds 40)
MONEY_PLACES = 6
# Containers within containers in any JSON of the protocol (a record's data, an upload,
# a page of changes). The deepest shape is an upload: envelope, events, event, payload,
# lines, line, adjustments, adjustment (8).
MAX_JSON_DEPTH = 16

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
        "pack_name": PACK_NAME,
        "url": URL,
    },
    integers={
        "int64": INT64,
        "counter": COUNTER,
        "int32": INT32,
        "row_id": ROW_ID,
        "count": COUNT,
        "quantity": QUANTITY,
        "stage": STAGE,
    },
)


# ---------------------------------------------------------------- checks

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


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
    """An amount a ticket computed, on the wire: a plain decimal string that may be
    negative (``"12.00"``, ``"-0.50"``; read by the engine's one reader,
    :func:`pos_app.engine.bounds.plain_decimal`) of at most :data:`MONEY_TEXT` characters,
    :data:`MONEY_PLACES` places and ``limit`` in size."""
    rule = f"a decimal string such as '12.00' (at most {MONEY_PLACES} decimal places)"
    if len(value) > MONEY_TEXT or value != value.strip():
        raise BoundError(f"must be {rule}")
    try:
        amount = plain_decimal(value, signed=True)
    except DecimalTextError:
        raise BoundError(f"must be {rule}, with no exponent and no plus sign") from None
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MONEY_PLACES:
        raise BoundError(f"must be {rule}")
    if abs(amount) > limit:
        raise BoundError(f"must be at most {limit:,} in size")
    return value


PRICE_RULE = "an amount greater than 0 and at most 999,999,999,999.99, written like 9.90"


def check_price(raw: object) -> Decimal:
    """A price an administrator sets (a pack's): a plain decimal string greater than 0 and
    at most :data:`PRICE` (the engine's largest amount), or :class:`BoundError` in words.
    The back office's forms and API and the till's intake of ``pack`` records call it."""
    try:
        price = plain_decimal(raw)
    except DecimalTextError as exc:
        raise BoundError(f"must be {PRICE_RULE} ({exc})") from None
    if not Decimal(0) < price <= PRICE:
        raise BoundError(f"must be {PRICE_RULE}, not {raw}")
    return price


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
    if _LONG_NUMBER in encoded.translate(_DIGITS_AS_ZERO):
        return True
    return too_deep_text(encoded)


# What is left of JSON text once its strings are taken out: brackets, and characters of
# numbers, literals and punctuation, which are deleted to leave the brackets alone.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_INNERMOST = re.compile(r"\[\]|\{\}")  # pairs with nothing inside: one level a round
_NOT_BRACKETS = str.maketrans("", "", "0123456789+-.eE,: \t\r\ntruefalsnIfiyN")


def too_deep_text(encoded: str, max_depth: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests containers deeper than ``max_depth``: its strings taken out,
    the innermost pairs of brackets are taken away round by round (a few passes of C
    over a short text); a round more than ``max_depth`` means deeper."""
    brackets = _STRING.sub("", encoded).translate(_NOT_BRACKETS)
    for _ in range(max_depth):
        if not brackets:
            return False
        shorter = _INNERMOST.sub("", brackets)
        if shorter == brackets:  # not JSON brackets: let the walk decide
            return True
        brackets = shorter
    return bool(brackets)


def nesting_problem(value: object, max_depth: int = MAX_JSON_DEPTH) -> tuple[str, str] | None:
    """The first container of a JSON value nested deeper than ``max_depth`` (the value
    itself is level 1), as (path, problem), or None. Walks without recursion, so a value
    of any depth is answered."""
    stack: list[tuple[object, str, int]] = [(value, "", 1)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, Mapping):
            children: list[tuple[object, str]] = [
                (item, f"{path}.{key}" if path else str(key)) for key, item in node.items()
            ]
        elif isinstance(node, list | tuple):
            children = [(item, f"{path}[{index}]") for index, item in enumerate(node)]
        else:
            continue
        if depth > max_depth:
            return (path, f"is nested deeper than {max_depth} levels")
        stack.extend((item, where, depth + 1) for item, where in reversed(children))
    return None


def json_problem(value: object) -> tuple[str, str] | None:
    """The first place in a JSON value holding what cannot be stored, as (path, problem),
    or None: containers nested deeper than :data:`MAX_JSON_DEPTH`, a key or string with a
    NUL or a lone surrogate (at any depth), an integer past 64 bits, a number too large
    for a float. Clean values (nearly all) are told apart by one pass of the JSON encoder;
    only a suspect one is walked for the path."""
    try:
        encoded = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError:
        return nesting_problem(value) or _walk(value, "")
    except TypeError:
        return ("", "must be JSON")
    except RecursionError:  # deeper than the encoder goes
        return nesting_problem(value) or ("", "is nested too deep")
    if not suspect_json(encoded):
        return None
    return nesting_problem(value) or _walk(value, "")


class JsonInputError(ValueError):
    """JSON text that cannot be taken: not JSON, or nested too deep; ``path`` says where
    ("" for the whole)."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


class JsonTooDeep(JsonInputError):
    """JSON whose containers nest deeper than its format allows; ``path`` is the first
    container too deep."""


def read_json(text: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> object:
    """JSON text as a value, its containers nested at most ``max_depth`` deep, or
    :class:`JsonInputError` (:class:`JsonTooDeep`) naming where: also for text nested too
    deep for the parser itself (which would end in a RecursionError)."""
    try:
        value = json.loads(text)
    except RecursionError:
        decoded = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        path = deep_path(decoded, max_depth)
        raise JsonTooDeep(path, f"is nested deeper than {max_depth} levels") from None
    except json.JSONDecodeError as exc:
        raise JsonInputError("", f"is not JSON (line {exc.lineno}: {exc.msg})") from None
    except ValueError:  # bytes in no encoding JSON allows
        raise JsonInputError("", "is not JSON (not UTF-8 text)") from None
    problem = nesting_problem(value, max_depth)
    if problem is not None:
        raise JsonTooDeep(*problem)
    return value


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]')


def deep_path(text: str, max_depth: int) -> str:
    """Where JSON text first nests a container deeper than ``max_depth``, read from the
    text itself (for text the parser cannot take): "" when it never does."""
    frames: list[list[object]] = []  # per open container: [is_object, key or index]
    last_string = ""
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ("{", "["):
            if len(frames) >= max_depth:
                return _frames_path(frames)
            frames.append([token == "{", "" if token == "{" else 0])
        elif token in ("}", "]"):
            if frames:
                frames.pop()
        elif token == ":":
            if frames:
                frames[-1][1] = last_string
        elif token == ",":
            if frames and not frames[-1][0]:
                frames[-1][1] = int(str(frames[-1][1])) + 1
        else:
            try:
                last_string = str(json.loads(token))
            except ValueError:
                last_string = token[1:-1]
    return ""


def _frames_path(frames: list[list[object]]) -> str:
    parts = (f".{place}" if is_object else f"[{place}]" for is_object, place in frames)
    return "".join(parts).removeprefix(".")


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
