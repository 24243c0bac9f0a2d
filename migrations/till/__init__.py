"""Alembic migrations of the till database, run by :mod:`pos_app.store.migrate`.

To add a revision after changing a model, in Python from the project root::

    >>> from pathlib import Path
    >>> from tempfile import mkdtemp
    >>> from pos_app.store.database import create_till_engine
    >>> from pos_app.store.migrate import autogenerate_revision
    >>> scratch = create_till_engine(Path(mkdtemp()) / "scratch.sqlite3")
    >>> print(autogenerate_revision(scratch, "what changed"))

then review the script (batch mode, ``render_as_batch``: SQLite alters tables by copy)
and keep ``tests/store/test_migrations.py`` green: it upgrades from every revision and
checks that models and migrations do not drift.
"""
