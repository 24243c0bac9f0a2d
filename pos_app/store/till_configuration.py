"""The till's pricing configuration read from the store: the PriceBook the engine
prices with, plus what the till itself needs to know about coupons and the device.

Promotions and coupons are stored as their JSON definitions and parsed here with the
engine's parsers; the store manager's auto-execute overrides win (R12); each usable
member entitlement becomes a coupon of its own code with the arithmetic of its
coupon definition. How a typed code finds its coupon (case, platform prefixes,
provisional codes) is the protocol's rule (:mod:`pos_app.protocol.coupon_codes`).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.engine import (
    CouponDefinition,
    Currency,
    DefinitionError,
    Item,
    PackOffer,
    PriceBook,
    Promotion,
    parse_coupon,
    parse_promotion,
)
from pos_app.engine.promotions import Gift
from pos_app.engine.validity import ValidityWindow
from pos_app.protocol.bounds import BoundError, check_price
from pos_app.protocol.coupon_codes import CouponCodes, CouponCodesBuilder
from pos_app.protocol.taxes import TaxRateError, parse_tax_rate
from pos_app.store.database import Transaction
from pos_app.store.models.configuration import (
    AutoExecuteOverride,
    CatalogItem,
    CouponRecord,
    PromotionRecord,
    StoreInfo,
)
from pos_app.store.models.device import Device
from pos_app.store.models.members import Entitlement
from pos_app.store.models.packs import PackRecord

log = logging.getLogger(__name__)

DEFAULT_CURRENCY = "USD"
# Entitlement statuses that can be redeemed; any other status (redeemed, expired,
# void, ...) keeps the code off the till.
USABLE_ENTITLEMENT_STATUSES = frozenset({"active", "issued"})


@dataclass(frozen=True)
class TillConfiguration:
    """Everything pricing needs, read in one go: the price book (overrides applied),
    the device and its store, and the coupon codes (:class:`CouponCodes`)."""

    book: PriceBook
    store_id: str | None
    device_id: str | None
    codes: CouponCodes
    entitlement_members: dict[str, str]
    synced_auto_execute: dict[str, bool]
    problems: tuple[str, ...] = ()
    # Taxes and scanning: whether prices hold the tax, each SKU's rate, barcode -> SKU.
    tax_inclusive: bool = True
    tax_rates: Mapping[str, Decimal] = dataclasses.field(default_factory=dict)
    barcodes: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # A return of more than this needs a manager's PIN (None: any return may go).
    return_approval_limit: Decimal | None = None

    @property
    def single_use_codes(self) -> frozenset[str]:
        return self.codes.single_use

    @property
    def verify_later_codes(self) -> frozenset[str]:
        return self.codes.verify_later

    def with_entitlements(self, held: Iterable[HeldCoupon]) -> TillConfiguration:
        """This configuration that also redeems ``held`` coupons (the ones a pack sold
        here just issued, K15), without reading every entitlement again."""
        as_coupon = _EntitlementCoupons()
        added = [
            (coupon, as_coupon(coupon.code, base, coupon.valid_from, coupon.valid_to))
            for coupon in held
            if (base := self.book.coupons.get(coupon.coupon_code)) is not None
        ]
        if not added:
            return self
        return dataclasses.replace(
            self,
            book=self.book.with_coupons(definition for _, definition in added),
            codes=self.codes.with_entitlements({c.code: c.coupon_code for c, _ in added}),
            entitlement_members={
                **self.entitlement_members,
                **{c.code: c.member_id for c, _ in added},
            },
        )


@dataclass(frozen=True)
class HeldCoupon:
    """A coupon a member holds by its own code: the entitlement's fields that redeem it."""

    code: str
    member_id: str
    coupon_code: str
    valid_from: str | None
    valid_to: str | None


