"""The till's coupon-pack tables read and written (COUPON-PACK-RULES K12-K15): the packs
the back office sells, what a member has bought, this till's quota and code blocks, its
own sales and refunds.

A member's purchases of a pack are those the back office confirmed (``pack_purchase``
records) plus this till's own sales it has not confirmed yet, leaving out a sale the
back office made a conflict (K12). A limited pack's units left here are what the back
office granted this till in all, less every pack this till sold of it (K13). Codes left
are those of the till's blocks not yet issued (K15). Writes that belong to closing a
ticket run on its sqlite3 connection (:class:`~pos_app.store.database.DirectStatement`),
in its transaction (S1).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.protocol.pack_codes import block_code
from pos_app.protocol.pack_limits import NOT_COUNTED, REFUNDED, Bought
from pos_app.protocol.pack_records import PackData
from pos_app.protocol.pack_supplies import PackSupplies
from pos_app.store.database import DirectStatement, Transaction
from pos_app.store.models.members import Entitlement, Member
from pos_app.store.models.outbox import Conflict
from pos_app.store.models.packs import (
    PackAllotment,
    PackCodeBlock,
    PackPurchaseRecord,
    PackRecord,
    PackRefund,
    PackSale,
)


class PackCodesExhausted(LookupError):
    """The till's code blocks hold fewer codes than a sale needs."""


def pack_terms(session: Session, pack_ids: Iterable[str] | None = None) -> dict[str, PackData]:
    """Synced packs' terms by id (every pack, or those of ``pack_ids``); a stored record
    that no longer reads is skipped."""
    terms = {}
    query = select(PackRecord.pack_id, PackRecord.definition).order_by(PackRecord.pack_id)
    if pack_ids is not None:
        query = query.where(PackRecord.pack_id.in_(sorted(set(pack_ids))))
    for pack_id, definition in session.execute(query):
        try:
            terms[pack_id] = PackData.model_validate_json(definition)
        except ValidationError:
            continue
    return terms


def member_name(session: Session, member_id: str) -> str:
    """A member's name as synced ("" if unknown)."""
    member = session.get(Member, member_id)
    return member.name if member is not None else ""


def member_purchases(session: Session, pack_id: str, member_id: str, day: str) -> Bought:
    """What the back office confirmed plus this till's sales it has not confirmed yet
    (a sale in conflict does not count: the back office did not take it) (K12)."""
    confirmed = select(PackPurchaseRecord.local_date).where(
        PackPurchaseRecord.pack_id == pack_id,
        PackPurchaseRecord.member_id == member_id,
        PackPurchaseRecord.status.not_in(NOT_COUNTED),
    )
    own = select(PackSale.local_date).where(
        PackSale.pack_id == pack_id,
        PackSale.member_id == member_id,
        PackSale.sale_id.not_in(select(PackPurchaseRecord.purchase_id)),
        PackSale.event_key.not_in(select(Conflict.conflict_key)),
        PackSale.sale_id.not_in(select(PackRefund.sale_id)),  # returned: not bought (K4)
    )
    days = [*session.scalars(confirmed), *session.scalars(own)]
    return Bought(total=len(days), on_day=sum(1 for d in days if d == day))


def units_left(session: Session, pack_id: str) -> int:
    """Units of a limited pack this till may still sell: granted in all, less every
    pack of it this till sold (K13)."""
    granted = session.scalar(select(PackAllotment.granted).where(PackAllotment.pack_id == pack_id))
    sold = session.scalar(select(func.count()).where(PackSale.pack_id == pack_id))
    return int(granted or 0) - int(sold or 0)


def codes_left(session: Session) -> int:
    """Codes of the till's blocks not issued yet (K15)."""
    left = session.scalar(select(func.sum(PackCodeBlock.size - PackCodeBlock.next_index)))
    return int(left or 0)


def record_granted(session: Session, pack_id: str, granted: int, now: datetime) -> None:
    """The units the back office has granted this till of ``pack_id``, in all: it only
    ever grows, so an older answer never takes units back."""
    row = session.get(PackAllotment, pack_id)
    if row is None:
        session.add(PackAllotment(pack_id=pack_id, granted=granted, updated_at=now))
    elif granted > row.granted:
        row.granted = granted
        row.updated_at = now


