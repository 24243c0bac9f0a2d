"""Comparing replay results with a scenario's expectations (partial; decimals compare by value)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

# In `lines` and `coupons` null means "not on the ticket"; in `promotions` and
# `discounts` null means "absent or 0" (FORMAT.md).
_ABSENT_OR_ZERO = {"promotions", "discounts"}


def _same_amount(expected: object, actual: object) -> bool:
    try:
        return Decimal(str(expected)) == Decimal(str(actual))
    except InvalidOperation:
        return False


def differences(expect: Mapping[str, Any], result: Mapping[str, Any], where: str) -> list[str]:
    """Human-readable differences between ``expect`` and a RESULT object."""
    out: list[str] = []
    if "total" in expect and not _same_amount(expect["total"], result["total"]):
        out.append(f"{where}: total expected {expect['total']}, got {result['total']}")
    if "can_close" in expect and expect["can_close"] != result["can_close"]:
        out.append(f"{where}: can_close expected {expect['can_close']}, got {result['can_close']}")
    for key in ("lines", "promotions", "coupons", "discounts"):
        for item_id, wanted in expect.get(key, {}).items():
            actual = result[key].get(item_id)
            if wanted is None:
                absent = actual is None or (key in _ABSENT_OR_ZERO and _same_amount(0, actual))
                if not absent:
                    out.append(f"{where}: {key}.{item_id} expected absent, got {actual}")
            elif actual is None:
                out.append(f"{where}: {key}.{item_id} expected {wanted}, got absent")
            elif not _same_amount(wanted, actual):
                out.append(f"{where}: {key}.{item_id} expected {wanted}, got {actual}")
    return out


def check_replay(
    scenario_steps: Any, expect: Mapping[str, Any], replay: Mapping[str, Any]
) -> list[str]:
    """Every difference between a replay and the steps' and file's expectations."""
    out: list[str] = []
    for i, (step, outcome) in enumerate(zip(scenario_steps, replay["steps"], strict=True)):
        where = f"step {i + 1} ({step.get('do')})"
        wanted_error = step.get("expect_error")
        if wanted_error is not None and outcome["ok"]:
            out.append(f"{where}: expected error {wanted_error}, but it succeeded")
        elif wanted_error is not None and outcome["error"] != wanted_error:
            out.append(f"{where}: expected error {wanted_error}, got {outcome['error']}")
        elif wanted_error is None and not outcome["ok"]:
            out.append(f"{where}: refused {outcome['error']}: {outcome['message']}")
        if "expect" in step:
            out.extend(differences(step["expect"], outcome["result"], where))
    out.extend(differences(expect, replay["result"], "end"))
    return out
