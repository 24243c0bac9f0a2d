"""The ranges every quantity and amount must fall in (ENGINE-RULES, the INVALID row).

A quantity is a whole number from 1 to 9,999; an amount of money is a decimal from
0 to 999,999,999,999.99 with no more places than the currency's minor unit; a
percent is from 0 to 100; a ticket holds at most 1,000 lines. A step outside them is
refused INVALID; a definition outside them is a bad file. The till's numpad, the
scenario reader and the back office show these same messages.

Amounts and percents enter as plain decimal strings (``12``, ``12.5``, ``12.50``):
:func:`plain_decimal` is the one reading of them, wherever they enter (scenario files,
the till's commands, the admin API, sync payloads). An exponent (``1e2``), a sign
(``-0``, ``+5``), a bare JSON number or anything but digits and one point is refused,
never read as a number.
"""

from __future__ import annotations

import re
from decimal import Decimal

MIN_QUANTITY = 1
MAX_QUANTITY = 9_999
MAX_AMOUNT = Decimal("999999999999.99")
MAX_PERCENT = Decimal(100)
MAX_LINES = 1_000  # item and coupon-pack lines on one ticket (a supermarket's long ticket)

QUANTITY_RULE = "a whole number from 1 to 9,999"
QUANTITY_MESSAGE = f"Quantity must be {QUANTITY_RULE}"
PERCENT_RULE = "a number from 0 to 100"
LINES_MESSAGE = "A ticket holds at most 1,000 lines: pay this one and start another"


def amount_rule(places: int) -> str:
    """How an amount must look in a currency with ``places`` decimal places."""
    if places == 0:
        return "an amount from 0 to 999,999,999,999 with no decimal places"
    unit = "place" if places == 1 else "places"
    return f"an amount from 0 to 999,999,999,999.99 with at most {places} decimal {unit}"


# Digits, then a point and digits (ASCII only: Decimal would also read "1e2", "1_000",
# "+5", " 12", "١٢" and "Infinity").
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_SIGNED = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
MAX_DECIMAL_TEXT = 40  # characters; the largest amount has 15
PLAIN_FORM = "written plainly, like 12.50 (digits and one point: no sign, no exponent)"


class DecimalTextError(ValueError):
    """A value that should be a plain decimal string is not one; the message says how."""


def plain_decimal(raw: object, *, signed: bool = False) -> Decimal:
    """The one reading of an amount or a percent where it enters: a plain decimal string
    (surrounding spaces aside), or a finite Decimal a program already holds. With
    ``signed`` a leading minus is allowed (amounts a ticket computes, on the wire).
    Anything else raises :class:`DecimalTextError`: a JSON number, an exponent, a sign,
    other characters. Ranges are the caller's (:mod:`pos_app.engine.money`)."""
    if isinstance(raw, Decimal):
        if raw.is_finite() and (signed or not raw.is_signed()):
            return raw
        raise DecimalTextError(f"must be {PLAIN_FORM}")
    if not isinstance(raw, str):
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            raise DecimalTextError('must be a decimal string such as "12.50", not a bare number')
        raise DecimalTextError('must be a decimal string such as "12.50"')
    text = raw.strip()
    grammar = _SIGNED if signed else _PLAIN
    if len(text) > MAX_DECIMAL_TEXT or grammar.fullmatch(text) is None:
        raise DecimalTextError(f"must be {PLAIN_FORM}")
    return Decimal(text)


class QuantityError(ValueError):
    """A quantity outside 1 to 9,999, or not a whole number."""


def typed_quantity(text: str) -> int | str:
    """What a cashier typed as a quantity: digits become a number, anything else stays
    text for :func:`parse_quantity` to refuse with the same message everywhere."""
    typed = text.strip()
    return int(typed) if typed.isascii() and typed.isdigit() else typed


def parse_quantity(raw: object) -> int:
    """A quantity from 1 to 9,999; anything else raises :class:`QuantityError`."""
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise QuantityError(f"must be {QUANTITY_RULE}")
    if raw < MIN_QUANTITY or raw > MAX_QUANTITY:
        raise QuantityError(f"must be {QUANTITY_RULE}")
    return raw
