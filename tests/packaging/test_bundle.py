"""The desktop bundle (`make bundle`): PyInstaller builds the till as one folder, and the
bundle runs its smoke check and a headless command with nothing else installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, PUBLIC_SCENARIOS
from tests.packaging.conftest import run

pytestmark = pytest.mark.slow  # builds the bundle (about a minute)

SPEC = PROJECT_ROOT / "packaging" / "pos-app.spec"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle's executable, built from this checkout's spec."""
    out = tmp_path_factory.mktemp("bundle")
    pyinstaller = PROJECT_ROOT / ".venv" / "bin" / "pyinstaller"
    run(
        pyinstaller, "--noconfirm", "--log-level", "WARN",
        "--distpath", out / "dist", "--workpath", out / "build", SPEC,
    )  # fmt: skip
    executable = out / "dist" / "pos-app" / "pos-app"
    assert executable.exists()
    return executable


def test_the_bundle_runs_the_smoke_check(bundle: Path, tmp_path: Path) -> None:
    """The bundled till opens its window offscreen, rings up, pays and closes a ticket
    on a fresh demo store (its migrations and demo store come from the bundle)."""
    out = run(bundle, "--smoke", cwd=tmp_path, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    assert "smoke: closed ticket" in out


def test_the_bundle_prices_the_public_scenarios(bundle: Path, tmp_path: Path) -> None:
    """The bundled engine passes the public scenarios through `scenario check`."""
    files = sorted(PUBLIC_SCENARIOS.glob("*.json"))
    if not files:
        pytest.skip("shared/scenarios/public is not beside the project")
    out = run(bundle, "scenario", "check", *files, cwd=tmp_path)
    assert f"{len(files)} passed, 0 failed" in out
