"""The till previews a redemption before it is made (R7 seed §5.1): the screen can say
"This coupon saves 2.00 but replaces a 4.00 promotion: the bill goes up 2.00" and ask."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from pos_app.engine import AddItem, Redeem, Refusal, RefusalCode
from pos_app.till.runtime import TillRuntime
from tests.till.conftest import Snapshot

# A group purchase worth less than the demo store's burger meal saving (combo: 4.00).
SMALL_GROUP_PURCHASE = {
    "code": "GP-2",
    "name": "Group purchase 2.00 off a burger",
    "kind": "group_purchase",
    "sequence": 1,
    "items": ["BURGER"],
    "face_value": "2.00",
    "case_insensitive": True,
}
PROVISIONAL = {
    "code": "MT",
    "name": "Meal platform burger",
    "kind": "group_purchase",
    "sequence": 2,
    "items": ["BURGER"],
    "face_value": "1.00",
    "code_prefix": "MT-",
    "verify_later": True,
}


@pytest.fixture
def till_runtime(runtime: TillRuntime) -> TillRuntime:
    records = [
        {"kind": "coupon", "version": 1, "id": c["code"], "deleted": False, "data": c}
        for c in (SMALL_GROUP_PURCHASE, PROVISIONAL)
    ]
    outcome = runtime.sync_store.apply_changes_page(records, "1")
    assert not outcome.set_aside
    runtime.till.reload_configuration()
    return runtime


def ring_a_meal(runtime: TillRuntime) -> None:
    for sku in ("BURGER", "FRIES", "COLA"):
        runtime.till.handle(AddItem(None, sku))
    assert runtime.till.priced.promotions == {"COMBO-MEAL": Decimal("4.00")}


def test_preview_announces_a_redemption_that_raises_the_bill_and_writes_nothing(
    till_runtime: TillRuntime, snapshot: Callable[[], Snapshot]
) -> None:
    """R7 §5.1: the 2.00 coupon breaks the 4.00 meal; the preview says so, in any case of
    the code, and writes nothing; redeeming then gives the ticket it showed."""
    ring_a_meal(till_runtime)
    till = till_runtime.till
    before, state = snapshot(), till.state

    preview = till.preview_redemption("gp-2")

    assert preview.warning() == (
        "This coupon saves 2.00 but replaces a 4.00 promotion: the bill goes up 2.00"
    )
    assert snapshot() == before and till.state == state
    assert till.handle(Redeem("gp-2")).priced == preview.priced


def test_preview_of_a_provisional_platform_code_prices_it_by_its_definition(
    till_runtime: TillRuntime, snapshot: Callable[[], Snapshot]
) -> None:
    """R7 S14: a code the till accepts provisionally is previewed under its definition."""
    ring_a_meal(till_runtime)
    before = snapshot()
    preview = till_runtime.till.preview_redemption("MT-0042")
    assert (preview.saving, preview.bill_change) == (Decimal("1.00"), Decimal("3.00"))
    assert snapshot() == before
    assert "MT-0042" not in till_runtime.till.book.coupons


def test_preview_of_a_refused_redemption_raises_the_explained_refusal(
    till_runtime: TillRuntime,
) -> None:
    """R7: no burger on the ticket: the preview is refused as the redemption would be."""
    till_runtime.till.handle(AddItem(None, "COLA"))
    with pytest.raises(Refusal) as refused:
        till_runtime.till.preview_redemption("GP-2")
    assert refused.value.code is RefusalCode.NOT_APPLICABLE


def test_preview_of_a_scan_is_none_for_an_items_barcode(
    till_runtime: TillRuntime, snapshot: Callable[[], Snapshot]
) -> None:
    """A scan of an item's barcode rings the item up: no coupon is previewed, nothing is
    written; any other code is previewed as the scan would redeem it (spaces trimmed)."""
    ring_a_meal(till_runtime)
    till = till_runtime.till
    before = snapshot()
    assert till.preview_scan("200000000001") is None  # the demo store's classic burger
    preview = till.preview_scan("  gp-2 ")
    assert preview is not None and preview.bill_change == Decimal("2.00")
    assert snapshot() == before
