"""The printing package stays free of Qt (house style: a core that never sees Qt)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # starts servers or processes


def test_importing_printing_loads_no_qt() -> None:
    """Importing pos_app.printing pulls in no PySide6 / Qt module."""
    code = (
        "import sys, pos_app.printing, pos_app.printing.escpos_output; "
        "print(sorted(m for m in sys.modules if 'PySide' in m or 'Qt' in m.split('.')[0]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30
    )
    assert result.stdout.strip() == "[]"
