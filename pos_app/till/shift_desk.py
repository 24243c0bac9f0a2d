"""The till's side of a whole shift: ticket numbers, held (parked) tickets, the member
on the ticket, scanning, taxes on closing, returns and the X and Z reports.

:class:`ShiftDesk` belongs to one :class:`~pos_app.till.till.Till` and works on its open
ticket; :meth:`Till.handle` hands it the commands of :mod:`pos_app.till.shift_commands`
after the permission check. Every change is written with its outbox event in one
transaction (S1), like the till's own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pos_app.engine import AddItem, Refusal, RefusalCode, Ticket
from pos_app.engine.money import AmountError, parse_amount
from pos_app.protocol.events import EventType
from pos_app.protocol.taxes import TicketTaxes, rate_key
from pos_app.store.database import DirectStatement, driver_connection
from pos_app.store.models.configuration import StoreInfo
from pos_app.store.models.device import Device
from pos_app.store.models.members import Member
from pos_app.store.models.shifts import ParkedTicket, Shift, TicketHeader
from pos_app.store.models.tickets import ClosedTicket, OpenTicket
from pos_app.store.outbox import device_time_text, enqueue_event, pending_count
from pos_app.store.shift_records import (
    CLOSED,
    OPEN,
    PARKED,
    REFUND,
    VOIDED,
    close_header,
    current_shift,
    ensure_header,
    new_ticket_number,
    open_shift_id,
)
from pos_app.store.ticket_state_codec import dump_ticket_state, load_ticket_state
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.clock import aware
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.manager import Actor
from pos_app.till.names import names_for
from pos_app.till.payments import dump_payments, load_payments
from pos_app.till.refunds import (
    RefundPlan,
    find_sale,
    new_refund_id,
    plan_refund,
    refund_payload,
    write_refund,
)
from pos_app.till.shift_commands import (
    AttachMember,
    CloseShift,
    DetachMember,
    ParkTicket,
    RecallTicket,
    RefundSale,
    Scan,
    ShiftCommand,
)
from pos_app.till.shift_report import X_REPORT, Z_REPORT, ShiftReport, build_report

if TYPE_CHECKING:
    from pos_app.till.closing import Sale
    from pos_app.till.till import TicketChange, Till

_INSERT_LINE_TAX = DirectStatement(
    "INSERT INTO line_taxes (ticket_id, line_id, rate, tax) VALUES (?, ?, ?, ?)",
    [None, None, TicketHeader.__table__.c.tax.type, TicketHeader.__table__.c.tax.type],
)
_SET_MEMBER = DirectStatement(
    "UPDATE ticket_headers SET member_id = ?, member_name = ? WHERE ticket_id = ?",
    [None, None, None],
)


@dataclass(frozen=True)
class ParkedSummary:
    """A held ticket as the recall list shows it."""

    ticket_id: str
    number: str
    parked_at: datetime
    lines: int
    total: Decimal
    member_name: str | None
    first_items: str


@dataclass(frozen=True)
class RefundDone:
    """A return just written: its own number, the sale's, and the money given back."""

    number: str
    refund_of: str
    amount: Decimal
    method: str
    plan: RefundPlan


