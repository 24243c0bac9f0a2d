"""The X and Z reports of a till's business day (its shift).

Both read the same rows: the shift's closed sales (what each customer paid, by payment
method, the taxes per rate as the receipts printed them), its returns (what went back,
by method and rate), its voided tickets, and what promotions, coupons and discounts
gave. The X report is read any time and changes nothing; the Z report is the same,
taken when the day is closed, with the cash the cashier counted.

``net`` is ``sales − returns``, per payment method and per tax rate alike; the expected
cash is the cash taken less the cash given back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from pos_app.engine import Currency
from pos_app.protocol.payloads import wire_instant
from pos_app.protocol.taxes import rate_key, rate_label
from pos_app.store.shift_records import CLOSED, SALE, VOIDED, DayRows, ShiftView
from pos_app.till.names import Names
from pos_app.till.payments import CARD, CASH

ZERO = Decimal(0)
X_REPORT = "X"
Z_REPORT = "Z"


@dataclass(frozen=True)
class MethodTotals:
    """Money taken and given back by one payment method."""

    sales: Decimal = ZERO
    returns: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.sales - self.returns


@dataclass(frozen=True)
class RateTotals:
    """One tax rate's nets and tax on the sales and on the returns."""

    sales_base: Decimal = ZERO
    sales_tax: Decimal = ZERO
    returns_base: Decimal = ZERO
    returns_tax: Decimal = ZERO

    @property
    def base(self) -> Decimal:
        return self.sales_base - self.returns_base

    @property
    def tax(self) -> Decimal:
        return self.sales_tax - self.returns_tax


@dataclass(frozen=True)
class PacksSold:
    """How many of one coupon pack the day sold, and for how much in all."""

    count: int
    amount: Decimal


@dataclass(frozen=True)
class ShiftReport:
    """A business day of one till, as the X and Z reports print and sync it."""

    kind: str
    store_id: str
    store_name: str
    till: str
    business_day: str
    opened_at: datetime | None
    taken_at: datetime
    currency: Currency
    sales_count: int
    returns_count: int
    voids_count: int
    voided_total: Decimal
    sales: Decimal
    returns: Decimal
    by_method: Mapping[str, MethodTotals]
    tax_by_rate: Mapping[str, RateTotals]
    promotions: Mapping[str, Decimal] = field(default_factory=dict)
    coupons: Mapping[str, Decimal] = field(default_factory=dict)
    discounts: Mapping[str, Decimal] = field(default_factory=dict)
    packs: Mapping[str, PacksSold] = field(default_factory=dict)  # by pack name
    counted_cash: Decimal | None = None
    first_number: str = ""
    last_number: str = ""
    tax_inclusive: bool = True
    z_number: int | None = None  # the Z report's own number, counting up for the till's life

    @property
    def net(self) -> Decimal:
        return self.sales - self.returns

    @property
    def expected_cash(self) -> Decimal:
        return self.by_method.get(CASH, MethodTotals()).net

    @property
    def cash_difference(self) -> Decimal | None:
        return None if self.counted_cash is None else self.counted_cash - self.expected_cash

    @property
    def title(self) -> str:
        if self.kind != Z_REPORT:
            return "X report (so far today)"
        number = f" No. {self.z_number}" if self.z_number is not None else ""
        return f"Z report{number} (end of day)"

    def to_json(self) -> dict[str, Any]:
        """The report as ``pos-app report --json`` prints it and ``shift.closed`` carries
        it: amounts as decimal strings."""
        fmt = self.currency.format
        return {
            "kind": self.kind,
            "z_number": self.z_number,
            "store_id": self.store_id,
            "till": self.till,
            "business_day": self.business_day,
            "opened_at": wire_instant(self.opened_at).isoformat() if self.opened_at else None,
            "taken_at": wire_instant(self.taken_at).isoformat(),
            "currency": self.currency.code,
            "tax_inclusive": self.tax_inclusive,
            "tickets": self.sales_count,
            "returns_count": self.returns_count,
            "voids": self.voids_count,
            "voided_total": fmt(self.voided_total),
            "first_number": self.first_number,
            "last_number": self.last_number,
            "sales": fmt(self.sales),
            "returns": fmt(self.returns),
            "net": fmt(self.net),
            "by_method": {
                method: {
                    "sales": fmt(totals.sales),
                    "returns": fmt(totals.returns),
                    "net": fmt(totals.net),
                }
                for method, totals in self.by_method.items()
            },
            "tax_by_rate": {
                rate: {
                    "sales_base": fmt(totals.sales_base),
                    "sales_tax": fmt(totals.sales_tax),
                    "returns_base": fmt(totals.returns_base),
                    "returns_tax": fmt(totals.returns_tax),
                    "base": fmt(totals.base),
                    "tax": fmt(totals.tax),
                }
                for rate, totals in self.tax_by_rate.items()
            },
            "tax_total": fmt(sum((t.tax for t in self.tax_by_rate.values()), ZERO)),
            "promotions": {name: fmt(amount) for name, amount in self.promotions.items()},
            "coupons": {name: fmt(amount) for name, amount in self.coupons.items()},
            "discounts": {name: fmt(amount) for name, amount in self.discounts.items()},
            "packs": {
                name: {"count": sold.count, "amount": fmt(sold.amount)}
                for name, sold in self.packs.items()
            },
            "expected_cash": fmt(self.expected_cash),
            "counted_cash": fmt(self.counted_cash) if self.counted_cash is not None else None,
            "cash_difference": (
                fmt(self.cash_difference) if self.cash_difference is not None else None
            ),
        }


