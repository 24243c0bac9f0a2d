"""Each distribution installs from its wheel into a fresh virtual environment, with the
locked versions of its dependencies, and starts from there: resources and migrations
ship inside the packages, and the till installs no web server."""

from __future__ import annotations

import json
import os
import re
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.packaging.conftest import run, uv_binary

pytestmark = pytest.mark.slow  # builds wheels and virtual environments

WEB_SERVER = ("fastapi", "uvicorn", "psycopg", "starlette")


def fresh_install(root: Path, distribution: str, wheels: dict[str, Path]) -> Path:
    """A new virtual environment with ``distribution`` installed from its wheel and the
    locked versions of what it needs; returns its bin directory."""
    uv = uv_binary()
    run(uv, "venv", root, "--python", "python3", "--seed")
    locked = root / "requirements.txt"
    run(
        uv, "export", "--frozen", "--package", distribution, "--no-dev",
        "--no-emit-workspace", "--no-hashes", "-o", locked, cwd=PROJECT_ROOT,
    )  # fmt: skip
    ours = [wheels[distribution], wheels["pos-core"]]
    run(uv, "pip", "install", "--python", root / "bin" / "python", "-r", locked, *ours)
    return root / "bin"


def installed(bin_dir: Path) -> dict[str, str]:
    """Every distribution in the environment (normalized name) and its version."""
    listing = run(bin_dir / "python", "-m", "pip", "list", "--format", "json")
    return {
        re.sub(r"[-_.]+", "-", entry["name"]).lower(): entry["version"]
        for entry in json.loads(listing)
    }


def test_the_till_installs_alone_and_runs_its_smoke_check(
    tmp_path: Path, wheels: dict[str, Path]
) -> None:
    """The till's wheel in a fresh environment: no web server comes with it; the demo
    store, the stylesheet and the migrations load from the installed package."""
    bin_dir = fresh_install(tmp_path / "till-env", "pos-app", wheels)
    packages = installed(bin_dir)
    assert {"pos-app", "pos-core", "pyside6-essentials"} <= packages.keys()
    assert packages.keys().isdisjoint(WEB_SERVER), packages.keys() & set(WEB_SERVER)
    for locked in ("pyside6-essentials", "sqlalchemy", "alembic"):  # the lock's, exactly
        assert packages[locked] == version(locked), locked
    out = run(
        bin_dir / "pos-app",
        "--smoke",
        cwd=tmp_path,  # nowhere near the checkout: nothing is found through it
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),
    )
    assert "smoke: closed ticket" in out
    upgraded = run(bin_dir / "pos-app", "--data-dir", tmp_path / "till", "db", "upgrade")
    assert "at revision" in upgraded


def test_the_back_office_installs_alone_and_loads_the_demo_chain(
    tmp_path: Path, wheels: dict[str, Path]
) -> None:
    """The back office's wheel in a fresh environment: `demo` loads the packaged demo
    chain into a database it migrates with the packaged migrations."""
    bin_dir = fresh_install(tmp_path / "office-env", "pos-backoffice", wheels)
    assert "pyside6-essentials" not in installed(bin_dir)
    database = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    out = run(bin_dir / "pos-backoffice", "--database-url", database, "demo", cwd=tmp_path)
    assert out.startswith("loaded store DEMO-1")
    assert os.path.getsize(tmp_path / "office.sqlite3") > 0
