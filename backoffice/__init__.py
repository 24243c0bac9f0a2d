"""The reference back office: the server end of the till's sync (docs/sync-protocol.md).

Start with :func:`backoffice.app.create_app` (the HTTP API) or :mod:`backoffice.cli`
(`pos-backoffice`). Grouped by concern: ``sync`` (the tills' side), ``admin`` (the admin
API and pages), ``mall``, ``packs``, ``chain`` (records and their change log),
``reports``, ``trust`` (tokens), ``http`` (what routes share); docs/architecture-backoffice.md
draws them. Nothing here builds an engine or a session at import time.
"""
