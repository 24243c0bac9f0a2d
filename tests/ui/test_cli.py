"""`pos-app --smoke`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow  # starts servers or processes


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
