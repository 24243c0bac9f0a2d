"""Selling coupon packs with an order at the till (COUPON-PACK-RULES K12-K15).

:class:`PackCounter` answers, for a pack and the open ticket, whether it may be sold
and, if not, which check failed, in words a cashier can repeat to the customer (K12):
sold at the till (channel ``with_order``), at this store, inside its sales period, to
the ticket's member, within the member's total and daily limits counted over what the
back office confirmed plus what this till sold and has not synced (the packs on the
ticket included), within this till's units of a limited pack (K13), with enough coupon
codes left in the till's blocks (K15).

Online, a sale also reserves its unit from the back office (:class:`PackDesk`), which
checks the member's limits over everything it confirmed: a refusal there refuses the
sale; the back office being out of units leaves the till its own quota; no answer
means offline, and the till goes on alone. When the ticket closes, each pack line
becomes a sale: its coupons get codes from the till's blocks and windows from the
pack's content (the back office's arithmetic, :mod:`pos_app.protocol.pack_validity`),
are entitlements redeemable here at once, and go up in a ``pack.sold`` event, all in
the closing transaction (S1). A sale the back office made a conflict is refunded by
:meth:`PackCounter.refund`: recorded, its coupons withdrawn, never deleted (K14).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from pos_app.engine import PriceBook, TicketState
from pos_app.protocol.events import EventType
from pos_app.protocol.pack_records import WITH_ORDER, PackData
from pos_app.protocol.pack_supplies import RESERVED, Reservation, ReservationRequest
from pos_app.protocol.pack_validity import local_date, till_window, validity_window
from pos_app.store.audit_log import record_audit
from pos_app.store.models.packs import PackRefund
from pos_app.store.outbox import device_time_text, enqueue_event, write_event
from pos_app.store.pack_ledger import (
    PackCodesExhausted,
    SaleRow,
    codes_left,
    is_refunded,
    member_name,
    member_purchases,
    pack_terms,
    record_granted,
    sale_of_conflict,
    take_codes,
    units_left,
    withdraw_coupons,
    write_sale,
)
from pos_app.store.till_configuration import HeldCoupon
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.clock import Clock
from pos_app.till.conflict_follow_up import open_conflict, record_follow_up
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.payments import CARD, CASH

ISSUED = "issued"
REVOKED = "revoked"
REFUNDED = "refunded"  # the conflict's resolution once the sale is refunded
PACK_REFUNDED = "pack.refunded"  # the audit-log action


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
    pack's terms and the buyers' names (see :meth:`PackCounter.closing`)."""

    state: TicketState
    sale_ids: Mapping[str, str]
    terms: Mapping[str, PackData]
    buyers: Mapping[str, str]  # member id -> name


@dataclass(frozen=True)
class PackOnSale:
    """A pack this till sells with an order (for the wallet and ``pos-app packs``): its
    price, what one pack issues, the units left here (None: unlimited) and, when it
    cannot be sold on the open ticket now, why (``refusal``, the cashier's words)."""

    pack_id: str
    name: str
    price: Decimal
    coupons: tuple[tuple[str, int], ...]
    units_left: int | None
    first_day: date
    last_day: date
    refusal: str = ""
    code: str = ""
    coupon_names: tuple[tuple[str, int], ...] = ()  # what a person reads, in content order

    @property
    def sellable(self) -> bool:
        return not self.refusal


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


