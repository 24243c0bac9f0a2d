"""The till's pricing configuration read from the store: the PriceBook the engine
prices with, plus what the till itself needs to know about coupons and the device.

Promotions and coupons are stored as their JSON definitions and parsed here with the
engine's parsers; the store manager's auto-execute overrides win (R12); each usable
member entitlement becomes a coupon of its own code with the arithmetic of its
coupon definition.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.engine import (
    CouponDefinition,
    Currency,
    DefinitionError,
    Item,
    PriceBook,
    Promotion,
    parse_coupon,
    parse_promotion,
)
from pos_app.engine.promotions import Gift
from pos_app.engine.validity import ValidityWindow
from pos_app.store.models.configuration import (
    AutoExecuteOverride,
    CatalogItem,
    CouponRecord,
    PromotionRecord,
    StoreInfo,
)
from pos_app.store.models.device import Device
from pos_app.store.models.members import Entitlement

log = logging.getLogger(__name__)

DEFAULT_CURRENCY = "USD"
# Entitlement statuses that can be redeemed; any other status (redeemed, expired,
# void, ...) keeps the code off the till.
USABLE_ENTITLEMENT_STATUSES = frozenset({"active", "issued"})


@dataclass(frozen=True)
class TillConfiguration:
    """Everything pricing needs, read in one go: the price book (overrides applied),
    the device and its store, and which coupon codes are single use or provisional."""

    book: PriceBook
    store_id: str | None
    device_id: str | None
    single_use_codes: frozenset[str]
    verify_later_codes: frozenset[str]
    entitlement_members: dict[str, str]
    synced_auto_execute: dict[str, bool]
    problems: tuple[str, ...] = ()


def load_configuration(session: Session) -> TillConfiguration:
    """Read the configuration; a stored definition that no longer fits (a gift of an
    unknown SKU, an entitlement of an unknown coupon) is skipped and reported."""
    problems: list[str] = []
    device = session.get(Device, 1)
    store = _store(session, device.store_id if device else None)
    currency = Currency.of(store.currency if store else DEFAULT_CURRENCY)
    items = [
        Item(sku=row.sku, name=row.name, price=row.price, category=row.category)
        for row in session.scalars(select(CatalogItem).order_by(CatalogItem.sku))
    ]
    skus = {item.sku for item in items}
    promotions: list[Promotion] = []
    for row in session.scalars(select(PromotionRecord).order_by(PromotionRecord.promotion_id)):
        try:
            promotion = parse_promotion(json.loads(row.definition), f"promotion {row.promotion_id}")
        except (DefinitionError, ValueError) as exc:
            problems.append(f"promotion {row.promotion_id}: {exc}")
            continue
        if isinstance(promotion, Gift) and promotion.gift_sku not in skus:
            problems.append(f"promotion {row.promotion_id}: gift SKU {promotion.gift_sku} unknown")
            continue
        promotions.append(promotion)
    coupons: dict[str, CouponDefinition] = {}
    single_use: set[str] = set()
    verify_later: set[str] = set()
    for coupon_row in session.scalars(select(CouponRecord).order_by(CouponRecord.code)):
        try:
            coupon = parse_coupon(json.loads(coupon_row.definition), f"coupon {coupon_row.code}")
        except (DefinitionError, ValueError) as exc:
            problems.append(f"coupon {coupon_row.code}: {exc}")
            continue
        coupons[coupon.code] = coupon
        if coupon_row.single_use:
            single_use.add(coupon.code)
        if coupon_row.verify_later:
            verify_later.add(coupon.code)
    entitlement_members: dict[str, str] = {}
    for entitlement in session.scalars(select(Entitlement).order_by(Entitlement.code)):
        if entitlement.status not in USABLE_ENTITLEMENT_STATUSES:
            continue
        base = coupons.get(entitlement.coupon_code)
        if base is None or entitlement.code in coupons:
            problems.append(
                f"entitlement {entitlement.code}: "
                + (
                    f"coupon {entitlement.coupon_code} unknown"
                    if base is None
                    else "its code is also a coupon code"
                )
            )
            continue
        coupons[entitlement.code] = _entitlement_coupon(entitlement, base)
        single_use.add(entitlement.code)
        entitlement_members[entitlement.code] = entitlement.member_id
    synced = {p.id: p.auto_execute for p in promotions}
    overrides = {
        row.promotion_id: row.auto_execute
        for row in session.scalars(select(AutoExecuteOverride))
        if row.promotion_id in synced
    }
    book = PriceBook.build(currency, items, promotions, coupons.values())
    for problem in problems:
        log.warning("configuration: %s", problem)
    return TillConfiguration(
        book=book.with_auto_execute(overrides),
        store_id=store.store_id if store else (device.store_id if device else None),
        device_id=device.device_id if device else None,
        single_use_codes=frozenset(single_use),
        verify_later_codes=frozenset(verify_later),
        entitlement_members=entitlement_members,
        synced_auto_execute=synced,
        problems=tuple(problems),
    )


def _store(session: Session, store_id: str | None) -> StoreInfo | None:
    if store_id is not None:
        return session.get(StoreInfo, store_id)
    stores = list(session.scalars(select(StoreInfo).limit(2)))
    return stores[0] if len(stores) == 1 else None


def _entitlement_coupon(entitlement: Entitlement, base: CouponDefinition) -> CouponDefinition:
    """The coupon an entitlement redeems as: the definition's arithmetic, its own code,
    and its own validity window when it has one."""
    validity = base.validity
    if entitlement.valid_from is not None or entitlement.valid_to is not None:
        validity = ValidityWindow.parse(
            {"valid_from": entitlement.valid_from, "valid_to": entitlement.valid_to},
            f"entitlement {entitlement.code}",
        )
    return replace(base, code=entitlement.code, validity=validity)
