"""Alembic migrations of the till database, run from code (no alembic.ini needed).

The scripts live in ``pos_app/store/migrations`` so they ship with the package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

# The top-level migrations/ tree, shipped inside the package (linked in as migrations/).
MIGRATIONS_DIR = Path(str(files("pos_app.store").joinpath("migrations")))


def alembic_config() -> Config:
    """A configuration pointing at the packaged migration scripts."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` in one transaction (SQLite DDL is
    transactional): a failed upgrade leaves the previous schema."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade_database(engine: Engine, revision: str) -> None:
    """Downgrade the database to ``revision`` (``"base"`` empties it)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migration scripts in {MIGRATIONS_DIR}")
    return head


def revision_history() -> list[str]:
    """Every revision id, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def autogenerate_revision(engine: Engine, message: str) -> Path:
    """Write a new migration script with the differences between the models and a
    database at head (``engine`` should be a scratch database). Returns its path."""
    upgrade_database(engine)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        scripts = command.revision(config, message=message, autogenerate=True)
    script = scripts[0] if isinstance(scripts, list) else scripts
    if script is None:
        raise RuntimeError("alembic wrote no revision")
    return Path(script.path)
