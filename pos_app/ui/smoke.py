"""``pos-app --smoke``: open the window, ring up a demo ticket by tapping product
buttons, pay by card, close it, check the receipt, and exit 0 (1 on any failure)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TextIO

from pos_app.ui.app import TillApp, ensure_application, open_till_app
from pos_app.ui.driver import DriveTimeout, settle, wait_for
from pos_app.ui.till_controller import ClosedSale, Problem

SMOKE_SKUS = ("BURGER", "FRIES", "COLA")


def run_smoke(data_dir: Path | None = None, out: TextIO | None = None) -> int:
    """Run the smoke check on ``data_dir`` (default: a throwaway demo-store directory,
    so no real till's sales are touched)."""
    out = out or sys.stdout
    ensure_application(offscreen_if_headless=True)
    with tempfile.TemporaryDirectory(prefix="pos-app-smoke-") as scratch:
        target = data_dir if data_dir is not None else Path(scratch) / "till"
        till_app = open_till_app(target, start_sync=False)
        try:
            return ring_up_and_close(till_app, out)
        except (DriveTimeout, AssertionError) as exc:
            print(f"smoke: FAILED: {exc}", file=sys.stderr)
            return 1
        finally:
            till_app.close()


def ring_up_and_close(till_app: TillApp, out: TextIO) -> int:
    window, controller = till_app.window, till_app.controller
    runners = (till_app.ops, till_app.print_ops)
    window.resize(1024, 768)
    window.show()
    wait_for(lambda: controller.book is not None and controller.change is not None, "the ticket")
    settle(*runners)
    closed: list[ClosedSale] = []
    problems: list[Problem] = []
    controller.sale_closed.connect(closed.append)
    controller.refused.connect(problems.append)
    book = controller.book
    assert book is not None
    skus = [s for s in SMOKE_SKUS if s in book.items] or sorted(book.items)[:3]
    for sku in skus:
        window.products.show_product(sku).click()
        settle(*runners)
    change = controller.change
    assert change is not None and len(change.priced.lines) >= len(skus), "lines rung up"
    assert not problems, f"refused: {problems[0].message}"
    window.pay.click()
    wait_for(window.checkout.isVisible, "the checkout dialog")
    window.checkout.card.click()
    settle(*runners)
    assert not problems, f"refused: {problems[0].message}"
    window.checkout.close_sale.click()
    wait_for(lambda: bool(closed or problems), "the sale to close")
    settle(*runners)
    assert not problems, f"refused: {problems[0].message}"
    sale = closed[0]
    fresh = controller.change
    assert fresh is not None and not fresh.priced.lines, "a new empty ticket after closing"
    assert window.receipt_preview.isVisible(), "the receipt preview"
    assert sale.receipt.ticket_id in window.receipt_preview.text, "the ticket id on the receipt"
    priced = sale.change.priced
    print(
        f"smoke: closed ticket {sale.receipt.ticket_id}: {len(priced.lines)} lines,"
        f" total {priced.currency.code} {priced.currency.format(priced.total)} by card",
        file=out,
    )
    return 0
