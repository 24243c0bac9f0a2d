"""TapItem (pos_app/till/ring_up.py): a second tap on the same item raises the last
line's quantity when nothing holds that line; the engine's AddItem, which the public
scenarios replay, still makes a new line every time (ENGINE-RULES)."""

from __future__ import annotations

from pos_app.engine import AddItem, ApplyDiscount, Redeem
from pos_app.till.manager import Actor
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import TapItem


def lines(runtime: TillRuntime) -> list[tuple[str, str, int]]:
    return [(line.line_id, line.sku, line.qty) for line in runtime.till.priced.lines]


def test_taps_on_the_same_item_make_one_line(runtime: TillRuntime) -> None:
    till = runtime.till
    for _ in range(3):
        till.handle(TapItem("COOKIE"))
    till.handle(TapItem("COOKIE", 2))
    assert lines(runtime) == [("L1", "COOKIE", 5)]
    till.handle(TapItem("TEA"))
    till.handle(TapItem("COOKIE"))
    assert lines(runtime) == [("L1", "COOKIE", 5), ("L2", "TEA", 1), ("L3", "COOKIE", 1)]


def test_add_item_still_makes_a_new_line(runtime: TillRuntime) -> None:
    till = runtime.till
    till.handle(AddItem(None, "COOKIE"))
    till.handle(AddItem(None, "COOKIE"))
    assert lines(runtime) == [("L1", "COOKIE", 1), ("L2", "COOKIE", 1)]


def test_a_held_line_takes_the_next_tap_as_a_new_line(runtime: TillRuntime, grace: Actor) -> None:
    """R6: a coupon's claim; a line discount; R5: a promotion holding the units."""
    till = runtime.till
    till.handle(TapItem("BURGER"))
    till.handle(Redeem("GP-BURGER"))
    till.handle(TapItem("BURGER"))
    assert [qty for _, _, qty in lines(runtime)] == [1, 1]
    till.handle(ApplyDiscount(None, percent="10", line_id="L2"), grace)
    till.handle(TapItem("BURGER"))
    assert len(lines(runtime)) == 3


def test_a_quantity_out_of_bounds_is_refused_by_the_engine(runtime: TillRuntime) -> None:
    till = runtime.till
    till.handle(TapItem("COOKIE", 9_999))
    till.handle(TapItem("COOKIE"))  # 10,000 would be out of bounds: a new line instead
    assert lines(runtime) == [("L1", "COOKIE", 9_999), ("L2", "COOKIE", 1)]
