"""``pos-app --smoke``: on an open till window, ring up a demo ticket by tapping
product buttons, pay by card, close it, check the receipt; 0, or 1 on any failure.
(:mod:`pos_app.cli.window` opens the data directory.)"""

from __future__ import annotations

import sys
from typing import TextIO

from pos_app.ui.app import TillApp
from pos_app.ui.controllers.payloads import ClosedSale
from pos_app.ui.controllers.problems import Problem
from pos_app.ui.driver import DriveTimeout, settle, wait_for

SMOKE_SKUS = ("BURGER", "FRIES", "COLA")


def ring_up_and_close(till_app: TillApp, out: TextIO) -> int:
    """Drive the window like a cashier would; 1 (with the reason on stderr) on failure."""
    try:
        return _ring_up_and_close(till_app, out)
    except (DriveTimeout, AssertionError) as exc:
        print(f"smoke: FAILED: {exc}", file=sys.stderr)
        return 1


def _ring_up_and_close(till_app: TillApp, out: TextIO) -> int:
    window, ticket = till_app.window, till_app.controllers.ticket
    runners = (till_app.ops, till_app.print_ops)
    window.resize(1024, 768)
    window.show()
    wait_for(lambda: ticket.book is not None and ticket.change is not None, "the ticket")
    settle(*runners)
    closed: list[ClosedSale] = []
    problems: list[Problem] = []
    ticket.sale_closed.connect(closed.append)
    till_app.controllers.messages.refused.connect(problems.append)
    book = ticket.book
    assert book is not None
    skus = [s for s in SMOKE_SKUS if s in book.items] or sorted(book.items)[:3]
    for sku in skus:
        window.ring_up.products.show_product(sku).click()
        settle(*runners)
    change = ticket.change
    assert change is not None and len(change.priced.lines) >= len(skus), "lines rung up"
    assert not problems, f"refused: {problems[0].message}"
    window.ticket.pay.click()
    checkout, preview = window.sale.checkout, window.sale.receipt_preview
    wait_for(checkout.isVisible, "the checkout dialog")
    checkout.card.click()
    settle(*runners)
    assert not problems, f"refused: {problems[0].message}"
    checkout.close_sale.click()
    wait_for(lambda: bool(closed or problems), "the sale to close")
    settle(*runners)
    assert not problems, f"refused: {problems[0].message}"
    sale = closed[0]
    fresh = ticket.change
    assert fresh is not None and not fresh.priced.lines, "a new empty ticket after closing"
    assert preview.isVisible(), "the receipt preview"
    number = sale.receipt.number
    assert number and number in preview.text, "the ticket number on the receipt"
    assert sale.receipt.ticket_id not in preview.text, "no ticket id on the receipt"
    priced = sale.change.priced
    print(
        f"smoke: closed ticket {number}: {len(priced.lines)} lines,"
        f" total {priced.currency.code} {priced.currency.format(sale.change.total_due)} by card",
        file=out,
    )
    return 0
