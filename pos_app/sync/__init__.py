"""Till ⇄ back office sync: HTTP client, outbox upload, incremental download, daemon.

The wire contract is docs/sync-protocol.md; the rules are SYNC-RULES.md (S1–S14).
"""
