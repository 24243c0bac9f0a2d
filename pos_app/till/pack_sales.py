"""Selling coupon packs with an order at the till (COUPON-PACK-RULES K12-K15).

:class:`PackSales` checks a pack for the open ticket (:mod:`pos_app.till.pack_checks`)
and, online, reserves its unit from the back office first (:class:`PackDesk`), which
checks the member's limits over everything it confirmed: a refusal there refuses the
sale; the back office being out of units leaves the till its own quota; no answer
means offline, and the till goes on alone. When the ticket closes, each pack line
becomes a sale: its coupons get codes from the till's blocks and windows from the
pack's content (the back office's arithmetic, :mod:`pos_app.protocol.pack_validity`),
are entitlements redeemable here at once, and go up in a ``pack.sold`` event, all in
the closing transaction (S1). A sale the back office made a conflict is refunded by
:meth:`PackSales.refund`: recorded, its coupons withdrawn, never deleted (K14).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from pos_app.engine import PriceBook, TicketState
from pos_app.protocol import payloads
from pos_app.protocol.events import EventType
from pos_app.protocol.pack_records import PackData
from pos_app.protocol.pack_supplies import RESERVED, Reservation, ReservationRequest
from pos_app.protocol.pack_validity import local_date, till_window, validity_window
from pos_app.protocol.payloads import PackSold, wire_instant
from pos_app.store.pack_ledger import PackCodesExhausted, SaleRow
from pos_app.store.till_configuration import HeldCoupon
from pos_app.store.unit_of_work import TillDatabase, UnitOfWork
from pos_app.till.clock import Clock
from pos_app.till.conflict_follow_up import open_conflict, record_follow_up
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.pack_checks import NO_CODES_LEFT, PackChecks, PackOnSale, back_office_refusal
from pos_app.till.pack_refund_writes import write_pack_refund
from pos_app.till.payments import as_method

ISSUED = "issued"
REFUNDED = "refunded"  # the conflict's resolution once the sale is refunded
PACK_REFUNDED = "pack.refunded"  # the audit-log action

__all__ = [
    "ISSUED",
    "ClosingPacks",
    "IssuedCoupon",
    "PackDesk",
    "PackOnSale",
    "PackSales",
    "SoldPack",
    "held_coupons",
]


class PackDesk(Protocol):
    """The back office's counter for online reservations (K13). ``reserve`` returns the
    back office's answer, or None when it cannot be reached (the till is offline);
    ``close`` lets its connections go."""

    def reserve(self, request: ReservationRequest) -> Reservation | None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class IssuedCoupon:
    """A coupon a pack sold here issued: its own code, its coupon definition (and the
    name it has), and its window as the entitlement carries it (inclusive local times)."""

    code: str
    coupon_code: str
    name: str
    valid_from: str
    valid_to: str


@dataclass(frozen=True)
class SoldPack:
    """A pack sold on a ticket just closed: to whom, at what price, with which coupons."""

    sale_id: str
    line_id: str
    pack_id: str
    name: str
    member_id: str
    member_name: str
    price: Decimal
    coupons: tuple[IssuedCoupon, ...]


@dataclass(frozen=True)
class ClosingPacks:
    """The packs of a ticket being closed: its state, each pack line's sale id, every
    pack's terms and the buyers' names (see :meth:`PackSales.closing`)."""

    state: TicketState
    sale_ids: Mapping[str, str]
    terms: Mapping[str, PackData]
    buyers: Mapping[str, str]  # member id -> name


class PackSales:
    """The till's pack counter over its database: checks (K12, K13, K15), online
    reservations, issuing at close, refunds (K14). The till's owner thread only."""

    def __init__(self, database: TillDatabase, clock: Clock, desk: PackDesk | None) -> None:
        self._database = database
        self._clock = clock
        self._desk = desk
        self._checks = PackChecks(clock)
        self._unanswered = False  # the last reservation got no answer: offline
        self._reservations: dict[tuple[str, str], str] = {}

    @property
    def _offline(self) -> bool:
        return self._unanswered or self._desk is None

    # ------------------------------------------------------------ checks (K12, K13, K15)

    def refusal(
        self,
        pack_id: str,
        member_id: str | None,
        state: TicketState,
        book: PriceBook,
        store_id: str | None,
        *,
        adding: bool = True,
    ) -> TillRefusal | None:
        """Why ``pack_id`` cannot be sold to ``member_id`` on the ticket ``state`` now (one
        more line of it when ``adding``, else the lines already on it), checked here
        without the network."""
        with self._database.unit_of_work() as uow:
            return self._checks.refusal(
                uow.packs,
                pack_id,
                member_id,
                state,
                book,
                store_id,
                adding=adding,
                offline=self._offline,
            )

    def packs_on_sale(
        self, member_id: str | None, state: TicketState, book: PriceBook, store_id: str | None
    ) -> tuple[PackOnSale, ...]:
        """The packs this till sells with an order now, each with whether the open ticket
        may take one more for ``member_id`` (K12, K13)."""
        with self._database.unit_of_work() as uow:
            return self._checks.on_sale(
                uow.packs, member_id, state, book, store_id, offline=self._offline
            )

    # ------------------------------------------------------------ selling

    def check_sale(
        self,
        pack_id: str,
        member_id: str,
        state: TicketState,
        book: PriceBook,
        store_id: str | None,
        line: tuple[str, str],
    ) -> None:
        """Refuse (:class:`TillRefusal`) a pack the till may not sell to ``member_id`` on
        this ticket; online, reserve its unit from the back office first (K12, K13).
        ``line``: the (ticket id, line id) it will be sold on."""
        refusal = self.refusal(pack_id, member_id, state, book, store_id)
        reserved = self._reserve_online(pack_id, member_id, refusal)
        if reserved is not None:
            self._reservations[line] = reserved
            refusal = self.refusal(pack_id, member_id, state, book, store_id)  # with the unit
        if refusal is not None:
            raise refusal

    def _reserve_online(
        self, pack_id: str, member_id: str, local: TillRefusal | None
    ) -> str | None:
        """Ask the back office for a unit of ``pack_id`` (when the checks here leave
        nothing but the quota to decide); its reservation key when it granted one."""
        desk, now = self._desk, self._clock()
        if desk is None:
            return None
        if local is not None and local.code != TillCode.PACK_SOLD_OUT:
            return None
        key = str(uuid.uuid4())
        answer = desk.reserve(
            ReservationRequest(reservation_key=key, pack_id=pack_id, member_id=member_id)
        )
        if answer is None:
            self._unanswered = True
            return None
        self._unanswered = False
        if answer.outcome == RESERVED:
            if answer.granted is not None:
                with self._database.unit_of_work() as uow:
                    uow.packs.record_granted(pack_id, answer.granted, now)
                    uow.commit()
            return key
        with self._database.unit_of_work() as uow:
            terms = uow.packs.terms().get(pack_id)
            who = uow.packs.member_name(member_id) or "This member"
        refused = back_office_refusal(answer, terms, who)
        if refused is not None:
            raise refused
        return None  # sold out at the back office: this till's own units decide

    # ------------------------------------------------------------ closing (S1, K15)

    def close_refusal(
        self, state: TicketState, book: PriceBook, store_id: str | None
    ) -> TillRefusal | None:
        """The checks again when the ticket closes, for every pack on it (a day may have
        passed, or a sync changed the pack)."""
        for line in state.packs:
            refusal = self.refusal(
                line.pack_id, line.member_id, state, book, store_id, adding=False
            )
            if refusal is not None:
                return refusal
        return None

    def closing(self, state: TicketState, sale_ids: Mapping[str, str]) -> ClosingPacks:
        """What closing needs to know of the ticket's packs, read before the closing
        transaction (which holds the database's write lock). A ticket without packs
        reads nothing."""
        if not state.packs:
            return ClosingPacks(state, sale_ids, {}, {})
        with self._database.unit_of_work() as uow:
            terms = uow.packs.terms({line.pack_id for line in state.packs})
            buyers = {p.member_id: uow.packs.member_name(p.member_id) for p in state.packs}
        return ClosingPacks(state, sale_ids, terms, buyers)

    def write_sales(
        self,
        uow: UnitOfWork,
        packs: ClosingPacks,
        *,
        ticket_id: str,
        book: PriceBook,
        store_id: str,
        device_id: str,
        now: datetime,
    ) -> tuple[SoldPack, ...]:
        """Each pack line of the closing ticket as a sale: codes from the till's blocks,
        windows from the pack's content, the coupons as the member's entitlements and a
        ``pack.sold`` event, in the closing unit of work (S1)."""
        sold = []
        for line in packs.state.packs:
            pack = packs.terms[line.pack_id]
            sale = SoldPack(
                packs.sale_ids[line.line_id],
                line.line_id,
                line.pack_id,
                line.name,
                line.member_id,
                packs.buyers.get(line.member_id, ""),
                line.price,
                self._issue(uow, pack, book, now),
            )
            day = local_date(now, pack.zone).isoformat()
            reservation = self._reservations.get((ticket_id, line.line_id))
            payload = _pack_sold(sale, store_id, device_id, ticket_id, book, now, day, reservation)
            event = uow.outbox.add(payload, now)
            uow.packs.add_sale(
                SaleRow(
                    sale.sale_id,
                    ticket_id,
                    line.line_id,
                    line.pack_id,
                    line.name,
                    line.member_id,
                    line.price,
                    book.currency.code,
                    now,
                    day,
                    event.idempotency_key,
                    [_coupon_fields(c) for c in sale.coupons],
                ),
                ISSUED,
            )
            sold.append(sale)
        return tuple(sold)

    def _issue(
        self, uow: UnitOfWork, pack: PackData, book: PriceBook, now: datetime
    ) -> tuple[IssuedCoupon, ...]:
        try:
            codes = iter(uow.packs.take_codes(pack.coupons_per_pack))
        except PackCodesExhausted:
            raise TillRefusal(TillCode.PACK_CODES_EXHAUSTED, NO_CODES_LEFT) from None
        issued = []
        for entry in pack.content:
            window = till_window(validity_window(now, entry.model_dump(), pack.zone), pack.zone)
            name = book.coupon_name(entry.coupon_code)
            for _ in range(entry.quantity):
                issued.append(IssuedCoupon(next(codes), entry.coupon_code, name, *window))
        return tuple(issued)

    def forget_reservations(self, ticket_id: str) -> None:
        """The ticket is gone (closed or voided): its reservations' keys go too."""
        for key in [k for k in self._reservations if k[0] == ticket_id]:
            del self._reservations[key]

    # ------------------------------------------------------------ refunds (K14)

    def refund(
        self,
        conflict_key: str,
        method: str,
        note: str,
        *,
        manager: str,
        store_id: str,
        now: datetime,
    ) -> None:
        """Refund a pack sale the back office made a conflict: the reversal recorded with
        what was paid back and how, the sale's coupons withdrawn here, the conflict
        resolved; ``pack.refunded`` then ``conflict.resolved`` queued, in one
        transaction. The sale itself stays."""
        paid_back = as_method(method)
        if paid_back is None:
            raise TillRefusal(TillCode.INVALID_AMOUNT, "Refund in cash or by card")
        with self._database.unit_of_work() as uow:
            conflict = open_conflict(uow, conflict_key)
            sale = uow.packs.sale_of_conflict(conflict_key)
            if conflict.event_type != EventType.PACK_SOLD or sale is None:
                raise TillRefusal(
                    TillCode.NOT_A_PACK_SALE, "This conflict is not about a coupon pack sale"
                )
            if uow.packs.is_refunded(sale.sale_id):
                raise TillRefusal(TillCode.ALREADY_RESOLVED, "This pack sale is already refunded")
            write_pack_refund(
                uow,
                sale,
                audit_action=PACK_REFUNDED,
                method=method,
                paid_back=paid_back,
                manager=manager,
                store_id=store_id,
                now=now,
                note=note,
                conflict_key=conflict_key,
            )
            record_follow_up(
                uow, conflict_key, REFUNDED, note, manager=manager, store_id=store_id, now=now
            )
            uow.commit()


