"""The till's offline store: SQLAlchemy models on SQLite, Alembic migrations, the unit
of work (:mod:`pos_app.store.unit_of_work`, the one transaction style) with the
repositories the till reads and writes through, and the sync client's face
(:mod:`pos_app.store.sync_store`). The only package of the till that speaks SQL.

Nothing here builds an engine or a session at import time; :mod:`pos_app.wiring` does.
"""
