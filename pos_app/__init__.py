"""The till: an offline-first point-of-sale application.

Layers, top to bottom (import-linter contracts in ``pyproject.toml``): ``cli`` and
``ui`` (entry points and screens), ``wiring``, ``till`` (the service: one handler per
command), ``sync`` / ``printing`` / ``scenario``, ``store`` (SQLite), ``protocol``
(what the till and the back office share) and ``engine`` (pure Python pricing).
``engine`` and ``protocol`` ship in the ``pos-core`` distribution, the rest in
``pos-app``; resources (stylesheet, demo store) live in ``pos_app/resources``.
"""
