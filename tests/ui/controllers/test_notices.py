"""The message bar's line after a command comes from one table: every command the till
takes is worded there or silent on purpose (the ticket on screen shows what it did)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest

from pos_app.engine import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    Close,
    Present,
    Redeem,
    RemoveCoupon,
    RemoveDiscount,
    SetQuantity,
    TriggerPromotion,
    Unadjust,
    Unpresent,
)
from pos_app.till.commands import ClearPayments, PayCard, PayCash, TillCommand
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import Scan, TapItem
from pos_app.ui.controllers.notices import NOTICES, notice_for
from pos_app.wiring import open_till
from tests.helpers.device_clock import FakeClock

# Commands whose effect the ticket itself shows: no line on the message bar.
SILENT = {
    AddItem,
    TapItem,  # an item's key: the line on the ticket says it
    SetQuantity,
    Present,
    Unpresent,
    AdjustPrice,
    Unadjust,
    ApplyDiscount,
    RemoveDiscount,
    Close,
    PayCash,
    PayCard,
    ClearPayments,
}


@pytest.fixture
def runtime(data_dir: Path, clock: FakeClock) -> Iterator[TillRuntime]:
    opened = open_till(data_dir, clock=clock)
    yield opened
    opened.close()


def test_every_command_is_worded_or_silent_on_purpose() -> None:
    """A new command gets a notice (or joins SILENT): the table and the till's commands
    agree, and nothing else is in the table."""
    commands = set(get_args(TillCommand))
    assert set(NOTICES) <= commands
    assert set(NOTICES) | SILENT == commands
    assert not set(NOTICES) & SILENT


def test_a_notice_names_coupons_and_promotions_by_name(runtime: TillRuntime) -> None:
    """R13's plain words: a redeemed coupon and a triggered promotion by their names,
    never their codes; a scanned item says nothing, a scanned coupon is named."""
    till, book = runtime.till, runtime.till.book
    till.handle(AddItem(None, "ICECREAM"))
    redeemed = till.handle(Redeem("TP-3"))
    assert notice_for(Redeem("TP-3"), redeemed, book) == "Coupon Delivery platform 3.00 redeemed"
    assert notice_for(RemoveCoupon("TP-3"), redeemed, book) == (
        "Coupon Delivery platform 3.00 removed"
    )
    triggered = till.handle(TriggerPromotion("DESSERT-10"))
    assert notice_for(TriggerPromotion("DESSERT-10"), triggered, book) == (
        "Promotion 10% off desserts (staff trigger) applied"
    )
    scanned_item = till.handle(Scan("200000000001"))
    assert notice_for(Scan("200000000001"), scanned_item, book) is None
    assert notice_for(Close(), scanned_item, book) is None  # silent: not in the table
