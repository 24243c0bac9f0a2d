"""Suite-wide setup: Qt runs offscreen; paths to the shared contract."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"
PUBLIC_SCENARIOS = SHARED / "scenarios" / "public"

# The till-side fixtures `clock` (a FakeClock) and `data_dir`; a folder's own conftest
# may define its own `clock`, which wins there.
pytest_plugins = ["tests.helpers.device_clock"]