def _add(totals: dict[str, Decimal], key: str, amount: Decimal) -> None:
    totals[key] = totals.get(key, ZERO) + amount


def build_report(
    shift: ShiftView | None,
    rows: DayRows,
    *,
    kind: str,
    taken_at: datetime,
    currency: Currency,
    names: Names,
    store_id: str,
    store_name: str,
    till: str,
    tax_inclusive: bool,
    counted_cash: Decimal | None = None,
    z_number: int | None = None,
) -> ShiftReport:
    """The report of ``shift`` from its ``rows`` (None: a day with nothing sold yet);
    a Z report carries its ``z_number``."""
    sales = returns = voided = ZERO
    sales_count = voids = 0
    by_method: dict[str, dict[str, Decimal]] = {CASH: {}, CARD: {}}
    rates: dict[str, dict[str, Decimal]] = {}
    promotions: dict[str, Decimal] = {}
    coupons: dict[str, Decimal] = {}
    discounts: dict[str, Decimal] = {}
    numbers = [number for number, _, _, _ in rows.headers]
    for _, ticket_kind, status, paid in rows.headers:
        if ticket_kind == SALE and status == CLOSED:
            sales += paid
            sales_count += 1
        elif ticket_kind == SALE and status == VOIDED:
            voids += 1
            voided += paid
    for method, amount in rows.payments:
        _add(by_method.setdefault(method, {}), "sales", amount)
    for net, rate, tax in rows.lines:
        key = rate_key(rate) if rate is not None else "0"
        _add(rates.setdefault(key, {}), "sales_base", net)
        _add(rates[key], "sales_tax", tax if tax is not None else ZERO)
    for adjustment_kind, source, amount in rows.adjustments:
        family = adjustment_kind.partition(":")[0]
        if family == "promotion":
            _add(promotions, names.promotion(source), amount)
        elif family == "coupon":
            _add(coupons, names.coupon(source), amount)
        elif family == "discount":
            _add(discounts, "Store discounts", amount)
        elif family == "present":
            _add(discounts, "Presented", amount)
        elif family == "price_adjustment":
            _add(discounts, "Price adjustments", amount)
    packs: dict[str, PacksSold] = {}
    for name, price in rows.packs:
        sold = packs.get(name, PacksSold(0, ZERO))
        packs[name] = PacksSold(sold.count + 1, sold.amount + price)
    for method, amount in rows.refunds:
        returns += amount
        _add(by_method.setdefault(method, {}), "returns", amount)
    for amount, tax, rate in rows.refund_lines:
        key = rate_key(rate) if rate is not None else "0"
        _add(rates.setdefault(key, {}), "returns_base", amount)
        _add(rates[key], "returns_tax", tax)
    return ShiftReport(
        kind=kind,
        store_id=store_id,
        store_name=store_name,
        till=till,
        business_day=shift.business_day if shift is not None else taken_at.date().isoformat(),
        opened_at=shift.opened_at if shift is not None else None,
        taken_at=taken_at,
        currency=currency,
        sales_count=sales_count,
        returns_count=len(rows.refunds),
        voids_count=voids,
        voided_total=voided,
        sales=sales,
        returns=returns,
        by_method={
            method: MethodTotals(t.get("sales", ZERO), t.get("returns", ZERO))
            for method, t in by_method.items()
        },
        tax_by_rate={
            key: RateTotals(
                t.get("sales_base", ZERO),
                t.get("sales_tax", ZERO),
                t.get("returns_base", ZERO),
                t.get("returns_tax", ZERO),
            )
            for key, t in sorted(rates.items(), key=lambda kv: Decimal(kv[0]))
        },
        promotions=dict(sorted(promotions.items())),
        coupons=dict(sorted(coupons.items())),
        discounts=dict(sorted(discounts.items())),
        packs=dict(sorted(packs.items())),
        counted_cash=counted_cash,
        first_number=numbers[0] if numbers else "",
        last_number=numbers[-1] if numbers else "",
        tax_inclusive=tax_inclusive,
        z_number=z_number,
    )


