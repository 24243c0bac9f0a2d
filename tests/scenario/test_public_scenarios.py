"""Every public scenario passes through the real `pos-app scenario check` command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import PUBLIC_SCENARIOS

pytestmark = pytest.mark.slow  # starts servers or processes

FILES = sorted(PUBLIC_SCENARIOS.glob("*.json"))


def _pos_app(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pos_app.cli", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.skipif(not FILES, reason="shared/scenarios/public is not beside the project")
def test_check_passes_every_public_scenario() -> None:
    """FORMAT.md: `scenario check` exits 0 on the public cases (R1-R13)."""
    proc = _pos_app("scenario", "check", *map(str, FILES))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{len(FILES)} passed, 0 failed" in proc.stdout


@pytest.mark.skipif(not FILES, reason="shared/scenarios/public is not beside the project")
def test_run_prints_one_object_per_file_in_order() -> None:
    """FORMAT.md: `scenario run` prints one JSON array, one object per file, in order."""
    proc = _pos_app("scenario", "run", *map(str, FILES[:3]))
    assert proc.returncode == 0, proc.stderr
    objects = json.loads(proc.stdout)
    assert [o["file"] for o in objects] == [str(f) for f in FILES[:3]]
    for obj in objects:
        assert set(obj) == {"file", "name", "steps", "result"}
        assert set(obj["result"]) == {
            "total",
            "can_close",
            "lines",
            "promotions",
            "coupons",
            "discounts",
        }
