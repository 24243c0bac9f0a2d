"""`pos-app sync` on a till that was never enrolled: a clear message, exit 2 (S12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.cli.main import main


@pytest.mark.parametrize("mode", ["--once", "--daemon"])
def test_sync_before_enrolling_says_so_and_exits_2(
    mode: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """S12: without enrollment there is no token; sync names the fix and changes nothing."""
    data_dir = tmp_path / "till"
    assert main(["--data-dir", str(data_dir), "sync", mode]) == 2
    err = capsys.readouterr().err
    assert "not enrolled" in err and "pos-app enroll" in err
    assert str(data_dir / "sync.json") in err
