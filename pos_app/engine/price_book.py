"""Everything the back office decides for a store: currency, catalog, promotions, coupons."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import TypeVar

from pos_app.engine.bounds import amount_rule
from pos_app.engine.catalog import Item, check_known_skus, require_mapping
from pos_app.engine.coupons import CouponDefinition, parse_coupon
from pos_app.engine.errors import DefinitionError
from pos_app.engine.money import Currency
from pos_app.engine.packs import PackOffer
from pos_app.engine.promotion_index import PromotionIndex
from pos_app.engine.promotions import Gift, Promotion, parse_promotion

T = TypeVar("T")


@dataclass(frozen=True)
class PriceBook:
    """An immutable, indexed view of a store's pricing configuration.

    Build it once per configuration change; every ticket recalculation reads it.
    """

    currency: Currency
    items: Mapping[str, Item]
    promotions: Mapping[str, Promotion]
    coupons: Mapping[str, CouponDefinition]
    index: PromotionIndex = field(compare=False, repr=False)
    packs: Mapping[str, PackOffer] = field(default_factory=dict)

    def coupon_name(self, code: str) -> str:
        """What people call the coupon of ``code``: its name, or the code itself when it
        has none or is unknown (a code typed in another case finds its coupon)."""
        coupon = self.coupons.get(code)
        if coupon is None:
            folded = code.casefold()
            coupon = next((c for k, c in self.coupons.items() if k.casefold() == folded), None)
        return coupon.name if coupon is not None and coupon.name else code

    @classmethod
    def build(
        cls,
        currency: Currency,
        items: Iterable[Item],
        promotions: Iterable[Promotion] = (),
        coupons: Iterable[CouponDefinition] = (),
        packs: Iterable[PackOffer] = (),
    ) -> PriceBook:
        """A price book; duplicate SKUs, ids or codes and unknown gift SKUs are refused."""
        item_map = _keyed(items, "catalog", "sku", "SKU", currency)
        promotion_map = _keyed(promotions, "promotions", "id", "id", currency)
        for i, promotion in enumerate(promotion_map.values()):
            if isinstance(promotion, Gift) and promotion.gift_sku not in item_map:
                raise DefinitionError(
                    f"promotions[{i}].gift_sku", f"unknown SKU {promotion.gift_sku!r}"
                )
        coupon_map = _keyed(coupons, "coupons", "code", "code", currency)
        pack_map = _keyed(packs, "packs", "pack_id", "id", currency)
        return cls(
            currency=currency,
            items=item_map,
            promotions=promotion_map,
            coupons=coupon_map,
            index=PromotionIndex(promotion_map.values()),
            packs=pack_map,
        )

    @classmethod
    def parse(cls, raw: Mapping[str, object], *, strict_skus: bool = False) -> PriceBook:
        """A price book from the scenario / sync JSON form (``currency``, ``catalog``,
        ``promotions``, ``coupons``); errors name the field at fault."""
        code = raw.get("currency", "USD")
        if not isinstance(code, str) or len(code) != 3 or not code.isalpha():
            raise DefinitionError("currency", "must be a three-letter ISO 4217 code")
        items = [Item.parse(x, f"catalog[{i}]") for i, x in enumerate(_list(raw, "catalog"))]
        promotions = [
            parse_promotion(x, f"promotions[{i}]") for i, x in enumerate(_list(raw, "promotions"))
        ]
        coupons = [parse_coupon(x, f"coupons[{i}]") for i, x in enumerate(_list(raw, "coupons"))]
        if strict_skus:
            skus = [item.sku for item in items]
            check_known_skus(
                (
                    (f"promotions[{i}]", f)
                    for i, p in enumerate(promotions)
                    for f in p.item_filters()
                ),
                skus,
            )
        return cls.build(Currency.of(code), items, promotions, coupons)

    def with_coupons(self, extra: Iterable[CouponDefinition]) -> PriceBook:
        """A copy that also knows ``extra`` coupons (e.g. a platform code accepted to be
        verified later, S14); the promotion index is shared, not rebuilt."""
        added = {c.code: c for c in extra if c.code not in self.coupons}
        if not added:
            return self
        return replace(self, coupons={**self.coupons, **added})

    def with_auto_execute(self, overrides: Mapping[str, bool]) -> PriceBook:
        """A copy where a store manager's local auto-execute overrides win (R12)."""
        if not overrides:
            return self
        promotions = [
            p.with_auto_execute(overrides[p.id]) if p.id in overrides else p
            for p in self.promotions.values()
        ]
        return PriceBook.build(
            self.currency,
            self.items.values(),
            promotions,
            self.coupons.values(),
            self.packs.values(),
        )


def _keyed(
    entries: Iterable[T], section: str, key: str, label: str, currency: Currency
) -> dict[str, T]:
    """``entries`` by their ``key`` field; a repeated key or an amount with more places than
    the currency's is refused, naming ``section[i].field``."""
    found: dict[str, T] = {}
    for i, entry in enumerate(entries):
        value = getattr(entry, key)
        if value in found:
            raise DefinitionError(f"{section}[{i}].{key}", f"duplicate {label} {value!r}")
        _check_places(entry, f"{section}[{i}]", currency)
        found[value] = entry
    return found


def _check_places(definition: object, where: str, currency: Currency) -> None:
    """Every amount of money in ``definition`` has at most the currency's places
    (ENGINE-RULES, the INVALID row); a percent is not money."""
    for f in fields(definition):  # type: ignore[arg-type]
        value = getattr(definition, f.name)
        if isinstance(value, Decimal) and f.name != "percent" and value != currency.round(value):
            raise DefinitionError(f"{where}.{f.name}", f"must be {amount_rule(currency.exponent)}")


def _list(raw: Mapping[str, object], key: str) -> list[object]:
    value = raw.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise DefinitionError(key, "must be a list")
    for i, entry in enumerate(value):
        require_mapping(entry, f"{key}[{i}]")
    return value
