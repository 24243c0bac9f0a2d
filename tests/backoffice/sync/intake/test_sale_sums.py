"""Every sale a till can close adds up by the back office's check (issue 18): random
catalogs, promotions, coupons, discounts, price adjustments and tax rates priced by the
engine, turned into the till's own ``ticket.closed`` payload, raise no problem; and
each way of breaking one is found, in words."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from backoffice.sync.intake.sale_sums import sum_problems
from pos_app.engine import Ticket
from pos_app.engine.commands import AddItem, TicketCommand
from pos_app.engine.errors import Refusal
from pos_app.protocol.payloads import TicketClosed
from pos_app.protocol.taxes import compute_taxes
from pos_app.store.closed_tickets import ClosedSale, StoredPayment
from pos_app.till.closing import ticket_closed
from tests.backoffice.factories import ticket_payload
from tests.engine.test_properties import FAST, LINE_IDS, actions, percents, price_books
from tests.helpers.engine_builders import TillClock, price_book

WHEN = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _closed_payload(ticket: Ticket, rates: dict[str, Decimal], inclusive: bool) -> TicketClosed:
    priced = ticket.priced
    taxes = compute_taxes(
        [(line.line_id, line.net, rates[line.sku]) for line in priced.item_lines],
        priced.currency,
        inclusive=inclusive,
    )
    due = taxes.amount_due(priced.total)
    payments = [StoredPayment("cash", due, due + 5, Decimal(5))] if due > 0 else []
    sale = ClosedSale("T-1", "DEMO-1", "D-1", WHEN, WHEN, ticket.state, priced, payments)
    return ticket_closed(sale, taxes, "D1-01-000001", None, {})


@FAST
@given(price_books(), st.data(), st.booleans())
def test_every_sale_the_engine_prices_adds_up(
    definition: dict[str, Any], data: st.DataObject, inclusive: bool
) -> None:
    book = price_book(
        definition["promotions"], definition["coupons"], catalog=definition["catalog"]
    )
    skus = [item["sku"] for item in definition["catalog"]]
    rates = {sku: Decimal(data.draw(percents, label=f"tax rate of {sku}")) for sku in skus}
    pids = [p["id"] for p in definition["promotions"]]
    codes = [c["code"] for c in definition["coupons"]]
    ticket = Ticket(book, TillClock())
    ticket.apply(AddItem(LINE_IDS[0], skus[0], 1))
    for _ in range(data.draw(st.integers(0, 12), label="actions")):
        lines = [line.line_id for line in ticket.state.lines]
        step: TicketCommand = data.draw(actions(skus, lines, pids, codes))
        try:
            ticket.apply(step)
        except Refusal:
            continue
    if not ticket.priced.item_lines:
        return
    assert sum_problems(_closed_payload(ticket, rates, inclusive)) == []


def _problems(payload: dict[str, Any]) -> list[str]:
    return [problem.text for problem in sum_problems(TicketClosed.model_validate(payload))]


def test_the_factory_ticket_adds_up() -> None:
    assert _problems(ticket_payload("DEMO-1", "D-1", coupons=["C-1"])) == []


def test_taxes_that_do_not_follow_the_nets_are_found() -> None:
    payload = ticket_payload("DEMO-1", "D-1")
    for line in payload["lines"]:
        line["tax_rate"], line["tax"] = "10", "0.00"
    payload.update(tax_inclusive=False, taxes=[], tax_total="0.00", amount_paid="15.50")
    assert _problems(payload) == [
        "Classic burger: its tax is USD 1.20, not USD 0.00.",
        "Cola: its tax is USD 0.35, not USD 0.00.",
        "The taxes per rate say no tax, but the lines' nets give 10% of USD 15.50 is USD 1.55.",
        "The tax total is USD 1.55, not USD 0.00.",
        "The amount to pay is USD 17.05, not USD 15.50.",
        "The payments cover USD 15.50 of the USD 17.05 due.",
    ]


def test_a_payment_whose_change_does_not_add_up_is_found() -> None:
    payload = ticket_payload("DEMO-1", "D-1")
    payload["payments"][0]["change"] = "1.00"
    assert _problems(payload) == [
        "A cash payment of USD 15.50: USD 20.00 tendered less USD 1.00 change is USD 19.00."
    ]


def test_a_deduction_the_ticket_does_not_list_is_found() -> None:
    payload = ticket_payload("DEMO-1", "D-1")
    payload["promotions"] = {}
    assert _problems(payload) == [
        "The lines take USD 0.50 off for P-TEST, which the ticket does not list."
    ]
