"""`scripts/till_screenshots.py DIR` (`make screenshots`): every main screen of the
till, rendered offscreen from a throwaway demo store."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from scripts.till_screenshots import main

pytestmark = pytest.mark.slow  # drives a whole demo day through the window

SCREENS = {
    "main-1920x1080": (1920, 1080),
    "main-1024x768-refusal": (1024, 768),
    "main-1024x768-paid": (1024, 768),
    "promotions": None,
    "find-item": None,
    "why-this-price": None,
    "member-lookup": None,
    "checkout-split": None,
    "receipt-preview": None,
    "wallet-sell-pack": None,
    "pack-on-ticket": (1280, 800),
    "pack-receipt": None,
    "wallet-next-ticket": None,
    "pack-coupon-redeemed": (1280, 800),
    "manager-pin": None,
    "manager-execution-order": None,
    "manager-conflicts": None,
    "manager-pack-conflict": None,
    "manager-permissions": None,
    "manager-printer": None,
    "manager-tools": None,
    "connect-back-office": None,
    "receipt-taxes-and-names": None,
    "held-tickets": None,
    "on-screen-keyboard": None,
    "return": None,
    "return-slip": None,
    "return-pack": None,
    "till-missing-database": None,
    "z-report": None,
    "redemption-warning-1024x768": (1024, 768),
}


def test_screenshots_render_every_main_screen(tmp_path: Path) -> None:
    """The script writes one PNG per main screen, the main window at 1920×1080 and
    1024×768."""
    out = tmp_path / "shots"
    assert main([str(out)]) == 0
    written = {p.stem: p for p in out.glob("*.png")}
    assert set(written) == set(SCREENS)
    for name, size in SCREENS.items():
        image = QImage(str(written[name]))
        assert not image.isNull(), name
        if size is not None:
            assert (image.width(), image.height()) == size, name