class ShiftDesk:
    """Shift work on one till's open ticket and database. Not thread-safe: used only
    through its till (the same owner, one op at a time)."""

    def __init__(self, till: Till) -> None:
        self._till = till

    # ------------------------------------------------------------ numbers and headers

    def restore_header(self, ticket_id: str) -> tuple[str | None, tuple[str, str] | None]:
        """The number and member of a ticket restored from the database."""
        with UnitOfWork(self._till._sessions) as uow:
            header = uow.session.get(TicketHeader, ticket_id)
        if header is None:
            return None, None
        member = (header.member_id, header.member_name or "") if header.member_id else None
        return header.number, member

    def number_of(self, ticket_id: str) -> str | None:
        with UnitOfWork(self._till._sessions) as uow:
            header = uow.session.get(TicketHeader, ticket_id)
            return header.number if header is not None else None

    def ensure_number(self, connection: Any, ticket_id: str, now: datetime) -> str:
        config = self._till.configuration
        return ensure_header(
            connection, ticket_id, now, config.store_id, tax_inclusive=config.tax_inclusive
        )

    def close_ticket(self, connection: Any, sale: Sale, taxes: TicketTaxes, now: datetime) -> str:
        """In the closing transaction: the ticket's number, its lines' taxes and how it
        was paid."""
        number = self.ensure_number(connection, sale.ticket_id, now)
        _INSERT_LINE_TAX.execute_many(
            connection,
            [
                (
                    sale.ticket_id,
                    line.line_id,
                    taxes.line_rates[line.line_id],
                    taxes.lines[line.line_id],
                )
                for line in sale.priced.item_lines
            ],
        )
        close_header(
            connection,
            sale.ticket_id,
            status=CLOSED,
            tax_inclusive=taxes.inclusive,
            tax=taxes.total,
            paid=taxes.amount_due(sale.priced.total),
        )
        return number

    def add_to_closed_payload(
        self, payload: dict[str, Any], sale: Sale, taxes: TicketTaxes, number: str
    ) -> None:
        """What ``ticket.closed`` carries beside the sale: the number, the member, the
        taxes per line and per rate (protocol "Taxes")."""
        fmt = sale.priced.currency.format
        member = self._till.member
        for line in payload["lines"]:
            line["tax_rate"] = rate_key(taxes.line_rates[line["line_id"]])
            line["tax"] = fmt(taxes.lines[line["line_id"]])
        payload["number"] = number
        if member is not None:
            payload["member_id"] = member[0]
        payload["tax_inclusive"] = taxes.inclusive
        payload["taxes"] = [
            {"rate": rate_key(r.rate), "base": fmt(r.base), "tax": fmt(r.tax)} for r in taxes.rates
        ]
        payload["tax_total"] = fmt(taxes.total)
        payload["amount_paid"] = fmt(taxes.amount_due(sale.priced.total))

    def void_header(self, session: Session, ticket_id: str, total: Decimal) -> None:
        header = session.get(TicketHeader, ticket_id)
        if header is not None:
            header.status = VOIDED
            header.paid = total

    # ------------------------------------------------------------ commands

    def refusal_for(self, command: object) -> TillRefusal | None:
        """What a shift command would meet (live buttons), without doing it."""
        lines = bool(self._till.state.lines)
        if isinstance(command, ParkTicket) and not lines:
            return TillRefusal(TillCode.NOTHING_TO_PARK, "The ticket is empty: nothing to hold")
        if isinstance(command, CloseShift) and lines:
            return TillRefusal(
                TillCode.TICKET_OPEN, "Finish, hold or void the open ticket before closing the day"
            )
        return None

    def handle(self, command: ShiftCommand, actor: Actor) -> TicketChange:
        match command:
            case ParkTicket():
                return self._park()
            case RecallTicket():
                return self._recall(command.ticket_id)
            case AttachMember():
                return self.attach(command.member_id)
            case DetachMember():
                return self.attach(None)
            case Scan():
                return self._scan(command.code)
            case RefundSale():
                return self._refund(command)
            case CloseShift():
                return self._close_shift(command.counted_cash)
        raise TypeError(f"not a shift command: {command!r}")

    def _now(self) -> datetime:
        return aware(self._till._clock())

    def _park(self) -> TicketChange:
        """Hold the open ticket (with its coupons, member and payments); start another."""
        till = self._till
        refusal = self.refusal_for(ParkTicket())
        if refusal is not None:
            raise refusal
        now = self._now()
        with UnitOfWork(till._sessions) as uow:
            session = uow.session
            number = till._number or self.ensure_number(
                driver_connection(session), till._ticket_id, now
            )
            self._hold(session, now)
            pending = pending_count(session)
            uow.commit()
        till._start_new_ticket()
        return _with_outcome(till._change(pending), number)

    def _hold(self, session: Session, now: datetime) -> None:
        till = self._till
        row = session.get(OpenTicket, till._ticket_id)
        if row is not None:
            session.delete(row)
        session.add(
            ParkedTicket(
                ticket_id=till._ticket_id,
                opened_at=till._opened_at or now,
                parked_at=now,
                state=dump_ticket_state(till.state),
                payments=dump_payments(till.payments),
            )
        )
        header = session.get(TicketHeader, till._ticket_id)
        if header is not None:
            header.status = PARKED

    def _recall(self, ticket_id: str) -> TicketChange:
        """Bring a held ticket back; an open ticket with lines is held in its place."""
        till = self._till
        now = self._now()
        with UnitOfWork(till._sessions) as uow:
            session = uow.session
            parked = session.get(ParkedTicket, ticket_id) if isinstance(ticket_id, str) else None
            if parked is None:
                raise TillRefusal(TillCode.UNKNOWN_TICKET, "That ticket is no longer on hold")
            if till.state.lines:
                if till._number is None:
                    till._number = self.ensure_number(
                        driver_connection(session), till._ticket_id, now
                    )
                self._hold(session, now)
            else:
                row = session.get(OpenTicket, till._ticket_id)
                if row is not None:
                    session.delete(row)
            session.flush()
            session.add(
                OpenTicket(
                    ticket_id=parked.ticket_id,
                    opened_at=parked.opened_at,
                    updated_at=now,
                    state=parked.state,
                    payments=parked.payments,
                )
            )
            header = session.get(TicketHeader, parked.ticket_id)
            if header is not None:
                header.status = OPEN
            session.delete(parked)
            pending = pending_count(session)
            state = load_ticket_state(parked.state)
            uow.commit()
        till._ticket_id = parked.ticket_id
        till._opened_at = parked.opened_at
        till._payments = load_payments(parked.payments)
        till._ticket = Ticket(till._book_for(state), till._pricing_clock, state)
        till._number, till._member = self.restore_header(parked.ticket_id)
        return till._change(pending)

    def attach(self, member_id: str | None) -> TicketChange:
        """Put a member on the open ticket (None: take the member off); not another member
        while the ticket holds a coupon pack sold to the one on it (K12)."""
        till = self._till
        sold_to = {line.member_id for line in till.state.packs}
        if sold_to and sold_to != {member_id}:
            raise TillRefusal(
                TillCode.MEMBER_REQUIRED,
                "The ticket holds a coupon pack sold to its member: void that line first",
            )
        name: str | None = None
        if member_id is not None:
            with UnitOfWork(till._sessions) as uow:
                member = uow.session.get(Member, member_id) if isinstance(member_id, str) else None
                name = member.name if member is not None else None
            if name is None:
                raise TillRefusal(TillCode.UNKNOWN_MEMBER, "That member is not known at this till")
        till._save_open_ticket(till._payments)  # the ticket gets its number and row
        with UnitOfWork(till._sessions) as uow:
            _SET_MEMBER.execute(driver_connection(uow.session), (member_id, name, till._ticket_id))
            pending = pending_count(uow.session)
            uow.commit()
        till._member = (member_id, name or "") if member_id is not None else None
        return till._change(pending)

    def _scan(self, code: str) -> TicketChange:
        """An item's barcode rings the item up; any other code is redeemed."""
        till = self._till
        typed = code.strip() if isinstance(code, str) else ""
        if not typed:
            raise TillRefusal(TillCode.UNKNOWN_TICKET, "Type or scan a code")
        sku = till.configuration.barcodes.get(typed)
        if sku is not None:
            return till._act(till._with_ids(AddItem(None, sku)))
        try:
            return till._redeem(typed)
        except Refusal as refusal:
            if refusal.code is RefusalCode.UNKNOWN:
                raise Refusal(
                    RefusalCode.UNKNOWN, f"No item or coupon has the code {typed}"
                ) from None
            raise till.explained(refusal, code=typed) from None

    def _refund(self, command: RefundSale) -> TicketChange:
        """Write a return, its coupons' reversals and ``ticket.refunded`` at once."""
        till = self._till
        store_id, device_id = till._identity()
        now = self._now()
        with UnitOfWork(till._sessions) as uow:
            session = uow.session
            sale = find_sale(session, command.number)
            plan = plan_refund(sale, command.method, command.lines)
            connection = driver_connection(session)
            shift_id, number = new_ticket_number(connection, now, store_id)
            refund_id = new_refund_id()
            session.add(
                TicketHeader(
                    ticket_id=refund_id,
                    number=number,
                    shift_id=shift_id,
                    kind=REFUND,
                    status=CLOSED,
                    tax_inclusive=sale.tax_inclusive,
                    tax=plan.tax,
                    paid=plan.amount,
                )
            )
            write_refund(
                session, plan, refund_id=refund_id, number=number, shift_id=shift_id, now=now
            )
            shift = session.get(Shift, shift_id)
            enqueue_event(
                session,
                EventType.TICKET_REFUNDED,
                refund_payload(
                    plan,
                    refund_id=refund_id,
                    number=number,
                    store_id=store_id,
                    device_id=device_id,
                    business_day=shift.business_day if shift is not None else "",
                    now=now,
                ),
                now,
            )
            pending = pending_count(session)
            uow.commit()
        done = RefundDone(number, sale.number, plan.amount, plan.method, plan)
        return _with_outcome(till._change(pending), done)

    def _close_shift(self, counted: object) -> TicketChange:
        """The Z report: the day's figures written, printed by the caller and synced as
        ``shift.closed``; the next ticket starts a new day and a new sequence."""
        till = self._till
        refusal = self.refusal_for(CloseShift())
        if refusal is not None:
            raise refusal
        counted_cash = self._counted(counted)
        store_id, device_id = till._identity()
        now = self._now()
        with UnitOfWork(till._sessions) as uow:
            session = uow.session
            shift = current_shift(session)
            if shift is None:
                shift_id, _ = open_shift_id(driver_connection(session), now)
                shift = session.get(Shift, shift_id)
                assert shift is not None
            report = self._report(session, shift, Z_REPORT, now, counted_cash)
            shift.closed_at = now
            shift.counted_cash = counted_cash
            shift.report = json.dumps(report.to_json(), sort_keys=True)
            fmt = report.currency.format
            enqueue_event(
                session,
                EventType.SHIFT_CLOSED,
                {
                    "shift_id": f"{device_id}:{shift.shift_id}",
                    "store_id": store_id,
                    "device_id": device_id,
                    "business_day": shift.business_day,
                    "opened_at": device_time_text(shift.opened_at),
                    "closed_at": device_time_text(now),
                    "currency": report.currency.code,
                    "sales": fmt(report.sales),
                    "returns": fmt(report.returns),
                    "net": fmt(report.net),
                    "report": report.to_json(),
                },
                now,
            )
            row = session.get(OpenTicket, till._ticket_id)
            if row is not None:
                session.delete(row)  # an empty ticket numbered in the day just closed
            pending = pending_count(session)
            uow.commit()
        till._start_new_ticket()
        return _with_outcome(till._change(pending), report)

    def _counted(self, counted: object) -> Decimal | None:
        if counted is None or (isinstance(counted, str) and not counted.strip()):
            return None
        currency = self._till.currency
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

    # ------------------------------------------------------------ reading

    def report(self, kind: str = X_REPORT, counted_cash: Decimal | None = None) -> ShiftReport:
        """The X report of the open day (nothing is written)."""
        with UnitOfWork(self._till._sessions) as uow:
            return self._report(
                uow.session, current_shift(uow.session), kind, self._now(), counted_cash
            )

    def last_z_report(self) -> dict[str, Any] | None:
        """The last closed day's Z report as it was synced."""
        with UnitOfWork(self._till._sessions) as uow:
            shift = uow.session.scalars(
                select(Shift).where(Shift.closed_at.is_not(None)).order_by(Shift.shift_id.desc())
            ).first()
            return json.loads(shift.report) if shift is not None and shift.report else None

    def _report(
        self,
        session: Session,
        shift: Shift | None,
        kind: str,
        now: datetime,
        counted_cash: Decimal | None,
    ) -> ShiftReport:
        till = self._till
        config = till.configuration
        store = session.get(StoreInfo, config.store_id) if config.store_id else None
        device = session.get(Device, 1)
        return build_report(
            session,
            shift,
            kind=kind,
            taken_at=now,
            currency=till.currency,
            names=names_for(till.book),
            store_id=config.store_id or "",
            store_name=store.name if store is not None else "",
            till=f"{device.till_number if device is not None else 1:02d}",
            tax_inclusive=config.tax_inclusive,
            counted_cash=counted_cash,
        )

    def parked(self) -> list[ParkedSummary]:
        """The held tickets, oldest first, each priced as it stands."""
        till = self._till
        with UnitOfWork(till._sessions) as uow:
            rows = list(
                uow.session.execute(
                    select(ParkedTicket, TicketHeader)
                    .outerjoin(TicketHeader, TicketHeader.ticket_id == ParkedTicket.ticket_id)
                    .order_by(ParkedTicket.parked_at)
                )
            )
        out = []
        for parked, header in rows:
            state = load_ticket_state(parked.state)
            priced = Ticket(till._book_for(state), till._pricing_clock, state).priced
            out.append(
                ParkedSummary(
                    ticket_id=parked.ticket_id,
                    number=header.number if header is not None else "",
                    parked_at=parked.parked_at,
                    lines=len(priced.lines),
                    total=till.taxes_of(priced).amount_due(priced.total),
                    member_name=header.member_name if header is not None else None,
                    first_items=", ".join(line.name for line in priced.lines[:3]),
                )
            )
        return out

    def closed_tickets(self) -> list[tuple[ClosedTicket, TicketHeader | None]]:
        """Every closed sale with its header, oldest first."""
        with UnitOfWork(self._till._sessions) as uow:
            rows = uow.session.execute(
                select(ClosedTicket, TicketHeader)
                .outerjoin(TicketHeader, TicketHeader.ticket_id == ClosedTicket.ticket_id)
                .options(selectinload(ClosedTicket.lines))
                .order_by(ClosedTicket.closed_at)
            )
            return [(ticket, header) for ticket, header in rows]

    def find_sale(self, number: str) -> Any:
        with UnitOfWork(self._till._sessions) as uow:
            return find_sale(uow.session, number)


def _with_outcome(change: TicketChange, outcome: object) -> TicketChange:
    return replace(change, outcome=outcome)
