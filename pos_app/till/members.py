"""Member lookup at the till: find members by phone number and show the coupons they
hold (entitlements), grouped by the pack that issued them, each with whether it can be
redeemed here and now (a coupon not valid yet, or expired, is not, and says when); and
the member on the open ticket (:class:`Members`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from pos_app.engine import PriceBook
from pos_app.engine.validity import ValidityWindow
from pos_app.store.member_directory import MemberRecord
from pos_app.store.till_configuration import USABLE_ENTITLEMENT_STATUSES
from pos_app.store.unit_of_work import TillDatabase
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.open_ticket import OpenTicket
from pos_app.till.ticket_change import TicketChange


@dataclass(frozen=True)
class MemberCoupon:
    """One coupon a member holds: its own code, the coupon definition it redeems as, the
    pack that issued it (None if none), and whether it can be redeemed now (``reason``
    says why not)."""

    code: str
    coupon_code: str
    name: str
    kind: str
    status: str
    valid_from: str | None
    valid_to: str | None
    usable: bool
    reason: str = ""
    pack_id: str | None = None
    pack_name: str | None = None


def shown_time(text: str | None) -> str:
    """A validity bound as the cashier reads it: the date, and the time to the minute
    when it has one ("2026-12-31", "2026-12-21 11:59")."""
    if not text:
        return ""
    if len(text) == 10:
        return text
    try:
        return datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return text


def validity_text(coupon: MemberCoupon) -> str:
    """When a coupon is valid, in words: from and to, whichever it has."""
    start, end = shown_time(coupon.valid_from), shown_time(coupon.valid_to)
    if start and end:
        return f"valid {start} to {end}"
    if end:
        return f"valid to {end}"
    return f"valid from {start}" if start else "no end date"


@dataclass(frozen=True)
class MemberPack:
    """A member's coupons from one pack (``pack_id`` None: the coupons not from a pack),
    with the pack's name as the back office issued it."""

    pack_id: str | None
    name: str
    coupons: tuple[MemberCoupon, ...]

    @property
    def usable(self) -> int:
        """How many of its coupons can be redeemed now."""
        return sum(1 for coupon in self.coupons if coupon.usable)


NOT_FROM_A_PACK = "Other coupons"
NOT_VALID_YET = "not valid yet"
EXPIRED = "expired"


@dataclass(frozen=True)
class MemberCard:
    """A member found by phone, with their coupons grouped by the pack that issued them."""

    member_id: str
    name: str
    phone: str
    packs: tuple[MemberPack, ...]

    @property
    def coupons(self) -> tuple[MemberCoupon, ...]:
        """Every coupon the member holds, pack by pack."""
        return tuple(coupon for pack in self.packs for coupon in pack.coupons)


def group_by_pack(coupons: Iterable[MemberCoupon]) -> tuple[MemberPack, ...]:
    """``coupons`` by the pack that issued them (known by ``pack_id``): packs by name,
    then id; within a pack, by coupon name, then code. The coupons not from a pack (no
    ``pack_id``) come last, in a group of their own. A pack takes the name its coupons
    carry ("Pack <id>" if none does)."""
    by_pack: dict[str, list[MemberCoupon]] = {}
    loose: list[MemberCoupon] = []
    for coupon in coupons:
        if coupon.pack_id:
            by_pack.setdefault(coupon.pack_id, []).append(coupon)
        else:
            loose.append(coupon)
    packs = []
    for pack_id, held in by_pack.items():
        held.sort(key=_coupon_order)
        name = next((c.pack_name for c in held if c.pack_name), f"Pack {pack_id}")
        packs.append(MemberPack(pack_id, name, tuple(held)))
    packs.sort(key=lambda pack: (pack.name, pack.pack_id or ""))
    if loose:
        packs.append(MemberPack(None, NOT_FROM_A_PACK, tuple(sorted(loose, key=_coupon_order))))
    return tuple(packs)


def _coupon_order(coupon: MemberCoupon) -> tuple[str, str]:
    return coupon.name, coupon.code


