"""Looking members up by phone number, with the coupons they hold (entitlements) and
which of those codes this till has already taken on a closed ticket (and when)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.store.database import Transaction
from pos_app.store.models.members import Entitlement, Member
from pos_app.store.models.shifts import CouponReversal, TicketHeader
from pos_app.store.models.tickets import TicketCoupon

# A shorter number than this must match a member's whole number; a longer one may be
# the end of it (typed without the country code or area code).
MIN_SUFFIX_DIGITS = 7


def phone_digits(text: str) -> str:
    """The digits of a phone number as typed or stored ("+1 555-0100" → "15550100")."""
    return "".join(ch for ch in text if ch.isdigit())


def phone_matches(query: str, phone: str) -> bool:
    """Whether a typed number names a stored one: the same digits, or (for 7 digits or
    more) the end of them."""
    wanted, stored = phone_digits(query), phone_digits(phone)
    if not wanted or not stored:
        return False
    return stored == wanted or (len(wanted) >= MIN_SUFFIX_DIGITS and stored.endswith(wanted))


@dataclass(frozen=True)
class EntitlementRecord:
    """A coupon a member holds by its own code, as synced or issued here."""

    code: str
    member_id: str
    coupon_code: str
    valid_from: str | None
    valid_to: str | None
    status: str
    pack_id: str | None
    pack_name: str | None


@dataclass(frozen=True)
class MemberRecord:
    """A member as stored, with their entitlements (code order)."""

    member_id: str
    name: str
    phone: str
    entitlements: tuple[EntitlementRecord, ...]


def members_by_phone(session: Session, query: str) -> list[MemberRecord]:
    """Members whose phone number matches ``query`` (see :func:`phone_matches`), by name."""
    if not phone_digits(query):
        return []
    found = [m for m in session.scalars(select(Member)) if phone_matches(query, m.phone)]
    found.sort(key=lambda m: (m.name, m.member_id))
    return [_record(session, member) for member in found]


def member_by_id(session: Session, member_id: str) -> MemberRecord | None:
    """The member ``member_id`` with their entitlements, or None if the till has no such
    member."""
    member = session.get(Member, member_id)
    return None if member is None else _record(session, member)


def _record(session: Session, member: Member) -> MemberRecord:
    entitlements = session.scalars(
        select(Entitlement)
        .where(Entitlement.member_id == member.member_id)
        .order_by(Entitlement.code)
    )
    return MemberRecord(
        member.member_id,
        member.name,
        member.phone,
        tuple(
            EntitlementRecord(
                e.code,
                e.member_id,
                e.coupon_code,
                e.valid_from,
                e.valid_to,
                e.status,
                e.pack_id,
                e.pack_name,
            )
            for e in entitlements
        ),
    )


def redeemed_here(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """Of ``codes``, those on a closed ticket of this till (and not given back by a
    return) → that ticket's number (its id when it has none)."""
    wanted = list(codes)
    if not wanted:
        return {}
    rows = session.execute(
        select(TicketCoupon.code, TicketCoupon.ticket_id, TicketHeader.number)
        .outerjoin(TicketHeader, TicketHeader.ticket_id == TicketCoupon.ticket_id)
        .outerjoin(
            CouponReversal,
            (CouponReversal.ticket_id == TicketCoupon.ticket_id)
            & (CouponReversal.code == TicketCoupon.code),
        )
        .where(TicketCoupon.code.in_(wanted), CouponReversal.code.is_(None))
    )
    return {code: number or ticket_id for code, ticket_id, number in rows}


class MemberDirectory:
    """Members and their coupons in one unit of work."""

    def __init__(self, transaction: Transaction) -> None:
        self._session = transaction.session

    def by_phone(self, query: str) -> list[MemberRecord]:
        return members_by_phone(self._session, query)

    def by_id(self, member_id: str) -> MemberRecord | None:
        return member_by_id(self._session, member_id)

    def name_of(self, member_id: str) -> str | None:
        """The member's name, or None when the till has no such member."""
        member = self._session.get(Member, member_id)
        return member.name if member is not None else None

    def redeemed_here(self, codes: Iterable[str]) -> dict[str, str]:
        return redeemed_here(self._session, codes)
