"""``pos-app db recover`` (issue 18): a till whose database is lost or damaged rebuilt
from what its back office holds: the enrollment (the data directory's token), the
configuration (a fresh download), and its ticket numbers going on after the highest
one the back office received from it (Z reports after the last it received), so no
number is ever given twice. The file it replaces is moved aside, never deleted; the
result says what is gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pos_app.protocol.sync_api import TillNumbers
from pos_app.store.backups import move_aside
from pos_app.store.database import create_session_factory, create_till_engine, database_path
from pos_app.store.device import continue_numbers, set_enrollment
from pos_app.store.till_file import mark_history
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.sync.client import DEFAULT_TIMEOUT, BackOfficeClient
from pos_app.sync.enrollment import load_settings
from pos_app.sync.errors import SyncError
from pos_app.till.clock import Clock, aware, local_now
from pos_app.wiring import initialize_device, migrate, open_sync, open_till

# What a rebuilt till no longer has: only this till ever held it.
GONE = (
    "sales, returns and Z reports that had not reached the back office",
    "the open ticket and the held tickets",
    "the figures of the day under way (the next Z report counts from the recovery)",
    "managers' PINs, cashier permissions and the audit log kept at this till",
    "the conflicts listed at this till (the back office still lists them)",
)


@dataclass(frozen=True)
class Recovered:
    """What the rebuild did: the file replaced (moved aside), the back office's numbers,
    the records downloaded, and what is gone."""

    database: Path
    replaced: Path | None
    numbers: TillNumbers
    store_id: str
    records_applied: int
    download_error: str | None = None  # the configuration still to come: sync again
    gone: tuple[str, ...] = GONE


def recover_till(
    data_dir: Path,
    *,
    clock: Clock = local_now,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
) -> Recovered:
    """Rebuild ``data_dir``'s database from its back office. Raises
    :class:`~pos_app.sync.enrollment.EnrollmentError` when the till is not enrolled and
    a :class:`~pos_app.sync.errors.SyncError` when the back office cannot be reached;
    either way nothing was changed."""
    settings = load_settings(data_dir)
    client = BackOfficeClient(
        settings.url, settings.token, timeout=timeout, verify=settings.verify_tls
    )
    numbers = client.till_numbers()  # first: offline changes nothing
    database = database_path(data_dir)
    now = aware(clock())
    replaced = move_aside(database, now)
    engine = create_till_engine(database)
    try:
        migrate(engine)
        sessions = create_session_factory(engine)
        initialize_device(sessions, now, None)
        with UnitOfWork(sessions) as uow:
            set_enrollment(uow.session, settings.device_id, settings.store_id, numbers.till_number)
            continue_numbers(uow.session, numbers.last_sequence, numbers.z_reports)
            uow.commit()
    finally:
        engine.dispose()
    mark_history(database, "a recovery from the back office", now)
    runtime = open_till(data_dir, clock=clock, load_demo=False)
    error = None
    try:
        run = open_sync(runtime, timeout=timeout)
        try:
            run.run()
        except SyncError as exc:
            error = str(exc)
        applied = run.last_report.records_applied
    finally:
        runtime.close()
    return Recovered(database, replaced, numbers, settings.store_id, applied, error)
