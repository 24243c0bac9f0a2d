"""Render the till's main screens offscreen into PNG files (the README's pictures).

    python scripts/till_screenshots.py docs/screenshots      (make screenshots)

A throwaway copy of the demo store with a demo manager (Grace, PIN 2468), member
coupons for Ada Lovelace (a welcome pack's, one not valid yet, and one not from a
pack), a coupon pack sold with orders (the tea lover's pack, with this till's quota and
a block of codes, as a sync would bring them), and two conflicts (a coupon redeemed
twice, a pack sold past a member's limit), so every screen has something to show. The
till is not enrolled: offline, as a pack sale must work.

A developer's tool, not part of the installed till (it fakes a demo day); it drives the
window as a cashier would, through the panels' public widgets.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from pos_app.cli.window import open_till_app
from pos_app.ui.app import TillApp, ensure_application
from pos_app.ui.driver import wait_for
from pos_app.wiring import open_till
from scripts.till_demo import GROUP_PURCHASE_FIVE, HALF_PRICE_BURGER, demo_clock, prepare_demo
from scripts.till_shooter import Shooter
from scripts.till_shots_cashier import shoot_cashier, shoot_redemption_warning
from scripts.till_shots_manager import shoot_manager
from scripts.till_shots_packs import shoot_pack_sale
from scripts.till_shots_refusal import render_file_refusal
from scripts.till_shots_shift import shoot_shift, shoot_staff

__all__ = [
    "GROUP_PURCHASE_FIVE",
    "HALF_PRICE_BURGER",
    "main",
    "prepare_demo",
    "render_demo",
    "render_file_refusal",
    "render_screenshots",
]


def render_screenshots(out_dir: Path, till_app: TillApp, out: TextIO | None = None) -> list[Path]:
    """Render the screens of ``till_app`` (a demo store given :func:`prepare_demo`) into
    ``out_dir``; returns the files written."""
    out = out or sys.stdout
    out_dir.mkdir(parents=True, exist_ok=True)
    shooter = Shooter(till_app, out_dir, out)
    _shoot_all(shooter)
    return shooter.files


def _shoot_all(s: Shooter) -> None:
    window, c = s.app.window, s.app.controllers.ticket
    window.resize(1920, 1080)
    window.show()
    wait_for(lambda: c.change is not None and c.book is not None, "the ticket")
    s.settle()
    sold = shoot_cashier(s)
    shoot_pack_sale(s)
    shoot_manager(s)
    shoot_shift(s, sold)
    shoot_staff(s)
    shoot_redemption_warning(s)


def render_demo(folder: Path) -> list[Path]:
    """Every screen rendered offscreen into ``folder``, from a throwaway demo store
    (nothing touches a real till's data); returns the files written."""
    ensure_application(offscreen_if_headless=True)
    with tempfile.TemporaryDirectory(prefix="pos-app-shots-") as scratch:
        data_dir = Path(scratch) / "till"
        runtime = open_till(data_dir, clock=demo_clock)
        try:
            prepare_demo(runtime)
        finally:
            runtime.close()
        till_app = open_till_app(data_dir, clock=demo_clock, start_sync=False)
        try:
            return render_screenshots(folder, till_app)
        finally:
            till_app.close()


def main(argv: list[str] | None = None) -> int:
    """``till_screenshots.py [DIR]`` (default docs/screenshots): 0 once written."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "docs/screenshots")
    render_demo(folder)
    render_file_refusal(folder)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
