"""The ranges every quantity and amount must fall in (ENGINE-RULES, the INVALID row).

A quantity is a whole number from 1 to 9,999; an amount of money is a decimal from
0 to 999,999,999,999.99 with no more places than the currency's minor unit; a
percent is from 0 to 100. A step outside them is refused INVALID; a definition
outside them is a bad file. The till's numpad, the scenario reader and the
back office show these same messages.
"""

from __future__ import annotations

from decimal import Decimal

MIN_QUANTITY = 1
MAX_QUANTITY = 9_999
MAX_AMOUNT = Decimal("999999999999.99")
MAX_PERCENT = Decimal(100)

QUANTITY_RULE = "a whole number from 1 to 9,999"
QUANTITY_MESSAGE = f"Quantity must be {QUANTITY_RULE}"
PERCENT_RULE = "a number from 0 to 100"


def amount_rule(places: int) -> str:
    """How an amount must look in a currency with ``places`` decimal places."""
    if places == 0:
        return "an amount from 0 to 999,999,999,999 with no decimal places"
    unit = "place" if places == 1 else "places"
    return f"an amount from 0 to 999,999,999,999.99 with at most {places} decimal {unit}"


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
