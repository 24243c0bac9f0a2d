"""A member's pack becomes coupons: grants, their cycles, and the entitlement records (K2, K3).

Every coupon issued is a :class:`PackCoupon` row and an ``entitlement`` record
written through :func:`backoffice.chain.change_log.put_record` (chain-wide, like the
member it belongs to), so it reaches every till on its next pull. The record names
its pack (``pack_id``, and ``pack_name`` as the pack was called at issue: an edit
never changes what was already issued, K6) so the till can show a member's packs. A cycle is
issued once: (grant, cycle) is unique in ``pack_issuances``, and writers hold the
pack's row lock (:func:`lock_pack`) while they issue, so two schedulers, or a
scheduler and a gift, never issue the same cycle twice.

Locks are always taken in the same order: the pack row, then the change log.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record, put_record, record_is_live
from backoffice.models.packs import CouponPack, PackCoupon, PackGrant, PackIssuance
from backoffice.packs.definition import Method, PackType
from backoffice.packs.errors import PackNotFound, PackStateError
from backoffice.packs.schedule import ValidityWindow, cycle_time, till_window, validity_window

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud
CODE_PREFIX = "PK"
CODE_LENGTH = 12  # 60 random bits
ISSUED = "issued"

ACTIVE = "active"
DRAFT = "draft"
ARCHIVED = "archived"


def lock_pack(session: Session, pack_id: int) -> CouponPack:
    """The pack, freshly read and locked until the transaction ends (404 if none).

    PostgreSQL: ``SELECT ... FOR UPDATE``. SQLite: the transaction already holds
    the database's write lock (``BEGIN IMMEDIATE``).
    """
    pack = session.scalar(
        select(CouponPack)
        .where(CouponPack.id == pack_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if pack is None:
        raise PackNotFound("pack_id", f"no pack {pack_id}")
    return pack


def pack_zone(pack: CouponPack) -> ZoneInfo:
    return ZoneInfo(pack.time_zone)


def require_active(pack: CouponPack, doing: str) -> None:
    """Refuse ``doing`` on a draft or archived pack (K7, K8)."""
    if pack.status == ARCHIVED:
        raise PackStateError(
            "status", f"pack {pack.id} is archived: it cannot be {doing} (K8)", "PACK_ARCHIVED"
        )
    if pack.status == DRAFT:
        raise PackStateError(
            "status", f"pack {pack.id} is a draft: publish it before it is {doing}", "PACK_DRAFT"
        )


def new_entitlement_code(session: Session) -> str:
    """A random code no pack coupon or entitlement has yet."""
    while True:
        code = CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if (
            session.get(PackCoupon, code) is None
            and find_record(session, "entitlement", code) is None
        ):
            return code


def cycles_of(pack: CouponPack) -> int:
    """How many cycles a grant of ``pack`` has: C for a recurring campaign pack, else 1."""
    if pack.pack_type == PackType.campaign and pack.distribution_method == Method.recurring:
        return int(pack.cycles or 1)
    return 1


def content_of_cycle(pack: CouponPack, cycle: int) -> list[dict[str, Any]]:
    """Cycle 0 takes the first content; later cycles the subsequent one if it differs (K3)."""
    if cycle > 0 and pack.subsequent_content is not None:
        return pack.subsequent_content
    return pack.content


def open_grant(
    session: Session,
    pack: CouponPack,
    member_id: str,
    *,
    source: str,
    starts_at: datetime,
    now: datetime,
    distribution_id: int | None = None,
    gift_id: int | None = None,
    purchase_id: int | None = None,
) -> PackGrant:
    """A new pack held by ``member_id``; its first cycle is due at ``starts_at``."""
    grant = PackGrant(
        pack_id=pack.id,
        member_id=member_id,
        source=source,
        distribution_id=distribution_id,
        gift_id=gift_id,
        purchase_id=purchase_id,
        starts_at=starts_at,
        cycles=cycles_of(pack),
        next_cycle=0,
        next_due_at=starts_at,
        expires_at=None,
        created_at=now,
    )
    session.add(grant)
    session.flush()
    return grant


@dataclass
class IssueCount:
    """What one issuing pass did."""

    cycles: int = 0
    coupons: int = 0

    def add(self, other: IssueCount) -> None:
        self.cycles += other.cycles
        self.coupons += other.coupons


def _check_coupons_exist(session: Session, pack: CouponPack, content: list[dict[str, Any]]) -> None:
    for index, entry in enumerate(content):
        if not record_is_live(session, "coupon", entry["coupon_code"]):
            raise PackStateError(
                f"content[{index}].coupon_code",
                f"coupon {entry['coupon_code']!r} of pack {pack.id} no longer exists",
                "COUPON_GONE",
            )


def issue_cycle(
    session: Session,
    pack: CouponPack,
    grant: PackGrant,
    cycle: int,
    scheduled_at: datetime,
    *,
    now: datetime,
    actor: str,
) -> IssueCount:
    """Issue cycle ``cycle`` of ``grant`` as entitlements valid from ``scheduled_at`` (K2, K3).

    Nothing happens if that cycle was already issued. The caller holds the pack lock.
    """
    content = content_of_cycle(pack, cycle)
    _check_coupons_exist(session, pack, content)
    issuance = PackIssuance(
        grant_id=grant.id, cycle=cycle, scheduled_at=scheduled_at, issued_at=now
    )
    try:
        with session.begin_nested():
            session.add(issuance)
            session.flush()
    except IntegrityError:
        log.warning("pack %s grant %s cycle %s was already issued", pack.id, grant.id, cycle)
        return IssueCount()
    zone = pack_zone(pack)
    issued = 0
    for entry in content:
        window = validity_window(scheduled_at, entry, zone)
        valid_from, valid_to = till_window(window, zone)
        for _ in range(int(entry["quantity"])):
            code = new_entitlement_code(session)
            session.add(
                PackCoupon(
                    code=code,
                    pack_id=pack.id,
                    grant_id=grant.id,
                    issuance_id=issuance.id,
                    member_id=grant.member_id,
                    coupon_code=entry["coupon_code"],
                    valid_from=window.valid_from,
                    valid_to=window.valid_to,
                )
            )
            put_entitlement(
                session,
                EntitlementOf(code, grant.member_id, entry["coupon_code"], valid_from, valid_to),
                pack_id=pack.id,
                pack_name=pack.name,
                status=ISSUED,
                now=now,
                actor=actor,
            )
            issued += 1
        if grant.expires_at is None or window.valid_to > grant.expires_at:
            grant.expires_at = window.valid_to
    session.flush()
    return IssueCount(cycles=1, coupons=issued)


@dataclass(frozen=True)
class EntitlementOf:
    """A coupon issued to a member: its code, its coupon definition and its window as the
    entitlement record carries it (inclusive local times, :func:`till_window`)."""

    code: str
    member_id: str
    coupon_code: str
    valid_from: str
    valid_to: str


def put_entitlement(
    session: Session,
    coupon: EntitlementOf,
    *,
    pack_id: int,
    pack_name: str,
    status: str,
    now: datetime,
    actor: str,
) -> None:
    """The coupon's ``entitlement`` record, naming the pack as it was called at issue."""
    put_record(
        session,
        "entitlement",
        coupon.code,
        {
            "code": coupon.code,
            "member_id": coupon.member_id,
            "coupon_code": coupon.coupon_code,
            "valid_from": coupon.valid_from,
            "valid_to": coupon.valid_to,
            "status": status,
            "pack_id": str(pack_id),
            "pack_name": pack_name,
        },
        store_id=None,
        now=now,
        actor=actor,
    )


