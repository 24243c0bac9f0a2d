"""The key the till makes members' phone digests with (:mod:`pos_app.protocol.phone_keys`):
its own, made once, until the back office delivers the chain's. A new key makes the
stored digests useless (the numbers are not kept to redo them), so taking one empties
them and asks for a fresh snapshot, whose member records bring the numbers again."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from pos_app.store.models.members import Member, TillSecret
from pos_app.store.models.sync_state import SyncCursor

PHONE_KEY = "phone_key"


def phone_key(session: Session) -> bytes:
    """The till's phone key (made and kept the first time it is asked for)."""
    secret = session.get(TillSecret, PHONE_KEY)
    if secret is None:
        secret = TillSecret(name=PHONE_KEY, value=secrets.token_hex(32))
        session.add(secret)
        session.flush()
    return bytes.fromhex(secret.value)


def take_phone_key(session: Session, key_hex: str) -> bool:
    """Use ``key_hex`` (the chain's key, 64 hex digits) from now on; True if it changed
    the key, in which case every member's digests are emptied and the download cursors
    dropped (the next sync is a snapshot that hashes the numbers again)."""
    key = bytes.fromhex(key_hex)
    if len(key) != 32:
        raise ValueError("a phone key is 32 bytes (64 hex digits)")
    if phone_key(session) == key:
        return False
    session.execute(update(TillSecret).where(TillSecret.name == PHONE_KEY).values(value=key.hex()))
    session.execute(update(Member).values(phone_digests="", phone_last4=""))
    session.execute(delete(SyncCursor))
    return True
