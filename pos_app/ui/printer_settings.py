"""The till's receipt printer settings: a small JSON file in the data directory,
edited in manager mode. No file (or ``"kind": "none"``): no printer, preview only.

No Qt here; reading and writing are quick enough for the UI thread (one small file).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from pos_app.printing import PrinterConfig

SETTINGS_FILE = "printer.json"
NO_PRINTER = "none"
# Settings a manager edits; the rest of PrinterConfig keeps its defaults.
EDITABLE = (
    "kind",
    "host",
    "port",
    "usb_vendor",
    "usb_product",
    "file_path",
    "width",
    "code",
    "open_drawer",
    "drawer_pin",
)


class PrinterSettingsError(ValueError):
    """The settings file cannot be read or holds a bad value; names the file and field."""


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_FILE


def printer_config_of(raw: dict[str, Any]) -> PrinterConfig | None:
    """A PrinterConfig from the settings' JSON form (None for no printer); ValueError
    naming the field at fault."""
    kind = raw.get("kind", NO_PRINTER)
    if kind in (NO_PRINTER, None, ""):
        return None
    known = {f.name for f in fields(PrinterConfig)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ValueError(f"printer.{unknown[0]} is not a printer setting")
    for name in ("port", "usb_vendor", "usb_product", "width", "drawer_pin"):
        if name in raw and (isinstance(raw[name], bool) or not isinstance(raw[name], int)):
            raise ValueError(f"printer.{name} must be a whole number, not {raw[name]!r}")
    return PrinterConfig(**raw)


def load_printer_config(data_dir: Path) -> PrinterConfig | None:
    """The configured printer, or None when there is none."""
    path = settings_path(data_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise PrinterSettingsError(f"{path}: unreadable printer settings ({exc})") from None
    if not isinstance(raw, dict):
        raise PrinterSettingsError(f"{path}: printer settings must be a JSON object")
    try:
        return printer_config_of(raw)
    except (TypeError, ValueError) as exc:
        raise PrinterSettingsError(f"{path}: {exc}") from None


def save_printer_config(data_dir: Path, config: PrinterConfig | None) -> Path:
    """Write the settings atomically (None: no printer)."""
    data = (
        {"kind": NO_PRINTER}
        if config is None
        else {k: v for k, v in asdict(config).items() if k in EDITABLE}
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    path = settings_path(data_dir)
    temp = path.with_suffix(".tmp")
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    return path
