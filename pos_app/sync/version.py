"""The till's software version as it reports it at each ping (issue 18): the installed
``pos-app`` distribution's version, or ``unknown`` when it runs from a source tree
that was never installed."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "pos-app"


@cache
def software_version() -> str:
    """``pos-app``'s installed version, e.g. ``"0.18.0"``."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown"
