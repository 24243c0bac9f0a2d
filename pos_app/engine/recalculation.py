"""The five-stage recalculation of a ticket from its original prices (R4).

1. manual pricing, 2. coupons on the original price, 3. promotions in sequence,
4. local discounts, 5. coupons on the discounted price. Claims and stacking
(R5–R11) decide which units and lines each step may touch; every amount lands
on lines (R3) with its source recorded (R13). The stages see only the item lines
(``state.lines``): coupon packs sold on the ticket (``state.packs``) join the result
afterwards at their price, so no rule can discount them or count them. The coupon
stages are :class:`~pos_app.engine.coupon_stages.CouponStages`, stage 3
:class:`~pos_app.engine.promotion_stage.PromotionStage`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pos_app.engine.catalog import Item
from pos_app.engine.coupon_stages import CouponStages
from pos_app.engine.coupons import MEMBER_DISCOUNT, Stage
from pos_app.engine.line_adjustments import LineAdjustments, RecalculationMemo, same_lines
from pos_app.engine.money import ZERO, spread_minor
from pos_app.engine.price_book import PriceBook
from pos_app.engine.priced_ticket import Adjustment, PricedLine, PricedTicket
from pos_app.engine.promotion_record import PromotionRecord, StageInput
from pos_app.engine.promotion_stage import PromotionStage
from pos_app.engine.promotions import Gift
from pos_app.engine.ticket_state import GIFT_LINE_PREFIX, TicketState


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
        self.discount_amounts: dict[str, Decimal] = {}
        self.gift_lines: list[PricedLine] = []
        redeemed = [(r, book.coupons[r.code]) for r in state.redemptions if r.code in book.coupons]
        self.coupons = CouponStages(
            self.currency, self.lines, self.line_ids, self.position, redeemed
        )
        self._claims_by_line = self.coupons.claims_by_line

    # ------------------------------------------------------------ pipeline

    def run(self) -> PricedTicket:
        self._manual_pricing()
        self.coupons.run(Stage.ORIGINAL_PRICE_COUPONS, self.adjusted)
        self._promotions(self._last_record)
        self._store_discounts()
        self.coupons.run(Stage.LOCAL_DISCOUNTS, self.adjusted)
        self.coupons.run(Stage.DISCOUNTED_PRICE_COUPONS, self.adjusted)
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
                covered=self.coupons.covered,
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
            parts = spread_minor(amount, nets) if base > 0 else [0] * len(lines)
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
        outcomes = self.coupons.outcomes
        ordered_coupons = {
            r.code: outcomes[r.code] for r in self.state.redemptions if r.code in outcomes
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


def member_discount_lines(ticket: PricedTicket) -> set[str]:
    """Lines a redeemed member discount coupon covers (they count as locally discounted)."""
    return {
        line_id
        for outcome in ticket.coupons.values()
        if outcome.kind == MEMBER_DISCOUNT
        for line_id in outcome.line_ids
    }
