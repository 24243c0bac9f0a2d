"""One process at a time runs the chores (S17): a PostgreSQL advisory lock, or a lock
file beside an SQLite database; when the leader goes, another takes over."""

from __future__ import annotations

from backoffice.database import Database
from backoffice.sync.leadership import Leadership


def test_one_leader_at_a_time_and_another_after_it(database_url: str) -> None:
    """S17: the first to try leads and keeps leading; the second does not until the
    first lets go (as a stopped or killed process does)."""
    first_database, second_database = Database(database_url), Database(database_url)
    first, second = Leadership(first_database), Leadership(second_database)
    try:
        assert first.try_lead() is True
        assert second.try_lead() is False
        assert first.try_lead() is True  # still leading
        first.release()
        assert second.try_lead() is True
        assert first.try_lead() is False
    finally:
        first.release()
        second.release()
        first_database.dispose()
        second_database.dispose()