def _coupon_fields(coupon: IssuedCoupon) -> dict[str, str]:
    return {
        "code": coupon.code,
        "coupon_code": coupon.coupon_code,
        "valid_from": coupon.valid_from,
        "valid_to": coupon.valid_to,
    }


def _pack_sold(
    sale: SoldPack,
    store_id: str,
    device_id: str,
    ticket_id: str,
    book: PriceBook,
    now: datetime,
    day: str,
    reservation_key: str | None,
) -> PackSold:
    """The ``pack.sold`` payload (docs/sync-protocol.md)."""
    optional: dict[str, Any] = {}
    if reservation_key is not None:
        optional["reservation_key"] = reservation_key
    return PackSold(
        sale_id=sale.sale_id,
        store_id=store_id,
        device_id=device_id,
        ticket_id=ticket_id,
        line_id=sale.line_id,
        pack_id=sale.pack_id,
        pack_name=sale.name,
        member_id=sale.member_id,
        member_name=sale.member_name,
        price=book.currency.format(sale.price),
        currency=book.currency.code,
        sold_at=wire_instant(now),
        local_date=date.fromisoformat(day),
        coupons=[payloads.IssuedCoupon.model_validate(_coupon_fields(c)) for c in sale.coupons],
        **optional,
    )


def held_coupons(sold: tuple[SoldPack, ...]) -> list[HeldCoupon]:
    """The coupons of packs just sold, as the member's coupons the till now redeems."""
    return [
        HeldCoupon(c.code, pack.member_id, c.coupon_code, c.valid_from, c.valid_to)
        for pack in sold
        for c in pack.coupons
    ]
