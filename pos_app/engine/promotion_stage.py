"""Stage 3 of R4: the promotions, in execution order, each claiming eligible free units (R5).

A line's units enter the stage as one run: those no group purchase covers (R7), at
their price after manual pricing; a presented line brings none, and a line a cash
voucher claimed admits only the promotions that were on it at redemption (R8). Each
promotion in turn takes its claims from the units the earlier ones left.

The stage is done in one of two ways, with one result:

* in full (:meth:`PromotionStage.run`): every promotion the index finds for the
  ticket's items, in order; or
* again from the last result (:meth:`PromotionStage.rerun`): a promotion's outcome
  depends only on the free units of the lines its item filters match, so only the
  promotions that can see a line whose units differ from last time are worked out
  again, in order; when one of them claims differently, the lines it touched differ
  for the promotions after it, and so on. The others keep their outcome. At 1,000
  lines under 10,000 promotions, adding a line works out a few dozen promotions
  instead of thousands.

The lines as the stage sees them (inputs, places, pools, why a line holds a promotion
off) are :class:`~pos_app.engine.promotion_stage_lines.StageLines`. Each run leaves a
:class:`PromotionRecord` for the next. ``tests/engine`` holds a
differential test of the two ways on random tickets.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterator

from pos_app.engine.money import Currency
from pos_app.engine.promotion_effects import Run, apply_promotion
from pos_app.engine.promotion_index import RankStreams
from pos_app.engine.promotion_record import (
    Claims,
    LineEffect,
    LineInput,
    LineResult,
    PromotionRecord,
    StageInput,
)
from pos_app.engine.promotion_stage_lines import FreeUnits, StageLines
from pos_app.engine.promotions import Promotion


class PromotionStage:
    """Stage 3 over one ticket. After :meth:`run` or :meth:`rerun`: ``effects`` (rank ->
    outcome, in line ids), ``claims`` and ``results`` (per line id), ``not_applied`` (why
    each triggered promotion without effect does not apply) and ``record``."""

    def __init__(self, given: StageInput, last: PromotionRecord | None = None) -> None:
        """``last``: the record a :meth:`rerun` will start from (its lines' places by SKU
        and category are kept when lines were only added)."""
        self.given = given
        self.book = given.book
        self.index = given.book.index
        self.currency: Currency = given.book.currency
        self.ticket_lines = lines = StageLines(given, last)
        self.lines = given.lines
        self.items = given.items
        self.line_ids = given.line_ids
        self.position = given.position
        self.inputs = lines.inputs
        self.valid = self.index.valid_at(given.now)
        self.not_applied: dict[str, str] = {}
        self.effects: dict[int, LineEffect] = {}
        self.claims: dict[str, Claims] = {}
        self.results: dict[str, LineResult] = {}

    @property
    def record(self) -> PromotionRecord:
        return PromotionRecord(
            book=self.book,
            valid=self.valid,
            triggered=self.given.triggered,
            cancelled=self.given.cancelled,
            line_ids=self.line_ids,
            skus=self.ticket_lines.skus,
            inputs=self.inputs,
            claims=self.claims,
            effects=self.effects,
            results=self.results,
            lines_by_sku=self.ticket_lines.by_sku,
            lines_by_category=self.ticket_lines.by_category,
        )

    # ------------------------------------------------------------ in full

    def run(self) -> None:
        """Every promotion that can reach the ticket, in execution order."""
        free_units: list[list[Run]] = []
        self._free_by_sku: dict[str, int] = defaultdict(int)
        self._free_by_category: dict[str, int] = defaultdict(int)
        self._free_units = 0
        for i, (sku, value, start, size, _) in enumerate(self.inputs):
            free_units.append([Run(value, i, start, size)] if size else [])
            if size:
                self._free_by_sku[sku] += size
                self._free_by_category[self.items[i].category] += size
                self._free_units += size
        self._free_units_of = free_units
        claims: list[list[tuple[int, int]]] = [[] for _ in self.lines]
        triggered, cancelled = self.given.triggered, self.given.cancelled
        auto_execute, valid = self.index.auto_execute_at, self.valid
        for rank, promotion in self._candidates():
            # R12: valid now, and triggered, or automatic and not cancelled
            if not valid[rank]:
                continue
            if promotion.id not in triggered and (
                not auto_execute(rank) or promotion.id in cancelled or not self._may_apply(rank)
            ):
                continue
            effect = apply_promotion(
                promotion, self.ticket_lines.pools(rank, self._free_at), self.currency
            )
            if isinstance(effect, str):
                if promotion.id in triggered:  # the cashier is told why
                    self.not_applied[promotion.id] = self.ticket_lines.why_not(rank, effect, claims)
                continue
            for i, count in effect.claimed.items():
                claims[i].append((rank, count))
                item = self.items[i]
                self._free_by_sku[item.sku] -= count
                self._free_by_category[item.category] -= count
                self._free_units -= count
                free_units[i] = _without_first(free_units[i], count)
            self.effects[rank] = self.ticket_lines.effect_of(rank, effect)
        self.claims = {self.line_ids[i]: tuple(line_claims) for i, line_claims in enumerate(claims)}
        self.results = {
            line_id: self.ticket_lines.result_of(line_id, self.claims, self.effects)
            for line_id in self.line_ids
        }

    def _free_at(self, i: int) -> list[Run]:
        return self._free_units_of[i]

    def _candidates(self) -> Iterator[tuple[int, Promotion]]:
        """The index's promotions for the ticket's SKUs and categories, in execution
        order, merged lazily: a SKU or category whose units are all claimed stops
        yielding, so promotions that could only reach claimed units are never visited.
        Triggered promotions are always visited (their refusal needs a reason)."""
        index = self.index
        free_sku, free_category = self._free_by_sku, self._free_by_category
        streams: list[tuple[tuple[int, ...], dict[str, int] | None, str]] = []
        for sku in self.ticket_lines.by_sku:
            streams.append((index.ranks_for_sku(sku), free_sku, sku))
        for category in self.ticket_lines.by_category:
            streams.append((index.ranks_for_category(category), free_category, category))
        streams.append((index.every_item_ranks, None, "*"))
        streams.append((self._triggered_ranks(), None, ""))
        heap = [(ranks[0], n, 0) for n, (ranks, _, _) in enumerate(streams) if ranks]
        heapq.heapify(heap)
        last = -1
        while heap:
            rank, n, position = heap[0]
            ranks, free, key = streams[n]
            if free is not None and free[key] <= 0:
                heapq.heappop(heap)
                continue
            if key == "*" and self._free_units <= 0:
                heapq.heappop(heap)
                continue
            if position + 1 < len(ranks):
                heapq.heapreplace(heap, (ranks[position + 1], n, position + 1))
            else:
                heapq.heappop(heap)
            if rank != last:
                last = rank
                yield rank, index.promotion_at(rank)

    def _triggered_ranks(self) -> tuple[int, ...]:
        ranks = (self.index.rank_of(p) for p in self.given.triggered)
        return tuple(sorted(r for r in ranks if r is not None))

    def _may_apply(self, rank: int) -> bool:
        """False when some item filter has no free (unclaimed, unbarred) unit at all:
        no promotion type can apply then. A cheap pre-check; pools decide exactly."""
        free_skus, free_categories = self._free_by_sku, self._free_by_category
        total = 0
        index = self.index
        for skus, categories, every_item in index.filter_keys_at(rank):
            if every_item:
                free = self._free_units
            else:  # an upper bound: a unit may count under its SKU and its category
                free = 0
                for sku in skus:
                    free += free_skus.get(sku, 0)
                for category in categories:
                    free += free_categories.get(category, 0)
            if free <= 0:
                return False
            total += free
        return total >= index.min_units_at(rank)

    # ------------------------------------------------------------ again

    def rerun(self, last: PromotionRecord) -> None:
        """The stage worked out again from ``last`` (the same book): only the promotions
        that can see a line whose free units differ from last time, in order, and those
        whose validity or trigger changed; the others keep their outcome (module doc)."""
        index, given = self.index, self.given
        claims: dict[str, Claims] = dict(last.claims)
        effects: dict[int, LineEffect] = dict(last.effects)
        streams = RankStreams(index)
        dirty: set[str] = set()
        touched: set[str] = set()  # lines whose stage-3 result may differ from last time

        def mark(line_id: str, *inputs: LineInput | None) -> None:
            """From here on the line's free units may differ from last time."""
            dirty.add(line_id)
            for line_input in inputs:
                if line_input is not None:
                    sku = line_input[0]
                    item = self.book.items.get(sku)
                    streams.add_key(sku, item.category if item is not None else "")

        kept, inputs = self.ticket_lines.kept, self.inputs
        if kept is not None:  # lines only added since: the kept ones compared in place
            if inputs[:kept] != last.inputs:
                for i in range(kept):
                    if inputs[i] != last.inputs[i]:
                        mark(self.line_ids[i], last.inputs[i], inputs[i])
            for i in range(kept, len(inputs)):
                claims[self.line_ids[i]] = ()
                mark(self.line_ids[i], inputs[i])
            touched.update(dirty)
        else:
            last_inputs = dict(zip(last.line_ids, last.inputs, strict=True))
            for i, line_id in enumerate(self.line_ids):
                previous = last_inputs.get(line_id)
                if previous != inputs[i]:
                    claims.setdefault(line_id, ())
                    mark(line_id, previous, inputs[i])
            touched.update(dirty)
            for line_id, previous in last_inputs.items():
                if line_id not in self.position:
                    del claims[line_id]
                    mark(line_id, previous)
        streams.add_ranks(self._changed_ranks(last))
        self._claims_by_id = claims
        triggered, cancelled = given.triggered, given.cancelled
        auto_execute, valid = index.auto_execute_at, self.valid
        for rank in streams:
            promotion = index.promotion_at(rank)
            new: LineEffect | None = None
            if valid[rank] and (
                promotion.id in triggered or (auto_execute(rank) and promotion.id not in cancelled)
            ):
                effect = apply_promotion(
                    promotion,
                    self.ticket_lines.pools(rank, self._claimed_free_at(rank)),
                    self.currency,
                )
                if isinstance(effect, str):
                    if promotion.id in triggered:
                        self.not_applied[promotion.id] = self.ticket_lines.why_not(
                            rank, effect, self._claims_by_position(rank)
                        )
                else:
                    new = self.ticket_lines.effect_of(rank, effect)
            old = effects.pop(rank, None)
            if new is not None and new == old:
                new = old  # the same outcome: its adjustments are handed out again
            if new is not None:
                effects[rank] = new
            if new is not old:
                for outcome in (old, new):
                    if outcome is not None:
                        touched.update(outcome.claimed, outcome.adjustments)
            before = old.claimed if old is not None else {}
            after = new.claimed if new is not None else {}
            for line_id in {**before, **after}:
                if line_id not in self.position:  # a line removed since
                    continue
                count = after.get(line_id)
                line_claims = tuple(c for c in claims[line_id] if c[0] != rank)
                if count is not None:
                    line_claims = tuple(sorted((*line_claims, (rank, count))))
                claims[line_id] = line_claims
                if line_id not in dirty and count != before.get(line_id):
                    mark(line_id, self.inputs[self.position[line_id]])
        self.effects = dict(sorted(effects.items()))
        self.claims = claims
        if kept is not None:
            results = dict(last.results)
        else:
            results = {x: r for x, r in last.results.items() if x in self.position}
        for line_id in touched:
            if line_id in self.position:
                results[line_id] = self.ticket_lines.result_of(line_id, self.claims, self.effects)
        self.results = results

    def _changed_ranks(self, last: PromotionRecord) -> list[int]:
        """Ranks to work out whatever the lines: promotions triggered (always: a refusal
        needs its reason), and those whose validity, trigger or cancellation changed."""
        index = self.index
        ranks: set[int] = set(self._triggered_ranks())
        changed = (last.triggered ^ self.given.triggered) | (last.cancelled ^ self.given.cancelled)
        ranks.update(r for r in map(index.rank_of, changed) if r is not None)
        if last.valid is not self.valid:
            ranks.update(
                r for r, (a, b) in enumerate(zip(last.valid, self.valid, strict=True)) if a != b
            )
        return sorted(ranks)

    def _claimed_free_at(self, rank: int) -> FreeUnits:
        """Line ``i``'s free units just before the promotion at ``rank``: its input less
        the units the promotions before it claimed."""
        inputs, line_ids, claims = self.inputs, self.line_ids, self._claims_by_id

        def free_at(i: int) -> list[Run]:
            _, value, start, size, _ = inputs[i]
            used = sum(count for r, count in claims.get(line_ids[i], ()) if r < rank)
            if used >= size:
                return []
            return [Run(value, i, start + used, size - used)]

        return free_at

    def _claims_by_position(self, rank: int) -> list[list[tuple[int, int]]]:
        return [
            [c for c in self._claims_by_id.get(line_id, ()) if c[0] < rank]
            for line_id in self.line_ids
        ]


def _without_first(runs: list[Run], count: int) -> list[Run]:
    """A line's free runs once its first ``count`` free units are claimed."""
    left: list[Run] = []
    for run in runs:
        if count >= run.size:
            count -= run.size
        elif count > 0:
            left.append(run._replace(start=run.start + count, size=run.size - count))
            count = 0
        else:
            left.append(run)
    return left
