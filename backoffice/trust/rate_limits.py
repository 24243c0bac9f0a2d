"""Rate limits at the doors (issue 18 item 5): failed sign-ins are counted per account
and per client address, failed enrollments per code and per client address, the share
page's code requests and wrong codes per client address. Past a
limit within a window, that account, code or address is locked out for a while: the
door answers 429 with ``Retry-After`` before it checks anything (no scrypt is spent on
a locked account). An administrator sees every lockout and may lift it
(``/admin/lockouts``, ``/api/v1/admin/lockouts``).

Counters are written in their own short transaction, so a failure is counted even when
the request's own work is rolled back; two servers counting at once meet on the
counter's unique key and the loser retries.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from backoffice.models.locks import AttemptCounter

SIGN_IN = "sign_in"
ENROLL = "enroll"
MALL_CODE = "mall_code"  # the share page's one-time codes: requests and wrong codes
ACCOUNT = "account"
ADDRESS = "address"
CODE = "code"
MAX_KEY_LENGTH = 256


@dataclass(frozen=True)
class Limit:
    """``failures`` within ``window`` lock the subject out for ``lockout``."""

    failures: int
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)


LIMITS: dict[tuple[str, str], Limit] = {
    (SIGN_IN, ACCOUNT): Limit(5),
    (SIGN_IN, ADDRESS): Limit(20),
    (ENROLL, CODE): Limit(5),
    (ENROLL, ADDRESS): Limit(10),
    (MALL_CODE, ADDRESS): Limit(30),  # beside the codes' own per-phone limit
}
_SUBJECT_WORDS = {ACCOUNT: "account", ADDRESS: "client address", CODE: "enrollment code"}
_DOOR_WORDS = {
    SIGN_IN: "admin sign-in",
    ENROLL: "till enrollment",
    MALL_CODE: "share page codes",
}


class LockedOut(Exception):
    """The door is closed to this account, code or address for ``retry_after`` seconds."""

    def __init__(self, subject: str, retry_after: int) -> None:
        self.subject = subject
        self.retry_after = retry_after
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            f"too many failed attempts from this {_SUBJECT_WORDS[subject]}:"
            f" try again in {minutes} minute{'s' if minutes != 1 else ''}"
        )


@dataclass(frozen=True)
class Lockout:
    """A lockout in force, as the administrator sees it."""

    id: int
    door: str
    subject: str
    key: str
    failures: int
    locked_until: datetime

    @property
    def description(self) -> str:
        return f"{_DOOR_WORDS[self.door]}: {_SUBJECT_WORDS[self.subject]} {self.key}"


Keys = Mapping[str, str]  # subject -> key (the account's address, the code, the client)


def _clip(key: str) -> str:
    """``key`` as a column can hold it: a NUL or a lone surrogate (which no database
    stores) becomes U+FFFD, and it is cut to :data:`MAX_KEY_LENGTH` characters."""
    clean = key.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")
    return clean[:MAX_KEY_LENGTH]


def check_open(sessions: sessionmaker[Session], door: str, keys: Keys, now: datetime) -> None:
    """Raise :class:`LockedOut` if any of ``keys`` is locked out of ``door`` at ``now``."""
    with sessions.begin() as session:
        for subject, key in keys.items():
            counter = session.scalar(
                select(AttemptCounter).where(
                    AttemptCounter.door == door,
                    AttemptCounter.subject == subject,
                    AttemptCounter.key == _clip(key),
                )
            )
            if counter is not None and counter.locked_until and counter.locked_until > now:
                seconds = math.ceil((counter.locked_until - now).total_seconds())
                raise LockedOut(subject, max(1, seconds))


def _count(session: Session, door: str, subject: str, key: str, now: datetime) -> None:
    limit = LIMITS[(door, subject)]
    counter = session.scalar(
        select(AttemptCounter)
        .where(
            AttemptCounter.door == door,
            AttemptCounter.subject == subject,
            AttemptCounter.key == key,
        )
        .with_for_update()
    )
    if counter is None:
        counter = AttemptCounter(
            door=door, subject=subject, key=key, failures=0, window_started_at=now
        )
        session.add(counter)
    elif now - counter.window_started_at > limit.window:
        counter.failures = 0
        counter.window_started_at = now
    counter.failures += 1
    counter.last_failure_at = now
    if counter.failures >= limit.failures:
        counter.locked_until = now + limit.lockout
    session.flush()


def record_failure(sessions: sessionmaker[Session], door: str, keys: Keys, now: datetime) -> None:
    """Count one failed attempt at ``door`` against each of ``keys``."""
    for subject, key in keys.items():
        for attempt in range(3):
            try:
                with sessions.begin() as session:
                    _count(session, door, subject, _clip(key), now)
                break
            except IntegrityError:  # another server made the counter first: count on it
                if attempt == 2:
                    raise


def record_success(sessions: sessionmaker[Session], door: str, subject: str, key: str) -> None:
    """A success clears ``subject``'s failures (an account that signed in, say)."""
    with sessions.begin() as session:
        counter = session.scalar(
            select(AttemptCounter).where(
                AttemptCounter.door == door,
                AttemptCounter.subject == subject,
                AttemptCounter.key == _clip(key),
            )
        )
        if counter is not None:
            session.delete(counter)


def lockouts(session: Session, now: datetime) -> list[Lockout]:
    """Every lockout in force at ``now``, the latest to end first."""
    counters = session.scalars(
        select(AttemptCounter)
        .where(AttemptCounter.locked_until > now)
        .order_by(AttemptCounter.locked_until.desc(), AttemptCounter.id)
    )
    return [
        Lockout(c.id, c.door, c.subject, c.key, c.failures, c.locked_until)
        for c in counters
        if c.locked_until is not None
    ]


def lift(session: Session, lockout_id: int) -> Lockout | None:
    """Lift a lockout (its failures forgotten); the lockout, or None if there is none."""
    counter = session.get(AttemptCounter, lockout_id)
    if counter is None or counter.locked_until is None:
        return None
    lifted = Lockout(
        counter.id, counter.door, counter.subject, counter.key, counter.failures,
        counter.locked_until,
    )  # fmt: skip
    session.delete(counter)
    return lifted
