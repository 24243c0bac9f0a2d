"""The chain's synced records and their change log (S7): stores, organisations, the
execution order, record kinds and listings, the demo chain."""
