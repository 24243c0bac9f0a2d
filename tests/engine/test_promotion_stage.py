"""Stage 3 worked out again from the last result gives what the full stage gives (R4, R5):
a differential test on random tickets, and what a change reaches."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pos_app.engine import PricedTicket, Refusal, Ticket, promotion_stage, recalculate
from pos_app.engine.commands import AddItem, RemoveLine, SetQuantity
from pos_app.engine.promotion_effects import apply_promotion
from pos_app.engine.promotion_record import PromotionRecord
from tests.engine.test_properties import FAST, LINE_IDS, actions, price_books
from tests.helpers.engine_builders import D, TillClock, price_book, promotion


def same_record(again: PromotionRecord, full: PromotionRecord) -> None:
    assert again.effects == full.effects
    assert again.claims == full.claims
    assert again.results == full.results
    assert again.inputs == full.inputs


@FAST
@given(price_books(), st.data())
def test_reworking_from_any_earlier_result_equals_the_full_recalculation(
    definition: dict[str, Any], data: st.DataObject
) -> None:
    """R4 R5: after every random action, recalculating from the result just before, or
    from any earlier result of the session, gives the full recalculation exactly."""
    book = price_book(
        definition["promotions"], definition["coupons"], catalog=definition["catalog"]
    )
    skus = [item["sku"] for item in definition["catalog"]]
    pids = [p["id"] for p in definition["promotions"]]
    codes = [c["code"] for c in definition["coupons"]]
    now = TillClock()()
    ticket = Ticket(book, TillClock())
    history: list[PricedTicket] = [ticket.priced]
    for n in range(data.draw(st.integers(1, 5), label="opening lines")):
        ticket.apply(
            AddItem(LINE_IDS[n], data.draw(st.sampled_from(skus)), data.draw(st.integers(1, 4)))
        )
        history.append(ticket.priced)
    for _ in range(data.draw(st.integers(1, 14), label="actions")):
        lines = [line.line_id for line in ticket.state.lines]
        action = data.draw(actions(skus, lines, pids, codes))
        with contextlib.suppress(Refusal):
            ticket.apply(action)
        full = recalculate(ticket.state, book, now)
        earlier = data.draw(st.sampled_from(history), label="earlier result")
        for last in (history[-1], earlier):
            again = recalculate(ticket.state, book, now, last)
            assert again == full
            assert again.memo is not None and full.memo is not None
            same_record(again.memo.promotions, full.memo.promotions)
        history.append(ticket.priced)


def test_a_result_under_another_book_is_recalculated_in_full() -> None:
    """R4: a record made under another price book is not reused: the new book's prices."""
    half = price_book([promotion("P1", "percent_off", percent="50", items=["BURGER"])])
    none = price_book([])
    ticket = Ticket(half, TillClock())
    ticket.apply(AddItem("L1", "BURGER", 2))
    assert ticket.priced.total == D("12.00")
    assert recalculate(ticket.state, none, TillClock()(), ticket.priced).total == D("24.00")


def test_adding_a_line_works_out_only_the_promotions_it_can_reach(monkeypatch: Any) -> None:
    """R5: with a burger promotion and a cola promotion, adding a cola works out the cola
    promotion again and keeps the burger promotion's outcome."""
    book = price_book(
        [
            promotion("PB", "percent_off", percent="50", items=["BURGER"]),
            promotion("PC", "percent_off", sequence=2, percent="10", items=["COLA"]),
        ]
    )
    ticket = Ticket(book, TillClock())
    ticket.apply(AddItem("L1", "BURGER", 1))
    ticket.apply(AddItem("L2", "COLA", 1))
    worked_out: list[str] = []

    def recording(promotion: Any, pools: Any, currency: Any) -> Any:
        worked_out.append(promotion.id)
        return apply_promotion(promotion, pools, currency)

    monkeypatch.setattr(promotion_stage, "apply_promotion", recording)
    ticket.apply(AddItem("L3", "COLA", 2))
    assert worked_out == ["PC"]
    assert dict(ticket.priced.promotions) == {"PB": D("6.00"), "PC": D("0.90")}
    worked_out.clear()
    ticket.apply(SetQuantity("L1", 3))
    assert worked_out == ["PB"]
    worked_out.clear()
    ticket.apply(RemoveLine("L2"))
    assert worked_out == ["PC"]
