"""Payments taken on the open ticket: cash (tendered, change), card, and splits of both.

A payment's ``amount`` is what it pays toward the total; cash tendered above the amount
due comes back as ``change``. A ticket closes when the amounts cover its total exactly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, Literal

from pos_app.engine import Currency
from pos_app.engine.money import AmountError, parse_amount
from pos_app.till.errors import TillCode, TillRefusal

CASH: Final = "cash"
CARD: Final = "card"
ZERO = Decimal(0)

Method = Literal["cash", "card"]


def as_method(raw: object) -> Method | None:
    """``raw`` as a payment method (cash or card), or None when it is neither."""
    if raw == CASH:
        return CASH
    if raw == CARD:
        return CARD
    return None


@dataclass(frozen=True)
class Payment:
    """One payment: method, amount toward the total, tendered, change given."""

    method: str
    amount: Decimal
    tendered: Decimal
    change: Decimal = ZERO

    def to_json(self, currency: Currency) -> dict[str, str]:
        fmt = currency.format
        return {
            "method": self.method,
            "amount": fmt(self.amount),
            "tendered": fmt(self.tendered),
            "change": fmt(self.change),
        }


def paid(payments: Sequence[Payment]) -> Decimal:
    return sum((p.amount for p in payments), ZERO)


def amount_due(total: Decimal, payments: Sequence[Payment]) -> Decimal:
    """What is left to pay (negative when the ticket fell below what was paid)."""
    return total - paid(payments)


def parse_money(raw: object, currency: Currency, what: str) -> Decimal:
    """A positive amount in the currency's minor unit, or INVALID_AMOUNT."""
    try:
        value = parse_amount(raw)
    except AmountError as exc:
        raise TillRefusal(TillCode.INVALID_AMOUNT, f"{what}: {exc}") from None
    if value <= 0:
        raise TillRefusal(TillCode.INVALID_AMOUNT, f"{what} must be more than 0")
    if currency.round(value) != value:
        raise TillRefusal(
            TillCode.INVALID_AMOUNT,
            f"{what} {value} has more decimal places than {currency.code} allows",
        )
    return currency.round(value)


def cash_payment(tendered: object, due: Decimal, currency: Currency) -> Payment:
    """Cash: pays up to what is due; the rest of the tendered amount is change."""
    if due <= 0:
        raise TillRefusal(TillCode.NOTHING_DUE, "Nothing is due on this ticket")
    cash = parse_money(tendered, currency, "Cash tendered")
    amount = min(cash, due)
    return Payment(CASH, amount, cash, cash - amount)


def card_payment(amount: object, due: Decimal, currency: Currency) -> Payment:
    """Card: any part of what is due, never more."""
    if due <= 0:
        raise TillRefusal(TillCode.NOTHING_DUE, "Nothing is due on this ticket")
    value = parse_money(amount, currency, "Card amount")
    if value > due:
        raise TillRefusal(
            TillCode.OVERPAYMENT,
            f"A card pays at most what is due ({currency.format(due)}),"
            f" not {currency.format(value)}",
        )
    return Payment(CARD, value, value, ZERO)


def check_covers(total: Decimal, payments: Sequence[Payment], currency: Currency) -> None:
    """Refuse to close unless the payments cover the total exactly."""
    due = amount_due(total, payments)
    if due > 0:
        raise TillRefusal(
            TillCode.SHORT_TENDER,
            f"Payments cover {currency.format(paid(payments))} of {currency.format(total)}:"
            f" {currency.format(due)} still due",
        )
    if due < 0:
        raise TillRefusal(
            TillCode.OVERPAID,
            f"Payments exceed the total by {currency.format(-due)}; clear them and take"
            " payment again",
        )


def dump_payments(payments: Sequence[Payment]) -> str:
    return json.dumps(
        [
            {
                "method": p.method,
                "amount": str(p.amount),
                "tendered": str(p.tendered),
                "change": str(p.change),
            }
            for p in payments
        ]
    )


def load_payments(text: str) -> tuple[Payment, ...]:
    raw: list[dict[str, Any]] = json.loads(text or "[]")
    return tuple(
        Payment(x["method"], Decimal(x["amount"]), Decimal(x["tendered"]), Decimal(x["change"]))
        for x in raw
    )
