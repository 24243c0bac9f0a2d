"""Pydantic's refusals in words a person reads: the one place a validator's message
("String should have at least 1 character", "List should have at least 1 item after
validation") becomes a sentence ("must not be empty", "choose at least one").

:func:`sentence` takes one error of ``ValidationError.errors()`` and says what is wrong
with the value, without naming the field (the caller shows it beside the field, or
prefixes it). An error type it does not know keeps pydantic's message, minus the
"Value error, " prefix that a validator's own words carry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def _count(number: object, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _choices(ctx: Mapping[str, Any]) -> str:
    return str(ctx.get("expected", "the choices offered")).replace("'", "")


_SENTENCES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "missing": lambda _c: "is required",
    "extra_forbidden": lambda _c: "is not a setting here",
    "string_too_short": lambda c: (
        "must not be empty"
        if c.get("min_length") == 1
        else f"must have at least {_count(c.get('min_length'), 'character', 'characters')}"
    ),
    "string_too_long": lambda c: (
        f"is too long: at most {_count(c.get('max_length'), 'character', 'characters')}"
    ),
    "too_short": lambda c: (
        "choose at least one"
        if c.get("min_length") == 1
        else f"choose at least {c.get('min_length')}"
    ),
    "too_long": lambda c: f"holds too many: at most {c.get('max_length')}",
    "greater_than_equal": lambda c: f"must be at least {c.get('ge')}",
    "greater_than": lambda c: f"must be more than {c.get('gt')}",
    "less_than_equal": lambda c: f"must be at most {c.get('le')}",
    "less_than": lambda c: f"must be less than {c.get('lt')}",
    "int_type": lambda _c: "must be a whole number",
    "int_parsing": lambda _c: "must be a whole number",
    "int_from_float": lambda _c: "must be a whole number",
    "float_type": lambda _c: "must be a number",
    "float_parsing": lambda _c: "must be a number",
    "decimal_type": lambda _c: "must be a number",
    "decimal_parsing": lambda _c: "must be a number",
    "bool_type": lambda _c: "must be yes or no",
    "bool_parsing": lambda _c: "must be yes or no",
    "string_type": lambda _c: "must be text",
    "list_type": lambda _c: "must be a list",
    "dict_type": lambda _c: "must be a group of settings",
    "model_type": lambda _c: "must be a group of settings",
    "date_type": lambda _c: "must be a date such as 2026-12-31",
    "date_parsing": lambda _c: "must be a date such as 2026-12-31",
    "date_from_datetime_parsing": lambda _c: "must be a date such as 2026-12-31",
    "date_from_datetime_inexact": lambda _c: "must be a date such as 2026-12-31, without a time",
    "datetime_type": lambda _c: "must be a date and time such as 2026-12-31T18:00",
    "datetime_parsing": lambda _c: "must be a date and time such as 2026-12-31T18:00",
    "datetime_from_date_parsing": lambda _c: "must be a date and time such as 2026-12-31T18:00",
    "enum": lambda c: f"is not one of the choices: {_choices(c)}",
    "literal_error": lambda c: f"is not one of the choices: {_choices(c)}",
    "url_parsing": lambda _c: "must be a web address such as https://example.com",
    "url_scheme": lambda _c: "must be a web address starting with http:// or https://",
}


def sentence(error: Mapping[str, Any]) -> str:
    """What is wrong with the value, in words (``error`` is one of ``exc.errors()``)."""
    words = _SENTENCES.get(str(error.get("type", "")))
    if words is not None:
        return words(error.get("ctx") or {})
    return str(error.get("msg", "is not valid")).removeprefix("Value error, ")
