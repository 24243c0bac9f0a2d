"""The sync protocol both ends share (docs/sync-protocol.md): record kinds and their
checks, event types and payload models, upload outcomes and reasons.

The till and the back office import it; it imports the engine at most (catalog
items, promotions and coupons are checked by the engine's own parsers, so whatever
the back office accepts, a till can read).
"""
