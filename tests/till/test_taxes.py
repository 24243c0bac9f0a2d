"""Taxes at the till, in a tax-inclusive and a tax-exclusive store: computed from the line
nets after every kind of discount, per rate per ticket, with the documented rounding;
what the customer pays is the nets plus the tax the store adds; the receipt, the
closed rows and the ticket.closed payload all carry the same figures."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from pos_app.engine import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    Close,
    Present,
    Redeem,
    SellPack,
)
from pos_app.printing import preview_text
from pos_app.protocol.payloads import TicketClosed
from pos_app.till.commands import PayCard, PayCash
from pos_app.till.receipts import closed_ticket_receipt
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import AttachMember
from pos_app.wiring import load_demo_document, open_till
from tests.helpers.device_clock import FakeClock
from tests.helpers.permissions import grant_cashiers
from tests.helpers.till_packs import TEA_PACK_ID, stock_till

D = Decimal


def store_file(tmp_path: Path, *, inclusive: bool) -> Path:
    """The demo store, tax-inclusive or not, with an odd rate on the drinks."""
    document: dict[str, Any] = load_demo_document()
    document["store"]["tax_inclusive"] = inclusive
    for item in document["catalog"]:
        if item["category"] == "drinks":
            item["tax_rate"] = "19"
    path = tmp_path / f"store-{inclusive}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture(params=[True, False], ids=["inclusive", "exclusive"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TillRuntime]:
    runtime = open_till(
        tmp_path / "till",
        clock=FakeClock(),
        demo_store=store_file(tmp_path, inclusive=request.param),
    )
    grant_cashiers(runtime.till)
    yield runtime
    runtime.close()


def ring_up_every_discount_kind(runtime: TillRuntime) -> None:
    """Presented, re-priced, promotions (combo, BOGO, special price), a group purchase,
    a member discount, line and order store discounts and a cash voucher."""
    till = runtime.till
    for sku in ("BURGER", "FRIES", "COLA", "SALAD", "TEA", "LEMONADE", "WINE", "CAKE"):
        till.handle(AddItem(None, sku))
    till.handle(AddItem(None, "BURGER"))  # L9, for the group purchase
    till.handle(Present("L5"))
    till.handle(AdjustPrice("L6", "2.33"))
    till.handle(ApplyDiscount(None, percent="7", line_id="L8"))
    till.handle(ApplyDiscount(None, amount="0.99"))
    till.handle(Redeem("CV-5"))
    till.handle(Redeem("MD-10"))


def test_tax_per_rate_is_the_documented_rounding_of_the_nets(store: TillRuntime) -> None:
    """Every kind of discount on one ticket: per rate, tax = round_half_up(base × rate /
    (100 + rate) or 100); the lines' taxes add up; nets without tax + tax = paid."""
    ring_up_every_discount_kind(store)
    till = store.till
    taxes = till.taxes
    inclusive = till.configuration.tax_inclusive
    priced = till.priced
    for rate in taxes.rates:
        lines = [line for line in priced.lines if taxes.line_rates[line.line_id] == rate.rate]
        assert rate.base == sum((line.net for line in lines), D(0))
        divisor = 100 + rate.rate if inclusive else D(100)
        assert rate.tax == (rate.base * rate.rate / divisor).quantize(D("0.01"), ROUND_HALF_UP)
        assert sum((taxes.lines[line.line_id] for line in lines), D(0)) == rate.tax
    assert {str(r.rate) for r in taxes.rates} == {"10", "19"}
    paid = till.total_due
    assert paid == (priced.total if inclusive else priced.total + taxes.total)
    assert sum((r.net_of_tax for r in taxes.rates), D(0)) + taxes.total == paid


def test_closing_stores_and_sends_the_same_taxes(store: TillRuntime) -> None:
    """The payments cover what is due (tax added in an exclusive store); the stored
    receipt and the ticket.closed payload carry tax per line and per rate."""
    ring_up_every_discount_kind(store)
    till = store.till
    due = till.total_due
    taxes = till.taxes
    till.handle(PayCard("10.00"))
    till.handle(PayCash(str(till.amount_due)))
    closed = till.handle(Close())
    assert closed.total_due == due
    (event,) = [e for e in store.sync_store.pending_events() if e["type"] == "ticket.closed"]
    payload = TicketClosed.model_validate(event["payload"])
    assert payload.amount_paid == str(due)
    assert payload.tax_total == str(taxes.total)
    assert {r.rate: r.tax for r in payload.taxes} == {str(r.rate): str(r.tax) for r in taxes.rates}
    assert sum(D(line.tax or "0") for line in payload.lines) == taxes.total
    assert sum(D(p.amount) for p in payload.payments) == due
    receipt = closed_ticket_receipt(store.database, till.book, closed.number)
    assert receipt.amount_due == due and receipt.tax_total == taxes.total
    text = preview_text(receipt, 42)
    label = "incl. tax" if till.configuration.tax_inclusive else "Tax"
    assert f"{label} 19% on" in text and f"{label} 10% on" in text


def test_an_exclusive_store_asks_the_tax_on_top(tmp_path: Path) -> None:
    """A cola at 3.00 with 19% added costs 3.57: 3.00 alone is short."""
    runtime = open_till(
        tmp_path / "till", clock=FakeClock(), demo_store=store_file(tmp_path, inclusive=False)
    )
    try:
        till = runtime.till
        till.handle(AddItem(None, "COLA"))
        assert till.total_due == D("3.57") and till.amount_due == D("3.57")
        till.handle(PayCash("3.00"))
        assert till.amount_due == D("0.57")
    finally:
        runtime.close()


def test_a_coupon_pack_on_the_ticket_carries_no_tax(store: TillRuntime) -> None:
    """K12: a pack sold with an order is a line at its price, outside the pricing rules
    and outside the taxes: the rates hold the items only and the customer pays the
    items (tax added in an exclusive store) plus the pack's price."""
    stock_till(store)
    till = store.till
    till.handle(AttachMember("M-1001"))
    till.handle(AddItem(None, "COLA"))
    till.handle(SellPack(TEA_PACK_ID))
    taxes = till.taxes
    (rate,) = taxes.rates
    assert (rate.rate, rate.base) == (D(19), D("3.00"))
    inclusive = till.configuration.tax_inclusive
    assert till.total_due == (D("13.00") if inclusive else D("13.57"))
    till.handle(PayCash(str(till.total_due)))
    till.handle(Close())
    (event,) = [e for e in store.sync_store.pending_events() if e["type"] == "ticket.closed"]
    payload = TicketClosed.model_validate(event["payload"])
    assert [line.sku for line in payload.lines] == ["COLA"]
    assert [r.rate for r in payload.taxes] == ["19"]
    assert payload.amount_paid == ("13.00" if inclusive else "13.57")
