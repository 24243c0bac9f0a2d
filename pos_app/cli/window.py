"""``pos-app`` with a screen: the till window and ``--smoke``. Opens the data directory
through the wiring, then hands it to the Qt application."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TextIO

from pos_app.store.till_file import TillFileError
from pos_app.till.clock import Clock, local_now
from pos_app.ui.app import TillApp, assemble_till_app, ensure_application
from pos_app.ui.display_settings import load_display_settings
from pos_app.ui.file_refusal import show_file_refusal
from pos_app.ui.smoke import ring_up_and_close
from pos_app.ui.sync_link import SyncLink
from pos_app.ui.window_geometry import place_window
from pos_app.wiring import open_sync, open_till


def open_till_app(
    data_dir: Path,
    *,
    clock: Clock = local_now,
    start_sync: bool = True,
    load_demo: bool = True,
    sync: SyncLink | None = None,
) -> TillApp:
    """Open ``data_dir`` (migrating it, loading the demo store on first start), build
    the window and start loading the ticket. Needs a QApplication. ``sync``: a ready
    link to use instead of the data directory's own (tests)."""
    runtime = open_till(data_dir, clock=clock, load_demo=load_demo)
    if sync is None:
        sync = SyncLink.open(lambda changed: open_sync(runtime, on_configuration_changed=changed))
    return assemble_till_app(runtime, sync, start_sync=start_sync)


def run_window(data_dir: Path, *, kiosk: bool = False) -> int:
    """``pos-app``: the till window on ``data_dir`` until it is closed; kiosk (full
    screen, frameless) when asked or when the data directory's display setting says so."""
    app = ensure_application()
    try:
        till_app = open_till_app(data_dir)
    except TillFileError as error:  # refused in words, naming the file; nothing written
        print(f"error: {error}", file=sys.stderr)
        return show_file_refusal(error)
    try:
        kiosk = kiosk or load_display_settings(data_dir).kiosk
        place_window(till_app.window, kiosk=kiosk)
        return int(app.exec())
    finally:
        till_app.close()


def run_smoke(data_dir: Path | None = None, out: TextIO | None = None) -> int:
    """``pos-app --smoke`` on ``data_dir`` (default: a throwaway demo-store directory,
    so no real till's sales are touched): ring up, pay, close, check the receipt."""
    out = out or sys.stdout
    ensure_application(offscreen_if_headless=True)
    with tempfile.TemporaryDirectory(prefix="pos-app-smoke-") as scratch:
        target = data_dir if data_dir is not None else Path(scratch) / "till"
        till_app = open_till_app(target, start_sync=False)
        try:
            return ring_up_and_close(till_app, out)
        finally:
            till_app.close()
