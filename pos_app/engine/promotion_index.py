"""Finds the promotions that can touch a ticket through its SKUs and categories.

A chain has thousands of promotions but a ticket touches few: looking them up
by item and category keeps recalculation independent of the chain's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pos_app.engine.catalog import Item
from pos_app.engine.promotions import Promotion


class PromotionIndex:
    """Promotions keyed by the SKUs and categories their item filters name."""

    def __init__(self, promotions: Iterable[Promotion]) -> None:
        by_sku: dict[str, list[Promotion]] = defaultdict(list)
        by_category: dict[str, list[Promotion]] = defaultdict(list)
        every_item: list[Promotion] = []
        for promotion in promotions:
            filters = promotion.item_filters()
            if any(f.every_item for f in filters):
                every_item.append(promotion)
                continue
            for sku in {s for f in filters for s in f.skus}:
                by_sku[sku].append(promotion)
            for category in {c for f in filters for c in f.categories}:
                by_category[category].append(promotion)
        self._by_sku = dict(by_sku)
        self._by_category = dict(by_category)
        self._every_item = tuple(every_item)

    def candidates(self, items: Iterable[Item]) -> list[Promotion]:
        """Promotions that name any of ``items`` (or every item), in execution order."""
        found: dict[str, Promotion] = {p.id: p for p in self._every_item}
        seen_skus: set[str] = set()
        seen_categories: set[str] = set()
        for item in items:
            if item.sku not in seen_skus:
                seen_skus.add(item.sku)
                for promotion in self._by_sku.get(item.sku, ()):
                    found[promotion.id] = promotion
            if item.category not in seen_categories:
                seen_categories.add(item.category)
                for promotion in self._by_category.get(item.category, ()):
                    found[promotion.id] = promotion
        return sorted(found.values(), key=lambda p: p.order_key)
