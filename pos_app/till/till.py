"""The till: its services wired over one database, every action a command through one
door, :meth:`Till.handle` (the message bus: permission check, then the command's one
handler: engine, write and outbox event in one transaction), and what the screens and
commands read.

An action either succeeds, with the new ticket state written before it returns, or
is refused (:class:`pos_app.engine.Refusal`, :class:`TillRefusal`) and writes nothing.
Closing writes the ticket, its lines, adjustments, coupons, payments and the
``ticket.closed`` outbox event in one transaction (S1). The open ticket is in the
database after every action, so a crash loses nothing: a new :class:`Till` on the same
database restores it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pos_app.engine import (
    Currency,
    PriceBook,
    PricedTicket,
    Redeem,
    RedemptionPreview,
    Refusal,
    TicketState,
)
from pos_app.protocol.taxes import TicketTaxes
from pos_app.store.till_configuration import TillConfiguration
from pos_app.store.unit_of_work import TillDatabase
from pos_app.till.clock import Clock, local_now, wall_time
from pos_app.till.commands import TillCommand
from pos_app.till.configuration import LiveConfiguration, keep_out_of_gc_scans
from pos_app.till.errors import TillRefusal
from pos_app.till.handlers import reload_configuration
from pos_app.till.held_tickets import HeldTickets
from pos_app.till.manager import CASHIER, Actor, CashierPermissions, ManagerAccess
from pos_app.till.members import Members
from pos_app.till.messagebus import MessageBus
from pos_app.till.open_ticket import Member, OpenTicket
from pos_app.till.pack_sales import PackDesk, PackOnSale, PackSales
from pos_app.till.payments import Payment
from pos_app.till.redemption import preview_redemption, preview_scan
from pos_app.till.returns import Returns
from pos_app.till.services import TillServices
from pos_app.till.shift import BusinessDay
from pos_app.till.shift_desk import ShiftDesk
from pos_app.till.ticket_change import TicketChange

__all__ = ["TicketChange", "Till", "keep_out_of_gc_scans"]


class Till:
    """The application layer of one till over its database: its services (the open
    ticket, held tickets, the business day, returns, pack sales, members, manager
    access), the message bus in front of them, and the read side.

    Every action is a command (the engine's ticket commands, :mod:`pos_app.till.commands`,
    :mod:`pos_app.till.shift_commands`) given to :meth:`handle` with the
    :class:`~pos_app.till.manager.Actor` asking: the cashier permissions and the
    manager's session are checked there, whoever sends it (a button, a scenario, a
    test). The till gives new lines and discounts their ids.

    Not thread-safe: one owner at a time (the UI runs it through background ops, one
    at a time). ``clock`` is the device clock (aware; used for the times written);
    ``pricing_clock`` the local wall-clock time validity windows are checked against
    (default: the device clock's local time; a scenario replay pins it).
    """

    def __init__(
        self,
        database: TillDatabase,
        clock: Clock = local_now,
        *,
        pricing_clock: Clock | None = None,
        access: ManagerAccess | None = None,
        pack_desk: PackDesk | None = None,
    ) -> None:
        self._clock = clock
        self._pricing_clock: Clock = pricing_clock or self._local_wall_time
        configuration = LiveConfiguration(database)
        ticket = OpenTicket(database, configuration, clock, self._pricing_clock)
        self._services = TillServices(
            database=database,
            clock=clock,
            configuration=configuration,
            ticket=ticket,
            access=access or ManagerAccess(database, clock),
            held=HeldTickets(database, ticket, configuration, clock, self._pricing_clock),
            day=BusinessDay(database, ticket, configuration, clock),
            returns=Returns(database, ticket, configuration, clock),
            packs=PackSales(database, clock, pack_desk),
            members=Members(database, ticket),
        )
        self._bus = MessageBus(self._services)
        self.desk = ShiftDesk(self._services.held, self._services.day, self._services.returns)

    # ------------------------------------------------------------ the one door

    def handle(self, command: TillCommand, actor: Actor = CASHIER) -> TicketChange:
        """Carry out ``command`` for ``actor``: refused (nothing written) unless the actor
        may, then its handler: the engine, the write and any outbox event in one
        transaction."""
        return self._bus.handle(command, actor)

    def refusal_for(
        self, command: TillCommand, actor: Actor = CASHIER
    ) -> Refusal | TillRefusal | None:
        """What ``command`` would meet from ``actor`` (live buttons): a manager needed, or
        the engine's refusal tried on a copy of the ticket. None: it would be taken."""
        return self._bus.refusal_for(command, actor)

    def preview_redemption(self, code: str, actor: Actor = CASHIER) -> RedemptionPreview:
        """What redeeming ``code`` would do to the open ticket, tried on a copy: the
        coupon's saving, the promotions and discounts it displaces and the bill's change.
        Raises the refusal the redemption would meet; writes nothing. A screen asks before
        a redemption that raises the bill (:meth:`RedemptionPreview.warning`, R7 §5.1)."""
        refusal = self._services.access.refusal_for(Redeem(code), actor)
        if refusal is not None:
            raise refusal
        return preview_redemption(self._services, code)

    def preview_scan(self, code: str, actor: Actor = CASHIER) -> RedemptionPreview | None:
        """:meth:`preview_redemption` for a typed or scanned code, as a scan takes
        it: None when it is an item's barcode (the scan rings the item up). Raises the
        refusal the redemption would meet; writes nothing."""
        refusal = self._services.access.refusal_for(Redeem(code), actor)
        if refusal is not None:
            raise refusal
        return preview_scan(self._services, code)

    # ------------------------------------------------------------ the open ticket

    @property
    def ticket_id(self) -> str:
        return self._services.ticket.ticket_id

    @property
    def priced(self) -> PricedTicket:
        return self._services.ticket.priced

    @property
    def state(self) -> TicketState:
        return self._services.ticket.state

    @property
    def payments(self) -> tuple[Payment, ...]:
        return self._services.ticket.payments

    @property
    def amount_due(self) -> Decimal:
        return self._services.ticket.amount_due

    @property
    def taxes(self) -> TicketTaxes:
        """The open ticket's taxes (protocol "Taxes": per rate, from the line nets)."""
        return self._services.ticket.taxes

    def taxes_of(self, priced: PricedTicket) -> TicketTaxes:
        """Taxes of the ticket's items; a coupon pack sold on it carries none (K12)."""
        return self._services.configuration.taxes_of(priced)

    @property
    def total_due(self) -> Decimal:
        """What the open ticket costs the customer (its total, plus tax when added)."""
        return self._services.ticket.total_due

    @property
    def number(self) -> str:
        """The open ticket's short number ("" until its first action)."""
        return self._services.ticket.number or ""

    @property
    def member(self) -> Member | None:
        """The member on the open ticket: (member id, name)."""
        return self._services.ticket.member

    def current(self) -> TicketChange:
        """The open ticket as it stands."""
        return self._services.ticket.current()

    def outbox_pending(self) -> int:
        return self.current().outbox_pending

    def packs_on_sale(self) -> tuple[PackOnSale, ...]:
        """The coupon packs this till sells with an order now, each with whether the open
        ticket may take one (K12, K13)."""
        s = self._services
        return s.packs.packs_on_sale(
            s.ticket.member_id, s.ticket.state, s.configuration.book, s.configuration.store_id
        )

    # ------------------------------------------------------------ the configuration

    @property
    def book(self) -> PriceBook:
        return self._services.configuration.book

    @property
    def currency(self) -> Currency:
        return self._services.configuration.currency

    @property
    def configuration(self) -> TillConfiguration:
        return self._services.configuration.current

    def reload_configuration(self) -> TicketChange:
        """Re-read the configuration (after a sync page or an override) and re-price the
        open ticket under it; the ticket's intent is unchanged."""
        return reload_configuration(self._services)

    def pricing_time(self) -> datetime:
        """The local wall-clock time validity windows are checked against now."""
        return self._pricing_clock()

    # ------------------------------------------------------------ managers

    @property
    def access(self) -> ManagerAccess:
        """Manager sign-in and PINs for this till's database."""
        return self._services.access

    @property
    def permissions(self) -> CashierPermissions:
        return self._services.access.permissions()

    def _local_wall_time(self) -> datetime:
        return wall_time(self._clock())
