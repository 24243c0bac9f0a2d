"""The coupons of a ticket in stages 2, 4 and 5 of R4: which units and lines each takes,
and what it deducts.

:class:`CouponStages` is worked out once per recalculation from the redeemed coupons:
the lines non-custom coupons claim (R6), the units each group purchase covers (R7),
and, stage by stage, each coupon's deduction spread over its lines (R2, R8, R10).
:mod:`pos_app.engine.recalculation` runs it between the other stages.
"""

from __future__ import annotations

from decimal import Decimal

from pos_app.engine.coupons import GROUP_PURCHASE, CouponDefinition, Stage
from pos_app.engine.line_adjustments import LineAdjustments
from pos_app.engine.money import ZERO, Currency, spread_minor
from pos_app.engine.priced_ticket import CouponOutcome
from pos_app.engine.ticket_state import LineState, Redemption

RedeemedCoupon = tuple[Redemption, CouponDefinition]

_RULES = {2: "R7", 4: "R10 R2", 5: "R8 R2"}


class CouponStages:
    """The redeemed coupons of one ticket: ``claims_by_line`` (a line's place -> the
    non-custom coupons claiming it, R6), ``covered`` (per line, the units group purchases
    cover, R7) and, after each :meth:`run`, ``outcomes`` (code -> what it deducted)."""

    def __init__(
        self,
        currency: Currency,
        lines: tuple[LineState, ...],
        line_ids: tuple[str, ...],
        position: dict[str, int],
        redeemed: list[RedeemedCoupon],
    ) -> None:
        self.currency = currency
        self.lines = lines
        self.line_ids = line_ids
        self.position = position
        self.redeemed = redeemed
        self.outcomes: dict[str, CouponOutcome] = {}
        self.claims_by_line: dict[int, list[RedeemedCoupon]] = {}
        for redemption, coupon in redeemed:
            if coupon.claims_lines:
                for line_id in redemption.claimed_lines:
                    i = position.get(line_id)
                    if i is not None:
                        self.claims_by_line.setdefault(i, []).append((redemption, coupon))
        self._claimed_positions = sorted(self.claims_by_line)
        self._group_purchase_units = self._assign_group_purchase_units()
        self.covered = [0] * len(lines)
        for picks in self._group_purchase_units.values():
            for i, count in picks:
                self.covered[i] += count

    def run(self, stage: Stage, adjusted: LineAdjustments) -> None:
        """The coupons of ``stage``, in sequence (redemption order breaks ties), each
        deducting from its lines' nets in ``adjusted``."""
        due = [(r, c) for r, c in self.redeemed if c.stage == stage]
        due.sort(key=lambda rc: rc[1].sequence)  # stable: redemption order breaks ties
        for redemption, coupon in due:
            if coupon.effective_kind == GROUP_PURCHASE:
                lines, amounts = self._group_purchase(coupon)
                met = True
            else:
                lines = self._coupon_lines(redemption, coupon)
                amounts, met = self._deduction(coupon, lines, adjusted.net)
            rule = _RULES[int(stage)]
            key = (int(stage), f"coupon:{coupon.effective_kind}", coupon.code, rule, "")
            adjusted.add_to_lines(key, lines, amounts)
            if len(lines) == len(self.line_ids):  # the whole ticket
                line_ids = tuple(self.line_ids)
            else:
                line_ids = tuple([self.line_ids[i] for i in lines])
            self.outcomes[coupon.code] = CouponOutcome(
                coupon.code, coupon.kind, self.currency.from_minor(sum(amounts)), line_ids, met
            )

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
            if any(coupon.skips_lines_claimed_by(other) for _, other in self.claims_by_line[i])
        }
        return [i for i in lines if i not in skipped] if skipped else lines

    def _assign_group_purchase_units(self) -> dict[str, list[tuple[int, int]]]:
        """R7: each group-purchase coupon, in redemption order, takes its ``units`` from
        its lines oldest first, among the units no earlier one took. Per coupon: the
        (line, units) it covers; the units of a line are taken from its first one on."""
        taken = [0] * len(self.lines)
        covered: dict[str, list[tuple[int, int]]] = {}
        for redemption, coupon in self.redeemed:
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

    def _group_purchase(self, coupon: CouponDefinition) -> tuple[list[int], list[int]]:
        """R7: the original price of the units it covers, capped by the face value; a cap
        over several lines is split by R2 in proportion to the original value of the
        covered units on each (Details). Returns its lines and the minor units on each."""
        picks = self._group_purchase_units.get(coupon.code, [])
        lines = [i for i, _ in picks]
        to_minor = self.currency.to_minor
        amounts = [to_minor(self.stage_one_unit_value(i)) * count for i, count in picks]
        if coupon.face_value is not None and to_minor(coupon.face_value) < sum(amounts):
            amounts = spread_minor(to_minor(coupon.face_value), amounts)
        return lines, amounts

    def stage_one_unit_value(self, i: int) -> Decimal:
        """A unit's price after manual pricing: 0 presented, the adjusted price, or the
        catalog price captured when the line was added."""
        line = self.lines[i]
        if line.presented:
            return ZERO
        return line.adjusted_price if line.adjusted_price is not None else line.unit_price

    def _deduction(
        self, coupon: CouponDefinition, lines: list[int], net: list[int]
    ) -> tuple[list[int], bool]:
        """A face value or percentage over the coupon's lines, capped at what is left on
        them and spread pro rata to their nets (R2), in minor units. Min spend and amount
        are measured on the lines' value now, or, for a member voucher deducting from the
        original price, on their original price (R4 stage 5)."""
        currency = self.currency
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
        return spread_minor(amount, nets), True

    def _original_value(self, i: int) -> int:
        """A line's original price in minor units: its units at their price after manual
        pricing, before any coupon, promotion or discount."""
        return self.currency.to_minor(self.stage_one_unit_value(i)) * self.lines[i].qty
