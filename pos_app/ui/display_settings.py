"""How the till window takes the screen: a small JSON file in the data directory
(``display.json``, ``{"kiosk": true}``), set in manager mode or by hand.

Kiosk mode: the window is frameless and covers the whole screen, placed there by the
till itself, so it works with or without a window manager. Otherwise the window opens
at 1280×800, or the screen's available size when that is smaller. No Qt in the
settings themselves.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

SETTINGS_FILE = "display.json"


class DisplaySettingsError(ValueError):
    """The settings file is unreadable; names the file and the field."""


@dataclass(frozen=True)
class DisplaySettings:
    kiosk: bool = False


def load_display_settings(data_dir: Path) -> DisplaySettings:
    path = data_dir / SETTINGS_FILE
    if not path.exists():
        return DisplaySettings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DisplaySettingsError(f"{path}: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("kiosk", False), bool):
        raise DisplaySettingsError(f"{path}: kiosk: must be true or false")
    return DisplaySettings(kiosk=bool(raw.get("kiosk", False)))


def save_display_settings(data_dir: Path, settings: DisplaySettings) -> None:
    """Write the settings atomically (a crash leaves the old file or the new one)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / SETTINGS_FILE
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps({"kiosk": settings.kiosk}) + "\n", encoding="utf-8")
    os.replace(scratch, path)
