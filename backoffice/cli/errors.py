"""What a command reports to the operator."""

from __future__ import annotations


class CommandError(Exception):
    """A failure the operator must fix; the message names the store, file or field."""
