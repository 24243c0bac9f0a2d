"""Returns as the till stores them: a closed sale read for a return (what was sold,
what earlier returns took back, how it was paid, which coupons covered what) and a
return written with its lines and the coupons it gave back."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from pos_app.engine import Currency
from pos_app.protocol.pack_limits import REFUNDED
from pos_app.store.database import Transaction
from pos_app.store.models.packs import PackPurchaseRecord, PackRefund, PackSale
from pos_app.store.models.shifts import (
    CouponReversal,
    LineTax,
    Refund,
    RefundLine,
    TicketHeader,
)
from pos_app.store.models.tickets import ClosedTicket, TicketCoupon
from pos_app.store.models.tickets import Payment as PaymentRow
from pos_app.store.shift_records import REFUND, SALE, find_by_number

ZERO = Decimal(0)


@dataclass(frozen=True)
class ReturnableLine:
    """A line of a sale as a return sees it: sold, already returned, and its money."""

    line_id: str
    sku: str
    name: str
    qty: int
    returned: int
    net: Decimal
    tax: Decimal
    rate: Decimal
    is_gift: bool

    @property
    def left(self) -> int:
        return self.qty - self.returned


@dataclass(frozen=True)
class SaleForReturn:
    """A closed sale found for a return: its number, lines, payments and coupons."""

    ticket_id: str
    number: str
    closed_at: datetime
    currency: Currency
    tax_inclusive: bool
    total: Decimal
    paid: Decimal
    lines: tuple[ReturnableLine, ...]
    paid_by: Mapping[str, Decimal]
    refunded_by: Mapping[str, Decimal]
    coupons: Mapping[str, tuple[str, ...]]  # code -> the lines it covered ((): all)
    reversed_codes: frozenset[str]
    member_name: str | None = None
    # coupon packs sold on it: (line id, name, price, refunded); a manager refunds one whole
    packs: tuple[tuple[str, str, Decimal, bool], ...] = ()

    def line(self, line_id: str) -> ReturnableLine | None:
        return next((line for line in self.lines if line.line_id == line_id), None)

    @property
    def fully_returned(self) -> bool:
        """Every item line is back (a ticket of packs alone has nothing to return)."""
        return bool(self.lines) and all(line.left == 0 for line in self.lines)


@dataclass(frozen=True)
class ReturnedLine:
    """Units of one sale line a return takes back, with their share of net and tax."""

    line_id: str
    qty: int
    amount: Decimal
    tax: Decimal


@dataclass(frozen=True)
class StoredReturn:
    """A return as stored: its number, the number of the sale it took lines of, how the
    money went back, when, and the units of each line."""

    number: str
    sale_number: str
    method: str
    refunded_at: datetime
    lines: tuple[ReturnedLine, ...]


class RefundRecords:
    """Returns in one unit of work (the ORM)."""

    def __init__(self, transaction: Transaction) -> None:
        self._session = transaction.session

    def return_numbered(self, number: str) -> StoredReturn | None:
        """The return numbered ``number`` (the latest day's), as it was written."""
        session = self._session
        header = find_by_number(session, number, REFUND)
        refund = session.get(Refund, header.ticket_id) if header is not None else None
        if header is None or refund is None:
            return None
        sale = session.scalars(
            select(TicketHeader).where(
                TicketHeader.ticket_id == refund.ticket_id, TicketHeader.kind == SALE
            )
        ).one_or_none()
        lines = session.scalars(select(RefundLine).where(RefundLine.refund_id == refund.refund_id))
        return StoredReturn(
            number=header.number,
            sale_number=sale.number if sale is not None else "",
            method=refund.method,
            refunded_at=refund.refunded_at,
            lines=tuple(ReturnedLine(r.line_id, r.qty, r.amount, r.tax) for r in lines),
        )

    def sale_for_return(self, number: str) -> SaleForReturn | None:
        """The closed sale numbered ``number`` (or ``NUMBER BUSINESS-DAY``) as a return sees
        it; a number two days gave raises
        :class:`~pos_app.store.shift_records.NumberReused`."""
        session = self._session
        header = find_by_number(session, number)
        ticket = session.get(ClosedTicket, header.ticket_id) if header is not None else None
        if header is None or ticket is None:
            return None
        ticket_id = ticket.ticket_id
        taxes = {
            row.line_id: row
            for row in session.scalars(select(LineTax).where(LineTax.ticket_id == ticket_id))
        }
        returned: dict[str, int] = dict(
            session.execute(
                select(RefundLine.line_id, func.sum(RefundLine.qty))
                .join(Refund, Refund.refund_id == RefundLine.refund_id)
                .where(Refund.ticket_id == ticket_id)
                .group_by(RefundLine.line_id)
            ).all()
        )
        refunded_by: dict[str, Decimal] = {}
        for refund in session.scalars(select(Refund).where(Refund.ticket_id == ticket_id)):
            refunded_by[refund.method] = refunded_by.get(refund.method, ZERO) + refund.amount
        paid_by: dict[str, Decimal] = {}
        for payment in session.scalars(select(PaymentRow).where(PaymentRow.ticket_id == ticket_id)):
            paid_by[payment.method] = paid_by.get(payment.method, ZERO) + payment.amount
        coupons = {
            coupon.code: tuple(json.loads(coupon.line_ids or "[]"))
            for coupon in session.scalars(
                select(TicketCoupon).where(TicketCoupon.ticket_id == ticket_id)
            )
        }
        reversed_codes = frozenset(
            session.scalars(
                select(CouponReversal.code).where(CouponReversal.ticket_id == ticket_id)
            )
        )
        lines = tuple(
            ReturnableLine(
                line_id=line.line_id,
                sku=line.sku,
                name=line.name,
                qty=line.qty,
                returned=int(returned.get(line.line_id, 0)),
                net=line.net,
                tax=taxes[line.line_id].tax if line.line_id in taxes else ZERO,
                rate=taxes[line.line_id].rate if line.line_id in taxes else ZERO,
                is_gift=line.is_gift,
            )
            for line in ticket.lines
        )
        return SaleForReturn(
            ticket_id=ticket_id,
            number=header.number,
            closed_at=ticket.closed_at,
            currency=Currency.of(ticket.currency),
            tax_inclusive=header.tax_inclusive,
            total=ticket.total,
            paid=header.paid,
            lines=lines,
            paid_by=paid_by,
            refunded_by=refunded_by,
            coupons=coupons,
            reversed_codes=reversed_codes,
            member_name=header.member_name,
            packs=tuple(
                (line_id, name, price, here is not None or status == REFUNDED)
                for line_id, name, price, here, status in session.execute(
                    select(
                        PackSale.line_id,
                        PackSale.pack_name,
                        PackSale.price,
                        PackRefund.sale_id,
                        PackPurchaseRecord.status,
                    )
                    .outerjoin(PackRefund, PackRefund.sale_id == PackSale.sale_id)
                    .outerjoin(
                        PackPurchaseRecord, PackPurchaseRecord.purchase_id == PackSale.sale_id
                    )
                    .where(PackSale.ticket_id == ticket_id)
                    .order_by(PackSale.line_id)
                )
            ),
        )

    def add(
        self,
        *,
        refund_id: str,
        ticket_id: str,
        number: str,
        shift_id: int,
        method: str,
        amount: Decimal,
        tax: Decimal,
        lines: Sequence[ReturnedLine],
        restored_codes: Iterable[str],
        now: datetime,
    ) -> None:
        """A return of the sale ``ticket_id``: its rows and its coupons' reversals."""
        session = self._session
        session.add(
            Refund(
                refund_id=refund_id,
                ticket_id=ticket_id,
                shift_id=shift_id,
                number=number,
                method=method,
                amount=amount,
                tax=tax,
                refunded_at=now,
            )
        )
        session.flush()
        session.add_all(
            RefundLine(
                refund_id=refund_id,
                line_id=line.line_id,
                qty=line.qty,
                amount=line.amount,
                tax=line.tax,
            )
            for line in lines
        )
        session.add_all(
            CouponReversal(ticket_id=ticket_id, code=code, refund_id=refund_id, reversed_at=now)
            for code in restored_codes
        )
