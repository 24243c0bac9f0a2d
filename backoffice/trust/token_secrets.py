"""Bearer tokens and one-time codes (S12): made at random, kept only as SHA-256 hashes.

Nothing here logs a code or a token.
"""

from __future__ import annotations

import hashlib
import secrets


def secret_hash(secret: str) -> str:
    """The SHA-256 hex digest a token or code is stored as."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh bearer token (256 random bits, URL-safe)."""
    return secrets.token_urlsafe(32)
