"""The printer settings file: round trip, no printer, and errors naming file and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pos_app.printing import PrinterConfig
from pos_app.ui.printer_settings import (
    PrinterSettingsError,
    load_printer_config,
    save_printer_config,
    settings_path,
)


def test_no_file_means_no_printer(tmp_path: Path) -> None:
    """Default: no printer configured, preview only."""
    assert load_printer_config(tmp_path) is None


@pytest.mark.parametrize(
    "config",
    [
        PrinterConfig(kind="network", host="10.0.0.7", port=9100, width=48, code="qr"),
        PrinterConfig(kind="usb", usb_vendor=0x04B8, usb_product=0x0202, open_drawer=True),
        PrinterConfig(kind="file", file_path="/dev/usb/lp0", drawer_pin=5),
        None,
    ],
)
def test_settings_round_trip(tmp_path: Path, config: PrinterConfig | None) -> None:
    """What is saved is what is loaded (network, USB, file, none)."""
    save_printer_config(tmp_path, config)
    assert load_printer_config(tmp_path) == config


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"kind": "network", "host": "", "port": 9100}, "printer.host"),
        ({"kind": "network", "host": "h", "port": "9100"}, "printer.port"),
        ({"kind": "file", "file_path": "/x", "width": 40}, "printer.width"),
        ({"kind": "file", "file_path": "/x", "colour": "red"}, "printer.colour"),
        ({"kind": "serial"}, "printer.kind"),
    ],
)
def test_a_bad_setting_names_the_file_and_field(
    tmp_path: Path, raw: dict[str, object], field: str
) -> None:
    """An operator learns which file and which setting to fix."""
    settings_path(tmp_path).write_text(json.dumps(raw))
    with pytest.raises(PrinterSettingsError) as error:
        load_printer_config(tmp_path)
    assert str(settings_path(tmp_path)) in str(error.value)
    assert field in str(error.value)