def load_configuration(session: Session) -> TillConfiguration:
    """Read the configuration; a stored definition that no longer fits (a gift of an
    unknown SKU, an entitlement of an unknown coupon) is skipped and reported."""
    problems: list[str] = []
    device = session.get(Device, 1)
    store = _store(session, device.store_id if device else None)
    currency = Currency.of(store.currency if store else DEFAULT_CURRENCY)
    items: list[Item] = []
    tax_rates: dict[str, Decimal] = {}
    barcodes: dict[str, str] = {}
    for sku, name, price, category, tax_rate, barcode in session.execute(
        select(
            CatalogItem.sku,
            CatalogItem.name,
            CatalogItem.price,
            CatalogItem.category,
            CatalogItem.tax_rate,
            CatalogItem.barcode,
        ).order_by(CatalogItem.sku)
    ):
        items.append(Item(sku=sku, name=name, price=price, category=category))
        try:
            tax_rates[sku] = parse_tax_rate(tax_rate)
        except TaxRateError as exc:
            problems.append(f"item {sku}: tax_rate {exc}")
            tax_rates[sku] = Decimal(0)
        if barcode:
            barcodes[barcode] = sku
    skus = {item.sku for item in items}
    promotions: list[Promotion] = []
    for promotion_id, definition in session.execute(
        select(PromotionRecord.promotion_id, PromotionRecord.definition).order_by(
            PromotionRecord.promotion_id
        )
    ):
        try:
            promotion = parse_promotion(json.loads(definition), f"promotion {promotion_id}")
        except (DefinitionError, ValueError) as exc:
            problems.append(f"promotion {promotion_id}: {exc}")
            continue
        if isinstance(promotion, Gift) and promotion.gift_sku not in skus:
            problems.append(f"promotion {promotion_id}: gift SKU {promotion.gift_sku} unknown")
            continue
        promotions.append(promotion)
    coupons: dict[str, CouponDefinition] = {}
    codes = CouponCodesBuilder()
    for code, definition, is_single_use, is_verify_later in session.execute(
        select(
            CouponRecord.code,
            CouponRecord.definition,
            CouponRecord.single_use,
            CouponRecord.verify_later,
        ).order_by(CouponRecord.code)
    ):
        try:
            raw = json.loads(definition)
            coupon = parse_coupon(raw, f"coupon {code}")
        except (DefinitionError, ValueError) as exc:
            problems.append(f"coupon {code}: {exc}")
            continue
        coupons[coupon.code] = coupon
        codes.add_coupon(
            coupon, raw, single_use=bool(is_single_use), verify_later=bool(is_verify_later)
        )
    entitlement_members: dict[str, str] = {}
    as_coupon = _EntitlementCoupons()
    for code, member_id, coupon_code, valid_from, valid_to in session.execute(
        select(
            Entitlement.code,
            Entitlement.member_id,
            Entitlement.coupon_code,
            Entitlement.valid_from,
            Entitlement.valid_to,
        )
        .where(Entitlement.status.in_(USABLE_ENTITLEMENT_STATUSES))
        .order_by(Entitlement.code)
    ):
        base = coupons.get(coupon_code)
        if base is None or code in coupons:
            problems.append(
                f"entitlement {code}: "
                + (
                    f"coupon {coupon_code} unknown"
                    if base is None
                    else "its code is also a coupon code"
                )
            )
            continue
        coupons[code] = as_coupon(code, base, valid_from, valid_to)
        codes.add_entitlement(code, coupon_code)
        entitlement_members[code] = member_id
    packs = _pack_offers(session, currency, problems)
    synced = {p.id: p.auto_execute for p in promotions}
    overrides = {
        row.promotion_id: row.auto_execute
        for row in session.scalars(select(AutoExecuteOverride))
        if row.promotion_id in synced
    }
    book = PriceBook.build(currency, items, promotions, coupons.values(), packs)
    for problem in problems:
        log.warning("configuration: %s", problem)
    return TillConfiguration(
        book=book.with_auto_execute(overrides),
        store_id=store.store_id if store else (device.store_id if device else None),
        device_id=device.device_id if device else None,
        codes=codes.build(),
        entitlement_members=entitlement_members,
        synced_auto_execute=synced,
        problems=tuple(problems),
        tax_inclusive=bool(store.tax_inclusive) if store is not None else True,
        tax_rates=tax_rates,
        barcodes=barcodes,
        return_approval_limit=store.return_approval_limit if store is not None else None,
    )


