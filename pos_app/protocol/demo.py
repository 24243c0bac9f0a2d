"""The demo store document (store ``DEMO-1``) both ends load: a new till on first start,
the back office's ``pos-backoffice demo``. It is ``resources/demo_store.json``, shipped
inside the package as ``pos_app/resources`` (the ``pos-core`` distribution)."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

DEMO_STORE_FILE = "demo_store.json"


def demo_store_text() -> str:
    """The demo store document's JSON text, read from the installed package."""
    return files("pos_app").joinpath("resources", DEMO_STORE_FILE).read_text(encoding="utf-8")


def demo_store_document() -> dict[str, Any]:
    """The demo store document, parsed."""
    document = json.loads(demo_store_text())
    if not isinstance(document, dict):
        raise ValueError(f"{DEMO_STORE_FILE}: the demo store must be a JSON object")
    return document
