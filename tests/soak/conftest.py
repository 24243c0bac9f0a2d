"""The soak's fixtures: the PostgreSQL server the back-office tests use."""

from tests.backoffice.conftest import postgres_server

__all__ = ["postgres_server"]
