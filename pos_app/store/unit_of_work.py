"""The one transaction style of the till's database: a unit of work, rolled back unless
committed, with the repositories that read and write in it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from pos_app.store.audit_log import AuditLog
from pos_app.store.backups import Backup, BackupError, back_up, load_backup_settings
from pos_app.store.closed_tickets import ClosedTicketRepository
from pos_app.store.conflicts import ConflictRepository
from pos_app.store.database import begin_on_driver, engine_of, session_driver
from pos_app.store.device import DeviceRepository
from pos_app.store.manager_records import ManagerRecords
from pos_app.store.member_directory import MemberDirectory
from pos_app.store.open_tickets import HeldTicketRepository, OpenTicketRepository
from pos_app.store.outbox import Outbox
from pos_app.store.pack_ledger import PackLedger
from pos_app.store.refund_records import RefundRecords
from pos_app.store.shift_records import ShiftRecords
from pos_app.store.till_configuration import ConfigurationRecords
from pos_app.store.till_file import file_error_of

log = logging.getLogger(__name__)


class UnitOfWork:
    """One transaction on the till's database: ``with UnitOfWork(sessions) as uow: ...;
    uow.commit()``. Leaving the block without :meth:`commit` (or by an exception) rolls
    everything back.

    The transaction begins at first use (``BEGIN IMMEDIATE``, the durable pragmas). Its
    repositories (``uow.outbox``, ``uow.shifts`` ...) read and write in it, on its
    sqlite3 connection (:attr:`connection`, the plain statements of the hot paths) or
    its ORM session (:attr:`session`). A unit that only ever uses the connection costs
    no session: the durable close and the open ticket's save are such units. A unit
    that uses both must use the session first (its connection is then the session's);
    asking for the session after the connection alone began is refused, naming why.
    Not thread-safe: one unit per thread, as many units as threads.
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._open = False
        self._session: Session | None = None
        self._pooled: Any = None  # the pool's connection when begun without a session
        self._driver: Any = None  # the sqlite3 connection of the current transaction

    def __enter__(self) -> UnitOfWork:
        if self._open:
            raise RuntimeError("the unit of work is already open")
        self._open = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed; unlike rollback() it leaves
        # what was read loaded (detached), so results stay readable after the block.
        session, pooled, driver = self._session, self._pooled, self._driver
        self._open = False
        self._session = self._pooled = self._driver = None
        cleanup_error: Exception | None = None
        try:
            if session is not None:
                session.close()
            if pooled is not None:
                try:
                    if driver is not None and driver.in_transaction:
                        driver.execute("ROLLBACK")
                finally:
                    pooled.close()  # back to the pool
        except Exception as cleanup:  # the file failed under the rollback too
            cleanup_error = cleanup
        failure = exc or cleanup_error
        if failure is not None:
            # An I/O failure of the file reads as one plain message naming it (issue 18).
            plain = file_error_of(failure, Path(str(engine_of(self._sessions).url.database)))
            if plain is not None:
                raise plain from failure
        if cleanup_error is not None and exc is None:
            raise cleanup_error

    @property
    def connection(self) -> Any:
        """The sqlite3 connection in this unit's transaction (begun now if it was not)."""
        driver = self._driver
        if driver is not None and driver.in_transaction:
            return driver
        self._require_open()
        if self._session is not None:
            self._driver = session_driver(self._session)
        elif self._pooled is not None:
            driver.execute("BEGIN IMMEDIATE")  # the next transaction after a commit
        else:
            self._pooled, self._driver = begin_on_driver(engine_of(self._sessions))
        return self._driver

    @property
    def session(self) -> Session:
        """The ORM session of this unit's transaction."""
        if self._session is None:
            self._require_open()
            if self._pooled is not None:
                raise RuntimeError(
                    "this unit of work began on its sqlite3 connection alone; a unit that"
                    " also needs the ORM session must use the session first"
                )
            self._session = self._sessions()
        return self._session

    def commit(self) -> None:
        """Make everything written in this unit durable (one commit)."""
        if self._session is not None:
            self._session.commit()
        elif self._driver is not None and self._driver.in_transaction:
            self._driver.execute("COMMIT")

    def _require_open(self) -> None:
        if not self._open:
            raise RuntimeError("the unit of work is not open")

    # ------------------------------------------------------------ repositories

    @cached_property
    def open_tickets(self) -> OpenTicketRepository:
        return OpenTicketRepository(self)

    @cached_property
    def held_tickets(self) -> HeldTicketRepository:
        return HeldTicketRepository(self)

    @cached_property
    def closed_tickets(self) -> ClosedTicketRepository:
        return ClosedTicketRepository(self)

    @cached_property
    def shifts(self) -> ShiftRecords:
        return ShiftRecords(self)

    @cached_property
    def refunds(self) -> RefundRecords:
        return RefundRecords(self)

    @cached_property
    def outbox(self) -> Outbox:
        return Outbox(self)

    @cached_property
    def conflicts(self) -> ConflictRepository:
        return ConflictRepository(self)

    @cached_property
    def packs(self) -> PackLedger:
        return PackLedger(self)

    @cached_property
    def members(self) -> MemberDirectory:
        return MemberDirectory(self)

    @cached_property
    def managers(self) -> ManagerRecords:
        return ManagerRecords(self)

    @cached_property
    def audit(self) -> AuditLog:
        return AuditLog(self)

    @cached_property
    def configuration(self) -> ConfigurationRecords:
        return ConfigurationRecords(self)

    @cached_property
    def device(self) -> DeviceRepository:
        return DeviceRepository(self)


@dataclass(frozen=True)
class TillDatabase:
    """The till's database (one SQLite file): its engine and session factory, and units
    of work on it. Only :mod:`pos_app.wiring` builds one; :meth:`dispose` closes its
    connections."""

    engine: Engine
    sessions: sessionmaker[Session]

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    @property
    def path(self) -> Path:
        """The database file."""
        return Path(str(self.engine.url.database))

    def back_up_after_z(self, now: datetime) -> Backup | None:
        """The backup taken at each Z report (kept to the data directory's count). A
        failure is logged and returns None: the day is closed whatever the copy does."""
        try:
            keep = load_backup_settings(self.path.parent).keep
            return back_up(self.path, now.astimezone(), "z", keep)
        except BackupError as exc:
            log.warning("the Z report's backup failed: %s", exc)
            return None

    def dispose(self) -> None:
        self.engine.dispose()
