"""The chain's phone key (issue 18 item 5): tills keep members' phone numbers only as
HMAC digests under it (:mod:`pos_app.protocol.phone_keys`), so every till of the chain
makes the same digest of a number. Made once, at random; handed to each till at every
ping (over its device token's TLS connection), never shown elsewhere."""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from backoffice.models.trust import ChainSecret

PHONE_KEY = "phone_key"


def chain_phone_key(sessions: sessionmaker[Session]) -> str:
    """The chain's phone key as 64 hex digits (made the first time it is asked for; two
    servers making it at once agree on the first one stored)."""
    for _ in range(2):
        with sessions.begin() as session:
            found = session.get(ChainSecret, PHONE_KEY)
            if found is not None:
                return found.value
        try:
            with sessions.begin() as session:
                session.add(ChainSecret(name=PHONE_KEY, value=secrets.token_hex(32)))
        except IntegrityError:
            continue  # another server made it first: read theirs
    with sessions.begin() as session:
        made = session.get(ChainSecret, PHONE_KEY)
        assert made is not None
        return made.value
