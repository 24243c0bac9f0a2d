"""Returns at the till: a closed sale found by its number, some or all of its lines
taken back (:mod:`pos_app.till.refunds` says at what), written with its coupons'
reversals and ``ticket.refunded`` in one transaction (S1)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from pos_app.store.closed_tickets import ListedSale
from pos_app.store.refund_records import SaleForReturn
from pos_app.store.shift_records import NumberReused
from pos_app.store.unit_of_work import TillDatabase, UnitOfWork
from pos_app.till.clock import Clock, aware
from pos_app.till.configuration import LiveConfiguration
from pos_app.till.open_ticket import OpenTicket
from pos_app.till.refunds import (
    RefundPlan,
    number_needs_day,
    plan_refund,
    refund_payload,
    returned_lines,
    unknown_sale,
)
from pos_app.till.shift_commands import RefundSale
from pos_app.till.ticket_change import TicketChange


@dataclass(frozen=True)
class RefundDone:
    """A return just written: its own number, the sale's, and the money given back."""

    number: str
    refund_of: str
    amount: Decimal
    method: str
    plan: RefundPlan


@dataclass(frozen=True)
class Returns:
    """Returns over the till's database. The till's owner thread only."""

    database: TillDatabase
    ticket: OpenTicket
    configuration: LiveConfiguration
    clock: Clock

    def find_sale(self, number: object) -> SaleForReturn:
        """The closed sale numbered ``number``, or a refusal naming the number."""
        with self.database.unit_of_work() as uow:
            return _sale_numbered(uow, number)

    def closed_sales(self) -> list[ListedSale]:
        """Every closed sale with its number and lines, oldest first."""
        with self.database.unit_of_work() as uow:
            return uow.closed_tickets.listing()

    def refund(self, command: RefundSale) -> TicketChange:
        """Write a return, its coupons' reversals and ``ticket.refunded`` at once; the
        change's outcome is the :class:`RefundDone`."""
        store_id, device_id = self.configuration.identity()
        now = aware(self.clock())
        with self.database.unit_of_work() as uow:
            sale = _sale_numbered(uow, command.number)
            plan = plan_refund(sale, command.method, command.lines)
            shift_id, number = uow.shifts.new_number(now, store_id)
            refund_id = str(uuid.uuid4())
            uow.shifts.add_refund(
                refund_id,
                number,
                shift_id,
                tax_inclusive=sale.tax_inclusive,
                tax=plan.tax,
                paid=plan.amount,
            )
            uow.refunds.add(
                refund_id=refund_id,
                ticket_id=sale.ticket_id,
                number=number,
                shift_id=shift_id,
                method=plan.method,
                amount=plan.amount,
                tax=plan.tax,
                lines=returned_lines(plan),
                restored_codes=plan.restored_codes,
                now=now,
            )
            uow.outbox.add(
                refund_payload(
                    plan,
                    refund_id=refund_id,
                    number=number,
                    store_id=store_id,
                    device_id=device_id,
                    business_day=uow.shifts.business_day_of(shift_id),
                    now=now,
                ),
                now,
            )
            pending = uow.outbox.pending_count()
            uow.commit()
        done = RefundDone(number, sale.number, plan.amount, plan.method, plan)
        return self.ticket.change(pending, outcome=done)


def _sale_numbered(uow: UnitOfWork, number: object) -> SaleForReturn:
    """The closed sale numbered ``number`` as a return sees it, or a refusal naming it."""
    sale = None
    if isinstance(number, str) and number.strip():
        try:
            sale = uow.refunds.sale_for_return(number)
        except NumberReused as reused:
            raise number_needs_day(reused) from None
    if sale is None:
        raise unknown_sale(number)
    return sale
