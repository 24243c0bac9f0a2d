"""`pos-app --smoke` and `pos-app screenshots DIR`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow  # starts servers or processes

SCREENS = {
    "main-1920x1080": (1920, 1080),
    "main-1024x768-refusal": (1024, 768),
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
    "receipt-taxes-and-names": None,
    "held-tickets": None,
    "on-screen-keyboard": None,
    "return": None,
    "z-report": None,
}


def test_smoke_opens_the_window_closes_a_demo_ticket_and_exits_0(tmp_path: Path) -> None:
    """`pos-app --smoke` in a fresh process, offscreen, on a throwaway demo store."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "pos_app.cli", "--smoke"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("smoke: closed ticket ")
    assert "3 lines, total USD 15.00 by card" in result.stdout  # the burger meal combo


def test_smoke_on_a_given_data_dir_leaves_the_sale_there(tmp_path: Path) -> None:
    """With --data-dir the smoke sale is written to that till (and only there)."""
    data_dir = tmp_path / "till"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "pos_app.cli", "--data-dir", str(data_dir), "--smoke"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    outbox = subprocess.run(
        [sys.executable, "-m", "pos_app.cli", "--data-dir", str(data_dir), "outbox", "--json"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert '"ticket.closed"' in outbox.stdout


def test_screenshots_render_every_main_screen(tmp_path: Path) -> None:
    """`pos-app screenshots DIR` writes one PNG per main screen, the main window at
    1920×1080 and 1024×768."""
    out = tmp_path / "shots"
    from pos_app.cli.main import main

    assert main(["screenshots", str(out)]) == 0
    written = {p.stem: p for p in out.glob("*.png")}
    assert set(written) == set(SCREENS)
    for name, size in SCREENS.items():
        image = QImage(str(written[name]))
        assert not image.isNull(), name
        if size is not None:
            assert (image.width(), image.height()) == size, name
