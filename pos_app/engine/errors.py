"""Refusals the cashier sees (stable code + message) and configuration errors.

A :class:`Refusal` is raised by a ticket action that the rules forbid; the
ticket is left exactly as it was. A :class:`DefinitionError` names the field of
a catalog, promotion or coupon definition that is wrong.
"""

from __future__ import annotations

from enum import StrEnum


class RefusalCode(StrEnum):
    """The stable refusal codes of ENGINE-RULES.md, in precedence order."""

    INVALID = "INVALID"
    UNKNOWN = "UNKNOWN"
    ALREADY_APPLIED = "ALREADY_APPLIED"
    EXPIRED = "EXPIRED"
    NOT_YET_VALID = "NOT_YET_VALID"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    PRESENT_EXECUTED = "PRESENT_EXECUTED"
    DISCOUNT_EXECUTED = "DISCOUNT_EXECUTED"
    COVERED_BY_COUPON = "COVERED_BY_COUPON"
    ZERO_AMOUNT_COUPON = "ZERO_AMOUNT_COUPON"


# The cashier-facing messages fixed by the rules' refusal table.
FIXED_MESSAGES: dict[RefusalCode, str] = {
    RefusalCode.PRESENT_EXECUTED: "Promotion executed, cancel before redeeming coupon",
    RefusalCode.DISCOUNT_EXECUTED: "Discount executed, cancel before redeeming coupon",
    RefusalCode.COVERED_BY_COUPON: "Item is covered by a coupon, remove the coupon first",
    RefusalCode.ZERO_AMOUNT_COUPON: "Coupon amount is 0, remove it to close the bill",
}


class Refusal(Exception):
    """A ticket action the rules refuse. ``code`` is stable; ``message`` is for the cashier."""

    def __init__(self, code: RefusalCode, message: str | None = None) -> None:
        self.code = code
        self.message = message or FIXED_MESSAGES.get(code, code.value)
        super().__init__(f"{code.value}: {self.message}")


class DefinitionError(ValueError):
    """A catalog, promotion or coupon definition is malformed; ``field`` says where."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")
