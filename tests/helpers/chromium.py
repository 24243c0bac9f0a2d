"""Headless Chromium for the browser tests and screenshots: Debian's `chromium`, driven by
Playwright (which downloads no browser here)."""

from __future__ import annotations

import os
import shutil

from playwright.sync_api import Browser, Playwright

CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Where Debian's chromium is, if installed (`make test` installs it)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch_chromium(playwright: Playwright) -> Browser:
    """A headless Chromium; ``--no-sandbox`` only when running as root (it refuses otherwise)."""
    path = chromium_path()
    if path is None:
        raise RuntimeError(
            "chromium is not installed: `make test` installs it (apt-get install chromium)"
        )
    args = [*CHROMIUM_ARGS, *(["--no-sandbox"] if os.geteuid() == 0 else [])]
    return playwright.chromium.launch(executable_path=path, args=args, headless=True)
