"""The five-stage recalculation of a ticket from its original prices (R4).

1. manual pricing, 2. coupons on the original price, 3. promotions in sequence,
4. local discounts, 5. coupons on the discounted price. Claims and stacking
(R5–R11) decide which units and lines each step may touch; every amount lands
on lines (R3) with its source recorded (R13). The stages see only the item lines
(``state.lines``): coupon packs sold on the ticket (``state.packs``) join the result
afterwards at their price, so no rule can discount them or count them.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from pos_app.engine.catalog import Item, ItemFilter
from pos_app.engine.coupons import GROUP_PURCHASE, MEMBER_DISCOUNT, CouponDefinition, Stage
from pos_app.engine.money import ZERO
from pos_app.engine.price_book import PriceBook
from pos_app.engine.priced_ticket import Adjustment, CouponOutcome, PricedLine, PricedTicket
from pos_app.engine.promotion_effects import NO_ITEMS, PromotionOutcome, Run, apply_promotion
from pos_app.engine.promotions import AmountOff, Combo, Gift, PercentOff, Promotion
from pos_app.engine.ticket_state import GIFT_LINE_PREFIX, Redemption, TicketState

_NO_LINES: list[int] = []
_PROMOTION_RULES = {PercentOff: "R1 R5", AmountOff: "R2 R5", Combo: "R2 R5"}


def recalculate(state: TicketState, book: PriceBook, now: datetime) -> PricedTicket:
    """Price ``state`` under ``book`` at local time ``now``. Pure: no I/O, no mutation."""
    return _Recalculation(state, book, now).run()


class _Recalculation:
    """One run of the pipeline over one ticket; holds the per-line working values."""

    def __init__(self, state: TicketState, book: PriceBook, now: datetime) -> None:
        self.state = state
        self.book = book
        self.now = now
        self.currency = book.currency
        self.lines = state.lines
        self.items: list[Item] = [
            book.items.get(line.sku) or Item(line.sku, line.sku, line.unit_price)
            for line in self.lines
        ]
        self.position = {line.line_id: i for i, line in enumerate(self.lines)}
        self.adjustments: list[list[Adjustment]] = [[] for _ in self.lines]
        self.promotion_claims: list[list[str]] = [[] for _ in self.lines]
        self.net: list[Decimal] = []
        self.not_applied: dict[str, str] = {}
        self.promotion_amounts: dict[str, Decimal] = {}
        self.coupon_outcomes: dict[str, CouponOutcome] = {}
        self.discount_amounts: dict[str, Decimal] = {}
        self.gift_lines: list[PricedLine] = []
        self._redeemed: list[tuple[Redemption, CouponDefinition]] = [
            (r, book.coupons[r.code]) for r in state.redemptions if r.code in book.coupons
        ]
        self._claims_by_line: list[list[tuple[Redemption, CouponDefinition]]] = [
            [] for _ in self.lines
        ]
        for redemption, coupon in self._redeemed:
            if coupon.claims_lines:
                for line_id in redemption.claimed_lines:
                    if line_id in self.position:
                        self._claims_by_line[self.position[line_id]].append((redemption, coupon))
        self._group_purchase_units = self._assign_group_purchase_units()

    # ------------------------------------------------------------ pipeline

    def run(self) -> PricedTicket:
        self._manual_pricing()
        self._coupons(Stage.ORIGINAL_PRICE_COUPONS)
        self._promotions()
        self._store_discounts()
        self._coupons(Stage.LOCAL_DISCOUNTS)
        self._coupons(Stage.DISCOUNTED_PRICE_COUPONS)
        return self._result()

    def _add(self, i: int, adjustment: Adjustment) -> None:
        self.adjustments[i].append(adjustment)
        self.net[i] -= adjustment.amount

    def _manual_pricing(self) -> None:
        """Stage 1: present makes a line free; a price adjustment sets a new unit price."""
        for i, line in enumerate(self.lines):
            gross = line.unit_price * line.qty
            self.net.append(gross)
            if line.presented:
                self._add(i, Adjustment(1, "present", line.line_id, "R4", gross, "presented"))
            elif line.adjusted_price is not None:
                change = gross - line.adjusted_price * line.qty
                note = f"price adjusted to {self.currency.format(line.adjusted_price)}"
                self._add(i, Adjustment(1, "price_adjustment", line.line_id, "R4", change, note))

    # ------------------------------------------------------------ coupons

    def _coupon_lines(self, redemption: Redemption, coupon: CouponDefinition) -> list[int]:
        """The lines a coupon applies to now: those it covered when redeemed (R6), or the
        whole ticket; minus lines it must leave alone (R10)."""
        if coupon.has_applicable_items:
            lines = sorted(self.position[x] for x in redemption.claimed_lines if x in self.position)
        else:
            lines = list(range(len(self.lines)))
        return [
            i
            for i in lines
            if not any(coupon.skips_lines_claimed_by(other) for _, other in self._claims_by_line[i])
        ]

    def _assign_group_purchase_units(self) -> dict[str, list[tuple[int, int]]]:
        """R7: each group-purchase coupon, in redemption order, takes its ``units`` from
        its lines oldest first, among the units no earlier one took. Per coupon: the
        (line, units) it covers; the units of a line are taken from its first one on."""
        taken = [0] * len(self.lines)
        covered: dict[str, list[tuple[int, int]]] = {}
        for redemption, coupon in self._redeemed:
            if coupon.effective_kind != GROUP_PURCHASE:
                continue
            wanted = coupon.units
            picks: list[tuple[int, int]] = []
            claimed = redemption.claimed_lines
            for i in sorted(self.position[x] for x in claimed if x in self.position):
                count = min(wanted, self.lines[i].qty - taken[i])
                if count > 0:
                    picks.append((i, count))
                    taken[i] += count
                    wanted -= count
            covered[coupon.code] = picks
        return covered

    def _coupons(self, stage: Stage) -> None:
        due = [(r, c) for r, c in self._redeemed if c.stage == stage]
        due.sort(key=lambda rc: rc[1].sequence)  # stable: redemption order breaks ties
        for redemption, coupon in due:
            if coupon.effective_kind == GROUP_PURCHASE:
                lines, amounts = self._group_purchase(coupon)
                met = True
            else:
                lines = self._coupon_lines(redemption, coupon)
                amounts, met = self._deduction(coupon, lines)
            kind = f"coupon:{coupon.effective_kind}"
            rule = {2: "R7", 4: "R10 R2", 5: "R8 R2"}[int(stage)]
            for i, amount in zip(lines, amounts, strict=True):
                if amount:
                    self._add(i, Adjustment(int(stage), kind, coupon.code, rule, amount))
            line_ids = tuple(self.lines[i].line_id for i in lines)
            self.coupon_outcomes[coupon.code] = CouponOutcome(
                coupon.code, coupon.kind, sum(amounts, ZERO), line_ids, met
            )

    def _group_purchase(self, coupon: CouponDefinition) -> tuple[list[int], list[Decimal]]:
        """R7: the original price of the units it covers, capped by the face value
        (spread over those units by R2). Returns its lines and the amount on each."""
        picks = self._group_purchase_units.get(coupon.code, [])
        lines = [i for i, _ in picks]
        runs = [(self.stage_one_unit_value(i), count) for i, count in picks]
        amounts = [value * count for value, count in runs]
        if coupon.face_value is not None and coupon.face_value < sum(amounts, ZERO):
            amounts = self.currency.allocate_units(coupon.face_value, runs)
        return lines, amounts

    def stage_one_unit_value(self, i: int) -> Decimal:
        """A unit's price after manual pricing: 0 presented, the adjusted price, or the
        catalog price captured when the line was added."""
        line = self.lines[i]
        if line.presented:
            return ZERO
        return line.adjusted_price if line.adjusted_price is not None else line.unit_price

    def _deduction(self, coupon: CouponDefinition, lines: list[int]) -> tuple[list[Decimal], bool]:
        """A face value or percentage over the coupon's lines, capped at what is left on
        them and spread pro rata to their nets (R2). Min spend is measured now."""
        nets = [self.net[i] for i in lines]
        spend = sum(nets, ZERO)
        if coupon.min_spend is not None and spend < coupon.min_spend:
            return [ZERO] * len(lines), False
        if coupon.percent is not None:
            amount = self.currency.percent_of(coupon.percent, spend)
        else:
            amount = min(coupon.face_value or ZERO, spend)
        if spend <= 0:
            return [ZERO] * len(lines), True
        return self.currency.allocate(amount, nets), True

    def _free_runs(self, i: int) -> list[Run]:
        """A line's units for the promotions: what stages 1 and 2 left of it, spread
        evenly over its units (the earlier ones take the odd minor units)."""
        qty = self.lines[i].qty
        value = self.stage_one_unit_value(i)
        if self.net[i] == value * qty:  # untouched by stage 2: every unit at one value
            return [Run(value, i, 0, qty)]
        base, odd = divmod(self.currency.to_minor(self.net[i]), qty)
        runs = []
        if odd:
            runs.append(Run(self.currency.from_minor(base + 1), i, 0, odd))
        if qty > odd:
            runs.append(Run(self.currency.from_minor(base), i, odd, qty - odd))
        return runs

    # ------------------------------------------------------------ promotions

    def _candidates(self) -> Iterator[tuple[int, Promotion]]:
        """The index's promotions for the ticket's SKUs and categories, in execution
        order, merged lazily: a SKU or category whose units are all claimed stops
        yielding, so promotions that could only reach claimed units are never visited.
        Triggered promotions are always visited (their refusal needs a reason)."""
        index = self.book.index
        free_sku, free_category = self._free_by_sku, self._free_by_category
        streams: list[tuple[tuple[int, ...], dict[str, int] | None, str]] = []
        for sku in self._lines_by_sku:
            streams.append((index.ranks_for_sku(sku), free_sku, sku))
        for category in self._lines_by_category:
            streams.append((index.ranks_for_category(category), free_category, category))
        streams.append((index.every_item_ranks, None, "*"))
        triggered_ranks = tuple(
            sorted(r for r in (index.rank_of(p) for p in self._triggered) if r is not None)
        )
        streams.append((triggered_ranks, None, ""))
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

    def _bar_lines(self) -> None:
        """Per line, whether every promotion is barred from it (presented, R7) and which
        promotions alone may still touch it (R8: those on it when a coupon claimed it)."""
        self._barred_all = [False] * len(self.lines)
        self._allowed: list[frozenset[str] | None] = [None] * len(self.lines)
        for i, line in enumerate(self.lines):
            if line.presented:
                self._barred_all[i] = True
                continue
            for redemption, coupon in self._claims_by_line[i]:
                if coupon.excludes_promotions:
                    self._barred_all[i] = True
                    break
                before = redemption.promotions_before.get(line.line_id, frozenset())
                allowed = self._allowed[i]
                self._allowed[i] = before if allowed is None else allowed & before

    def _lines_matching(self, item_filter: ItemFilter) -> list[int]:
        return self._lines_of(
            tuple(item_filter.skus), tuple(item_filter.categories), item_filter.every_item
        )

    def _lines_of(
        self, skus: tuple[str, ...], categories: tuple[str, ...], every_item: bool
    ) -> list[int]:
        """The ticket's lines whose item is one of ``skus`` or in one of ``categories``, in
        ticket order."""
        if every_item:
            return self._all_lines
        if not categories and len(skus) == 1:
            return self._lines_by_sku.get(skus[0], _NO_LINES)
        sources = [
            lines
            for lines in (
                *(self._lines_by_sku.get(sku) for sku in skus),
                *(self._lines_by_category.get(c) for c in categories),
            )
            if lines
        ]
        if len(sources) == 1:
            return sources[0]
        return sorted({i for lines in sources for i in lines})

    def _may_apply(self, rank: int) -> bool:
        """False when some item filter has no free (unclaimed, unbarred) unit at all:
        no promotion type can apply then. A cheap pre-check; pools decide exactly."""
        free_skus, free_categories = self._free_by_sku, self._free_by_category
        total = 0
        index = self.book.index
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

    def _promotions(self) -> None:
        """Stage 3: each active promotion in sequence claims eligible unclaimed units (R5)."""
        self._all_lines = list(range(len(self.lines)))
        self._lines_by_sku: dict[str, list[int]] = defaultdict(list)
        self._lines_by_category: dict[str, list[int]] = defaultdict(list)
        for i, item in enumerate(self.items):
            self._lines_by_sku[item.sku].append(i)
            self._lines_by_category[item.category].append(i)
        self._triggered = set(self.state.triggered)
        self._bar_lines()
        self._free_by_sku: dict[str, int] = defaultdict(int)
        self._free_by_category: dict[str, int] = defaultdict(int)
        self._free_units = 0
        for i, line in enumerate(self.lines):
            if not self._barred_all[i]:
                self._free_by_sku[line.sku] += line.qty
                self._free_by_category[self.items[i].category] += line.qty
                self._free_units += line.qty
        # Each line's units still free for promotions, as runs; claimed units leave (R5).
        self._free_units_of: list[list[Run]] = [
            [] if self._barred_all[i] else self._free_runs(i) for i in range(len(self.lines))
        ]
        cancelled, triggered = set(self.state.cancelled), self._triggered
        free_units, allowed_on = self._free_units_of, self._allowed
        index = self.book.index
        filter_keys, auto_execute = index.filter_keys_at, index.auto_execute_at
        valid = index.valid_at(self.now)
        for rank, promotion in self._candidates():
            # R12: valid now, and triggered, or automatic and not cancelled
            if not valid[rank]:
                continue
            if promotion.id not in triggered and (
                not auto_execute(rank) or promotion.id in cancelled or not self._may_apply(rank)
            ):
                continue
            pools: list[list[Run]] = []
            for skus, categories, every_item in filter_keys(rank):
                pool: list[Run] = []
                for i in self._lines_of(skus, categories, every_item):
                    free = free_units[i]
                    if not free:
                        continue
                    allowed = allowed_on[i]
                    if allowed is None or promotion.id in allowed:
                        pool.extend(free)
                pools.append(pool)
            effect = apply_promotion(promotion, pools, self.currency)
            if isinstance(effect, str):
                if promotion.id in self._triggered:  # the cashier is told why
                    self.not_applied[promotion.id] = self._why_not(rank, effect)
                continue
            self._record_promotion(promotion, effect)

    def _record_promotion(self, promotion: Promotion, effect: PromotionOutcome) -> None:
        for i, count in effect.claimed.items():
            self.promotion_claims[i].append(promotion.id)
            item = self.items[i]
            self._free_by_sku[item.sku] -= count
            self._free_by_category[item.category] -= count
            self._free_units -= count
            self._free_units_of[i] = _without_first(self._free_units_of[i], count)
        kind = f"promotion:{promotion.type_name}"
        rule = _PROMOTION_RULES.get(type(promotion), "R5")
        for i in sorted(effect.line_amounts):
            self._add(i, Adjustment(3, kind, promotion.id, rule, effect.line_amounts[i]))
        amount = effect.amount
        if isinstance(effect.gift, Gift):
            amount += self._add_gift_line(effect.gift)
        self.promotion_amounts[promotion.id] = amount

    def _why_not(self, rank: int, reason: str) -> str:
        """Why a triggered promotion does not apply, naming the line at fault: its items
        are missing, or every one of them is held by a coupon, presented or already
        taking part in another promotion; else the promotion's own condition."""
        promotion = self.book.index.promotion_at(rank)
        for item_filter in self.book.index.filters_at(rank):
            matching = self._lines_matching(item_filter)
            if not matching:
                return NO_ITEMS
            if any(self._free_units_of[i] and self._may_take(i, promotion.id) for i in matching):
                continue
            return self._held_because(matching[0], promotion.id)
        return reason

    def _may_take(self, i: int, promotion_id: str) -> bool:
        """R8: a line a coupon claimed takes only the promotions it had then."""
        allowed = self._allowed[i]
        return allowed is None or promotion_id in allowed

    def _held_because(self, i: int, promotion_id: str) -> str:
        line = self.lines[i]
        what = f"{self.items[i].name} (line {i + 1})"
        if line.presented:
            return f"{what} is presented"
        for _, coupon in self._claims_by_line[i]:
            if coupon.excludes_promotions or not self._may_take(i, promotion_id):
                return f"{what} is covered by coupon {coupon.code}"
        holders = dict.fromkeys(self.promotion_claims[i])
        others = ", ".join(self._promotion_label(p) for p in holders)
        return f"{what} already takes part in promotion {others}"

    def _promotion_label(self, promotion_id: str) -> str:
        promotion = self.book.promotions.get(promotion_id)
        return promotion.name if promotion and promotion.name else promotion_id

    def _add_gift_line(self, gift: Gift) -> Decimal:
        item = self.book.items[gift.gift_sku]
        gross = item.price * gift.qty
        adjustment = Adjustment(3, "promotion:gift", gift.id, "R5", gross, "free gift")
        self.gift_lines.append(
            PricedLine(
                line_id=GIFT_LINE_PREFIX + gift.id,
                sku=item.sku,
                name=item.name,
                qty=gift.qty,
                unit_price=item.price,
                gross=gross,
                net=ZERO,
                adjustments=(adjustment,),
                is_gift=True,
            )
        )
        return gross

    # ------------------------------------------------------------ local discounts

    def coupon_claimed(self, i: int) -> bool:
        return bool(self._claims_by_line[i])

    def _store_discounts(self) -> None:
        """Stage 4, first part: store discounts in the order applied (R9)."""
        for discount in self.state.discounts:
            if discount.line_id is not None:
                i = self.position.get(discount.line_id)
                if i is None or self.coupon_claimed(i):
                    self.discount_amounts[discount.discount_id] = ZERO
                    continue
                lines, nets = [i], [self.net[i]]
                kind = "discount:line"
            else:
                lines = [i for i in range(len(self.lines)) if not self.coupon_claimed(i)]
                nets = [self.net[i] for i in lines]
                kind = "discount:order"
            base = sum(nets, ZERO)
            if discount.percent is not None:
                amount = self.currency.percent_of(discount.percent, base)
            else:
                amount = min(discount.amount or ZERO, base)
            parts = self.currency.allocate(amount, nets) if base > 0 else [ZERO] * len(lines)
            for i, part in zip(lines, parts, strict=True):
                if part:
                    self._add(i, Adjustment(4, kind, discount.discount_id, "R9 R2", part))
            self.discount_amounts[discount.discount_id] = amount

    # ------------------------------------------------------------ result

    def _result(self) -> PricedTicket:
        priced: list[PricedLine] = []
        for i, line in enumerate(self.lines):
            priced.append(
                PricedLine(
                    line_id=line.line_id,
                    sku=line.sku,
                    name=self.items[i].name,
                    qty=line.qty,
                    unit_price=line.unit_price,
                    gross=line.unit_price * line.qty,
                    net=self.net[i],
                    adjustments=tuple(self.adjustments[i]),
                    presented=line.presented,
                    adjusted_price=line.adjusted_price,
                    coupon_codes=tuple(c.code for _, c in self._claims_by_line[i]),
                    claiming_promotions=tuple(dict.fromkeys(self.promotion_claims[i])),
                )
            )
        priced.extend(self.gift_lines)
        priced.extend(_pack_lines(self.state))
        ordered_coupons = {
            r.code: self.coupon_outcomes[r.code]
            for r in self.state.redemptions
            if r.code in self.coupon_outcomes
        }
        return PricedTicket(
            currency=self.currency,
            lines=tuple(priced),
            promotions=self.promotion_amounts,
            coupons=ordered_coupons,
            discounts=self.discount_amounts,
            total=sum((line.net for line in priced), ZERO),
            closed=self.state.closed,
            not_applied=self.not_applied,
        )


def _pack_lines(state: TicketState) -> list[PricedLine]:
    """The coupon packs sold on the ticket, after the five stages and outside all of
    them: each at its price, with no adjustment (K12; R3: they are lines, and the total
    is still the sum of the lines' nets)."""
    return [
        PricedLine(
            line_id=pack.line_id,
            sku="",
            name=pack.name,
            qty=1,
            unit_price=pack.price,
            gross=pack.price,
            net=pack.price,
            adjustments=(),
            pack_id=pack.pack_id,
        )
        for pack in state.packs
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


def member_discount_lines(ticket: PricedTicket) -> set[str]:
    """Lines a redeemed member discount coupon covers (they count as locally discounted)."""
    return {
        line_id
        for outcome in ticket.coupons.values()
        if outcome.kind == MEMBER_DISCOUNT
        for line_id in outcome.line_ids
    }
