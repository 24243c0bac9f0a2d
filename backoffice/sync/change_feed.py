"""What a till downloads (S7, S16): a snapshot of its store's live records, then the log.

A till with no cursor gets a **snapshot**: the live records of its store and the
chain-wide ones whose last change is at or before the change-log position ``P`` taken
when the snapshot began, in the order of that last change, page by page. A record
changed after ``P`` is left out: its change is in the log after ``P``, which the till
follows next, so the snapshot and the log together leave exactly the records the
server has. The cost follows the store's live records, not the chain's history.

The **log** is read from a cursor: the store's entries and the chain-wide ones after
it, each an index range on ``(store_id, seq)`` (never ``store_id IS NULL OR ...``
over the whole log). Writers append under the change-log lock, so entries commit in
``seq`` order and a cursor never skips one.

**Compaction** (:func:`compact`) drops entries older than the retention window that
a later entry of the same record supersedes, and old tombstones. The highest
dropped position is the horizon: a cursor below it is **expired** and the till starts
again from a snapshot (and removes what the snapshot no longer holds).

Cursors are opaque to the till: ``"<seq>"`` in the log, ``"s<P>.<last_seq>"`` within a
snapshot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, union_all
from sqlalchemy.orm import Session

from backoffice.models.records import ChangeLogEntry, ChangeLogHorizon, Record
from pos_app.protocol import bounds

MAX_PAGE_SIZE = 1000
COMPACTION_CHUNK = 20_000  # change-log positions per compaction transaction

_CURSOR = re.compile(r"^(?:(\d{1,19})|s(\d{1,19})\.(\d{1,19}))$")


class BadCursor(ValueError):
    """A cursor this server never issued."""


class CursorExpired(Exception):
    """The cursor is older than the compacted part of the log: start from a snapshot."""


@dataclass(frozen=True)
class Cursor:
    """A position in the log, or within a snapshot taken at ``position``."""

    position: int
    snapshot_after: int | None = None  # the last snapshot record sent (its last_seq)

    def __str__(self) -> str:
        if self.snapshot_after is None:
            return str(self.position)
        return f"s{self.position}.{self.snapshot_after}"


@dataclass(frozen=True)
class ChangePage:
    """One page for a device: records in order, the next cursor, and what kind of page.

    ``snapshot``: the records are live records of a snapshot (no tombstones);
    ``snapshot_complete``: this page ends the snapshot, so the till removes any record
    the snapshot did not hold."""

    records: list[dict[str, Any]]
    cursor: str
    has_more: bool
    snapshot: bool
    snapshot_complete: bool


def parse_cursor(text: str | None) -> Cursor | None:
    """The position a cursor names; missing or ``""`` is None (start with a snapshot)."""
    if text is None or text == "":
        return None
    match = _CURSOR.match(text) if text.isascii() else None
    if match is None:
        raise BadCursor(f"cursor {text!r} was not issued by this server")
    numbers = [int(part) for part in match.groups() if part is not None]
    if any(not bounds.COUNTER.holds(number) for number in numbers):
        raise BadCursor(f"cursor {text!r} was not issued by this server")
    if len(numbers) == 1:
        return Cursor(numbers[0])
    return Cursor(numbers[0], numbers[1])


def horizon(session: Session) -> int:
    """The highest position compaction dropped (0 if none): cursors below it expired."""
    row = session.get(ChangeLogHorizon, 1, populate_existing=True)
    return row.compacted_through if row is not None else 0


def read_page(session: Session, store_id: str, cursor: Cursor | None, limit: int) -> ChangePage:
    """The next page for a device of ``store_id`` after ``cursor`` (S7, S16)."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    if cursor is None:
        cursor = Cursor(max(_last_position(session), horizon(session)), 0)
    if cursor.snapshot_after is not None:
        page = _snapshot_page(session, store_id, cursor, limit)
    else:
        page = _log_page(session, store_id, cursor.position, limit)
    if cursor.position < horizon(session):  # read after the entries: see compact()
        raise CursorExpired(
            f"cursor {cursor} is older than the change log's retention window (entries up to"
            f" {horizon(session)} were compacted): start again from a snapshot"
        )
    return page


def _last_position(session: Session) -> int:
    return int(session.scalar(select(func.max(ChangeLogEntry.seq))) or 0)


