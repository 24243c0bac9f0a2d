"""Hatch build hook: a wheel of ``pos-core`` or ``pos-backoffice`` ships its parts of the
repository's one source tree (``pos_app/``, ``backoffice/``, ``resources/``), mapped as
the hook's ``include`` table says. An editable install ships none of them: its ``.pth``
puts the repository root on ``sys.path`` (``dev-mode-dirs``), so nothing is copied and
nothing goes stale."""

from __future__ import annotations

import os
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class SourceTreeHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the configured source paths to a standard (not an editable) wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "standard":
            return
        for source, target in self.config.get("include", {}).items():
            build_data["force_include"][os.path.join(self.root, source)] = target
