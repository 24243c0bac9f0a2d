"""Refusals of the till layer itself (payments, closing, manager actions).

The engine's own refusals stay :class:`pos_app.engine.Refusal`; both carry a stable
``code`` and a ``message`` for the person at the till, and both leave everything as
it was.
"""

from __future__ import annotations

from enum import StrEnum


class TillCode(StrEnum):
    """Stable codes of the till layer's refusals."""

    INVALID_AMOUNT = "INVALID_AMOUNT"
    NOTHING_DUE = "NOTHING_DUE"
    OVERPAYMENT = "OVERPAYMENT"
    SHORT_TENDER = "SHORT_TENDER"
    OVERPAID = "OVERPAID"
    NO_STORE = "NO_STORE"
    MANAGER_REQUIRED = "MANAGER_REQUIRED"
    UNKNOWN_CONFLICT = "UNKNOWN_CONFLICT"
    ALREADY_RESOLVED = "ALREADY_RESOLVED"
    PIN_INCORRECT = "PIN_INCORRECT"
    PIN_LOCKED = "PIN_LOCKED"
    PIN_INVALID = "PIN_INVALID"
    UNKNOWN_TICKET = "UNKNOWN_TICKET"
    NUMBER_NEEDS_DAY = "NUMBER_NEEDS_DAY"  # a number two days gave, before lifetime numbers
    NOTHING_TO_RETURN = "NOTHING_TO_RETURN"
    INVALID_METHOD = "INVALID_METHOD"
    INVALID_QUANTITY = "INVALID_QUANTITY"
    TICKET_OPEN = "TICKET_OPEN"
    UNKNOWN_MEMBER = "UNKNOWN_MEMBER"
    NOTHING_TO_PARK = "NOTHING_TO_PARK"
    # Selling coupon packs (COUPON-PACK-RULES K12-K15): each says which check failed.
    MEMBER_REQUIRED = "MEMBER_REQUIRED"
    PACK_NOT_SOLD = "PACK_NOT_SOLD"
    PACK_NOT_AT_TILL = "PACK_NOT_AT_TILL"
    PACK_NOT_AT_STORE = "PACK_NOT_AT_STORE"
    PACK_NOT_ON_SALE = "PACK_NOT_ON_SALE"
    PACK_LIMIT_TOTAL = "PACK_LIMIT_TOTAL"
    PACK_LIMIT_DAILY = "PACK_LIMIT_DAILY"
    PACK_SOLD_OUT = "PACK_SOLD_OUT"
    PACK_CODES_EXHAUSTED = "PACK_CODES_EXHAUSTED"
    NOT_A_PACK_SALE = "NOT_A_PACK_SALE"
    PACK_COUPON_USED = "PACK_COUPON_USED"


class TillRefusal(Exception):
    """An action the till refuses; nothing was written. ``code`` is stable, ``message``
    is for the cashier or manager."""

    def __init__(self, code: TillCode, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code.value}: {message}")
