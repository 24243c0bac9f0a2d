"""Reading and validating one scenario file; errors name the file and the field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pos_app.engine import DefinitionError, PriceBook, RefusalCode
from pos_app.engine.validity import parse_local_time
from pos_app.protocol.bounds import (
    DecimalTextError,
    JsonInputError,
    JsonTooDeep,
    plain_decimal,
    read_json,
)

EXPECT_KEYS = {"total", "can_close", "lines", "promotions", "coupons", "discounts"}
# A scenario's containers go 5 deep (file, steps, step, expect, lines); JSON nested deeper
# than the format's own structure makes a bad file (Details).
SCENARIO_DEPTH = 5


class ScenarioError(Exception):
    """A file that is not a valid scenario; says which file and which field."""

    def __init__(self, path: str, field: str, problem: str) -> None:
        self.path = path
        self.field = field
        self.problem = problem
        super().__init__(f"{path}: {field}: {problem}" if field else f"{path}: {problem}")


@dataclass(frozen=True)
class Scenario:
    """A parsed scenario: its price book, clock, steps and expectations."""

    path: str
    name: str
    raw: Mapping[str, Any]
    book: PriceBook | None
    now: datetime | None
    steps: tuple[Mapping[str, Any], ...]
    expect: Mapping[str, Any]


def load_json(path: str) -> Mapping[str, Any]:
    try:
        text = Path(path).read_bytes()
    except OSError as exc:
        raise ScenarioError(path, "", f"cannot read: {exc.strerror}") from None
    try:
        raw = read_json(text, SCENARIO_DEPTH)
    except JsonTooDeep as deep:
        problem = f"is nested deeper than a scenario's structure ({SCENARIO_DEPTH} levels)"
        raise ScenarioError(path, deep.path, problem) from None
    except JsonInputError as bad:
        raise ScenarioError(path, bad.path, bad.problem) from None
    if not isinstance(raw, dict):
        raise ScenarioError(path, "", "must be a JSON object")
    return raw


def _check_expect(path: str, field: str, expect: object) -> Mapping[str, Any]:
    if not isinstance(expect, dict):
        raise ScenarioError(path, field, "must be an object")
    unknown = set(expect) - EXPECT_KEYS
    if unknown:
        raise ScenarioError(path, f"{field}.{sorted(unknown)[0]}", "is not a known expectation")
    if "total" in expect:
        _check_amount(path, f"{field}.total", expect["total"])
    for key in ("lines", "promotions", "coupons", "discounts"):
        if key in expect and not isinstance(expect[key], dict):
            raise ScenarioError(path, f"{field}.{key}", "must be an object keyed by id")
        for item_id, amount in expect.get(key, {}).items():
            if amount is not None:
                _check_amount(path, f"{field}.{key}.{item_id}", amount)
    if "can_close" in expect and not isinstance(expect["can_close"], bool):
        raise ScenarioError(path, f"{field}.can_close", "must be true or false")
    return expect


def _check_amount(path: str, field: str, raw: object) -> None:
    """An expected amount: a plain decimal string, as every amount in the file."""
    try:
        plain_decimal(raw)
    except DecimalTextError as exc:
        raise ScenarioError(path, field, str(exc)) from None


def parse_scenario(path: str, raw: Mapping[str, Any], *, needs_book: bool = True) -> Scenario:
    """Validate a scenario's structure. With ``needs_book`` false, a file may leave its
    catalog, promotions and coupons to the till's own configuration."""
    book: PriceBook | None = None
    if needs_book or any(k in raw for k in ("catalog", "promotions", "coupons")):
        try:
            book = PriceBook.parse(raw)
        except DefinitionError as exc:
            raise ScenarioError(path, exc.field, exc.problem) from None
    now = None
    if raw.get("now") is not None:
        try:
            now = parse_local_time(raw["now"], "now")
        except DefinitionError as exc:
            raise ScenarioError(path, exc.field, exc.problem) from None
    steps = raw.get("steps")
    if not isinstance(steps, list):
        raise ScenarioError(path, "steps", "is required and must be a list")
    codes = {c.value for c in RefusalCode}
    for i, step in enumerate(steps):
        where = f"steps[{i}]"
        if not isinstance(step, dict):
            raise ScenarioError(path, where, "must be an object")
        if not isinstance(step.get("do"), str):
            raise ScenarioError(path, f"{where}.do", "is required and must be a string")
        if "expect_error" in step and step["expect_error"] not in codes:
            raise ScenarioError(path, f"{where}.expect_error", "is not a known error code")
        if "expect" in step:
            _check_expect(path, f"{where}.expect", step["expect"])
    expect = _check_expect(path, "expect", raw.get("expect", {}))
    name = raw.get("name", Path(path).stem)
    return Scenario(
        path=path,
        name=name if isinstance(name, str) else str(name),
        raw=raw,
        book=book,
        now=now,
        steps=tuple(steps),
        expect=expect,
    )


def load_scenario(path: str, *, needs_book: bool = True) -> Scenario:
    return parse_scenario(path, load_json(path), needs_book=needs_book)
