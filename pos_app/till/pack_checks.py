"""Whether the till may sell a coupon pack on the open ticket now (COUPON-PACK-RULES
K12, K13, K15), and if not, which check failed, in words a cashier can repeat to the
customer: sold at the till (channel ``with_order``), at this store, inside its sales
period, to the ticket's member, within the member's total and daily limits (K4, the
protocol's rule) counted over what the back office confirmed plus what this till sold
and has not synced (the packs on the ticket included), within this till's units of a
limited pack (K13), with enough coupon codes left in the till's blocks (K15)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pos_app.engine import PriceBook, TicketState
from pos_app.protocol.pack_limits import (
    LIMIT_DAILY_REACHED,
    LIMIT_TOTAL_REACHED,
    LimitBreach,
    limit_breach,
)
from pos_app.protocol.pack_records import WITH_ORDER, PackData
from pos_app.protocol.pack_supplies import Reservation
from pos_app.protocol.pack_validity import local_date
from pos_app.store.pack_ledger import PackLedger
from pos_app.till.clock import Clock
from pos_app.till.errors import TillCode, TillRefusal

NO_CODES_LEFT = (
    "This till has no coupon codes left for packs: it gets more when it next"
    " syncs with the back office"
)


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


def limit_refusal(breach: LimitBreach, who: str, pack_name: str) -> TillRefusal:
    """A member's limit (K4) in the cashier's words, counted here."""
    if breach.daily:
        return TillRefusal(
            TillCode.PACK_LIMIT_DAILY,
            f"{who} has bought {pack_name} {_times(breach.bought)} today:"
            f" the limit is {breach.allowed} a day",
        )
    return TillRefusal(
        TillCode.PACK_LIMIT_TOTAL,
        f"{who} has bought {pack_name} {_times(breach.bought)} already:"
        f" the limit is {breach.allowed} per member",
    )


class PackChecks:
    """The checks, read from the till's pack tables; ``offline`` (the back office did not
    answer the last reservation, or the till has none to ask) words a sold-out pack."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def refusal(
        self,
        ledger: PackLedger,
        pack_id: str,
        member_id: str | None,
        state: TicketState,
        book: PriceBook,
        store_id: str | None,
        *,
        adding: bool = True,
        for_anyone: bool = False,
        offline: bool = True,
    ) -> TillRefusal | None:
        """Why ``pack_id`` cannot be sold to ``member_id`` on the ticket ``state`` now (one
        more line of it when ``adding``, else the lines already on it); ``for_anyone``:
        for no member in particular (a listing), so neither the member nor their limits
        are checked."""
        every = ledger.terms()
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
        on_ticket = packs_on_ticket(state, pack_id) + int(adding)
        if member_id is not None:
            limits = terms.limits
            if limits.total is not None or limits.daily is not None:
                bought = ledger.purchases(terms.id, member_id, today.isoformat())
                breach = limit_breach(limits, bought, on_ticket)
                if breach is not None:
                    who = ledger.member_name(member_id) or "This member"
                    return limit_refusal(breach, who, terms.name)
        elif not for_anyone:
            return TillRefusal(
                TillCode.MEMBER_REQUIRED,
                f"{name} is sold to a member: find the customer by phone first",
            )
        if terms.inventory is not None and ledger.units_left(pack_id) < on_ticket:
            return TillRefusal(TillCode.PACK_SOLD_OUT, _sold_out_text(terms, offline))
        wanted = sum(
            every[line.pack_id].coupons_per_pack for line in state.packs if line.pack_id in every
        ) + (terms.coupons_per_pack if adding else 0)
        if ledger.codes_left() < wanted:
            return TillRefusal(TillCode.PACK_CODES_EXHAUSTED, NO_CODES_LEFT)
        return None

    def on_sale(
        self,
        ledger: PackLedger,
        member_id: str | None,
        state: TicketState,
        book: PriceBook,
        store_id: str | None,
        *,
        offline: bool,
    ) -> tuple[PackOnSale, ...]:
        """The packs this till sells with an order (at its store, on sale today, channel
        ``with_order``), each with its units left here (less those on the open ticket)
        and whether the open ticket may take one more for ``member_id`` now (and if
        not, why; None: for anyone)."""
        found = []
        now = self._clock()
        for pack_id, terms in ledger.terms().items():
            offer = book.packs.get(pack_id)
            if (
                offer is None
                or WITH_ORDER not in terms.channels
                or store_id not in terms.stores
                or not terms.first_day <= local_date(now, terms.zone) <= terms.last_day
            ):
                continue
            refusal = self.refusal(
                ledger, pack_id, member_id, state, book, store_id, for_anyone=True, offline=offline
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
                    else max(0, ledger.units_left(pack_id) - packs_on_ticket(state, pack_id)),
                    first_day=terms.first_day,
                    last_day=terms.last_day,
                    refusal=refusal.message if refusal is not None else "",
                    code=refusal.code.value if refusal is not None else "",
                )
            )
        return tuple(sorted(found, key=lambda p: (p.name, p.pack_id)))


def _sold_out_text(terms: PackData, offline: bool) -> str:
    if offline:
        return (
            f"{terms.name} is sold out at this till while it is offline: it can"
            " sell more once it is back online"
        )
    return f"{terms.name} is sold out"


def back_office_refusal(
    answer: Reservation, terms: PackData | None, who: str
) -> TillRefusal | None:
    """The back office's refusal of a reservation in the cashier's words; None for
    SOLD_OUT (the units this till holds are its own to sell)."""
    name = terms.name if terms is not None else "This pack"
    reason = answer.reason or ""
    if reason == "SOLD_OUT":
        return None
    if reason in (LIMIT_DAILY_REACHED, LIMIT_TOTAL_REACHED):
        daily = reason == LIMIT_DAILY_REACHED
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


def packs_on_ticket(state: TicketState, pack_id: str) -> int:
    """How many of ``pack_id`` the open ticket sells (units not sold yet, already taken)."""
    return sum(1 for line in state.packs if line.pack_id == pack_id)