def apply_supplies(session: Session, supplies: PackSupplies, now: datetime) -> None:
    """The back office's pack supplies: quotas (K13) and code blocks (K15); a block the
    till already has keeps the codes it issued."""
    for allotment in supplies.allotments:
        record_granted(session, allotment.pack_id, allotment.granted, now)
    for block in supplies.code_blocks:
        if session.get(PackCodeBlock, block.prefix) is None:
            session.add(
                PackCodeBlock(
                    prefix=block.prefix,
                    size=block.size,
                    next_index=0,
                    reserved_at=block.reserved_at,
                )
            )


# ---------------------------------------------------------------- closing (S1)

_OPEN_BLOCKS = DirectStatement(
    f"SELECT prefix, size, next_index FROM {PackCodeBlock.__tablename__} "
    "WHERE next_index < size ORDER BY reserved_at, prefix",
    [],
)
_SET_NEXT_INDEX = DirectStatement(
    f"UPDATE {PackCodeBlock.__tablename__} SET next_index = ? WHERE prefix = ?", [None, None]
)
_INSERT_SALE = DirectStatement.insert(
    PackSale,
    (
        "sale_id",
        "ticket_id",
        "line_id",
        "pack_id",
        "pack_name",
        "member_id",
        "price",
        "currency",
        "sold_at",
        "local_date",
        "event_key",
        "coupons",
    ),
)
_UPSERT_ENTITLEMENT = DirectStatement(
    f"INSERT INTO {Entitlement.__tablename__} "
    "(code, member_id, coupon_code, valid_from, valid_to, status, pack_id, pack_name) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET status = excluded.status",
    [None] * 8,
)


def take_codes(connection: Any, count: int) -> list[str]:
    """``count`` fresh codes from the till's blocks, oldest block first, marked issued in
    the connection's transaction; :class:`PackCodesExhausted` if the blocks run out."""
    codes: list[str] = []
    for prefix, size, next_index in _OPEN_BLOCKS.execute(connection).fetchall():
        taken = min(size - next_index, count - len(codes))
        codes += [block_code(prefix, next_index + i) for i in range(taken)]
        _SET_NEXT_INDEX.execute(connection, (next_index + taken, prefix))
        if len(codes) == count:
            return codes
    raise PackCodesExhausted(f"{count} codes wanted, {len(codes)} left")


@dataclass(frozen=True)
class SaleRow:
    """A pack sale as the till stores it (see :class:`PackSale`)."""

    sale_id: str
    ticket_id: str
    line_id: str
    pack_id: str
    pack_name: str
    member_id: str
    price: Decimal
    currency: str
    sold_at: datetime
    local_date: str
    event_key: str
    coupons: Sequence[dict[str, str]]


def write_sale(connection: Any, sale: SaleRow, status: str) -> None:
    """Store a sale and its coupons as the member's entitlements (``status``), so they
    are redeemable here at once (K15); on the connection, in its transaction."""
    _INSERT_SALE.execute(
        connection,
        (
            sale.sale_id,
            sale.ticket_id,
            sale.line_id,
            sale.pack_id,
            sale.pack_name,
            sale.member_id,
            sale.price,
            sale.currency,
            sale.sold_at,
            sale.local_date,
            sale.event_key,
            json.dumps(list(sale.coupons), separators=(",", ":")),
        ),
    )
    _UPSERT_ENTITLEMENT.execute_many(
        connection,
        [
            (
                coupon["code"],
                sale.member_id,
                coupon["coupon_code"],
                coupon["valid_from"],
                coupon["valid_to"],
                status,
                sale.pack_id,
                sale.pack_name,
            )
            for coupon in sale.coupons
        ],
    )


# ---------------------------------------------------------------- conflicts (K14)


def withdraw_coupons(session: Session, codes: Iterable[str], status: str) -> None:
    """The coupons of a refunded sale can no longer be redeemed here."""
    for code in codes:
        entitlement = session.get(Entitlement, code)
        if entitlement is not None:
            entitlement.status = status


@dataclass(frozen=True)
class SoldRecord:
    """A pack sale of this till as stored: what was paid, and the coupons it issued
    (as ``pack.sold`` carried them)."""

    sale_id: str
    price: Decimal
    currency: str
    coupons: tuple[dict[str, str], ...]
    pack_name: str = ""
    event_key: str = ""


