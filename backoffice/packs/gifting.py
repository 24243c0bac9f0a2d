"""Gifting packs to a member by phone number (K9) and distributing campaign packs (K3).

Both open one grant per pack given and issue what is due at once; later cycles
of a recurring pack are the scheduler's. A gift of a campaign pack follows its
distribution method from the moment of the gift; a gift of a paid pack issues its
content once and takes nothing from its sales inventory (that counts sales only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice.models.packs import PackDistribution, PackGift, PackGrant
from backoffice.packs.definition import PackType
from backoffice.packs.errors import PackInputError, PackStateError
from backoffice.packs.issuance import (
    IssueCount,
    issue_due_cycles,
    lock_pack,
    open_grant,
    require_active,
)
from backoffice.packs.members import Member, find_member, find_member_by_phone, live_members

MAX_GIFT_QUANTITY = 100
START_SLACK = timedelta(minutes=5)  # a start a little in the past is "now" on another clock
GIFT = "gift"
DISTRIBUTION = "distribution"


@dataclass
class GiftResult:
    """A gift record and what it issued."""

    gift: PackGift
    grants: list[PackGrant]
    issued: IssueCount


def gift_pack(
    session: Session,
    pack_id: int,
    *,
    phone: object,
    quantity: object,
    now: datetime,
    actor: str,
) -> GiftResult:
    """Give ``quantity`` packs to the member with ``phone`` (K9); unknown phones are refused."""
    if not isinstance(phone, str) or not phone.strip():
        raise PackInputError("phone", "is required: the member's phone number (K9)")
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise PackInputError("quantity", "must be a whole number ≥ 1 (K9)")
    if not 1 <= quantity <= MAX_GIFT_QUANTITY:
        raise PackInputError("quantity", f"must be between 1 and {MAX_GIFT_QUANTITY} (K9)")
    pack = lock_pack(session, pack_id)
    require_active(pack, "gifted")
    member = find_member_by_phone(session, phone)
    if member is None:
        raise PackInputError("phone", f"no member has phone number {phone.strip()!r} (K9)")
    gift = PackGift(
        pack_id=pack.id,
        member_id=member.member_id,
        phone=member.phone,
        quantity=quantity,
        gifted_at=now,
        gifted_by=actor,
    )
    session.add(gift)
    session.flush()
    result = GiftResult(gift, [], IssueCount())
    for _ in range(quantity):
        grant = open_grant(
            session, pack, member.member_id, source=GIFT, starts_at=now, now=now, gift_id=gift.id
        )
        result.grants.append(grant)
        result.issued.add(issue_due_cycles(session, pack, grant, now=now, actor=actor))
    return result


@dataclass
class DistributionResult:
    """A campaign distribution, its grants and what was issued at once."""

    distribution: PackDistribution
    grants: list[PackGrant] = field(default_factory=list)
    issued: IssueCount = field(default_factory=IssueCount)
    repeated: bool = False


def _audience(session: Session, audience: object) -> tuple[list[Member], dict[str, Any]]:
    if not isinstance(audience, dict) or not audience:
        raise PackInputError(
            "audience", "name the members: member_ids, phones or all_members: true"
        )
    keys = set(audience)
    if len(keys) != 1 or not keys <= {"member_ids", "phones", "all_members"}:
        raise PackInputError(
            "audience", "give exactly one of member_ids, phones or all_members: true"
        )
    if audience.get("all_members") is True:
        return live_members(session), {"all_members": True}
    if "all_members" in audience:
        raise PackInputError("audience.all_members", "must be true")
    (key,) = keys
    values = audience[key]
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise PackInputError(f"audience.{key}", "must be a non-empty list of strings")
    members: dict[str, Member] = {}
    for index, value in enumerate(values):
        found = (
            find_member(session, value)
            if key == "member_ids"
            else find_member_by_phone(session, value)
        )
        if found is None:
            what = "member" if key == "member_ids" else "member with phone"
            raise PackInputError(f"audience.{key}[{index}]", f"no {what} {value!r}")
        members.setdefault(found.member_id, found)
    return list(members.values()), {key: list(values)}


def distribute_pack(
    session: Session,
    pack_id: int,
    *,
    audience: object,
    starts_at: datetime | None,
    request_key: str | None,
    now: datetime,
    actor: str,
) -> DistributionResult:
    """Distribute a campaign pack to ``audience`` from ``starts_at`` (default now) (K3).

    With a ``request_key`` already used on this pack, the earlier distribution is
    returned and nothing new is issued.
    """
    pack = lock_pack(session, pack_id)
    if pack.pack_type != PackType.campaign:
        raise PackStateError(
            "type",
            f"pack {pack.id} is a paid pack: it is sold, not distributed (K3, K4)",
            "NOT_A_CAMPAIGN_PACK",
        )
    require_active(pack, "distributed")
    if request_key is not None:
        earlier = session.scalar(
            select(PackDistribution).where(
                PackDistribution.pack_id == pack.id, PackDistribution.request_key == request_key
            )
        )
        if earlier is not None:
            grants = session.scalars(
                select(PackGrant).where(PackGrant.distribution_id == earlier.id)
            ).all()
            return DistributionResult(earlier, list(grants), IssueCount(), repeated=True)
    start = starts_at or now
    if start < now - START_SLACK:
        raise PackInputError("starts_at", "is in the past: a distribution starts now or later")
    members, described = _audience(session, audience)
    if not members:
        raise PackInputError("audience", "names no member")
    distribution = PackDistribution(
        pack_id=pack.id,
        request_key=request_key,
        starts_at=start,
        audience=described,
        member_count=len(members),
        created_at=now,
        created_by=actor,
    )
    try:
        with session.begin_nested():
            session.add(distribution)
            session.flush()
    except IntegrityError:
        raise PackStateError(
            "key", f"request key {request_key!r} was used a moment ago", "KEY_IN_USE"
        ) from None
    result = DistributionResult(distribution)
    for member in members:
        grant = open_grant(
            session,
            pack,
            member.member_id,
            source=DISTRIBUTION,
            starts_at=start,
            now=now,
            distribution_id=distribution.id,
        )
        result.grants.append(grant)
        result.issued.add(issue_due_cycles(session, pack, grant, now=now, actor=actor))
    return result
