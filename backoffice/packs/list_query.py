"""The pack list as one SQL query: filters, a sort by any column, and a page (K10).

Every filter runs in the database, so a page of 50 out of 10,000 packs reads 50 rows:
the channel and store filters match the JSON lists' text (``"mall"`` with its quotes),
which SQLite and PostgreSQL both store as written. :data:`SORTS` names the columns the
list sorts by; ties fall back to the newest pack first.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Numeric, String, case, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Select

from backoffice.models.packs import CouponPack, PackGrant
from backoffice.packs.issuance import ARCHIVED, DRAFT


@dataclass(frozen=True)
class PackFilter:
    """What the pack list shows; every field ``None`` shows everything."""

    pack_type: str | None = None
    status: str | None = None
    name: str | None = None
    channel: str | None = None
    store_id: str | None = None


def _sales_rank(today: date) -> ColumnElement[Any]:
    """The sales state as a number in the list's order: not yet on sale, on sale, sold out,
    ended, distributing (today's date in UTC; a pack's own zone may differ by a day)."""
    return case(
        (CouponPack.status == DRAFT, 0),
        (CouponPack.status == ARCHIVED, 3),
        (CouponPack.pack_type != "paid", 4),
        (CouponPack.sales_first_day > today, 0),
        (CouponPack.sales_last_day < today, 3),
        (
            (CouponPack.inventory_limit.is_not(None))
            & (CouponPack.sold_count >= CouponPack.inventory_limit),
            2,
        ),
        else_=1,
    )


def _issued() -> ColumnElement[Any]:
    return (
        select(func.count(PackGrant.id))
        .where(PackGrant.pack_id == CouponPack.id)
        .correlate(CouponPack)
        .scalar_subquery()
    )


SORTS: dict[str, Callable[[date], Any]] = {
    "name": lambda _today: func.lower(CouponPack.name),
    "type": lambda _today: CouponPack.pack_type,
    "status": lambda _today: CouponPack.status,
    "sales_state": _sales_rank,
    "price": lambda _today: cast(CouponPack.price, Numeric(12, 2)),
    "issued": lambda _today: _issued(),
    "sold": lambda _today: CouponPack.sold_count,
    "inventory_left": lambda _today: CouponPack.inventory_limit - CouponPack.sold_count,
    "created": lambda _today: CouponPack.id,
}


def _json_holds(column: Any, value: str) -> ColumnElement[bool]:
    return cast(column, String).contains(json.dumps(value), autoescape=True)


def filtered(wanted: PackFilter) -> Select[Any]:
    """The packs ``wanted`` selects, unordered."""
    query = select(CouponPack)
    if wanted.pack_type:
        query = query.where(CouponPack.pack_type == wanted.pack_type)
    if wanted.status:
        query = query.where(CouponPack.status == wanted.status)
    if wanted.name:
        query = query.where(
            func.lower(CouponPack.name).contains(wanted.name.lower(), autoescape=True)
        )
    if wanted.channel:
        query = query.where(_json_holds(CouponPack.channels, wanted.channel))
    if wanted.store_id:
        query = query.where(_json_holds(CouponPack.store_ids, wanted.store_id))
    return query


def list_page(
    session: Session,
    wanted: PackFilter,
    *,
    sort: str = "created",
    descending: bool = True,
    today: date,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[CouponPack], int]:
    """One page of the packs ``wanted`` selects, sorted by ``sort`` (a key of
    :data:`SORTS`; anything else: newest first), and how many match in all."""
    query = filtered(wanted)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    key = SORTS.get(sort, SORTS["created"])(today)
    order = key.desc() if descending else key.asc()
    if sort not in SORTS:
        order = CouponPack.id.desc()
    page = query.order_by(order.nulls_last(), CouponPack.id.desc()).limit(limit).offset(offset)
    packs: list[CouponPack] = list(session.scalars(page).all())
    return packs, int(total)
