"""Finds the promotions that can touch a ticket through its SKUs and categories.

A chain has thousands of promotions but a ticket touches few: looking them up
by item and category keeps recalculation independent of the chain's size.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from pos_app.engine.catalog import Item, ItemFilter
from pos_app.engine.promotions import Promotion


class PromotionIndex:
    """Promotions keyed by the SKUs and categories their item filters name, each with
    its rank in execution order (sequence, then id) so a ticket's candidates sort as
    integers."""

    def __init__(self, promotions: Iterable[Promotion]) -> None:
        ordered = sorted(promotions, key=lambda p: p.order_key)
        self._by_rank: tuple[Promotion, ...] = tuple(ordered)
        by_sku: dict[str, list[int]] = defaultdict(list)
        by_category: dict[str, list[int]] = defaultdict(list)
        every_item: list[int] = []
        for rank, promotion in enumerate(ordered):
            filters = promotion.item_filters()
            if any(f.every_item for f in filters):
                every_item.append(rank)
                continue
            for sku in {s for f in filters for s in f.skus}:
                by_sku[sku].append(rank)  # ranks ascend: lists stay sorted
            for category in {c for f in filters for c in f.categories}:
                by_category[category].append(rank)
        self._by_sku = {k: tuple(v) for k, v in by_sku.items()}
        self._by_category = {k: tuple(v) for k, v in by_category.items()}
        self._every_item = tuple(every_item)
        self._rank_of = {p.id: rank for rank, p in enumerate(ordered)}
        self._filters = tuple(p.item_filters() for p in ordered)
        self._filter_keys = tuple(
            tuple((tuple(f.skus), tuple(f.categories), f.every_item) for f in filters)
            for filters in self._filters
        )
        self._min_units = tuple(p.min_units for p in ordered)
        self._auto = tuple(p.auto_execute for p in ordered)
        self._windowed = [
            (rank, p.validity)
            for rank, p in enumerate(ordered)
            if p.validity.valid_from is not None or p.validity.valid_to is not None
        ]
        edges = {t for _, w in self._windowed for t in (w.valid_from, w.valid_to) if t}
        self._edges = sorted(edges)
        self._edge_set = frozenset(edges)
        self._valid_between: dict[tuple[int, bool], tuple[bool, ...]] = {}

    def __len__(self) -> int:
        return len(self._by_rank)

    def candidates(self, items: Iterable[Item]) -> list[Promotion]:
        """Promotions that name any of ``items`` (or every item), in execution order."""
        listed = list(items)
        return self.candidates_for({i.sku for i in listed}, {i.category for i in listed})

    def candidates_for(self, skus: Iterable[str], categories: Iterable[str]) -> list[Promotion]:
        """Promotions naming any of ``skus`` or ``categories`` (or every item), in order."""
        ranks: set[int] = set(self._every_item)
        by_sku, by_category = self._by_sku, self._by_category
        for sku in skus:
            found = by_sku.get(sku)
            if found:
                ranks.update(found)
        for category in categories:
            found = by_category.get(category)
            if found:
                ranks.update(found)
        by_rank = self._by_rank
        return [by_rank[rank] for rank in sorted(ranks)]

    def promotion_at(self, rank: int) -> Promotion:
        return self._by_rank[rank]

    def ranks_for_sku(self, sku: str) -> tuple[int, ...]:
        """Ranks of the promotions naming ``sku``, ascending."""
        return self._by_sku.get(sku, ())

    def ranks_for_category(self, category: str) -> tuple[int, ...]:
        """Ranks of the promotions naming ``category``, ascending."""
        return self._by_category.get(category, ())

    @property
    def every_item_ranks(self) -> tuple[int, ...]:
        """Ranks of the promotions that apply to every item, ascending."""
        return self._every_item

    def rank_of(self, promotion_id: str) -> int | None:
        return self._rank_of.get(promotion_id)

    def filters_at(self, rank: int) -> tuple[ItemFilter, ...]:
        """The item filters of the promotion at ``rank`` (computed once)."""
        return self._filters[rank]

    def min_units_at(self, rank: int) -> int:
        return self._min_units[rank]

    def filter_keys_at(
        self, rank: int
    ) -> tuple[tuple[tuple[str, ...], tuple[str, ...], bool], ...]:
        """Per item filter of the promotion at ``rank``: its SKUs, its categories and
        whether it means every item (plain tuples: the recalculation's hot path)."""
        return self._filter_keys[rank]

    def auto_execute_at(self, rank: int) -> bool:
        return self._auto[rank]

    def valid_at(self, now: datetime) -> tuple[bool, ...]:
        """Per rank, whether the promotion's validity window contains ``now``.

        Which windows contain a time only changes where a window starts or ends, so the
        answer is kept per stretch between those edges: a recalculation looks it up
        instead of checking thousands of windows."""
        position = bisect_right(self._edges, now)
        key = (position, now in self._edge_set)
        valid = self._valid_between.get(key)
        if valid is None:
            flags = [True] * len(self._by_rank)
            for rank, window in self._windowed:
                flags[rank] = window.contains(now)
            valid = self._valid_between[key] = tuple(flags)
        return valid


class RankStreams:
    """Ranks to visit, ascending, each once: those of the promotions naming the SKUs and
    categories added so far (from the rank being visited when they were added on), and
    ranks given one by one."""

    def __init__(self, index: PromotionIndex) -> None:
        self.index = index
        self.heap: list[tuple[int, int, int]] = []  # (rank, stream, position in it)
        self.streams: list[tuple[int, ...]] = []
        self.keys: set[tuple[str, str]] = set()
        self.every_item = False
        self.current = -1

    def _push(self, ranks: tuple[int, ...]) -> None:
        start = bisect_right(ranks, self.current)
        if start < len(ranks):
            self.streams.append(ranks)
            heapq.heappush(self.heap, (ranks[start], len(self.streams) - 1, start))

    def add_key(self, sku: str, category: str) -> None:
        """Visit, from now on, every promotion naming ``sku`` or ``category`` (or every
        item)."""
        if ("sku", sku) not in self.keys:
            self.keys.add(("sku", sku))
            self._push(self.index.ranks_for_sku(sku))
        if ("category", category) not in self.keys:
            self.keys.add(("category", category))
            self._push(self.index.ranks_for_category(category))
        if not self.every_item:
            self.every_item = True
            self._push(self.index.every_item_ranks)

    def add_ranks(self, ranks: Sequence[int]) -> None:
        self._push(tuple(sorted(ranks)))

    def __iter__(self) -> Iterator[int]:
        heap, streams = self.heap, self.streams
        while heap:
            rank, n, position = heap[0]
            ranks = streams[n]
            if position + 1 < len(ranks):
                heapq.heapreplace(heap, (ranks[position + 1], n, position + 1))
            else:
                heapq.heappop(heap)
            if rank > self.current:
                self.current = rank
                yield rank
