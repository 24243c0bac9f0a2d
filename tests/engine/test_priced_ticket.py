"""The priced ticket's lines (R3, R13): an item line made the recalculation's quick way is
the same line the constructor makes."""

from __future__ import annotations

import dataclasses

import pytest

from pos_app.engine import Adjustment, PricedLine
from tests.helpers.engine_builders import D


def test_an_item_line_made_quickly_is_the_constructors_line() -> None:
    """R3 R13: PricedLine.of_item equals, hashes and freezes like the constructor's line."""
    adjustments = (Adjustment(3, "promotion:percent_off", "P1", "R1 R5", D("1.20")),)
    quick = PricedLine.of_item(
        "L1", "BURGER", "Burger", 2, D("12.00"), D("22.80"), adjustments, False, None, (), ("P1",)
    )
    built = PricedLine(
        line_id="L1",
        sku="BURGER",
        name="Burger",
        qty=2,
        unit_price=D("12.00"),
        gross=D("24.00"),
        net=D("22.80"),
        adjustments=adjustments,
        claiming_promotions=("P1",),
    )
    assert quick == built and hash(quick) == hash(built)
    assert dataclasses.asdict(quick) == dataclasses.asdict(built)
    with pytest.raises(dataclasses.FrozenInstanceError):
        quick.net = D("0")  # type: ignore[misc]
