"""The till's offline store: SQLAlchemy models on SQLite, Alembic migrations, and the
store functions the till and the sync client call.

Nothing here builds an engine or a session at import time; :mod:`pos_app.wiring` does.
"""
