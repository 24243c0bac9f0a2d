"""Looking members up by phone number, with the coupons they hold (entitlements) and
which of those codes this till has already taken on a closed ticket (and when)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.protocol.phone_keys import lookup_digest, masked
from pos_app.store.database import Transaction
from pos_app.store.models.members import Entitlement, Member
from pos_app.store.models.shifts import CouponReversal, TicketHeader
from pos_app.store.models.tickets import TicketCoupon
from pos_app.store.phone_key import phone_key


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
    phone: str  # masked ("•••• 4321"): the till keeps no phone number
    entitlements: tuple[EntitlementRecord, ...]


def members_by_phone(session: Session, query: str) -> list[MemberRecord]:
    """Members whose phone number matches ``query`` (the whole number, or for 7 digits or
    more its end), by name: found by the typed number's keyed digest
    (:mod:`pos_app.protocol.phone_keys`), offline."""
    digest = lookup_digest(phone_key(session), query)
    if digest is None:
        return []
    candidates = session.scalars(select(Member).where(Member.phone_digests.contains(digest)))
    found = [m for m in candidates if digest in m.phone_digests.split()]
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
        masked(member.phone_last4),
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
