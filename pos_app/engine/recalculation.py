"""The five-stage recalculation of a ticket from its original prices (R4).

1. manual pricing, 2. coupons on the original price, 3. promotions in sequence,
4. local discounts, 5. coupons on the discounted price. Claims and stacking
(R5–R11) decide which units and lines each step may touch; every amount lands
on lines (R3) with its source recorded (R13). The stages see only the item lines
(``state.lines``): coupon packs sold on the ticket (``state.packs``) join the result
afterwards at their price, so no rule can discount them or count them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pos_app.engine.catalog import Item
from pos_app.engine.coupons import GROUP_PURCHASE, MEMBER_DISCOUNT, CouponDefinition, Stage
from pos_app.engine.line_adjustments import LineAdjustments, RecalculationMemo, same_lines
from pos_app.engine.money import ZERO, allocate_minor
from pos_app.engine.price_book import PriceBook
from pos_app.engine.priced_ticket import Adjustment, CouponOutcome, PricedLine, PricedTicket
from pos_app.engine.promotion_record import PromotionRecord, StageInput
from pos_app.engine.promotion_stage import PromotionStage
from pos_app.engine.promotions import Gift
from pos_app.engine.ticket_state import GIFT_LINE_PREFIX, Redemption, TicketState


def recalculate(
    state: TicketState, book: PriceBook, now: datetime, last: PricedTicket | None = None
) -> PricedTicket:
    """Price ``state`` under ``book`` at local time ``now``. Pure: no I/O, no mutation.

    ``last`` is the same ticket as priced before (under another state, this book or
    another): stage 3 is then worked out again only where the change can reach it
    (:mod:`pos_app.engine.promotion_stage`), and the lines and adjustments that come out
    the same are the last result's own objects. The result is the same either way."""
    return _Recalculation(state, book, now, last).run()