def look_up_members(
    database: TillDatabase, book: PriceBook, phone: str, now: datetime
) -> tuple[MemberCard, ...]:
    """Members whose phone matches ``phone`` (the whole number, or its last 7 digits or
    more), each with their coupons grouped by pack (:func:`group_by_pack`). A coupon is
    usable when its status is active, the till's price book knows its code, this till
    has not already taken it, and it is valid at local time ``now`` (not yet valid and
    expired coupons say so, with the date)."""
    with database.unit_of_work() as uow:
        records = uow.members.by_phone(phone)
        codes = [e.code for r in records for e in r.entitlements]
        spent = uow.members.redeemed_here(codes)
    return tuple(_card(record, book, spent, now) for record in records)


def member_card(
    database: TillDatabase, book: PriceBook, member_id: str, now: datetime
) -> MemberCard | None:
    """The member ``member_id`` as :func:`look_up_members` shows them, or None."""
    with database.unit_of_work() as uow:
        record = uow.members.by_id(member_id)
        if record is None:
            return None
        spent = uow.members.redeemed_here([e.code for e in record.entitlements])
    return _card(record, book, spent, now)


# What a cashier reads for an entitlement the back office no longer counts as usable.
_STATUS_WORDS = {
    "redeemed": "already redeemed",
    "expired": "expired",
    "revoked": "withdrawn by the back office",
}


def _card(
    record: MemberRecord, book: PriceBook, spent: Mapping[str, str], now: datetime
) -> MemberCard:
    coupons = []
    for entitlement in record.entitlements:
        definition = book.coupons.get(entitlement.coupon_code)
        held = book.coupons.get(entitlement.code)
        reason = ""
        if entitlement.status not in USABLE_ENTITLEMENT_STATUSES:
            reason = _STATUS_WORDS.get(entitlement.status, f"not usable ({entitlement.status})")
        elif entitlement.code in spent:
            reason = f"already redeemed (ticket {spent[entitlement.code]})"
        elif held is None:
            reason = f"coupon {entitlement.coupon_code} unknown at this till"
        else:
            reason = validity_reason(held.validity, now)
        coupons.append(
            MemberCoupon(
                code=entitlement.code,
                coupon_code=entitlement.coupon_code,
                name=book.coupon_name(entitlement.coupon_code),
                kind=definition.kind if definition else "",
                status=entitlement.status,
                valid_from=entitlement.valid_from,
                valid_to=entitlement.valid_to,
                usable=not reason,
                reason=reason,
                pack_id=entitlement.pack_id,
                pack_name=entitlement.pack_name,
            )
        )
    return MemberCard(record.member_id, record.name, record.phone, group_by_pack(coupons))


def validity_reason(window: ValidityWindow, now: datetime) -> str:
    """Why a coupon cannot be redeemed at local time ``now`` by its window ("" if it can):
    not valid yet, or expired (the coupon's own dates say from and to when)."""
    if window.valid_from is not None and now < window.valid_from:
        return NOT_VALID_YET
    if window.valid_to is not None and now > window.valid_to:
        return EXPIRED
    return ""


class Members:
    """The member on the open ticket. The till's owner thread only."""

    def __init__(self, database: TillDatabase, ticket: OpenTicket) -> None:
        self._database = database
        self._ticket = ticket

    def attach(self, member_id: object) -> TicketChange:
        """Put a member on the open ticket (None: take the member off); not another member
        while the ticket holds a coupon pack sold to the one on it (K12)."""
        sold_to = {line.member_id for line in self._ticket.state.packs}
        if sold_to and sold_to != {member_id}:
            raise TillRefusal(
                TillCode.MEMBER_REQUIRED,
                "The ticket holds a coupon pack sold to its member: void that line first",
            )
        if member_id is None:
            return self._ticket.set_member(None)
        name = None
        if isinstance(member_id, str):
            with self._database.unit_of_work() as uow:
                name = uow.members.name_of(member_id)
        if not isinstance(member_id, str) or name is None:
            raise TillRefusal(TillCode.UNKNOWN_MEMBER, "That member is not known at this till")
        return self._ticket.set_member((member_id, name))
