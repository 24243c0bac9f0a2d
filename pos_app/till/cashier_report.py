"""The day's figures per cashier and the drawer's cash moves, as the X and Z reports
break them down: each person's sales, returns and voids, the cash they took and gave
back, and the float and cash put in or taken out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from pos_app.engine import Currency
from pos_app.protocol.payloads import wire_instant
from pos_app.store.shift_records import CLOSED, REFUND, SALE, VOIDED, DayRows
from pos_app.store.staff_records import CashMoveView
from pos_app.till.payments import CASH

ZERO = Decimal(0)
NO_ONE = "(no cashier signed in)"
FLOAT, CASH_IN, CASH_OUT = "float", "in", "out"


@dataclass(frozen=True)
class CashierTotals:
    """One person's day at the till."""

    sales_count: int = 0
    sales: Decimal = ZERO
    cash_sales: Decimal = ZERO
    returns_count: int = 0
    returns: Decimal = ZERO
    cash_returns: Decimal = ZERO
    voids_count: int = 0
    voided_total: Decimal = ZERO
    cash_in: Decimal = ZERO
    cash_out: Decimal = ZERO

    def to_json(self, currency: Currency) -> dict[str, Any]:
        fmt = currency.format
        return {
            "tickets": self.sales_count,
            "sales": fmt(self.sales),
            "cash_sales": fmt(self.cash_sales),
            "returns_count": self.returns_count,
            "returns": fmt(self.returns),
            "cash_returns": fmt(self.cash_returns),
            "voids": self.voids_count,
            "voided_total": fmt(self.voided_total),
            "cash_in": fmt(self.cash_in),
            "cash_out": fmt(self.cash_out),
        }


def cash_move_total(moves: Iterable[CashMoveView], kind: str) -> Decimal:
    return sum((m.amount for m in moves if m.kind == kind), ZERO)


def cash_moves_json(moves: Iterable[CashMoveView], currency: Currency) -> list[dict[str, Any]]:
    return [
        {
            "kind": m.kind,
            "amount": currency.format(m.amount),
            "reason": m.reason,
            "cashier": m.cashier,
            "approved_by": m.approved_by,
            "at": wire_instant(m.moved_at).isoformat(),
        }
        for m in moves
    ]


def by_cashier(rows: DayRows, moves: Iterable[CashMoveView]) -> Mapping[str, CashierTotals]:
    """Each person's totals, by name (sorted), from the day's rows and cash moves."""
    people: dict[str, CashierTotals] = {}

    def add(name: str, **amounts: Any) -> None:
        key = name or NO_ONE
        now = people.get(key, CashierTotals())
        people[key] = replace(
            now, **{field: getattr(now, field) + value for field, value in amounts.items()}
        )

    cashier_of = dict(rows.cashiers)
    for number, kind, status, paid in rows.headers:
        name = cashier_of.get(number, "")
        if kind == SALE and status == CLOSED:
            add(name, sales_count=1, sales=paid)
        elif kind == SALE and status == VOIDED:
            add(name, voids_count=1, voided_total=paid)
        elif kind == REFUND:
            add(name, returns_count=1, returns=paid)
    for name, method, amount in rows.payment_cashiers:
        if method == CASH:
            add(name, cash_sales=amount)
    for name, method, amount in rows.refund_cashiers:
        if method == CASH:
            add(name, cash_returns=amount)
    for move in moves:
        if move.kind in (FLOAT, CASH_IN):
            add(move.cashier, cash_in=move.amount)
        elif move.kind == CASH_OUT:
            add(move.cashier, cash_out=move.amount)
    return dict(sorted(people.items()))