class _Recalculation:
    """One run of the pipeline over one ticket; holds the per-line working values."""

    def __init__(
        self, state: TicketState, book: PriceBook, now: datetime, last: PricedTicket | None
    ) -> None:
        self.state = state
        self.last = last
        self.book = book
        self.now = now
        self.currency = book.currency
        self.lines = state.lines
        self.line_ids = tuple(line.line_id for line in state.lines)
        self._same = same_lines(state, book, last)
        self.adjusted = LineAdjustments(self.currency, self.line_ids, last)
        catalog = book.items
        self.items: list[Item] = [
            catalog.get(line.sku) or Item(line.sku, line.sku, line.unit_price)
            for line in self.lines
        ]
        self.position = {line_id: i for i, line_id in enumerate(self.line_ids)}
        memo = last.memo if last is not None else None
        self._last_record = memo.promotions if memo is not None else None
        self.promotion_claims: list[tuple[str, ...]] = [()] * len(self.lines)
        self.not_applied: dict[str, str] = {}
        self.memo: RecalculationMemo | None = None
        self.promotion_amounts: dict[str, Decimal] = {}
        self.coupon_outcomes: dict[str, CouponOutcome] = {}
        self.discount_amounts: dict[str, Decimal] = {}
        self.gift_lines: list[PricedLine] = []
        self._redeemed: list[tuple[Redemption, CouponDefinition]] = [
            (r, book.coupons[r.code]) for r in state.redemptions if r.code in book.coupons
        ]
        # The lines non-custom coupons claim (R6): their place -> (redemption, coupon)s.
        self._claims_by_line: dict[int, list[tuple[Redemption, CouponDefinition]]] = {}
        for redemption, coupon in self._redeemed:
            if coupon.claims_lines:
                for line_id in redemption.claimed_lines:
                    i = self.position.get(line_id)
                    if i is not None:
                        self._claims_by_line.setdefault(i, []).append((redemption, coupon))
        self._claimed_positions = sorted(self._claims_by_line)
        self._group_purchase_units = self._assign_group_purchase_units()
        self._covered = [0] * len(self.lines)  # per line: units group purchases cover (R7)
        for picks in self._group_purchase_units.values():
            for i, count in picks:
                self._covered[i] += count

    # ------------------------------------------------------------ pipeline

    def run(self) -> PricedTicket:
        self._manual_pricing()
        self._coupons(Stage.ORIGINAL_PRICE_COUPONS)
        self._promotions(self._last_record)
        self._store_discounts()
        self._coupons(Stage.LOCAL_DISCOUNTS)
        self._coupons(Stage.DISCOUNTED_PRICE_COUPONS)
        return self._result()

    def _manual_pricing(self) -> None:
        """Stage 1: present makes a line free; a price adjustment sets a new unit price."""
        to_minor, lines = self.currency.to_minor, self.lines
        before = self.last.memo.gross if self.last is not None and self.last.memo else ()
        self.gross = tuple(
            before[i] if same else to_minor(line.unit_price) * line.qty
            for i, (line, same) in enumerate(zip(lines, self._same, strict=True))
        )
        adjusted = self.adjusted
        adjusted.start(self.gross)
        for i, line in enumerate(lines):
            if line.presented:
                adjusted.add(i, (1, "present", line.line_id, "R4", "presented"), self.gross[i])
            elif line.adjusted_price is not None:
                change = self.gross[i] - to_minor(line.adjusted_price) * line.qty
                note = f"price adjusted to {self.currency.format(line.adjusted_price)}"
                adjusted.add(i, (1, "price_adjustment", line.line_id, "R4", note), change)

    # ------------------------------------------------------------ coupons

    def _coupon_lines(self, redemption: Redemption, coupon: CouponDefinition) -> list[int]:
        """The lines a coupon applies to now: those it covered when redeemed (R6), or the
        whole ticket; minus lines it must leave alone (R10)."""
        if coupon.has_applicable_items:
            lines = sorted(self.position[x] for x in redemption.claimed_lines if x in self.position)
        else:
            lines = list(range(len(self.lines)))
        skipped = {
            i
            for i in self._claimed_positions
            if any(coupon.skips_lines_claimed_by(other) for _, other in self._claims_by_line[i])
        }
        return [i for i in lines if i not in skipped] if skipped else lines

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
            rule = {2: "R7", 4: "R10 R2", 5: "R8 R2"}[int(stage)]
            key = (int(stage), f"coupon:{coupon.effective_kind}", coupon.code, rule, "")
            self.adjusted.add_to_lines(key, lines, amounts)
            if len(lines) == len(self.line_ids):  # the whole ticket
                line_ids = tuple(self.line_ids)
            else:
                line_ids = tuple([self.line_ids[i] for i in lines])
            self.coupon_outcomes[coupon.code] = CouponOutcome(
                coupon.code, coupon.kind, self.currency.from_minor(sum(amounts)), line_ids, met
            )

    def _group_purchase(self, coupon: CouponDefinition) -> tuple[list[int], list[int]]:
        """R7: the original price of the units it covers, capped by the face value; a cap
        over several lines is split by R2 in proportion to the original value of the
        covered units on each (Details). Returns its lines and the minor units on each."""
        picks = self._group_purchase_units.get(coupon.code, [])
        lines = [i for i, _ in picks]
        to_minor = self.currency.to_minor
        amounts = [to_minor(self.stage_one_unit_value(i)) * count for i, count in picks]
        if coupon.face_value is not None and to_minor(coupon.face_value) < sum(amounts):
            amounts = _allocate(to_minor(coupon.face_value), amounts)
        return lines, amounts

    def stage_one_unit_value(self, i: int) -> Decimal:
        """A unit's price after manual pricing: 0 presented, the adjusted price, or the
        catalog price captured when the line was added."""
        line = self.lines[i]
        if line.presented:
            return ZERO
        return line.adjusted_price if line.adjusted_price is not None else line.unit_price

    def _deduction(self, coupon: CouponDefinition, lines: list[int]) -> tuple[list[int], bool]:
        """A face value or percentage over the coupon's lines, capped at what is left on
        them and spread pro rata to their nets (R2), in minor units. Min spend and amount
        are measured on the lines' value now, or, for a member voucher deducting from the
        original price, on their original price (R4 stage 5)."""
        currency = self.currency
        net = self.adjusted.net
        nets = [net[i] for i in lines]
        spend = sum(nets)
        measured = spend
        if coupon.deducts_from_original:
            measured = sum(self._original_value(i) for i in lines)
        if coupon.min_spend is not None and measured < currency.to_minor(coupon.min_spend):
            return [0] * len(lines), False
        if coupon.percent is not None:
            percent = currency.percent_of(coupon.percent, currency.from_minor(spend))
            amount = currency.to_minor(percent)
        else:
            amount = min(currency.to_minor(coupon.face_value or ZERO), measured, spend)
        if spend <= 0:
            return [0] * len(lines), True
        return _allocate(amount, nets), True

    def _original_value(self, i: int) -> int:
        """A line's original price in minor units: its units at their price after manual
        pricing, before any coupon, promotion or discount."""
        return self.currency.to_minor(self.stage_one_unit_value(i)) * self.lines[i].qty

    # ------------------------------------------------------------ promotions

    def _promotions(self, last: PromotionRecord | None) -> None:
        """Stage 3: each active promotion in sequence claims eligible unclaimed units (R5),
        worked out in full or again from ``last`` (:mod:`pos_app.engine.promotion_stage`)."""
        stage = PromotionStage(
            StageInput(
                book=self.book,
                now=self.now,
                lines=self.lines,
                line_ids=self.line_ids,
                position=self.position,
                items=self.items,
                unit_values=[
                    ZERO
                    if line.presented
                    else line.unit_price
                    if line.adjusted_price is None
                    else line.adjusted_price
                    for line in self.lines
                ],
                covered=self._covered,
                coupon_claims=self._claims_by_line,
                same=self._same,
                triggered=frozenset(self.state.triggered),
                cancelled=frozenset(self.state.cancelled),
            ),
            last,
        )
        if last is not None and last.book is self.book:
            stage.rerun(last)
        else:
            stage.run()
        self.not_applied = stage.not_applied
        self.memo = RecalculationMemo(stage.record, self.adjusted.made, self.state, self.gross)
        self.adjusted.add_results(self.line_ids, stage.results, self.promotion_claims)
        index = self.book.index
        for rank, effect in stage.effects.items():
            amount = effect.amount
            if effect.gift is not None:
                amount += self._add_gift_line(effect.gift)
            self.promotion_amounts[index.promotion_at(rank).id] = amount

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
        return i in self._claims_by_line

    def _store_discounts(self) -> None:
        """Stage 4, first part: store discounts in the order applied (R9)."""
        for discount in self.state.discounts:
            if discount.line_id is not None:
                i = self.position.get(discount.line_id)
                if i is None or self.coupon_claimed(i):
                    self.discount_amounts[discount.discount_id] = ZERO
                    continue
                lines, nets = [i], [self.adjusted.net[i]]
                kind = "discount:line"
            else:
                lines = [i for i in range(len(self.lines)) if not self.coupon_claimed(i)]
                nets = [self.adjusted.net[i] for i in lines]
                kind = "discount:order"
            base = sum(nets)
            currency = self.currency
            if discount.percent is not None:
                amount = currency.to_minor(
                    currency.percent_of(discount.percent, currency.from_minor(base))
                )
            else:
                amount = min(currency.to_minor(discount.amount or ZERO), base)
            parts = _allocate(amount, nets) if base > 0 else [0] * len(lines)
            self.adjusted.add_to_lines((4, kind, discount.discount_id, "R9 R2", ""), lines, parts)
            self.discount_amounts[discount.discount_id] = currency.from_minor(amount)

    # ------------------------------------------------------------ result

    def _result(self) -> PricedTicket:
        priced: list[PricedLine] = []
        adjusted, claims_by_line, same = self.adjusted, self._claims_by_line, self._same
        for i, line in enumerate(self.lines):
            last = adjusted.unchanged(i)
            claiming = self.promotion_claims[i]
            if last is not None and same[i] and last.claiming_promotions == claiming:
                priced.append(last)  # the same line, coupons and book, the same adjustments
                continue
            coupon_claims = claims_by_line.get(i)
            coupon_codes = tuple(c.code for _, c in coupon_claims) if coupon_claims else ()
            if (
                last is not None
                and last.qty == line.qty
                and last.unit_price == line.unit_price
                and last.presented == line.presented
                and last.adjusted_price == line.adjusted_price
                and last.sku == line.sku
                and last.name == self.items[i].name
                and last.coupon_codes == coupon_codes
                and last.claiming_promotions == claiming
            ):
                priced.append(last)  # the same line: nothing about it changed
                continue
            priced.append(
                PricedLine.of_item(
                    line.line_id,
                    line.sku,
                    self.items[i].name,
                    line.qty,
                    line.unit_price,
                    self.currency.from_minor(adjusted.net[i]),
                    adjusted.of(i),
                    line.presented,
                    line.adjusted_price,
                    coupon_codes,
                    claiming,
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
            # R3: the sum of the lines' nets (gift lines are free; packs at their price)
            total=self.currency.from_minor(sum(adjusted.net))
            + sum((pack.price for pack in self.state.packs), ZERO),
            closed=self.state.closed,
            not_applied=self.not_applied,
            memo=self.memo,
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


def _allocate(total: int, weights: list[int]) -> list[int]:
    """``total`` minor units over ``weights`` by R2 (all weights zero: evenly)."""
    if not weights:
        return []
    return allocate_minor(total, weights if sum(weights) > 0 else [1] * len(weights))


def member_discount_lines(ticket: PricedTicket) -> set[str]:
    """Lines a redeemed member discount coupon covers (they count as locally discounted)."""
    return {
        line_id
        for outcome in ticket.coupons.values()
        if outcome.kind == MEMBER_DISCOUNT
        for line_id in outcome.line_ids
    }
