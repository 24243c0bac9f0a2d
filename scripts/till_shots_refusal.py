"""The till's refusal to start without its database, rendered from a throwaway till."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TextIO

from pos_app.cli.window import open_till_app
from pos_app.engine import AddItem, Close
from pos_app.store.database import database_path
from pos_app.store.till_file import TillFileError
from pos_app.till.commands import PayCash
from pos_app.ui.app import ensure_application
from pos_app.ui.driver import settle
from pos_app.ui.file_refusal import FileRefusalWindow
from pos_app.wiring import open_till
from scripts.till_demo import demo_clock


def render_file_refusal(folder: Path, out: TextIO | None = None) -> Path:
    """The till's refusal of a missing database at 1024x768: a throwaway till sells
    once, its database is deleted, and the till is started again."""
    out = out or sys.stdout
    ensure_application(offscreen_if_headless=True)
    with tempfile.TemporaryDirectory(prefix="pos-app-shots-") as scratch:
        data_dir = Path(scratch) / "till"
        runtime = open_till(data_dir, clock=demo_clock)
        try:
            runtime.till.handle(AddItem(None, "TEA"))
            runtime.till.handle(PayCash("10.00"))
            runtime.till.handle(Close())
        finally:
            runtime.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database_path(data_dir)}{suffix}").unlink(missing_ok=True)
        try:
            open_till_app(data_dir, clock=demo_clock, start_sync=False).close()
        except TillFileError as refused:
            error = TillFileError(
                refused.path, str(refused).replace(str(data_dir), "/var/lib/pos-app")
            )
        else:
            raise RuntimeError("the till opened without its database")
        window = FileRefusalWindow(error)
        window.resize(1024, 768)
        window.show()
        settle()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "till-missing-database.png"
        if not window.grab().save(str(path)):
            raise RuntimeError(f"{path}: could not write the screenshot")
        window.close()
    print(f"wrote {path}", file=out)
    return path
