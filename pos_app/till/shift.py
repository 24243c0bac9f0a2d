"""The till's business day: the X report at any time, and the Z report that closes the
day with the cash counted, written and synced as ``shift.closed``; the next ticket
starts a new day; ticket numbers go on counting up (they never start again), and each
Z report takes the next number of the till's own Z sequence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pos_app.engine.money import AmountError, parse_amount
from pos_app.protocol.payloads import ShiftClosed, wire_instant
from pos_app.store.shift_records import DayRows, ShiftView
from pos_app.store.unit_of_work import TillDatabase, UnitOfWork
from pos_app.till.clock import Clock, aware
from pos_app.till.configuration import LiveConfiguration
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.names import names_for
from pos_app.till.open_ticket import OpenTicket
from pos_app.till.shift_report import X_REPORT, Z_REPORT, ShiftReport, build_report
from pos_app.till.ticket_change import TicketChange


@dataclass(frozen=True)
class BusinessDay:
    """The day's reports over the till's database. The till's owner thread only."""

    database: TillDatabase
    ticket: OpenTicket
    configuration: LiveConfiguration
    clock: Clock

    def refusal_to_close(self) -> TillRefusal | None:
        if self.ticket.state.lines:
            return TillRefusal(
                TillCode.TICKET_OPEN, "Finish, hold or void the open ticket before closing the day"
            )
        return None

    def close(self, counted: object) -> TicketChange:
        """The Z report: the day's figures written, printed by the caller and synced as
        ``shift.closed`` under the till's next Z number; the next ticket starts a new
        day (its number follows the last one). The change's outcome is the report."""
        refusal = self.refusal_to_close()
        if refusal is not None:
            raise refusal
        counted_cash = self._counted(counted)
        store_id, device_id = self.configuration.identity()
        now = aware(self.clock())
        ticket = self.ticket
        with self.database.unit_of_work() as uow:
            shift = uow.shifts.current() or uow.shifts.open(now)
            z_number = uow.shifts.next_z_number()
            report = self._report(uow, shift, Z_REPORT, now, counted_cash, z_number)
            figures = report.to_json()
            uow.shifts.close(shift.shift_id, now, counted_cash, figures, z_number)
            fmt = report.currency.format
            uow.outbox.add(
                ShiftClosed(
                    shift_id=f"{device_id}:{shift.shift_id}",
                    store_id=store_id,
                    device_id=device_id,
                    business_day=shift.business_day,
                    opened_at=wire_instant(shift.opened_at),
                    closed_at=wire_instant(now),
                    currency=report.currency.code,
                    sales=fmt(report.sales),
                    returns=fmt(report.returns),
                    net=fmt(report.net),
                    report=figures,
                ),
                now,
            )
            uow.open_tickets.remove(ticket.ticket_id)  # empty, numbered in the day closed
            pending = uow.outbox.pending_count()
            uow.commit()
        ticket.start_new()
        self.database.back_up_after_z(now)
        return ticket.change(pending, outcome=report)

    def _counted(self, counted: object) -> Decimal | None:
        if counted is None or (isinstance(counted, str) and not counted.strip()):
            return None
        currency = self.configuration.currency
        try:
            value = parse_amount(counted.strip() if isinstance(counted, str) else counted)
        except AmountError as exc:
            raise TillRefusal(TillCode.INVALID_AMOUNT, f"Counted cash: {exc}") from None
        if currency.round(value) != value:
            raise TillRefusal(
                TillCode.INVALID_AMOUNT,
                f"Counted cash {value} has more decimal places than {currency.code} allows",
            )
        return value

    def report(self, kind: str = X_REPORT, counted_cash: Decimal | None = None) -> ShiftReport:
        """The X report of the open day (nothing is written)."""
        with self.database.unit_of_work() as uow:
            return self._report(uow, uow.shifts.current(), kind, aware(self.clock()), counted_cash)

    def _report(
        self,
        uow: UnitOfWork,
        shift: ShiftView | None,
        kind: str,
        now: datetime,
        counted_cash: Decimal | None,
        z_number: int | None = None,
    ) -> ShiftReport:
        config = self.configuration.current
        rows = uow.shifts.day_rows(shift.shift_id) if shift is not None else DayRows()
        return build_report(
            shift,
            rows,
            kind=kind,
            taken_at=now,
            currency=self.configuration.currency,
            names=names_for(config.book),
            store_id=config.store_id or "",
            store_name=uow.device.store_name(config.store_id),
            till=f"{uow.device.till_number():02d}",
            tax_inclusive=config.tax_inclusive,
            counted_cash=counted_cash,
            z_number=z_number,
        )
