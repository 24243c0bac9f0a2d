"""The till: every cashier action on the open ticket, payments, closing, and the store
manager's actions, as commands through one door, :meth:`Till.handle`: permission
check, engine, write and outbox event, in one transaction.

An action either succeeds, with the new ticket state written before it returns, or
is refused (:class:`pos_app.engine.Refusal`, :class:`TillRefusal`) and writes nothing.
Closing writes the ticket, its lines, adjustments, coupons, payments and the
``ticket.closed`` outbox event in one transaction (S1). The open ticket is in the
database after every action, so a crash loses nothing: a new :class:`Till` on the same
database restores it.
"""

from __future__ import annotations

import gc
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pos_app.engine import (
    TICKET_COMMANDS,
    AddItem,
    ApplyDiscount,
    Close,
    CouponDefinition,
    Currency,
    PriceBook,
    PricedTicket,
    Redeem,
    Refusal,
    RefusalCode,
    SellPack,
    Ticket,
    TicketCommand,
    TicketState,
    TriggerPromotion,
)
from pos_app.protocol.events import EventType
from pos_app.protocol.taxes import TicketTaxes, compute_taxes
from pos_app.store.audit_log import record_audit
from pos_app.store.database import DirectStatement, direct_transaction, engine_of
from pos_app.store.models.configuration import AutoExecuteOverride
from pos_app.store.models.shifts import CouponReversal
from pos_app.store.models.tickets import OpenTicket, TicketCoupon
from pos_app.store.outbox import (
    device_time_text,
    enqueue_event,
    pending_count,
    pending_total,
    write_event,
)
from pos_app.store.ticket_state_codec import dump_ticket_state, load_ticket_state
from pos_app.store.till_configuration import TillConfiguration, load_configuration
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.clock import Clock, aware, local_now, wall_time
from pos_app.till.closing import Sale, ticket_closed_payload, write_closed_ticket
from pos_app.till.commands import (
    ClearPayments,
    OverrideAutoExecute,
    PayCard,
    PayCash,
    RefundPackSale,
    ResolveConflict,
    SetPermission,
    TillCommand,
    VoidTicket,
)
from pos_app.till.conflict_follow_up import record_follow_up
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.manager import CASHIER, Actor, CashierPermissions, ManagerAccess
from pos_app.till.names import names_for
from pos_app.till.pack_sales import PackCounter, PackDesk, PackOnSale, SoldPack, held_coupons
from pos_app.till.payments import (
    Payment,
    amount_due,
    card_payment,
    cash_payment,
    check_covers,
    dump_payments,
    load_payments,
)
from pos_app.till.shift_commands import SHIFT_COMMANDS
from pos_app.till.shift_desk import ShiftDesk
from pos_app.till.ticket_diff import explained_refusal
from pos_app.till.ticket_ids import TicketIds

# Audit-log actions (the events these go out as are the protocol's EventType).
OVERRIDE_CHANGED = "override.changed"
PROBE_ID = "probe:new"  # stands in for the id a new line or discount would get
TICKET_VOIDED = "ticket.voided"

# The open ticket's row, written after every action: inserted at the first one, then
# updated (its opening time stays).
_SAVE_OPEN_TICKET = DirectStatement(
    f"INSERT INTO {OpenTicket.__tablename__} "
    "(ticket_id, opened_at, updated_at, state, payments) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (ticket_id) DO UPDATE SET "
    "updated_at = excluded.updated_at, state = excluded.state, payments = excluded.payments",
    [None, OpenTicket.opened_at.type, OpenTicket.updated_at.type, None, None],
)


