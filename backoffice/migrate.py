"""The back office's Alembic migrations (in ``backoffice/migrations``), run from code."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config

# The top-level migrations/ tree, shipped inside the package (linked in as migrations/).
MIGRATIONS_DIR = Path(str(files("backoffice").joinpath("migrations")))


def alembic_config(database_url: str) -> Config:
    """An Alembic config for ``database_url`` without an ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["database_url"] = database_url
    return config


def upgrade_database(database_url: str) -> None:
    """Bring the database at ``database_url`` to the newest migration (creating it if empty)."""
    command.upgrade(alembic_config(database_url), "head")
