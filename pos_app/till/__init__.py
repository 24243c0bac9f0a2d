"""The till's service layer: commands handed to their handlers by a message bus, small
services sharing the store's units of work, and the read side screens use (see
docs/architecture-till.md)."""
