"""A pack's life: create (K1-K4), edit (K6), copy (K7), publish, archive (K8), list.

A new pack is ``active`` unless created as a draft; a copy is always a draft.
A draft can change everything but its type; an active pack only what K6 lists
(plus its inventory, never below what was sold); an archived pack nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from backoffice.chain.change_log import record_is_live
from backoffice.models.packs import CouponPack, PackGrant
from backoffice.packs.currency import currencies_of
from backoffice.packs.definition import (
    Method,
    PackDefinition,
    PackType,
    Period,
    definition_data,
    parse_pack_definition,
)
from backoffice.packs.errors import PackInputError, PackNotFound, PackStateError
from backoffice.packs.inventory import units_out
from backoffice.packs.issuance import ACTIVE, ARCHIVED, DRAFT, lock_pack
from backoffice.packs.list_query import PackFilter as PackFilter
from backoffice.packs.list_query import list_page
from backoffice.packs.till_records import publish_pack_record

# What an edit may change on a published pack (K6); a draft may change all but the type.
EDITABLE_WHEN_ACTIVE = frozenset(
    {
        "name",
        "image_url",
        "description",
        "limits",
        "inventory",
        "channels",
        "stores",
        "sales_period",
        "redirect_url",
        "auto_refund",
    }
)
COPY_SUFFIX = " (copy)"
LIFECYCLE_ACTOR = "packs"  # who changes the tills' pack record when no one is named


def _known(session: Session) -> Any:
    return lambda kind, record_id: record_is_live(session, kind, record_id)


def _currencies(session: Session) -> Any:
    return lambda store_ids: currencies_of(session, store_ids)


def definition_of(pack: CouponPack) -> PackDefinition:
    """The configuration a pack row holds, as a definition."""
    return PackDefinition(
        pack_type=PackType(pack.pack_type),
        name=pack.name,
        image_url=pack.image_url,
        description=pack.description,
        time_zone=pack.time_zone,
        content=list(pack.content),
        distribution_method=Method(pack.distribution_method) if pack.distribution_method else None,
        period=Period(pack.period) if pack.period else None,
        cycles=pack.cycles,
        subsequent_content=pack.subsequent_content,
        channels=list(pack.channels),
        sales_first_day=pack.sales_first_day,
        sales_last_day=pack.sales_last_day,
        price=pack.price,
        inventory_limit=pack.inventory_limit,
        store_ids=list(pack.store_ids),
        redirect_url=pack.redirect_url,
        auto_refund=pack.auto_refund,
        limit_total=pack.limit_total,
        limit_daily=pack.limit_daily,
    )


def _apply(pack: CouponPack, definition: PackDefinition) -> None:
    pack.name = definition.name
    pack.image_url = definition.image_url
    pack.description = definition.description
    pack.time_zone = definition.time_zone
    pack.content = [dict(entry) for entry in definition.content]
    pack.subsequent_content = (
        None
        if definition.subsequent_content is None
        else [dict(entry) for entry in definition.subsequent_content]
    )
    pack.distribution_method = (
        str(definition.distribution_method) if definition.distribution_method else None
    )
    pack.period = str(definition.period) if definition.period else None
    pack.cycles = definition.cycles
    pack.channels = list(definition.channels)
    pack.sales_first_day = definition.sales_first_day
    pack.sales_last_day = definition.sales_last_day
    pack.price = definition.price
    pack.inventory_limit = definition.inventory_limit
    pack.store_ids = list(definition.store_ids)
    pack.redirect_url = definition.redirect_url
    pack.auto_refund = definition.auto_refund
    pack.limit_total = definition.limit_total
    pack.limit_daily = definition.limit_daily


def create_pack(
    session: Session, data: object, *, now: datetime, actor: str, draft: bool = False
) -> CouponPack:
    """A new pack from ``data`` (K1-K4); active at once unless ``draft``."""
    definition = parse_pack_definition(data, _known(session), _currencies(session))
    pack = CouponPack(
        pack_type=str(definition.pack_type),
        status=DRAFT if draft else ACTIVE,
        sold_count=0,
        copied_from=None,
        created_at=now,
        created_by=actor,
        updated_at=now,
        archived_at=None,
    )
    _apply(pack, definition)
    session.add(pack)
    session.flush()
    publish_pack_record(session, pack, now=now, actor=actor)
    return pack


def get_pack(session: Session, pack_id: int) -> CouponPack:
    pack = session.get(CouponPack, pack_id)
    if pack is None:
        raise PackNotFound("pack_id", f"no pack {pack_id}")
    return pack


def edit_pack(
    session: Session, pack_id: int, changes: object, *, now: datetime, actor: str
) -> CouponPack:
    """Change a pack's settings (K6); what it already issued stays as it was."""
    if not isinstance(changes, Mapping):
        raise PackInputError("", "an edit must be a JSON object of the settings to change")
    pack = lock_pack(session, pack_id)
    if pack.status == ARCHIVED:
        raise PackStateError(
            "status", f"pack {pack.id} is archived: it cannot be edited (K8)", "PACK_ARCHIVED"
        )
    current = definition_data(definition_of(pack))
    for field in changes:
        if field == "type" and changes[field] != current["type"]:
            raise PackInputError("type", "is fixed when the pack is created (K1)")
        if pack.status == ACTIVE and field not in EDITABLE_WHEN_ACTIVE | {"type"}:
            raise PackInputError(
                str(field),
                f"cannot change once the pack is published (K6); copy pack {pack.id} instead",
            )
    definition = parse_pack_definition(
        {**current, **changes}, _known(session), _currencies(session)
    )
    if definition.inventory_limit is not None and definition.inventory_limit < pack.sold_count:
        raise PackInputError(
            "inventory", f"{pack.sold_count} already sold: the inventory cannot be lower"
        )
    at_tills = units_out(session, pack)
    if definition.inventory_limit is not None and definition.inventory_limit < (
        pack.sold_count + at_tills
    ):
        raise PackInputError(
            "inventory",
            f"{pack.sold_count} already sold and {at_tills} more with the tills to sell"
            " offline (K13): the inventory cannot be lower than"
            f" {pack.sold_count + at_tills}",
        )
    _apply(pack, definition)
    pack.updated_at = now
    session.flush()
    publish_pack_record(session, pack, now=now, actor=actor)
    return pack


