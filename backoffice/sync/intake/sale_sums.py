"""Does a received sale add up? The arithmetic of a ``ticket.closed`` payload, checked
exactly with the till's own rules (issue 18), before the sale counts as revenue.

The rules are the engine's and the protocol's, never a second copy: a line's gross is
its unit price times its quantity and its net is the gross less its adjustments, never
below zero (R3); the total is the lines' nets plus the packs' prices (R3); each
promotion, coupon and store discount the ticket lists lands on its lines exactly (R2);
the taxes are what :func:`pos_app.protocol.taxes.compute_taxes` makes of the nets, and
the amount paid what :meth:`~pos_app.protocol.taxes.TicketTaxes.amount_due` makes of
the total; the payments cover it. Each finding is a :class:`SaleProblem` in words,
with money in its currency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from pos_app.engine import Currency
from pos_app.protocol.payloads import TicketClosed, TicketLine
from pos_app.protocol.taxes import TaxRateError, compute_taxes, parse_tax_rate, rate_key

ZERO = Decimal(0)
PROMOTION_STAGES = frozenset({3})
COUPON_STAGES = frozenset({2, 4, 5})
DISCOUNT_STAGES = frozenset({4})


@dataclass(frozen=True)
class SaleProblem:
    """One reason a sale is held: a stable ``code`` (support, tests) and the ``text`` an
    administrator reads."""

    code: str
    text: str

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text}


class _Money:
    """Amounts of the ticket's currency, parsed and shown the one way."""

    def __init__(self, code: str) -> None:
        self.currency = Currency.of(code)

    def __call__(self, amount: Decimal) -> str:
        return f"{self.currency.code} {self.currency.format(amount)}"


def sum_problems(ticket: TicketClosed) -> list[SaleProblem]:
    """Every way ``ticket``'s lines, discounts, taxes, payments and total fail to add up."""
    money = _Money(ticket.currency)
    problems: list[SaleProblem] = []
    for line in ticket.lines:
        problems.extend(_line_problems(line, money))
    nets = sum((Decimal(line.net) for line in ticket.lines), ZERO)
    packs = sum((Decimal(pack.price) for pack in ticket.packs), ZERO)
    total = Decimal(ticket.total)
    if total != nets + packs:
        what = "the lines" if not ticket.packs else "the lines and packs"
        problems.append(
            SaleProblem(
                "TOTAL_MISMATCH",
                f"The total says {money(total)}, but {what} add up to {money(nets + packs)}.",
            )
        )
    if total < 0:
        problems.append(SaleProblem("NEGATIVE_TOTAL", f"The total, {money(total)}, is negative."))
    problems.extend(_discount_problems(ticket, money))
    due, tax_problems = _amount_due(ticket, money)
    problems.extend(tax_problems)
    problems.extend(_payment_problems(ticket, due, money))
    return problems


def _line_problems(line: TicketLine, money: _Money) -> list[SaleProblem]:
    found: list[SaleProblem] = []
    unit_price, gross, net = Decimal(line.unit_price), Decimal(line.gross), Decimal(line.net)
    if unit_price < 0:
        found.append(
            SaleProblem(
                "NEGATIVE_PRICE", f"{line.name}: its price, {money(unit_price)}, is negative."
            )
        )
    if gross != unit_price * line.qty:
        found.append(
            SaleProblem(
                "LINE_GROSS_MISMATCH",
                f"{line.name}: {line.qty} × {money(unit_price)} is"
                f" {money(unit_price * line.qty)}, not {money(gross)}.",
            )
        )
    adjusted = sum((Decimal(a.amount) for a in line.adjustments), ZERO)
    if net != gross - adjusted:
        found.append(
            SaleProblem(
                "LINE_NET_MISMATCH",
                f"{line.name}: {money(gross)} less {money(adjusted)} of discounts is"
                f" {money(gross - adjusted)}, not {money(net)}.",
            )
        )
    if net < 0:
        found.append(
            SaleProblem("NEGATIVE_LINE", f"{line.name}: its net, {money(net)}, is below zero.")
        )
    return found


