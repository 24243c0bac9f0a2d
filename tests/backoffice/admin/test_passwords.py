"""Administrator passwords: a salted scrypt hash that verifies only the same password."""

from __future__ import annotations

from backoffice.admin.passwords import hash_password, password_problem, verify_password


def test_hash_verifies_the_password_and_nothing_else() -> None:
    """The hash names scrypt and its cost; two hashes of one password differ (salt)."""
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$16384$8$1$")
    assert stored != hash_password("correct horse battery")
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterY", stored)
    assert not verify_password("x", "not a hash") and not verify_password("x", "md5$1$2$3$4$5")


def test_short_passwords_are_refused() -> None:
    """A password needs at least ten characters."""
    assert password_problem("short") == "must be at least 10 characters long"
    assert password_problem("long enough now") is None
