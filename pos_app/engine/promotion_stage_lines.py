"""The ticket's lines as stage 3 of R4 sees them, and why a line holds a promotion off.

:class:`StageLines` works out once per recalculation what every promotion of the
stage asks of the lines: each line's input (its free units and the promotions it
admits, R5 R7 R8), the lines by SKU and by category, the pools of free units an item
filter offers a promotion, and, when a triggered promotion does not apply, the line at
fault in the cashier's words; and what a promotion's outcome and a line's claims
come to on the lines. :mod:`pos_app.engine.promotion_stage` runs the stage
over it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from pos_app.engine.catalog import ItemFilter
from pos_app.engine.priced_ticket import Adjustment
from pos_app.engine.promotion_effects import NO_ITEMS, PromotionOutcome, Run
from pos_app.engine.promotion_record import (
    NO_EFFECT,
    Claims,
    LineEffect,
    LineInput,
    LineResult,
    PromotionRecord,
    StageInput,
)
from pos_app.engine.promotions import AmountOff, Combo, Gift, PercentOff

_NO_LINES: tuple[int, ...] = ()
_PROMOTION_RULES = {PercentOff: "R1 R5", AmountOff: "R2 R5", Combo: "R2 R5"}
FreeUnits = Callable[[int], list[Run]]  # line -> its free units at some point of the stage


class StageLines:
    """The lines of one ticket for stage 3: ``inputs`` (per line: SKU, unit value, units
    covered, free units, the promotions it admits or ``None`` for any), the places of the
    lines by SKU and category, and ``kept`` (how many leading lines are as in ``last``,
    when lines were only added since and under the same book; else ``None``)."""

    def __init__(self, given: StageInput, last: PromotionRecord | None) -> None:
        self.given = given
        self.book = given.book
        self.index = given.book.index
        self.lines = given.lines
        self.items = given.items
        self.line_ids = given.line_ids
        self.position = given.position
        self.skus = tuple(line.sku for line in given.lines)
        kept = last.kept_lines(self.line_ids, self.skus) if last is not None else None
        self.kept = kept if last is not None and last.book is given.book else None
        self.by_sku, self.by_category = self._places(last)
        self.all_lines = list(range(len(given.lines)))
        self.inputs = self._inputs(last.inputs if last is not None and self.kept else ())

    def _places(
        self, last: PromotionRecord | None
    ) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
        """The lines' places by SKU and by category: the last record's and the lines added
        since, or all of them worked out."""
        items = self.items
        if last is not None and self.kept is not None:
            by_sku, by_category = dict(last.lines_by_sku), dict(last.lines_by_category)
            for i in range(self.kept, len(items)):
                sku, category = items[i].sku, items[i].category
                by_sku[sku] = (*by_sku.get(sku, ()), i)
                by_category[category] = (*by_category.get(category, ()), i)
            return by_sku, by_category
        skus: dict[str, list[int]] = defaultdict(list)
        categories: dict[str, list[int]] = defaultdict(list)
        for i, item in enumerate(items):
            skus[item.sku].append(i)
            categories[item.category].append(i)
        return (
            {sku: tuple(places) for sku, places in skus.items()},
            {category: tuple(places) for category, places in categories.items()},
        )

    def _inputs(self, last_inputs: tuple[LineInput, ...]) -> tuple[LineInput, ...]:
        """Each line as the stage sees it (R5, R7, R8): its input in ``last_inputs`` when
        it is priced as last time (``given.same``), else worked out."""
        given = self.given
        inputs: list[LineInput] = []
        add = inputs.append
        claims_at = given.coupon_claims
        same = given.same or [False] * len(given.lines)
        for i, (line, value, covered) in enumerate(
            zip(given.lines, given.unit_values, given.covered, strict=True)
        ):
            if same[i] and i < len(last_inputs):
                add(last_inputs[i])
                continue
            free = 0 if line.presented else line.qty - covered
            allowed: frozenset[str] | None = None
            if free > 0 and i in claims_at:
                for redemption, coupon in claims_at[i]:
                    if coupon.keeps_promotions_off:
                        before = redemption.promotions_before.get(line.line_id, frozenset())
                        allowed = before if allowed is None else allowed & before
            add((line.sku, value, covered, max(0, free), allowed))
        return tuple(inputs)

    # ------------------------------------------------------------ what a promotion sees

    def pools(self, rank: int, free_at: FreeUnits) -> list[list[Run]]:
        """Per item filter of the promotion at ``rank``: the free units of the lines it
        matches that admit the promotion (R8), as runs in ticket order."""
        pid = self.index.promotion_at(rank).id
        inputs = self.inputs
        pools: list[list[Run]] = []
        for skus, categories, every_item in self.index.filter_keys_at(rank):
            pool: list[Run] = []
            for i in self.lines_of(skus, categories, every_item):
                line_input = inputs[i]
                if not line_input[3]:
                    continue
                allowed = line_input[4]
                if allowed is None or pid in allowed:
                    free = free_at(i)
                    if free:
                        pool.extend(free)
            pools.append(pool)
        return pools

    def lines_matching(self, item_filter: ItemFilter) -> Sequence[int]:
        return self.lines_of(
            tuple(item_filter.skus), tuple(item_filter.categories), item_filter.every_item
        )

    def lines_of(
        self, skus: tuple[str, ...], categories: tuple[str, ...], every_item: bool
    ) -> Sequence[int]:
        """The ticket's lines whose item is one of ``skus`` or in one of ``categories``, in
        ticket order."""
        if every_item:
            return self.all_lines
        if not categories and len(skus) == 1:
            return self.by_sku.get(skus[0], _NO_LINES)
        sources = [
            lines
            for lines in (
                *(self.by_sku.get(sku) for sku in skus),
                *(self.by_category.get(c) for c in categories),
            )
            if lines
        ]
        if len(sources) == 1:
            return sources[0]
        return sorted({i for lines in sources for i in lines})

    # ------------------------------------------------------------ outcomes on the lines

    def effect_of(self, rank: int, effect: PromotionOutcome) -> LineEffect:
        """The outcome of the promotion at ``rank`` by line id, its amounts as adjustments."""
        ids = self.line_ids
        promotion = self.index.promotion_at(rank)
        kind = f"promotion:{promotion.type_name}"
        rule = _PROMOTION_RULES.get(type(promotion), "R5")
        amounts = effect.line_amounts
        return LineEffect(
            claimed={ids[i]: count for i, count in effect.claimed.items()},
            adjustments={
                ids[i]: Adjustment(3, kind, promotion.id, rule, amounts[i]) for i in sorted(amounts)
            },
            amount=effect.amount,
            gift=effect.gift if isinstance(effect.gift, Gift) else None,
        )

    def result_of(
        self, line_id: str, claims: Mapping[str, Claims], effects: Mapping[int, LineEffect]
    ) -> LineResult:
        """A line's stage-3 result from the claims and outcomes of a run."""
        line_claims = claims.get(line_id)
        if not line_claims:
            return NO_EFFECT
        index = self.index
        adjustments = []
        for rank, _ in line_claims:
            adjustment = effects[rank].adjustments.get(line_id)
            if adjustment is not None:
                adjustments.append(adjustment)
        return LineResult(
            tuple(adjustments),
            self.book.currency.to_minor(sum((a.amount for a in adjustments), Decimal(0))),
            tuple(dict.fromkeys(index.promotion_at(rank).id for rank, _ in line_claims)),
        )

    # ------------------------------------------------------------ why not

    def why_not(self, rank: int, reason: str, claims: Sequence[Sequence[tuple[int, int]]]) -> str:
        """Why a triggered promotion does not apply, naming the line at fault: its items
        are missing, or every one of them is held by a coupon, presented or already
        taking part in another promotion; else the promotion's own condition. ``claims``:
        per line, the claims made before ``rank``."""
        promotion = self.index.promotion_at(rank)
        for item_filter in self.index.filters_at(rank):
            matching = self.lines_matching(item_filter)
            if not matching:
                return NO_ITEMS
            if any(
                self._has_free_unit(i, claims[i]) and self._may_take(i, promotion.id)
                for i in matching
            ):
                continue
            return self._held_because(matching[0], promotion.id, claims[matching[0]])
        return reason

    def _has_free_unit(self, i: int, claims: Sequence[tuple[int, int]]) -> bool:
        return self.inputs[i][3] > sum(count for _, count in claims)

    def _may_take(self, i: int, promotion_id: str) -> bool:
        """R8: a line a cash voucher claimed takes only the promotions it had then."""
        allowed = self.inputs[i][4]
        return allowed is None or promotion_id in allowed

    def _held_because(self, i: int, promotion_id: str, claims: Sequence[tuple[int, int]]) -> str:
        line, given = self.lines[i], self.given
        what = f"{self.items[i].name} (line {i + 1})"
        if line.presented:
            return f"{what} is presented"
        for _, coupon in given.coupon_claims.get(i, ()):
            if coupon.covers_units and given.covered[i] >= line.qty:
                return f"{what} is covered by coupon {coupon.code}"
            if coupon.keeps_promotions_off and not self._may_take(i, promotion_id):
                return f"{what} is covered by coupon {coupon.code}"
        index = self.index
        holders = dict.fromkeys(index.promotion_at(r).id for r, _ in claims)
        others = ", ".join(self._promotion_label(p) for p in holders)
        return f"{what} already takes part in promotion {others}"

    def _promotion_label(self, promotion_id: str) -> str:
        promotion = self.book.promotions.get(promotion_id)
        return promotion.name if promotion and promotion.name else promotion_id