def _landed(lines: Iterable[TicketLine], stages: frozenset[int]) -> dict[str, Decimal]:
    """What the lines' adjustments of ``stages`` deducted, by what made them."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        for adjustment in line.adjustments:
            if isinstance(adjustment.stage, int) and adjustment.stage in stages:
                totals[adjustment.source] += Decimal(adjustment.amount)
    return totals


def _discount_problems(ticket: TicketClosed, money: _Money) -> list[SaleProblem]:
    """R2: every promotion, coupon and store discount the ticket lists is on its lines,
    exactly, and the lines carry no deduction at those stages that the ticket leaves out."""
    listed: list[tuple[str, str, Decimal, frozenset[int]]] = [
        *(("promotion", pid, Decimal(a), PROMOTION_STAGES) for pid, a in ticket.promotions.items()),
        *(("coupon", c.code, Decimal(c.amount), COUPON_STAGES) for c in ticket.coupons),
        *(("discount", did, Decimal(a), DISCOUNT_STAGES) for did, a in ticket.discounts.items()),
    ]
    found: list[SaleProblem] = []
    for what, name, amount, stages in listed:
        on_lines = _landed(ticket.lines, stages).get(name, ZERO)
        if on_lines != amount:
            found.append(
                SaleProblem(
                    "DISCOUNT_MISMATCH",
                    f"The {what} {name} is listed at {money(amount)}, but its lines"
                    f" show {money(on_lines)}.",
                )
            )
    named = {name for _, name, _, _ in listed}
    unlisted = {
        source: amount
        for source, amount in _landed(ticket.lines, PROMOTION_STAGES | COUPON_STAGES).items()
        if source not in named and amount
    }
    for source, amount in sorted(unlisted.items()):
        found.append(
            SaleProblem(
                "DISCOUNT_MISMATCH",
                f"The lines take {money(amount)} off for {source}, which the ticket does not list.",
            )
        )
    return found


def _amount_due(ticket: TicketClosed, money: _Money) -> tuple[Decimal, list[SaleProblem]]:
    """What the customer owed (the total, plus tax in a tax-exclusive store) and how the
    ticket's taxes differ from the protocol's taxes of its nets. A ticket from before
    taxes were sent (no ``tax_inclusive``) owes its total."""
    total = Decimal(ticket.total)
    if ticket.tax_inclusive is None:
        return total, []
    rated: list[tuple[str, Decimal, Decimal]] = []
    for line in ticket.lines:
        try:
            rate = parse_tax_rate(line.tax_rate)
        except TaxRateError:
            given = "no tax rate" if line.tax_rate is None else f"the tax rate {line.tax_rate!r}"
            problem = SaleProblem("TAX_MISMATCH", f"{line.name}: has {given}, not a percent.")
            return _stated_due(ticket, total), [problem]
        rated.append((line.line_id, Decimal(line.net), rate))
    taxes = compute_taxes(rated, money.currency, inclusive=ticket.tax_inclusive)
    found: list[SaleProblem] = []
    for line in ticket.lines:
        expected = taxes.lines[line.line_id]
        if line.tax is None or Decimal(line.tax) != expected:
            given = "no tax" if line.tax is None else money(Decimal(line.tax))
            found.append(
                SaleProblem(
                    "TAX_MISMATCH", f"{line.name}: its tax is {money(expected)}, not {given}."
                )
            )
    stated = {rate_key(Decimal(r.rate)): (Decimal(r.base), Decimal(r.tax)) for r in ticket.taxes}
    computed = {key: (r.base, r.tax) for key, r in taxes.by_rate().items()}
    if stated != computed:
        found.append(
            SaleProblem(
                "TAX_MISMATCH",
                "The taxes per rate say "
                + _rates(stated, money)
                + ", but the lines' nets give "
                + _rates(computed, money)
                + ".",
            )
        )
    if ticket.tax_total is None or Decimal(ticket.tax_total) != taxes.total:
        given = "nothing" if ticket.tax_total is None else money(Decimal(ticket.tax_total))
        found.append(
            SaleProblem("TAX_MISMATCH", f"The tax total is {money(taxes.total)}, not {given}.")
        )
    due = taxes.amount_due(total)
    if ticket.amount_paid is not None and Decimal(ticket.amount_paid) != due:
        found.append(
            SaleProblem(
                "AMOUNT_DUE_MISMATCH",
                f"The amount to pay is {money(due)}, not {money(Decimal(ticket.amount_paid))}.",
            )
        )
    return due, found


def _stated_due(ticket: TicketClosed, total: Decimal) -> Decimal:
    return Decimal(ticket.amount_paid) if ticket.amount_paid is not None else total


def _rates(rates: dict[str, tuple[Decimal, Decimal]], money: _Money) -> str:
    if not rates:
        return "no tax"
    return "; ".join(
        f"{key}% of {money(base)} is {money(tax)}" for key, (base, tax) in sorted(rates.items())
    )


def _payment_problems(ticket: TicketClosed, due: Decimal, money: _Money) -> list[SaleProblem]:
    """The payments cover what was due (more is possible: a ticket may fall below what
    was paid), and each payment's tendered amount less its change is its amount."""
    found: list[SaleProblem] = []
    paid = ZERO
    for payment in ticket.payments:
        amount = Decimal(payment.amount)
        paid += amount
        if amount < 0:
            found.append(
                SaleProblem(
                    "PAYMENT_MISMATCH",
                    f"A {payment.method} payment of {money(amount)} is negative.",
                )
            )
        if payment.tendered is not None and payment.change is not None:
            tendered, change = Decimal(payment.tendered), Decimal(payment.change)
            handed = tendered - change
            if handed != amount:
                found.append(
                    SaleProblem(
                        "PAYMENT_MISMATCH",
                        f"A {payment.method} payment of {money(amount)}: {money(tendered)}"
                        f" tendered less {money(change)} change is {money(handed)}.",
                    )
                )
    if paid < due:
        found.append(
            SaleProblem("UNDERPAID", f"The payments cover {money(paid)} of the {money(due)} due.")
        )
    return found
