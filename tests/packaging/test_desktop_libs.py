"""`make run` opens a real window on a fresh Debian machine: every library Qt's xcb
platform plugin links against is installed (the Makefile's `desktop-libs`)."""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess
from pathlib import Path

import PySide6
import pytest

PLUGIN = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"


@pytest.mark.skipif(shutil.which("ldd") is None, reason="ldd is part of every Debian system")
def test_the_xcb_platform_plugin_finds_every_library() -> None:
    """ldd resolves every library the xcb plugin needs (none 'not found')."""
    assert PLUGIN.exists(), PLUGIN
    linked = subprocess.run(["ldd", str(PLUGIN)], capture_output=True, text=True, check=True)
    missing = sorted(
        {line.split()[0] for line in linked.stdout.splitlines() if "not found" in line}
    )
    assert not missing, f"run `make desktop-libs`: {missing} are missing"


def test_the_cursor_library_qt_loads_at_start_is_installed() -> None:
    """Qt 6.5+ refuses the xcb platform without libxcb-cursor, which it loads by name."""
    assert ctypes.util.find_library("xcb-cursor"), "run `make desktop-libs`: libxcb-cursor0"
