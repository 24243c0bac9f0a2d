"""Administrator accounts and their sessions, and `pos-backoffice admin-user add`."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from backoffice.admin.users import (
    AdminUserError,
    add_admin_user,
    authenticate,
    end_session,
    find_session,
    start_session,
)
from backoffice.cli.main import main
from backoffice.database import Database
from backoffice.models.admin_users import AdminUser
from tests.backoffice.conftest import MovableClock

PASSWORD = "correct horse battery"


def test_accounts_sign_in_and_sessions_end(database: Database, clock: MovableClock) -> None:
    """An account signs in by address (any case) and password; its session ends on sign-out
    and after its lifetime."""
    with database.sessions.begin() as session:
        add_admin_user(session, " Ada@Example.com ", PASSWORD, role="group_admin", now=clock())
    with database.sessions.begin() as session:
        user = authenticate(session, "ada@example.COM", PASSWORD)
        assert user is not None and user.email == "ada@example.com"
        assert authenticate(session, "ada@example.com", "wrong password") is None
        token = start_session(session, user, clock())
        other = start_session(session, user, clock())
    with database.sessions.begin() as session:
        found = find_session(session, token, clock())
        assert found is not None and found.is_group_admin and len(found.csrf_token) > 20
        end_session(session, token, clock())
    with database.sessions.begin() as session:
        assert find_session(session, token, clock()) is None
        assert find_session(session, other, clock()) is not None
        assert find_session(session, other, clock() + timedelta(hours=13)) is None


@pytest.mark.parametrize(
    ("email", "password", "role", "field"),
    [
        ("not-an-address", PASSWORD, "group_admin", "email"),
        ("ada@example.com", "short", "group_admin", "password"),
        ("ada@example.com", PASSWORD, "owner", "role"),
    ],
)
def test_bad_accounts_are_refused(
    database: Database, clock: MovableClock, email: str, password: str, role: str, field: str
) -> None:
    """A malformed address, a weak password or an unknown role is refused, naming it."""
    with pytest.raises(AdminUserError) as refused, database.sessions.begin() as session:
        add_admin_user(session, email, password, role=role, now=clock())
    assert refused.value.field == field


def test_cli_adds_an_account_from_stdin(
    database_url: str,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`admin-user add EMAIL --password-stdin` stores a hash, never the password; twice refused."""
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        main(
            [
                "admin-user",
                "add",
                "ada@example.com",
                "--password-stdin",
                "--database-url",
                database_url,
            ]
        )
        == 0
    )
    assert "added ada@example.com (group_admin)" in capsys.readouterr().out
    with database.sessions.begin() as session:
        stored = session.scalars(select(AdminUser)).one()
        assert stored.role == "group_admin" and PASSWORD not in stored.password_hash
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        main(
            [
                "admin-user",
                "add",
                "ADA@example.com",
                "--password-stdin",
                "--database-url",
                database_url,
            ]
        )
        == 2
    )
    assert "already has an account" in capsys.readouterr().err


def test_cli_asks_for_the_password_twice(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --password-stdin it asks twice (getpass); two different answers save nothing."""
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    assert main(["admin-user", "add", "bo@example.com", "--database-url", database_url]) == 2
    assert "the two passwords differ" in capsys.readouterr().err


def test_a_store_manager_looks_after_known_stores_only(
    database: Database, demo_chain: None, clock: MovableClock
) -> None:
    """A store manager's stores must exist; a group administrator is given none (it sees
    the chain); a session carries the stores the account sees."""
    with database.sessions.begin() as session:
        for role, stores, field in (
            ("store_manager", ("NOWHERE-9",), "store"),
            ("group_admin", ("DEMO-1",), "store"),
        ):
            with pytest.raises(AdminUserError) as refused:
                add_admin_user(
                    session, "max@example.com", PASSWORD, role=role, now=clock(), store_ids=stores
                )
            assert refused.value.field == field
        add_admin_user(
            session,
            "max@example.com",
            PASSWORD,
            role="store_manager",
            now=clock(),
            store_ids=("DEMO-1", "DEMO-1"),
        )
        user = authenticate(session, "max@example.com", PASSWORD)
        assert user is not None and user.store_ids == ["DEMO-1"]
        token = start_session(session, user, clock())
        signed_in = find_session(session, token, clock())
    assert signed_in is not None and signed_in.store_ids == ("DEMO-1",)
    assert signed_in.sees_store("DEMO-1") and not signed_in.sees_store("OTHER-1")