def report_rows(report: ShiftReport) -> list[tuple[str, str]]:
    """The report as (label, amount) rows, for the screen and the printer."""
    fmt = report.currency.format

    def back(amount: Decimal) -> str:  # money given back, shown as taken off
        return f"-{fmt(amount)}" if amount else fmt(amount)

    rows: list[tuple[str, str]] = [
        (report.title, ""),
        (f"{report.store_name}, till {report.till}", ""),
        (f"Business day {report.business_day}", ""),
        (f"Taken {report.taken_at.astimezone().strftime('%Y-%m-%d %H:%M')}", ""),
    ]
    if report.first_number:
        rows.append((f"Tickets {report.first_number} to {report.last_number}", ""))
    rows += [
        ("", ""),
        (f"Sales ({report.sales_count})", fmt(report.sales)),
        (f"Returns ({report.returns_count})", back(report.returns)),
        ("Net", fmt(report.net)),
        (f"Voided tickets ({report.voids_count})", fmt(report.voided_total)),
        ("", ""),
        ("By payment method", ""),
    ]
    for method, totals in report.by_method.items():
        label = method.capitalize()
        rows += [
            (f"  {label} sales", fmt(totals.sales)),
            (f"  {label} returns", back(totals.returns)),
            (f"  {label} net", fmt(totals.net)),
        ]
    rows += [("", ""), ("Taxes by rate" + (" (included)" if report.tax_inclusive else ""), "")]
    for key, rate in report.tax_by_rate.items():
        label = rate_label(Decimal(key))
        rows += [(f"  {label} on {fmt(rate.base)}", fmt(rate.tax))]
    for title, given in (
        ("Promotions given", report.promotions),
        ("Coupons taken", report.coupons),
        ("Discounts given", report.discounts),
    ):
        if given:
            rows += [("", ""), (title, "")]
            rows += [(f"  {name}", fmt(amount)) for name, amount in given.items()]
    if report.packs:
        rows += [("", ""), ("Coupon packs sold", "")]
        rows += [
            (f"  {name} × {sold.count}", fmt(sold.amount)) for name, sold in report.packs.items()
        ]
    rows += [("", ""), ("Expected cash in drawer", fmt(report.expected_cash))]
    if report.counted_cash is not None and report.cash_difference is not None:
        difference = report.cash_difference
        rows += [
            ("Counted cash", fmt(report.counted_cash)),
            (
                "Over" if difference > 0 else "Short" if difference < 0 else "Difference",
                fmt(abs(difference)),
            ),
        ]
    return rows
