"""Fixtures for the packaging tests: the pinned uv the Makefile installs, and the
workspace's wheels built once per session."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT


def uv_binary() -> str:
    """The uv that installed this checkout (``.uv/bin/uv``), else one on PATH."""
    pinned = PROJECT_ROOT / ".uv" / "bin" / "uv"
    found = str(pinned) if pinned.exists() else shutil.which("uv")
    if found is None:
        pytest.skip("uv is not installed: run `make setup`")
    return found


def run(*command: str | Path, cwd: Path | None = None, **env: str) -> str:
    """Run ``command``; its output, or a failure carrying stdout and stderr."""
    proc = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never", **env},
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, (
        f"{command} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    )
    return proc.stdout


@pytest.fixture(scope="session")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three distributions' wheels, built from this checkout: by distribution name."""
    out = tmp_path_factory.mktemp("wheels")
    run(uv_binary(), "build", "--all-packages", "--wheel", "-o", out, cwd=PROJECT_ROOT)
    built = {path.name.split("-")[0].replace("_", "-"): path for path in out.glob("*.whl")}
    assert set(built) == {"pos-app", "pos-core", "pos-backoffice"}, built
    return built