@dataclass(frozen=True)
class TicketPackSale:
    """A pack sold on a closed ticket, as stored: its line, name, member, price and the
    coupons it issued (code, coupon_code, valid_from, valid_to)."""

    line_id: str
    pack_id: str
    pack_name: str
    member_id: str
    member_name: str
    price: Decimal
    coupons: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class PackRefundRecord:
    """The recorded reversal of a pack sale: one in conflict (K14, ``conflict_key``), or a
    pack line returned (``conflict_key`` "")."""

    sale_id: str
    amount: Decimal
    currency: str
    method: str
    manager: str
    refunded_at: datetime
    conflict_key: str
    note: str


class PackLedger:
    """The till's pack tables in one unit of work: the checks read with the ORM; a
    closing ticket's codes and sales are written on the unit's sqlite3 connection."""

    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction

    def terms(self, pack_ids: Iterable[str] | None = None) -> dict[str, PackData]:
        return pack_terms(self._transaction.session, pack_ids)

    def member_name(self, member_id: str) -> str:
        return member_name(self._transaction.session, member_id)

    def purchases(self, pack_id: str, member_id: str, day: str) -> Bought:
        return member_purchases(self._transaction.session, pack_id, member_id, day)

    def units_left(self, pack_id: str) -> int:
        return units_left(self._transaction.session, pack_id)

    def codes_left(self) -> int:
        return codes_left(self._transaction.session)

    def record_granted(self, pack_id: str, granted: int, now: datetime) -> None:
        record_granted(self._transaction.session, pack_id, granted, now)

    def take_codes(self, count: int) -> list[str]:
        return take_codes(self._transaction.connection, count)

    def add_sale(self, sale: SaleRow, status: str) -> None:
        write_sale(self._transaction.connection, sale, status)

    def sale_of_conflict(self, conflict_key: str) -> SoldRecord | None:
        """The pack sale whose ``pack.sold`` the conflict ``conflict_key`` is about."""
        sale = self._transaction.session.scalar(
            select(PackSale).where(PackSale.event_key == conflict_key)
        )
        if sale is None:
            return None
        coupons = tuple(json.loads(sale.coupons))
        return SoldRecord(sale.sale_id, sale.price, sale.currency, coupons)

    def sale_on_line(self, ticket_id: str, line_id: str) -> SoldRecord | None:
        """The pack sold on line ``line_id`` of the closed ticket ``ticket_id``, if any."""
        sale = self._transaction.session.scalar(
            select(PackSale).where(PackSale.ticket_id == ticket_id, PackSale.line_id == line_id)
        )
        if sale is None:
            return None
        coupons = tuple(json.loads(sale.coupons))
        return SoldRecord(
            sale.sale_id, sale.price, sale.currency, coupons, sale.pack_name, sale.event_key
        )

    def entitlement_status(self, code: str) -> str | None:
        """The status the back office last gave a member's coupon here (None if unknown)."""
        found = self._transaction.session.get(Entitlement, code)
        return None if found is None else found.status

    def sales_on_ticket(self, ticket_id: str) -> list[TicketPackSale]:
        """The packs sold on the closed ticket ``ticket_id``, in line order."""
        session = self._transaction.session
        sales = session.scalars(
            select(PackSale).where(PackSale.ticket_id == ticket_id).order_by(PackSale.line_id)
        )
        return [
            TicketPackSale(
                sale.line_id,
                sale.pack_id,
                sale.pack_name,
                sale.member_id,
                member_name(session, sale.member_id),
                sale.price,
                tuple(json.loads(sale.coupons)),
            )
            for sale in sales
        ]

    def is_refunded(self, sale_id: str) -> bool:
        return self._transaction.session.get(PackRefund, sale_id) is not None

    def refunded_by_back_office(self, sale_id: str) -> bool:
        """Whether the back office says it refunded this till's sale (its purchase)."""
        record = self._transaction.session.get(PackPurchaseRecord, sale_id)
        return record is not None and record.status == REFUNDED

    def add_refund(
        self, refund: PackRefundRecord, codes: Iterable[str], withdrawn_status: str
    ) -> None:
        """Record the reversal and withdraw the sale's coupons (``codes``) here."""
        session = self._transaction.session
        session.add(
            PackRefund(
                sale_id=refund.sale_id,
                amount=refund.amount,
                currency=refund.currency,
                method=refund.method,
                manager=refund.manager,
                refunded_at=refund.refunded_at,
                conflict_key=refund.conflict_key,
                note=refund.note,
            )
        )
        withdraw_coupons(session, codes, withdrawn_status)
