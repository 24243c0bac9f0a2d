"""The till's tables, one model per table, grouped by topic."""