def keep_out_of_gc_scans() -> None:
    """Move what is alive now (above all the price book, which lives as long as the
    configuration) out of the garbage collector's scans, so a full collection never
    stalls a recalculation: the p99 of a till with thousands of promotions."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


@dataclass(frozen=True)
class TicketChange:
    """What an action changed, for a screen to refresh from: the ticket as priced, its
    payments and what is still due, and how many events wait for the back office.
    After :meth:`Till.close` these describe the ticket just closed
    (``closed_ticket_id``); the till itself is already on a new, empty ticket."""

    ticket_id: str
    priced: PricedTicket
    payments: tuple[Payment, ...]
    amount_due: Decimal
    outbox_pending: int
    closed_ticket_id: str | None = None
    line_id: str | None = None  # the line an AddItem (or a SellPack) just rang up
    number: str = ""  # the short ticket number ("D1-02-000147"), once it has one
    member_name: str | None = None
    taxes: TicketTaxes | None = None
    outcome: object = None  # what a shift command made: a return, a report, ...
    packs_sold: tuple[SoldPack, ...] = ()  # on a closed ticket: each pack and its coupons

    @property
    def change_given(self) -> Decimal:
        return sum((p.change for p in self.payments), Decimal(0))

    @property
    def total_due(self) -> Decimal:
        """What the customer pays: the total, plus the tax in a tax-exclusive store."""
        return self.taxes.amount_due(self.priced.total) if self.taxes else self.priced.total


class Till:
    """The application layer of one till over its database.

    Every action is a command (the engine's ticket commands, :mod:`pos_app.till.commands`)
    given to :meth:`handle` with the :class:`~pos_app.till.manager.Actor` asking: the
    cashier permissions and the manager's session are checked here, whoever sends it
    (a button, a scenario, a test). The till gives new lines and discounts their ids.

    Not thread-safe: one owner at a time (the UI runs it through background ops, one
    at a time). ``clock`` is the device clock (aware; used for the times written);
    ``pricing_clock`` the local wall-clock time validity windows are checked against
    (default: the device clock's local time; a scenario replay pins it).
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock = local_now,
        *,
        pricing_clock: Clock | None = None,
        access: ManagerAccess | None = None,
        pack_desk: PackDesk | None = None,
    ) -> None:
        self._sessions = sessions
        self._engine = engine_of(sessions)
        self._clock = clock
        self._pricing_clock: Clock = pricing_clock or self._local_wall_time
        self._access = access or ManagerAccess(sessions, clock)
        self._permissions = self._access.permissions()
        self._ids = TicketIds()
        self._number: str | None = None
        self._member: tuple[str, str] | None = None
        self.desk = ShiftDesk(self)
        self._packs = PackCounter(sessions, self._device_now, pack_desk)
        with UnitOfWork(sessions) as uow:
            self._config = load_configuration(uow.session)
            row = uow.session.scalars(
                select(OpenTicket).order_by(OpenTicket.updated_at.desc()).limit(1)
            ).one_or_none()
        if row is None:
            self._start_new_ticket()
        else:
            self._ticket_id = row.ticket_id
            self._opened_at: datetime | None = row.opened_at
            self._payments: tuple[Payment, ...] = load_payments(row.payments)
            state = load_ticket_state(row.state)
            self._ticket = Ticket(self._book_for(state), self._pricing_clock, state)
            self._number, self._member = self.desk.restore_header(row.ticket_id)

    # ------------------------------------------------------------ reading

    @property
    def ticket_id(self) -> str:
        return self._ticket_id

    @property
    def priced(self) -> PricedTicket:
        return self._ticket.priced

    @property
    def state(self) -> TicketState:
        return self._ticket.state

    @property
    def payments(self) -> tuple[Payment, ...]:
        return self._payments

    @property
    def amount_due(self) -> Decimal:
        return amount_due(self.total_due, self._payments)

    @property
    def taxes(self) -> TicketTaxes:
        """The open ticket's taxes (protocol "Taxes": per rate, from the line nets)."""
        return self.taxes_of(self._ticket.priced)

    def taxes_of(self, priced: PricedTicket) -> TicketTaxes:
        """Taxes of the ticket's items; a coupon pack sold on it carries none (K12)."""
        rates = self._config.tax_rates
        lines = priced.item_lines
        return compute_taxes(
            ((line.line_id, line.net, rates.get(line.sku, Decimal(0))) for line in lines),
            priced.currency,
            inclusive=self._config.tax_inclusive,
        )

    @property
    def total_due(self) -> Decimal:
        """What the open ticket costs the customer (its total, plus tax when added)."""
        return self.taxes.amount_due(self._ticket.priced.total)

    @property
    def number(self) -> str:
        """The open ticket's short number ("" until its first action)."""
        return self._number or ""

    @property
    def member(self) -> tuple[str, str] | None:
        """The member on the open ticket: (member id, name)."""
        return self._member

    @property
    def book(self) -> PriceBook:
        return self._config.book

    @property
    def configuration(self) -> TillConfiguration:
        return self._config

    @property
    def access(self) -> ManagerAccess:
        """Manager sign-in and PINs for this till's database."""
        return self._access

    @property
    def permissions(self) -> CashierPermissions:
        return self._permissions

    def pricing_time(self) -> datetime:
        """The local wall-clock time validity windows are checked against now."""
        return self._pricing_clock()

    def refusal_for(
        self, command: TillCommand, actor: Actor = CASHIER
    ) -> Refusal | TillRefusal | None:
        """What ``command`` would meet from ``actor`` (live buttons): a manager needed, or
        the engine's refusal tried on a copy of the ticket. None: it would be taken."""
        refusal = self._permission_refusal(command, actor)
        if refusal is not None or not isinstance(command, TICKET_COMMANDS):
            return refusal if refusal is not None else self.desk.refusal_for(command)
        if isinstance(command, AddItem) and command.line_id is None:
            command = replace(command, line_id=PROBE_ID)  # asking gives out no id
        if isinstance(command, ApplyDiscount) and command.discount_id is None:
            command = replace(command, discount_id=PROBE_ID)
        if isinstance(command, SellPack):
            command = replace(command, line_id=command.line_id or PROBE_ID)
            command = replace(command, member_id=command.member_id or self._member_id())
        engine_refusal = self._ticket.refusal_for(command)
        if engine_refusal is None and isinstance(command, SellPack):
            store_id = self._config.store_id
            return self._packs.refusal(
                command.pack_id, command.member_id, self.state, self.book, store_id
            )
        return engine_refusal

    # ------------------------------------------------------------ the one door

    def handle(self, command: TillCommand, actor: Actor = CASHIER) -> TicketChange:
        """Carry out ``command`` for ``actor``: refused (nothing written) unless the actor
        may, then the engine, the write and any outbox event in one transaction."""
        refusal = self._permission_refusal(command, actor)
        if refusal is not None:
            raise refusal
        manager = actor.manager.name if actor.manager is not None else ""
        match command:
            case Redeem():
                try:
                    return self._redeem(command.code)
                except Refusal as refused:
                    raise self.explained(refused, code=command.code) from None
            case TriggerPromotion():
                try:
                    return self._act(command)
                except Refusal as refused:
                    raise self.explained(refused, promotion_id=command.promotion_id) from None
            case SellPack():
                return self._sell_pack(command)
            case RefundPackSale():
                return self._refund_pack_sale(command, manager)
            case Close():
                return self._close()
            case PayCash():
                return self._pay(cash_payment(command.tendered, self.amount_due, self.currency))
            case PayCard():
                return self._pay(card_payment(command.amount, self.amount_due, self.currency))
            case ClearPayments():
                return self._set_payments(())
            case VoidTicket():
                return self._void_ticket(manager, command.reason)
            case OverrideAutoExecute():
                return self._override_auto_execute(
                    command.promotion_id, command.auto_execute, manager
                )
            case ResolveConflict():
                return self._resolve_conflict(
                    command.conflict_key, command.resolution, command.note, manager
                )
            case SetPermission():
                self._permissions = self._access.set_permission(
                    command.action, command.allowed, actor.manager
                )
                return self.current()
            case _ if isinstance(command, SHIFT_COMMANDS):
                return self.desk.handle(command, actor)
            case _:
                return self._act(self._with_ids(command))

    def explained(
        self, refusal: Refusal, *, code: object = None, promotion_id: object = None
    ) -> Refusal:
        """An engine refusal of a redemption or trigger, naming the coupon or promotion
        and the lines concerned."""
        if isinstance(code, str):
            code = self._config.folded_codes.get(code.strip().casefold(), code)
        return explained_refusal(
            refusal,
            code=code if isinstance(code, str) else None,
            promotion_id=promotion_id if isinstance(promotion_id, str) else None,
            book=self._ticket.book,
            state=self.state,
            priced=self.priced,
            names=names_for(self._ticket.book, self.state),
        )

    def _permission_refusal(self, command: TillCommand, actor: Actor) -> TillRefusal | None:
        manager = actor.manager
        if manager is not None and not self._access.is_live(manager):
            return TillRefusal(
                TillCode.MANAGER_REQUIRED, "The manager's session has ended: sign in again"
            )
        return self._permissions.refusal_for(command, manager)

    def _with_ids(self, command: TicketCommand) -> TicketCommand:
        """A new line or discount without an id gets the next one of this ticket."""
        if isinstance(command, AddItem) and command.line_id is None:
            return replace(command, line_id=self._ids.next_line_id(self._ticket_id, self.state))
        if isinstance(command, ApplyDiscount) and command.discount_id is None:
            discount_id = self._ids.next_discount_id(self._ticket_id, self.state)
            return replace(command, discount_id=discount_id)
        if isinstance(command, SellPack) and command.line_id is None:
            return replace(command, line_id=self._ids.next_line_id(self._ticket_id, self.state))
        return command

    def current(self) -> TicketChange:
        """The open ticket as it stands."""
        with UnitOfWork(self._sessions) as uow:
            return self._change(pending_count(uow.session))

    def outbox_pending(self) -> int:
        with UnitOfWork(self._sessions) as uow:
            return pending_count(uow.session)

    def reload_configuration(self) -> TicketChange:
        """Re-read the configuration (after a sync page or an override) and re-price the
        open ticket under it; the ticket's intent is unchanged."""
        with UnitOfWork(self._sessions) as uow:
            self._config = load_configuration(uow.session)
            pending = pending_count(uow.session)
        keep_out_of_gc_scans()
        state = self._ticket.state
        self._ticket = Ticket(self._book_for(state), self._pricing_clock, state)
        return self._change(pending)

    # ------------------------------------------------------------ cashier actions

    def _redeem(self, code: str) -> TicketChange:
        """Redeem a coupon; a single-use code (an entitlement, or a coupon marked single
        use) already redeemed on a closed ticket of this till is refused. A platform code
        the till cannot know (its definition issues codes by prefix) is accepted as
        provisional when the definition allows "verify later", else refused (S14)."""
        provisional: CouponDefinition | None = None
        if isinstance(code, str) and code not in self._ticket.book.coupons:
            code = self._config.folded_codes.get(code.strip().casefold(), code)
        if isinstance(code, str) and code not in self._ticket.book.coupons:
            match = self._config.platform_definition(code)
            if match is not None and not match[1]:
                label = match[0].name or match[0].code
                raise Refusal(
                    RefusalCode.UNKNOWN,
                    f"Coupon {code} ({label}) cannot be verified at the till; it is not"
                    " accepted offline",
                )
            provisional = self._config.provisional_coupon(code)
        if isinstance(code, str) and (code in self._config.single_use_codes or provisional):
            with UnitOfWork(self._sessions) as uow:
                earlier = uow.session.scalars(
                    select(TicketCoupon.ticket_id)
                    .where(TicketCoupon.code == code)
                    .where(
                        ~select(CouponReversal.code)
                        .where(CouponReversal.ticket_id == TicketCoupon.ticket_id)
                        .where(CouponReversal.code == code)
                        .exists()
                    )
                    .limit(1)
                ).one_or_none()
            if earlier is not None:
                raise Refusal(
                    RefusalCode.ALREADY_APPLIED,
                    f"Coupon {code} was already redeemed"
                    f" (ticket {self.desk.number_of(earlier) or earlier})",
                )
        if provisional is None:
            return self._act(Redeem(code))
        before = self._ticket
        self._ticket = Ticket(
            self._book_for(before.state, [provisional]), self._pricing_clock, before.state
        )
        try:
            return self._act(Redeem(code))
        except BaseException:
            self._ticket = before
            raise

    def _sell_pack(self, command: SellPack) -> TicketChange:
        """A coupon pack as a line of the ticket, sold to the member on it (or to
        ``member_id``, who is then put on it), once the engine and the till's checks
        (K12, K13, K15) agree; online, its unit is reserved from the back office first."""
        on_ticket = self._member_id()
        buyer = command.member_id or on_ticket
        if on_ticket is not None and buyer != on_ticket:
            raise TillRefusal(
                TillCode.MEMBER_REQUIRED,
                f"This ticket is for {self._member[1] if self._member else 'another member'}:"
                " a pack for someone else goes on a ticket of its own",
            )
        command = replace(command, member_id=buyer)
        refusal = self.refusal_for(command)
        if refusal is not None:  # the engine's and the checks here, without the network
            raise refusal
        with_id = self._with_ids(command)
        assert isinstance(with_id, SellPack) and with_id.line_id and buyer
        self._packs.check_sale(
            with_id.pack_id,
            buyer,
            self.state,
            self.book,
            self._config.store_id,
            (self._ticket_id, with_id.line_id),
        )
        change = self._act(with_id)
        if on_ticket is None:
            change = self.desk.attach(buyer)
        return replace(change, line_id=with_id.line_id)

    def packs_on_sale(self) -> tuple[PackOnSale, ...]:
        """The coupon packs this till sells with an order now, each with whether the open
        ticket may take one (K12, K13)."""
        return self._packs.packs_on_sale(
            self._member_id(), self.state, self.book, self._config.store_id
        )

    def _refund_pack_sale(self, command: RefundPackSale, manager: str) -> TicketChange:
        """A manager refunds a pack sale the back office did not accept (K14), then the
        configuration is read again: its coupons are no longer redeemable here."""
        store_id, _ = self._identity()
        self._packs.refund(
            command.conflict_key,
            command.method,
            command.note,
            manager=manager,
            store_id=store_id,
            now=aware(self._clock()),
        )
        return self.reload_configuration()

    # ------------------------------------------------------------ payments

    @property
    def currency(self) -> Currency:
        return self.book.currency

    def _pay(self, payment: Payment) -> TicketChange:
        return self._set_payments((*self._payments, payment))

    # ------------------------------------------------------------ closing

    def _close(self) -> TicketChange:
        """Close the open ticket: the payments must cover the total exactly. Writes the
        ticket, lines, adjustments, coupons, payments and the ``ticket.closed`` event in
        one transaction (S1), then starts a new empty ticket."""
        ticket = self._ticket
        try:
            if ticket.state.is_empty:
                raise Refusal(RefusalCode.INVALID, "The ticket is empty: nothing to close")
            check_covers(self.total_due, self._payments, self.book.currency)
            store_id, device_id = self._identity()
            pack_refusal = self._packs.close_refusal(ticket.state, self.book, store_id)
            if pack_refusal is not None:
                raise pack_refusal
        except (Refusal, TillRefusal):
            # The engine's own refusal of closing goes first; tried on a copy only when
            # the till refuses anyway (otherwise closing below says the same).
            refusal = ticket.refusal_for(Close())
            if refusal is not None:
                raise refusal from None
            raise
        now = aware(self._clock())
        before = ticket.state
        closed = ticket.apply(Close())
        sale = Sale(
            ticket_id=self._ticket_id,
            store_id=store_id,
            device_id=device_id,
            opened_at=self._opened_at or now,
            closed_at=now,
            state=ticket.state,
            priced=closed,
            payments=self._payments,
            single_use_codes=self._ticket_codes(self._config.single_use_codes),
            provisional_codes=self._ticket_codes(self._config.verify_later_codes),
            pack_sale_ids={line.line_id: str(uuid.uuid4()) for line in before.packs},
        )
        taxes = self.taxes_of(closed)
        packs = self._packs.closing(before, sale.pack_sale_ids)
        try:
            with direct_transaction(self._engine) as connection:
                number = self.desk.close_ticket(connection, sale, taxes, now)
                write_closed_ticket(connection, sale)
                payload = ticket_closed_payload(sale)
                self.desk.add_to_closed_payload(payload, sale, taxes, number)
                write_event(connection, EventType.TICKET_CLOSED, payload, now)
                sold = self._packs.write_sales(
                    connection,
                    packs,
                    ticket_id=sale.ticket_id,
                    book=self.book,
                    store_id=store_id,
                    device_id=device_id,
                    now=now,
                )
                pending = pending_total(connection)
        except BaseException:
            self._ticket = Ticket(self._book_for(before), self._pricing_clock, before)
            raise
        if sold:  # their coupons are redeemable on the next ticket (K15)
            self._config = self._config.with_entitlements(held_coupons(sold))
        change = TicketChange(
            ticket_id=sale.ticket_id,
            priced=closed,
            payments=self._payments,
            amount_due=Decimal(0),
            outbox_pending=pending,
            closed_ticket_id=sale.ticket_id,
            number=number,
            member_name=self._member[1] if self._member else None,
            taxes=taxes,
            outcome=ticket.state,  # the closed ticket's intent: its discounts' names
            packs_sold=sold,
        )
        self._packs.forget_reservations(sale.ticket_id)
        self._start_new_ticket()
        return change

    def _void_ticket(self, manager: str, reason: str) -> TicketChange:
        """Discard the open ticket (a manager action, audited; nothing is sold)."""
        now = aware(self._clock())
        with UnitOfWork(self._sessions) as uow:
            session = uow.session
            row = session.get(OpenTicket, self._ticket_id)
            if row is not None:
                session.delete(row)
            self.desk.void_header(session, self._ticket_id, self.total_due)
            record_audit(
                session,
                now,
                manager,
                TICKET_VOIDED,
                self._ticket_id,
                {
                    "reason": reason,
                    "total": str(self.priced.total),
                    "state": json.loads(dump_ticket_state(self.state)),
                    "payments": json.loads(dump_payments(self._payments)),
                },
            )
            pending = pending_count(session)
            uow.commit()
        self._start_new_ticket()
        return self._change(pending)

    # ------------------------------------------------------------ manager actions

    def _override_auto_execute(
        self, promotion_id: str, auto_execute: bool, manager: str
    ) -> TicketChange:
        """A store manager's local auto-execute override (R12): stored, audited and
        reported (``override.changed``) in one transaction; the open ticket is re-priced."""
        if promotion_id not in self._config.synced_auto_execute:
            raise Refusal(RefusalCode.UNKNOWN, f"Unknown promotion {promotion_id}")
        store_id, _ = self._identity()
        now = aware(self._clock())
        with UnitOfWork(self._sessions) as uow:
            session = uow.session
            row = session.get(AutoExecuteOverride, promotion_id)
            previous = row.auto_execute if row is not None else None
            if row is None:
                session.add(
                    AutoExecuteOverride(
                        promotion_id=promotion_id,
                        auto_execute=auto_execute,
                        manager=manager,
                        changed_at=now,
                    )
                )
            else:
                row.auto_execute = auto_execute
                row.manager = manager
                row.changed_at = now
            record_audit(
                session,
                now,
                manager,
                OVERRIDE_CHANGED,
                promotion_id,
                {
                    "auto_execute": auto_execute,
                    "previous_override": previous,
                    "synced": self._config.synced_auto_execute[promotion_id],
                },
            )
            enqueue_event(
                session,
                EventType.OVERRIDE_CHANGED,
                {
                    "store_id": store_id,
                    "promotion_id": promotion_id,
                    "auto_execute": auto_execute,
                    "manager": manager,
                    "changed_at": device_time_text(now),
                },
                now,
            )
            uow.commit()
        return self.reload_configuration()

    def _resolve_conflict(
        self, conflict_key: str, resolution: str, note: str, manager: str
    ) -> TicketChange:
        """Record the follow-up of a conflict (S6): resolved, audited and reported
        (``conflict.resolved``) in one transaction."""
        store_id, _ = self._identity()
        now = aware(self._clock())
        with UnitOfWork(self._sessions) as uow:
            record_follow_up(
                uow.session,
                conflict_key,
                resolution,
                note,
                manager=manager,
                store_id=store_id,
                now=now,
            )
            pending = pending_count(uow.session)
            uow.commit()
        return self._change(pending)

    # ------------------------------------------------------------ internals

    def _local_wall_time(self) -> datetime:
        return wall_time(self._clock())

    def _member_id(self) -> str | None:
        return self._member[0] if self._member else None

    def _device_now(self) -> datetime:
        return aware(self._clock())

    def _start_new_ticket(self) -> None:
        self._ticket_id = str(uuid.uuid4())
        self._opened_at = None
        self._payments = ()
        self._ticket = Ticket(self._config.book, self._pricing_clock)
        self._number = None
        self._member = None

    def _book_for(self, state: TicketState, extra: Sequence[CouponDefinition] = ()) -> PriceBook:
        """The configuration's price book plus the provisional platform codes ``state``
        holds (S14), so a restored or re-priced ticket keeps them."""
        book = self._config.book
        held = [
            coupon
            for r in state.redemptions
            if r.code not in book.coupons
            and (coupon := self._config.provisional_coupon(r.code)) is not None
        ]
        return book.with_coupons([*held, *extra])

    def _ticket_codes(self, marked: frozenset[str]) -> frozenset[str]:
        """The open ticket's coupon codes that are in ``marked`` or were accepted by a
        platform prefix (S14). Looks up only the ticket's codes: the configuration's
        sets can hold every entitlement of the chain."""
        by_prefix = self._codes_by_prefix()
        return frozenset(
            r.code
            for r in self._ticket.state.redemptions
            if r.code in marked or r.code in by_prefix
        )

    def _codes_by_prefix(self) -> frozenset[str]:
        """Platform codes on the open ticket accepted by their definition's prefix (S14):
        provisional until the back office confirms them, and single use."""
        book = self._config.book
        return frozenset(
            r.code for r in self._ticket.state.redemptions if r.code not in book.coupons
        )

    def _identity(self) -> tuple[str, str]:
        store_id, device_id = self._config.store_id, self._config.device_id
        if not store_id or not device_id:
            raise TillRefusal(
                TillCode.NO_STORE,
                "The till has no store yet: enroll it or start it with the demo store",
            )
        return store_id, device_id

    def _change(self, pending: int) -> TicketChange:
        taxes = self.taxes
        return TicketChange(
            ticket_id=self._ticket_id,
            priced=self._ticket.priced,
            payments=self._payments,
            amount_due=amount_due(taxes.amount_due(self._ticket.priced.total), self._payments),
            outbox_pending=pending,
            number=self._number or "",
            member_name=self._member[1] if self._member else None,
            taxes=taxes,
        )

    def _act(self, command: TicketCommand) -> TicketChange:
        before = self._ticket.state
        self._ticket.apply(command)  # a Refusal leaves the engine ticket as it was
        try:
            pending = self._save_open_ticket(self._payments)
        except BaseException:
            self._ticket = Ticket(self._book_for(before), self._pricing_clock, before)
            raise
        change = self._change(pending)
        if isinstance(command, AddItem | SellPack):
            change = replace(change, line_id=command.line_id)
        return change

    def _set_payments(self, payments: tuple[Payment, ...]) -> TicketChange:
        pending = self._save_open_ticket(payments)
        self._payments = payments
        return self._change(pending)

    def _save_open_ticket(self, payments: tuple[Payment, ...]) -> int:
        """Write the open ticket's state and payments (one upsert, its own durable
        transaction); returns the outbox's pending count."""
        now = aware(self._clock())
        opened_at = self._opened_at or now
        with direct_transaction(self._engine) as connection:
            number = self._number or self.desk.ensure_number(connection, self._ticket_id, now)
            _SAVE_OPEN_TICKET.execute(
                connection,
                (
                    self._ticket_id,
                    opened_at,
                    now,
                    dump_ticket_state(self._ticket.state),
                    dump_payments(payments),
                ),
            )
            pending = pending_total(connection)
        self._opened_at = opened_at
        self._number = number
        return pending