def _both_scopes(query: Select[Any], scope_column: Any, store_id: str, order: Any, n: int) -> Any:
    """``query`` for the chain-wide rows and for the store's, each an index range,
    merged in ``order``: the first ``n``."""
    chain = query.where(scope_column.is_(None)).order_by(order).limit(n).subquery()
    own = query.where(scope_column == store_id).order_by(order).limit(n).subquery()
    merged = union_all(select(chain), select(own)).subquery()
    return select(merged).order_by(merged.c[order.key]).limit(n)


def _snapshot_page(session: Session, store_id: str, cursor: Cursor, limit: int) -> ChangePage:
    assert cursor.snapshot_after is not None
    query = select(
        Record.kind, Record.record_id, Record.version, Record.data, Record.last_seq
    ).where(
        Record.deleted.is_(False),
        Record.last_seq > cursor.snapshot_after,
        Record.last_seq <= cursor.position,
    )
    rows = session.execute(
        _both_scopes(query, Record.store_id, store_id, Record.last_seq, limit + 1)
    ).all()
    page = rows[:limit]
    records = [
        {"kind": kind, "version": version, "id": record_id, "deleted": False, "data": data}
        for kind, record_id, version, data, _ in page
    ]
    if len(rows) > limit:
        next_cursor = Cursor(cursor.position, page[-1].last_seq)
        return ChangePage(records, str(next_cursor), True, True, False)
    # The snapshot is complete; the log follows from its position.
    log_ahead = _log_page(session, store_id, cursor.position, 1).records
    return ChangePage(records, str(Cursor(cursor.position)), bool(log_ahead), True, True)


def _log_page(session: Session, store_id: str, after: int, limit: int) -> ChangePage:
    query = select(
        ChangeLogEntry.seq,
        ChangeLogEntry.kind,
        ChangeLogEntry.record_id,
        ChangeLogEntry.version,
        ChangeLogEntry.deleted,
        ChangeLogEntry.data,
    ).where(ChangeLogEntry.seq > after)
    rows = session.execute(
        _both_scopes(query, ChangeLogEntry.store_id, store_id, ChangeLogEntry.seq, limit + 1)
    ).all()
    page = rows[:limit]
    return ChangePage(
        records=[
            {"kind": kind, "version": version, "id": record_id, "deleted": deleted, "data": data}
            for _, kind, record_id, version, deleted, data in page
        ],
        cursor=str(page[-1].seq if page else after),
        has_more=len(rows) > limit,
        snapshot=False,
        snapshot_complete=False,
    )


# ---------------------------------------------------------------- compaction


@dataclass(frozen=True)
class Compaction:
    """What one compaction did: entries dropped, and the horizon after it."""

    dropped: int
    horizon: int


def compact(session_factory: Any, now: datetime, retention: timedelta) -> Compaction:
    """Drop superseded entries and tombstones older than ``retention``, in short
    transactions of :data:`COMPACTION_CHUNK` positions; raise the horizon to the highest
    position dropped, in the same transaction as the drop. A reader checks the horizon
    after reading entries, so it sees either every entry it needs or an expired cursor."""
    cutoff = now - retention
    with session_factory.begin() as session:
        last_old = session.scalar(
            select(ChangeLogEntry.seq)
            .where(ChangeLogEntry.changed_at < cutoff)
            .order_by(ChangeLogEntry.seq.desc())
            .limit(1)
        )
        top = horizon(session)
    dropped = 0
    if last_old is None:
        return Compaction(0, top)
    low = 0  # superseded since the last compaction: entries below the horizon too
    while low < last_old:
        high = min(low + COMPACTION_CHUNK, last_old)
        with session_factory.begin() as session:
            superseded = (
                select(Record.last_seq)
                .where(
                    Record.kind == ChangeLogEntry.kind,
                    Record.record_id == ChangeLogEntry.record_id,
                )
                .scalar_subquery()
            )
            gone = session.scalars(
                delete(ChangeLogEntry)
                .where(ChangeLogEntry.seq > low, ChangeLogEntry.seq <= high)
                .where(or_(ChangeLogEntry.deleted.is_(True), ChangeLogEntry.seq < superseded))
                .returning(ChangeLogEntry.seq)
            ).all()
            if gone:
                dropped += len(gone)
                top = max(top, max(gone))
                _raise_horizon(session, top, now)
        low = high
    return Compaction(dropped, top)


def _raise_horizon(session: Session, position: int, now: datetime) -> None:
    row = session.get(ChangeLogHorizon, 1, with_for_update=True)
    if row is None:
        session.add(ChangeLogHorizon(id=1, compacted_through=position, compacted_at=now))
    elif position > row.compacted_through:
        row.compacted_through = position
        row.compacted_at = now