def issue_cycle_with_codes(
    session: Session,
    grant: PackGrant,
    coupons: list[tuple[EntitlementOf, ValidityWindow]],
    *,
    pack_name: str,
    status_of: Callable[[str], str],
    now: datetime,
    actor: str,
) -> None:
    """Record cycle 0 of ``grant`` as already issued elsewhere (a till sold the pack and
    issued its coupons under its own codes, K15): the issuance, the coupons, and their
    entitlement records (``status_of(code)``: issued, or redeemed if a ticket took it)."""
    issuance = PackIssuance(grant_id=grant.id, cycle=0, scheduled_at=grant.starts_at, issued_at=now)
    session.add(issuance)
    session.flush()
    for coupon, window in coupons:
        session.add(
            PackCoupon(
                code=coupon.code,
                pack_id=grant.pack_id,
                grant_id=grant.id,
                issuance_id=issuance.id,
                member_id=grant.member_id,
                coupon_code=coupon.coupon_code,
                valid_from=window.valid_from,
                valid_to=window.valid_to,
            )
        )
        put_entitlement(
            session,
            coupon,
            pack_id=grant.pack_id,
            pack_name=pack_name,
            status=status_of(coupon.code),
            now=now,
            actor=actor,
        )
        if grant.expires_at is None or window.valid_to > grant.expires_at:
            grant.expires_at = window.valid_to
    grant.next_cycle = 1
    grant.next_due_at = None
    session.flush()


def issue_due_cycles(
    session: Session, pack: CouponPack, grant: PackGrant, *, now: datetime, actor: str
) -> IssueCount:
    """Issue every cycle of ``grant`` due by ``now``, in order; the caller holds the pack lock."""
    count = IssueCount()
    zone = pack_zone(pack)
    while grant.next_due_at is not None and grant.next_due_at <= now:
        count.add(
            issue_cycle(
                session, pack, grant, grant.next_cycle, grant.next_due_at, now=now, actor=actor
            )
        )
        grant.next_cycle += 1
        grant.next_due_at = (
            cycle_time(grant.starts_at, grant.next_cycle, pack.period, zone)
            if grant.next_cycle < grant.cycles
            else None
        )
    session.flush()
    return count
