"""The HTTP API (docs/sync-protocol.md): device enrollment, sync, and the admin API."""
