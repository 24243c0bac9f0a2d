"""The reference back office: the server end of the till's sync (docs/sync-protocol.md).

Start with :func:`backoffice.app.create_app` (the HTTP API) or :mod:`backoffice.cli`
(`pos-backoffice`). Nothing here builds an engine or a session at import time.
"""
