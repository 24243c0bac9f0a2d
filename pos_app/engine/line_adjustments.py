"""Each line's adjustments and net as the five stages add them, and what a recalculation
keeps for the next one of the same ticket (:class:`RecalculationMemo`).

A 1,000-line ticket is recalculated after every action, and an action changes few
lines, so a recalculation hands out again the last result's own objects wherever they
come out the same: equal adjustments are one object (made once, kept by what they are
and their minor units), so a line whose adjustments are the last result's, in the same
places, is the last result's line itself. Nets are kept in minor units (R3: exact).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pos_app.engine.money import Currency
from pos_app.engine.price_book import PriceBook
from pos_app.engine.priced_ticket import Adjustment, PricedLine, PricedTicket
from pos_app.engine.promotion_record import LineResult, PromotionRecord
from pos_app.engine.ticket_state import TicketState

AdjustmentKey = tuple[int, str, str, str, str]  # stage, kind, source, rule, note
_KEPT_ADJUSTMENTS = 50_000


@dataclass(frozen=True, eq=False)
class RecalculationMemo:
    """What a recalculation leaves for the next one of the same ticket: stage 3's record,
    the state it priced and its lines' gross, and the adjustments made so far by what
    they are and their minor units (shared along the ticket's recalculations; they only
    ever grow by immutable values, up to a bound)."""

    promotions: PromotionRecord
    adjustments: dict[AdjustmentKey, dict[int, Adjustment]] = field(default_factory=dict)
    state: TicketState = field(default_factory=TicketState)
    gross: tuple[int, ...] = ()


def same_lines(state: TicketState, book: PriceBook, last: PricedTicket | None) -> list[bool]:
    """Per line of ``state``: whether it is the very line the last result priced in that
    place, under the same coupons and book, so that everything pricing it before the
    promotions is as it was (its gross, its stage-3 input). Lines added or changed in
    place leave the others so; anything else (a line removed, a coupon redeemed) makes
    none so."""
    memo = last.memo if last is not None else None
    lines = state.lines
    if (
        memo is None
        or memo.promotions.book is not book
        or state.redemptions != memo.state.redemptions
    ):
        return [False] * len(lines)
    before = memo.state.lines
    same = [line is earlier for line, earlier in zip(lines, before, strict=False)]
    return same + [False] * (len(lines) - len(same))


def _lines_in_place(
    last: PricedTicket | None, line_ids: tuple[str, ...]
) -> list[PricedLine | None]:
    """Per line id, the last result's line of that id (None for a new line). Item lines
    come first in a result, in ticket order; when lines were only added since, they are
    in place and no lookup is needed."""
    if last is None:
        return [None] * len(line_ids)
    lines = last.lines
    count = min(len(lines), len(line_ids))
    if tuple(line.line_id for line in lines[:count]) == line_ids[:count]:
        return [*lines[:count], *([None] * (len(line_ids) - count))]
    by_id = {line.line_id: line for line in lines}
    return [by_id.get(line_id) for line_id in line_ids]


class LineAdjustments:
    """The adjustments and net of each line of one recalculation. A line is *fresh* once
    its adjustments differ from the last result's line in the same places; until then
    they are that line's first ones and no list of its own is made."""

    def __init__(
        self, currency: Currency, line_ids: tuple[str, ...], last: PricedTicket | None
    ) -> None:
        self.currency = currency
        self.last_lines = _lines_in_place(last, line_ids)
        self._last = [line.adjustments if line is not None else () for line in self.last_lines]
        self.fresh = [line is None for line in self.last_lines]
        self.counts = [0] * len(line_ids)
        self._own: dict[int, list[Adjustment]] = {}
        memo = last.memo if last is not None else None
        made = memo.adjustments if memo is not None else {}
        if sum(len(by_minor) for by_minor in made.values()) > _KEPT_ADJUSTMENTS:
            made = {}
        self.made = made
        self.net: list[int] = []

    def start(self, gross: Sequence[int]) -> None:
        """Every line at its gross (minor units), before any adjustment."""
        self.net = list(gross)

    def add(self, i: int, key: AdjustmentKey, minor: int) -> None:
        """Take ``minor`` minor units off line ``i`` as an adjustment ``key`` says."""
        self.add_to_lines(key, [i], [minor])

    def add_to_lines(
        self, key: AdjustmentKey, lines: Sequence[int], amounts: Sequence[int]
    ) -> None:
        """Take ``amounts[k]`` minor units off line ``lines[k]`` (those not 0) as
        adjustments ``key`` says. Runs for every line under an order-level coupon: the
        test whether a line stays the last result's is written out here."""
        made = self._made_for(key)
        counts, net, fresh, last_adjustments = self.counts, self.net, self.fresh, self._last
        for i, minor in zip(lines, amounts, strict=True):
            if not minor:
                continue
            adjustment = made.get(minor) or self._make(made, key, minor)
            k = counts[i]
            counts[i] = k + 1
            net[i] -= minor
            if fresh[i]:
                self._own_list(i, k).append(adjustment)
            else:
                last = last_adjustments[i]
                if k >= len(last) or last[k] is not adjustment:
                    fresh[i] = True
                    self._own_list(i, k).append(adjustment)

    def add_results(
        self,
        line_ids: Sequence[str],
        results: Mapping[str, LineResult],
        claiming: list[tuple[str, ...]],
    ) -> None:
        """Stage 3's ready adjustments of every line (:class:`LineResult`), and the
        promotions claiming each into ``claiming``."""
        counts, net, fresh, last_adjustments = self.counts, self.net, self.fresh, self._last
        for i, line_id in enumerate(line_ids):
            added, minor, claims = results[line_id]
            if claims:
                claiming[i] = claims
            if not added:
                continue
            k = counts[i]
            counts[i] = k + len(added)
            net[i] -= minor
            if not fresh[i] and last_adjustments[i][k : k + len(added)] != added:
                fresh[i] = True
            if fresh[i]:
                self._own_list(i, k).extend(added)

    def of(self, i: int) -> tuple[Adjustment, ...]:
        """Line ``i``'s adjustments."""
        own = self._own.get(i)
        if own is not None:
            return tuple(own)
        return self._last[i][: self.counts[i]]

    def unchanged(self, i: int) -> PricedLine | None:
        """The last result's line ``i`` when its adjustments came out the very same."""
        last = self.last_lines[i]
        if last is None or self.fresh[i] or len(last.adjustments) != self.counts[i]:
            return None
        return last

    def _made_for(self, key: AdjustmentKey) -> dict[int, Adjustment]:
        made = self.made.get(key)
        if made is None:
            made = self.made[key] = {}
        return made

    def _make(self, made: dict[int, Adjustment], key: AdjustmentKey, minor: int) -> Adjustment:
        stage, kind, source, rule, note = key
        amount = self.currency.from_minor(minor)
        adjustment = made[minor] = Adjustment(stage, kind, source, rule, amount, note)
        return adjustment

    def _own_list(self, i: int, k: int) -> list[Adjustment]:
        """Line ``i``'s own list of adjustments, made from the last result's first ``k``
        the first time it is needed."""
        own = self._own.get(i)
        if own is None:
            own = self._own[i] = list(self._last[i][:k])
        return own
