"""What a printed receipt says: a plain, frozen record built from a closed ticket.

:class:`Receipt` holds everything the layout prints and nothing about paper or
printers. Amounts are :class:`~decimal.Decimal` in the ticket's currency; a
receipt adjustment is signed as printed (a saving is negative), so a line's
gross plus its adjustments is its net, and the subtotal plus every adjustment is
the total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Literal, Protocol

from pos_app.engine.money import ZERO, Currency
from pos_app.engine.priced_ticket import Adjustment, PricedLine, PricedTicket

PaymentMethod = Literal["cash", "card"]
PAYMENT_METHODS: tuple[PaymentMethod, ...] = ("cash", "card")

COUPON_KIND_NAMES = {
    "group_purchase": "group purchase",
    "cash_voucher": "cash voucher",
    "third_party": "third-party coupon",
    "member_voucher": "member voucher",
    "member_discount": "member discount",
    "custom": "coupon",
}


def _require_decimal(value: object, what: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError(f"{what} must be a finite Decimal, not {value!r}")
    return value


@dataclass(frozen=True)
class StoreHeader:
    """The store as the receipt names it: name, address lines and store id."""

    name: str
    address_lines: tuple[str, ...] = ()
    store_id: str = ""


class PaymentRecord(Protocol):
    """Anything shaped like a payment (the till's own ``Payment`` fits)."""

    @property
    def method(self) -> str: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def tendered(self) -> Decimal: ...
    @property
    def change(self) -> Decimal: ...


def _payment_method(value: str) -> PaymentMethod:
    for method in PAYMENT_METHODS:
        if value == method:
            return method
    raise ValueError(f"Payment method must be cash or card, not {value!r}")


@dataclass(frozen=True)
class Payment:
    """One tender: cash or card, the amount it pays, what was handed over and the change.

    Promises ``change == tendered - amount`` and no change on a card. Build one with
    :meth:`cash` or :meth:`card` to have the change worked out.
    """

    method: PaymentMethod
    amount: Decimal
    tendered: Decimal
    change: Decimal

    def __post_init__(self) -> None:
        _payment_method(self.method)
        amount = _require_decimal(self.amount, "Payment amount")
        tendered = _require_decimal(self.tendered, "Tendered amount")
        change = _require_decimal(self.change, "Change")
        if amount < 0:
            raise ValueError(f"Payment amount {amount} is negative")
        if tendered < amount:
            raise ValueError(f"Tendered {tendered} is less than the amount {amount}")
        if change != tendered - amount:
            raise ValueError(
                f"Change {change} should be {tendered - amount} ({tendered} - {amount})"
            )
        if self.method == "card" and change:
            raise ValueError("A card payment gives no change")

    @classmethod
    def of(cls, record: PaymentRecord) -> Payment:
        """A receipt payment from any payment-shaped record, checked the same way."""
        if isinstance(record, Payment):
            return record
        method = _payment_method(record.method)
        return cls(method, record.amount, record.tendered, record.change)

    @classmethod
    def cash(cls, amount: Decimal, tendered: Decimal | None = None) -> Payment:
        """Cash paying ``amount`` out of ``tendered`` (default: exact)."""
        handed = amount if tendered is None else tendered
        return cls("cash", amount, handed, handed - amount)

    @classmethod
    def card(cls, amount: Decimal) -> Payment:
        """A card paying exactly ``amount``."""
        return cls("card", amount, amount, ZERO)


@dataclass(frozen=True)
class ReceiptAdjustment:
    """One indented row under a line: a short label and a signed amount (saving < 0)."""

    label: str
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class ReceiptLine:
    """An item row: name, quantity, unit price, gross, net and its adjustments."""

    name: str
    qty: int
    unit_price: Decimal
    gross: Decimal
    net: Decimal
    adjustments: tuple[ReceiptAdjustment, ...] = ()
    is_gift: bool = False


@dataclass(frozen=True)
class ReceiptCoupon:
    """A redeemed coupon: its code, kind in words, the amount it took off (positive) and
    its name (what the receipt prints)."""

    code: str
    kind: str
    amount: Decimal
    name: str = ""


@dataclass(frozen=True)
class ReceiptTax:
    """One tax rate's row: its label ("10%"), the nets at that rate and the tax."""

    label: str
    base: Decimal
    tax: Decimal


class Naming(Protocol):
    """What the receipt names things by (the till's names of promotions, coupons and
    store discounts); without it, labels fall back to the adjustment's source."""

    def adjustment(self, adjustment: Adjustment) -> str: ...
    def coupon(self, code: str) -> str: ...


@dataclass(frozen=True)
class ReceiptPackCoupon:
    """A coupon a pack sold on the ticket issued: its name, its own code (what the
    customer shows or types) and when it is valid (local times, inclusive)."""

    name: str
    code: str
    valid_from: str
    valid_to: str


@dataclass(frozen=True)
class ReceiptPack:
    """A coupon pack sold on the ticket (COUPON-PACK-RULES K12, K15): its name, the member
    it was sold to, and the coupons it issued, usable from the next ticket."""

    name: str
    member: str
    coupons: tuple[ReceiptPackCoupon, ...]


def adjustment_label(adjustment: Adjustment) -> str:
    """The receipt's short label for an engine adjustment: "Promotion P1", "Coupon CV", ..."""
    family, _, detail = adjustment.kind.partition(":")
    if family == "present":
        return "Presented"
    if family == "price_adjustment":
        return "Price adjusted"
    if family == "promotion":
        prefix = "Free gift" if detail == "gift" else "Promotion"
        return f"{prefix} {adjustment.source}"
    if family == "coupon":
        return f"Coupon {adjustment.source}"
    if family == "discount":
        return f"Discount {adjustment.source}"
    return f"{family.replace('_', ' ').capitalize()} {adjustment.source}".strip()


def _receipt_line(line: PricedLine, names: Naming | None = None) -> ReceiptLine:
    return ReceiptLine(
        name=line.name,
        qty=line.qty,
        unit_price=line.unit_price,
        gross=line.gross,
        net=line.net,
        adjustments=tuple(
            ReceiptAdjustment(
                names.adjustment(a) if names is not None else adjustment_label(a),
                ZERO - a.amount,
                "" if names is not None else a.note,
            )
            for a in line.adjustments
        ),
        is_gift=line.is_gift,
    )


@dataclass(frozen=True)
class Receipt:
    """Everything one receipt prints, in the order a layout shows it.

    Promises: ``subtotal`` is the sum of line grosses, ``total`` the sum of line
    nets, ``savings = subtotal - total``; payments (if any) add up to ``total``.
    """

    store: StoreHeader
    device_id: str
    ticket_id: str
    closed_at: datetime
    currency: Currency
    lines: tuple[ReceiptLine, ...]
    coupons: tuple[ReceiptCoupon, ...]
    subtotal: Decimal
    savings: Decimal
    total: Decimal
    payments: tuple[Payment, ...] = ()
    footer: str = ""
    number: str = ""  # the short ticket number printed (and coded) instead of the id
    till: str = ""  # the till's number in its store, printed instead of the device id
    member: str = ""
    taxes: tuple[ReceiptTax, ...] = ()
    tax_inclusive: bool = True
    title: str = ""  # e.g. "RETURN of D1-01-000004"
    packs: tuple[ReceiptPack, ...] = ()
    cashier: str = ""  # who served the customer

    def with_title(self, title: str) -> Receipt:
        """The same receipt under a title line (e.g. a return's)."""
        return replace(self, title=title)

    @property
    def tax_total(self) -> Decimal:
        return sum((t.tax for t in self.taxes), ZERO)

    @property
    def amount_due(self) -> Decimal:
        """What the customer pays: the total, plus the tax where it is added."""
        return self.total if self.tax_inclusive else self.total + self.tax_total

    @classmethod
    def from_ticket(
        cls,
        priced: PricedTicket,
        *,
        ticket_id: str,
        store: StoreHeader,
        device_id: str,
        closed_at: datetime,
        payments: Sequence[PaymentRecord] = (),
        footer: str = "",
        names: Naming | None = None,
        number: str = "",
        till: str = "",
        member: str = "",
        cashier: str = "",
        taxes: Sequence[ReceiptTax] = (),
        tax_inclusive: bool = True,
        coupon_names: Mapping[str, str] | None = None,
        packs: Sequence[ReceiptPack] = (),
    ) -> Receipt:
        """The receipt of a priced ticket; refuses payments that do not add up to what
        it costs (its total, plus the tax where it is added).

        ``payments`` may be this module's :class:`Payment` or the till's own records.
        """
        if not ticket_id.strip():
            raise ValueError("A receipt needs a ticket id")
        checked = tuple(Payment.of(p) for p in payments)
        paid = sum((p.amount for p in checked), ZERO)
        tax_total = sum((t.tax for t in taxes), ZERO)
        due = priced.total if tax_inclusive else priced.total + tax_total
        if checked and paid != due:
            fmt = priced.currency.format
            raise ValueError(
                f"Payments add up to {fmt(paid)} but ticket {ticket_id} totals {fmt(priced.total)}"
            )
        return cls(
            store=store,
            device_id=device_id,
            ticket_id=ticket_id,
            closed_at=closed_at,
            currency=priced.currency,
            lines=tuple(_receipt_line(line, names) for line in priced.lines),
            coupons=tuple(
                ReceiptCoupon(
                    o.code,
                    COUPON_KIND_NAMES.get(o.kind, o.kind),
                    o.amount,
                    (coupon_names or {}).get(o.code)
                    or (names.coupon(o.code) if names is not None else ""),
                )
                for o in priced.coupons.values()
            ),
            subtotal=priced.gross,
            savings=priced.savings,
            total=priced.total,
            payments=checked,
            footer=footer,
            number=number,
            till=till,
            member=member,
            cashier=cashier,
            taxes=tuple(taxes),
            tax_inclusive=tax_inclusive,
            packs=tuple(packs),
        )

    @property
    def paid(self) -> Decimal:
        """The sum of payment amounts."""
        return sum((p.amount for p in self.payments), ZERO)

    @property
    def change(self) -> Decimal:
        """The change handed back over all payments."""
        return sum((p.change for p in self.payments), ZERO)