class PackCounter:
    """The till's pack counter over its database: checks (K12, K13, K15), online
    reservations, issuing at close, refunds (K14). Used by :class:`~pos_app.till.till.Till`
    from its owner's thread only."""

    def __init__(
        self, sessions: sessionmaker[Session], clock: Clock, desk: PackDesk | None = None
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self.desk = desk
        self._unanswered = False  # the last reservation got no answer: offline
        self._reservations: dict[tuple[str, str], str] = {}

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
        with UnitOfWork(self._sessions) as uow:
            return self._refusal(uow.session, pack_id, member_id, state, book, store_id, adding)

    def _refusal(
        self,
        session: Session,
        pack_id: str,
        member_id: str | None,
        state: TicketState,
        book: PriceBook,
        store_id: str | None,
        adding: bool,
        *,
        for_anyone: bool = False,
    ) -> TillRefusal | None:
        """The checks in order; ``for_anyone``: for no member in particular (a listing),
        so neither the member nor their limits are checked."""
        every = pack_terms(session)
        terms = every.get(pack_id)
        if terms is None or pack_id not in book.packs:
            return TillRefusal(TillCode.PACK_NOT_SOLD, "This coupon pack is not sold any more")
        name = terms.name
        if WITH_ORDER not in terms.channels:
            return TillRefusal(TillCode.PACK_NOT_AT_TILL, f"{name} is sold online only")
        if store_id is None or store_id not in terms.stores:
            return TillRefusal(TillCode.PACK_NOT_AT_STORE, f"{name} is not sold at this store")
        today = local_date(self._clock(), terms.zone)
        if today < terms.first_day:
            return TillRefusal(
                TillCode.PACK_NOT_ON_SALE, f"{name} goes on sale on {_day(terms.first_day)}"
            )
        if today > terms.last_day:
            return TillRefusal(
                TillCode.PACK_NOT_ON_SALE, f"{name} was on sale until {_day(terms.last_day)}"
            )
        on_ticket = sum(1 for line in state.packs if line.pack_id == pack_id) + int(adding)
        if member_id is not None:
            limit = self._limit_refusal(session, terms, member_id, today, on_ticket)
            if limit is not None:
                return limit
        elif not for_anyone:
            return TillRefusal(
                TillCode.MEMBER_REQUIRED,
                f"{name} is sold to a member: find the customer by phone first",
            )
        if terms.inventory is not None and units_left(session, pack_id) < on_ticket:
            return TillRefusal(TillCode.PACK_SOLD_OUT, self._sold_out_text(terms))
        wanted = sum(
            every[line.pack_id].coupons_per_pack for line in state.packs if line.pack_id in every
        ) + (terms.coupons_per_pack if adding else 0)
        if codes_left(session) < wanted:
            return TillRefusal(
                TillCode.PACK_CODES_EXHAUSTED,
                "This till has no coupon codes left for packs: it gets more when it next"
                " syncs with the back office",
            )
        return None

    def _limit_refusal(
        self, session: Session, terms: PackData, member_id: str, today: date, on_ticket: int
    ) -> TillRefusal | None:
        """The member's total and daily limits, over what is confirmed, sold here and not
        synced, and ``on_ticket`` packs on this ticket."""
        limits = terms.limits
        if limits.total is None and limits.daily is None:
            return None
        bought = member_purchases(session, terms.id, member_id, today.isoformat())
        who = member_name(session, member_id) or "This member"
        if limits.total is not None and bought.total + on_ticket > limits.total:
            return TillRefusal(
                TillCode.PACK_LIMIT_TOTAL,
                f"{who} has bought {terms.name} {_times(bought.total)} already:"
                f" the limit is {limits.total} per member",
            )
        if limits.daily is not None and bought.on_day + on_ticket > limits.daily:
            return TillRefusal(
                TillCode.PACK_LIMIT_DAILY,
                f"{who} has bought {terms.name} {_times(bought.on_day)} today:"
                f" the limit is {limits.daily} a day",
            )
        return None

    def _sold_out_text(self, terms: PackData) -> str:
        if self._unanswered or self.desk is None:
            return (
                f"{terms.name} is sold out at this till while it is offline: it can"
                " sell more once it is back online"
            )
        return f"{terms.name} is sold out"

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
        desk, now = self.desk, self._clock()
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
                with UnitOfWork(self._sessions) as uow:
                    record_granted(uow.session, pack_id, answer.granted, now)
                    uow.commit()
            return key
        refused = self._refusal_from_back_office(pack_id, member_id, answer)
        if refused is not None:
            raise refused
        return None  # sold out at the back office: this till's own units decide

    def _refusal_from_back_office(
        self, pack_id: str, member_id: str, answer: Reservation
    ) -> TillRefusal | None:
        """The back office's refusal in the cashier's words; None for SOLD_OUT (the
        units this till holds are its own to sell)."""
        with UnitOfWork(self._sessions) as uow:
            terms = pack_terms(uow.session).get(pack_id)
            who = member_name(uow.session, member_id) or "This member"
        name = terms.name if terms is not None else "This pack"
        reason = answer.reason or ""
        if reason == "SOLD_OUT":
            return None
        if reason in ("LIMIT_DAILY_REACHED", "LIMIT_TOTAL_REACHED"):
            daily = reason == "LIMIT_DAILY_REACHED"
            limit = None if terms is None else terms.limits.daily if daily else terms.limits.total
            return TillRefusal(
                TillCode.PACK_LIMIT_DAILY if daily else TillCode.PACK_LIMIT_TOTAL,
                f"{who} has already bought {name}{' today' if daily else ''} (at another till"
                f" or online): the limit is {limit} {'a day' if daily else 'per member'}",
            )
        known = {
            "OUTSIDE_SALES_PERIOD": (TillCode.PACK_NOT_ON_SALE, "is not on sale today"),
            "STORE_NOT_AVAILABLE": (TillCode.PACK_NOT_AT_STORE, "is not sold at this store"),
            "CHANNEL_NOT_OFFERED": (TillCode.PACK_NOT_AT_TILL, "is sold online only"),
        }
        code, why = known.get(reason, (TillCode.PACK_NOT_SOLD, "is not sold any more"))
        return TillRefusal(code, f"{name} {why}")

    def packs_on_sale(
        self, member_id: str | None, state: TicketState, book: PriceBook, store_id: str | None
    ) -> tuple[PackOnSale, ...]:
        """The packs this till sells with an order (at its store, on sale today, channel
        ``with_order``), each with its units left here and whether the open ticket may
        take one more for ``member_id`` now (and if not, why; None: for anyone)."""
        found = []
        with UnitOfWork(self._sessions) as uow:
            session = uow.session
            today = self._clock()
            for pack_id, terms in pack_terms(session).items():
                offer = book.packs.get(pack_id)
                if (
                    offer is None
                    or WITH_ORDER not in terms.channels
                    or store_id not in terms.stores
                    or not terms.first_day <= local_date(today, terms.zone) <= terms.last_day
                ):
                    continue
                refusal = self._refusal(
                    session, pack_id, member_id, state, book, store_id, True, for_anyone=True
                )
                found.append(
                    PackOnSale(
                        pack_id=pack_id,
                        name=terms.name,
                        price=offer.price,
                        coupons=tuple((e.coupon_code, e.quantity) for e in terms.content),
                        coupon_names=tuple(
                            (book.coupon_name(e.coupon_code), e.quantity) for e in terms.content
                        ),
                        units_left=None
                        if terms.inventory is None
                        else max(0, units_left(session, pack_id)),
                        first_day=terms.first_day,
                        last_day=terms.last_day,
                        refusal=refusal.message if refusal is not None else "",
                        code=refusal.code.value if refusal is not None else "",
                    )
                )
        return tuple(sorted(found, key=lambda p: (p.name, p.pack_id)))

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
        with UnitOfWork(self._sessions) as uow:
            terms = pack_terms(uow.session, {line.pack_id for line in state.packs})
            buyers = {p.member_id: member_name(uow.session, p.member_id) for p in state.packs}
        return ClosingPacks(state, sale_ids, terms, buyers)

    def write_sales(
        self,
        connection: Any,
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
        ``pack.sold`` event, on ``connection`` in the closing transaction (S1)."""
        state = packs.state
        sold = []
        for line in state.packs:
            pack = packs.terms[line.pack_id]
            coupons = self._issue(connection, pack, book, now)
            sale = SoldPack(
                packs.sale_ids[line.line_id],
                line.line_id,
                line.pack_id,
                line.name,
                line.member_id,
                packs.buyers.get(line.member_id, ""),
                line.price,
                coupons,
            )
            day = local_date(now, pack.zone).isoformat()
            reservation = self._reservations.get((ticket_id, line.line_id))
            payload = _pack_sold(sale, store_id, device_id, ticket_id, book, now, day, reservation)
            event = write_event(connection, EventType.PACK_SOLD, payload, now)
            row = SaleRow(
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
                payload["coupons"],
            )
            write_sale(connection, row, ISSUED)
            sold.append(sale)
        return tuple(sold)

    def _issue(
        self, connection: Any, pack: PackData, book: PriceBook, now: datetime
    ) -> tuple[IssuedCoupon, ...]:
        try:
            codes = iter(take_codes(connection, pack.coupons_per_pack))
        except PackCodesExhausted:
            raise TillRefusal(
                TillCode.PACK_CODES_EXHAUSTED,
                "This till has no coupon codes left for packs: it gets more when it next"
                " syncs with the back office",
            ) from None
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
        if method not in (CASH, CARD):
            raise TillRefusal(TillCode.INVALID_AMOUNT, "Refund in cash or by card")
        with UnitOfWork(self._sessions) as uow:
            session = uow.session
            conflict = open_conflict(session, conflict_key)
            sale = sale_of_conflict(session, conflict_key)
            if conflict.event_type != EventType.PACK_SOLD or sale is None:
                raise TillRefusal(
                    TillCode.NOT_A_PACK_SALE, "This conflict is not about a coupon pack sale"
                )
            if is_refunded(session, sale.sale_id):
                raise TillRefusal(TillCode.ALREADY_RESOLVED, "This pack sale is already refunded")
            session.add(
                PackRefund(
                    sale_id=sale.sale_id,
                    amount=sale.price,
                    currency=sale.currency,
                    method=method,
                    manager=manager,
                    refunded_at=now,
                    conflict_key=conflict_key,
                    note=note,
                )
            )
            codes = [coupon["code"] for coupon in json.loads(sale.coupons)]
            withdraw_coupons(session, codes, REVOKED)
            record_audit(
                session,
                now,
                manager,
                PACK_REFUNDED,
                sale.sale_id,
                {"amount": str(sale.price), "method": method, "codes": codes, "note": note},
            )
            enqueue_event(
                session,
                EventType.PACK_REFUNDED,
                {
                    "sale_id": sale.sale_id,
                    "store_id": store_id,
                    "amount": str(sale.price),
                    "currency": sale.currency,
                    "method": method,
                    "manager": manager,
                    "refunded_at": device_time_text(now),
                    "conflict_key": conflict_key,
                    "note": note,
                },
                now,
            )
            record_follow_up(
                session, conflict_key, REFUNDED, note, manager=manager, store_id=store_id, now=now
            )
            uow.commit()


def _pack_sold(
    sale: SoldPack,
    store_id: str,
    device_id: str,
    ticket_id: str,
    book: PriceBook,
    now: datetime,
    day: str,
    reservation_key: str | None,
) -> dict[str, Any]:
    """The ``pack.sold`` payload, as docs/sync-protocol.md lists it."""
    payload: dict[str, Any] = {
        "sale_id": sale.sale_id,
        "store_id": store_id,
        "device_id": device_id,
        "ticket_id": ticket_id,
        "line_id": sale.line_id,
        "pack_id": sale.pack_id,
        "pack_name": sale.name,
        "member_id": sale.member_id,
        "member_name": sale.member_name,
        "price": book.currency.format(sale.price),
        "currency": book.currency.code,
        "sold_at": device_time_text(now),
        "local_date": day,
        "coupons": [
            {
                "code": c.code,
                "coupon_code": c.coupon_code,
                "valid_from": c.valid_from,
                "valid_to": c.valid_to,
            }
            for c in sale.coupons
        ],
    }
    if reservation_key is not None:
        payload["reservation_key"] = reservation_key
    return payload


def held_coupons(sold: tuple[SoldPack, ...]) -> list[HeldCoupon]:
    """The coupons of packs just sold, as the member's coupons the till now redeems."""
    return [
        HeldCoupon(c.code, pack.member_id, c.coupon_code, c.valid_from, c.valid_to)
        for pack in sold
        for c in pack.coupons
    ]