def _pack_offers(session: Session, currency: Currency, problems: list[str]) -> list[PackOffer]:
    """The synced packs as the engine sells them; a price outside the protocol's bound
    (stored before the intake checked it) or one the store's currency cannot hold (more
    places than it has) keeps that pack off the till, reported."""
    offers = []
    for pack_id, name, price in session.execute(
        select(PackRecord.pack_id, PackRecord.name, PackRecord.price).order_by(PackRecord.pack_id)
    ):
        try:
            check_price(price)
        except BoundError as bad:
            problems.append(f"pack {pack_id}: price {bad}")
            continue
        if price != currency.round(price):
            problems.append(f"pack {pack_id}: price {price} does not fit {currency.code}")
            continue
        offers.append(PackOffer(pack_id=pack_id, name=name, price=price))
    return offers


def _store(session: Session, store_id: str | None) -> StoreInfo | None:
    if store_id is not None:
        return session.get(StoreInfo, store_id)
    stores = list(session.scalars(select(StoreInfo).limit(2)))
    return stores[0] if len(stores) == 1 else None


class _EntitlementCoupons:
    """The coupon an entitlement redeems as: its coupon definition's arithmetic, its own
    code, and its own validity window when it has one. A till can hold a hundred
    thousand entitlements, so each definition's fields and each window are worked out
    once (the same as ``dataclasses.replace``, without its per-call cost)."""

    def __init__(self) -> None:
        self._fields: dict[int, tuple[type[CouponDefinition], dict[str, Any]]] = {}
        self._windows: dict[tuple[str | None, str | None], ValidityWindow] = {}

    def __call__(
        self, code: str, base: CouponDefinition, valid_from: str | None, valid_to: str | None
    ) -> CouponDefinition:
        validity = base.validity
        if valid_from is not None or valid_to is not None:
            validity = self._window(code, valid_from, valid_to)
        known = self._fields.get(id(base))
        if known is None:
            fields = {f.name: getattr(base, f.name) for f in dataclasses.fields(base) if f.init}
            known = self._fields[id(base)] = (type(base), fields)
        cls, fields = known
        return cls(**{**fields, "code": code, "validity": validity})

    def _window(self, code: str, valid_from: str | None, valid_to: str | None) -> ValidityWindow:
        window = self._windows.get((valid_from, valid_to))
        if window is None:
            window = ValidityWindow.parse(
                {"valid_from": valid_from, "valid_to": valid_to}, f"entitlement {code}"
            )
            self._windows[(valid_from, valid_to)] = window
        return window


class ConfigurationRecords:
    """The configuration in one unit of work: read whole, and the store manager's local
    auto-execute overrides written (R12)."""

    def __init__(self, transaction: Transaction) -> None:
        self._session = transaction.session

    def load(self) -> TillConfiguration:
        return load_configuration(self._session)

    def set_override(
        self, promotion_id: str, auto_execute: bool, manager: str, now: datetime
    ) -> bool | None:
        """Store the override of ``promotion_id``; returns the override it replaced
        (None: there was none)."""
        row = self._session.get(AutoExecuteOverride, promotion_id)
        previous = row.auto_execute if row is not None else None
        if row is None:
            self._session.add(
                AutoExecuteOverride(
                    promotion_id=promotion_id,
                    auto_execute=auto_execute,
                    manager=manager,
                    changed_at=now,
                )
            )
        else:
            row.auto_execute = auto_execute
            row.manager = manager
            row.changed_at = now
        return previous