def copy_pack(session: Session, pack_id: int, *, now: datetime, actor: str) -> CouponPack:
    """A new draft with the same configuration, named "<name> (copy)", no records (K7)."""
    source = get_pack(session, pack_id)
    copy = CouponPack(
        pack_type=source.pack_type,
        status=DRAFT,
        sold_count=0,
        copied_from=source.id,
        created_at=now,
        created_by=actor,
        updated_at=now,
        archived_at=None,
    )
    _apply(copy, definition_of(source))
    copy.name = source.name + COPY_SUFFIX
    session.add(copy)
    session.flush()
    return copy


def publish_pack(session: Session, pack_id: int, *, now: datetime) -> CouponPack:
    """A draft becomes active, once its configuration still checks (coupons, stores exist)."""
    pack = lock_pack(session, pack_id)
    if pack.status == ARCHIVED:
        raise PackStateError(
            "status", f"pack {pack.id} is archived: copy it instead (K8)", "PACK_ARCHIVED"
        )
    if pack.status == ACTIVE:
        return pack
    parse_pack_definition(definition_data(definition_of(pack)), _known(session))
    pack.status = ACTIVE
    pack.updated_at = now
    publish_pack_record(session, pack, now=now, actor=LIFECYCLE_ACTOR)
    return pack


def archive_pack(session: Session, pack_id: int, *, now: datetime) -> CouponPack:
    """Stop sales and distribution (K8): no further cycle is issued; issued coupons stay."""
    pack = lock_pack(session, pack_id)
    if pack.status == ARCHIVED:
        return pack
    pack.status = ARCHIVED
    pack.archived_at = now
    pack.updated_at = now
    session.execute(update(PackGrant).where(PackGrant.pack_id == pack.id).values(next_due_at=None))
    publish_pack_record(session, pack, now=now, actor=LIFECYCLE_ACTOR)
    return pack


def list_packs(
    session: Session, wanted: PackFilter, *, limit: int = 100, offset: int = 0
) -> tuple[list[CouponPack], int]:
    """Packs matching ``wanted``, newest first, and how many match in all."""
    return list_page(session, wanted, today=date.today(), limit=limit, offset=offset)
