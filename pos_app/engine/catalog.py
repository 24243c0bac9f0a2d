"""Catalog items and the item filters that promotions and coupons use to pick them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from pos_app.engine.errors import DefinitionError
from pos_app.engine.money import AmountError, parse_amount

CATEGORY_PREFIX = "category:"


@dataclass(frozen=True)
class Item:
    """A sellable item: SKU, display name, catalog unit price and category."""

    sku: str
    name: str
    price: Decimal
    category: str = ""

    @classmethod
    def parse(cls, raw: object, field: str) -> Item:
        """An item from its scenario/back-office form, or a DefinitionError naming the field."""
        obj = require_mapping(raw, field)
        sku = require_text(obj, "sku", field)
        try:
            price = parse_amount(obj.get("price"))
        except AmountError as exc:
            raise DefinitionError(f"{field}.price", str(exc)) from None
        name = obj.get("name", sku)
        category = obj.get("category", "")
        if not isinstance(name, str) or not isinstance(category, str):
            raise DefinitionError(field, "name and category must be strings")
        return cls(sku=sku, name=name, price=price, category=category)


@dataclass(frozen=True)
class ItemFilter:
    """Which items a promotion or coupon applies to: SKUs and/or categories.

    An empty filter means every item (FORMAT.md: missing or empty ``items``).
    """

    skus: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    every_item: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "every_item", not self.skus and not self.categories)

    def matches(self, item: Item) -> bool:
        if self.every_item:
            return True
        return item.sku in self.skus or item.category in self.categories

    def to_list(self) -> list[str]:
        return sorted(self.skus) + [CATEGORY_PREFIX + c for c in sorted(self.categories)]

    @classmethod
    def parse(cls, raw: object, field: str) -> ItemFilter:
        if raw is None:
            return cls()
        if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw):
            raise DefinitionError(field, "must be a list of SKUs and/or 'category:NAME'")
        skus = {x for x in raw if not x.startswith(CATEGORY_PREFIX)}
        categories = {x[len(CATEGORY_PREFIX) :] for x in raw if x.startswith(CATEGORY_PREFIX)}
        if "" in categories:
            raise DefinitionError(field, "'category:' needs a category name")
        return cls(frozenset(skus), frozenset(categories))


def require_mapping(raw: object, field: str) -> Mapping[str, object]:
    if not isinstance(raw, Mapping):
        raise DefinitionError(field, "must be an object")
    return raw


def require_text(obj: Mapping[str, object], key: str, field: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DefinitionError(f"{field}.{key}", "is required and must be a non-empty string")
    return value


def check_known_skus(filters: Iterable[tuple[str, ItemFilter]], skus: Iterable[str]) -> None:
    """Every SKU a filter names must be in the catalog."""
    known = set(skus)
    for where, item_filter in filters:
        unknown = sorted(item_filter.skus - known)
        if unknown:
            raise DefinitionError(where, f"unknown SKU {unknown[0]!r}")
