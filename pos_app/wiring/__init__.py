"""The one place that builds the till's pieces for a data directory: the SQLAlchemy
engine and sessions, the migrated database, the demo store on first start, the
:class:`~pos_app.till.till.Till` and the :class:`~pos_app.store.sync_store.SyncStore`.

Nothing is built at import time; call :func:`open_till` (or :func:`upgrade`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic.util.exc import CommandError
from platformdirs import user_data_dir
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from pos_app.protocol.demo import demo_store_document
from pos_app.store.changes import apply_records
from pos_app.store.database import create_session_factory, create_till_engine, database_path
from pos_app.store.device import create_device, get_device
from pos_app.store.migrate import current_revision, upgrade_database
from pos_app.store.store_document import store_document_records
from pos_app.store.sync_store import SyncStore
from pos_app.store.till_file import (
    WHAT_TO_DO,
    TillFileError,
    check_database_file,
    file_error_of,
    mark_history,
)
from pos_app.store.unit_of_work import TillDatabase, UnitOfWork
from pos_app.sync.client import DEFAULT_TIMEOUT, BackOfficeClient
from pos_app.sync.cycle import SyncRun
from pos_app.sync.enrollment import (
    SETTINGS_FILE,
    EnrollmentError,
    load_settings,
    save_settings,
)
from pos_app.sync.pack_supplies import RESERVATION_TIMEOUT, OnlinePackDesk, PackSupplier
from pos_app.till.back_office import Enrolled, enroll
from pos_app.till.clock import Clock, aware, local_now
from pos_app.till.runtime import TillRuntime
from pos_app.till.till import Till

APP_NAME = "pos-app"


def default_data_dir() -> Path:
    """The user's data directory for the till (platform specific)."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def open_engine(data_dir: Path) -> Engine:
    """An engine on the data directory's database, once the file passed its checks: a
    data directory with history never starts fresh, a damaged file is refused
    (:class:`~pos_app.store.till_file.TillFileError`)."""
    database = database_path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TillFileError(
            database, f"The till cannot create its data folder {data_dir}: {exc.strerror}."
        ) from None
    check_database_file(database)
    return create_till_engine(database)


def migrate(engine: Engine) -> None:
    """Upgrade the database to this version's schema; a schema the till does not know
    (a newer till's) or a failing file is one plain :class:`TillFileError`."""
    database = Path(str(engine.url.database))
    try:
        upgrade_database(engine)
    except CommandError as exc:
        raise TillFileError(
            database,
            f"The till's database {database} has a layout this version of the till does not"
            f" know ({exc}): it was written by a newer version. Install that version, or"
            f" {WHAT_TO_DO}.",
        ) from None
    except Exception as exc:
        plain = file_error_of(exc, database)
        if plain is None:
            raise
        raise plain from exc


def upgrade(data_dir: Path) -> str | None:
    """Create or upgrade the data directory's database; returns its revision."""
    engine = open_engine(data_dir)
    try:
        migrate(engine)
        return current_revision(engine)
    finally:
        engine.dispose()


def load_demo_document(path: Path | None = None) -> dict[str, Any]:
    """The store document a new till starts from: the packaged demo store, or ``path``."""
    where = str(path) if path is not None else "the packaged demo store"
    try:
        raw = json.loads(path.read_text(encoding="utf-8")) if path else demo_store_document()
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"{where}: cannot load the demo store: {exc}") from None
    if not isinstance(raw, dict):
        raise RuntimeError(f"{where}: the demo store must be a JSON object")
    return raw


def initialize_device(
    sessions: sessionmaker[Session],
    now: datetime,
    load_document: Callable[[], dict[str, Any]] | None,
) -> bool:
    """On first start, give the till its device row and (when given) load a store
    document, in one transaction. Returns whether this was the first start."""
    with UnitOfWork(sessions) as uow:
        session = uow.session
        if get_device(session) is not None:
            return False
        store_id = None
        if load_document is not None:
            document = load_document()
            store = document.get("store")
            store_id = store.get("id") if isinstance(store, dict) else None
            outcome = apply_records(session, store_document_records(document), now)
            if outcome.set_aside:
                problems = "; ".join(
                    f"{s.kind} {s.record_id}: {s.reason}" for s in outcome.set_aside
                )
                raise RuntimeError(f"the demo store does not load: {problems}")
        create_device(session, now, store_id=store_id)
        uow.commit()
    return True


def open_till(
    data_dir: Path,
    *,
    clock: Clock = local_now,
    load_demo: bool = True,
    demo_store: Path | None = None,
) -> TillRuntime:
    """Open a data directory: upgrade its database, set the till up on first start
    (with the demo store unless ``load_demo`` is false), restore the open ticket."""
    engine = open_engine(data_dir)
    try:
        migrate(engine)
        sessions = create_session_factory(engine)
        loader = (lambda: load_demo_document(demo_store)) if load_demo else None
        initialize_device(sessions, aware(clock()), loader)
        if _has_history(sessions) or (data_dir / SETTINGS_FILE).exists():
            mark_history(database_path(data_dir), "a start with sales or an enrollment")
        desk = pack_desk(data_dir)
        database = TillDatabase(engine, sessions)
        till = Till(database, clock, pack_desk=desk)
    except BaseException:
        engine.dispose()
        raise

    def device_clock() -> datetime:
        return aware(clock())

    return TillRuntime(
        data_dir=data_dir,
        database=database,
        clock=clock,
        till=till,
        sync_store=SyncStore(sessions, device_clock),
        pack_desk=desk,
    )


def _has_history(sessions: sessionmaker[Session]) -> bool:
    """Whether the database has given a ticket number (a sale or return)."""
    with UnitOfWork(sessions) as uow:
        device = get_device(uow.session)
        return device is not None and device.last_ticket_number > 0


def pack_desk(data_dir: Path) -> OnlinePackDesk | None:
    """An enrolled till's counter for online pack reservations (K13); None when the till
    is not enrolled (it sells packs from what it has, alone)."""
    try:
        settings = load_settings(data_dir)
    except EnrollmentError:
        return None
    client = BackOfficeClient(
        settings.url, settings.token, timeout=RESERVATION_TIMEOUT, verify=settings.verify_tls
    )
    return OnlinePackDesk(client)


def open_sync(
    runtime: TillRuntime,
    *,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    on_configuration_changed: Callable[[], None] | None = None,
) -> SyncRun:
    """The sync run of an enrolled till: its HTTP client to the back office and its store.
    Raises :class:`~pos_app.sync.enrollment.EnrollmentError` when not enrolled."""
    settings = load_settings(runtime.data_dir)
    client = BackOfficeClient(
        settings.url, settings.token, timeout=timeout, verify=settings.verify_tls
    )
    return SyncRun(
        runtime.sync_store,
        client,
        on_configuration_changed=on_configuration_changed,
        on_token_rotated=lambda token: keep_rotated_token(runtime.data_dir, token),
        pack_supplier=PackSupplier(runtime.sync_store, client),
    )


def keep_rotated_token(data_dir: Path, token: str) -> None:
    """Save the device token the back office rotated (S17) before the till uses it."""
    save_settings(data_dir, replace(load_settings(data_dir), token=token))


def enroll_till(
    data_dir: Path,
    url: str,
    code: str,
    *,
    device_name: str,
    verify_tls: bool = True,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
) -> Enrolled:
    """Enroll the till of ``data_dir`` with a one-time code (S12) and keep its token and
    its till number. A data directory enrolled from scratch starts without the demo store."""
    first_start = not database_path(data_dir).exists()
    runtime = open_till(data_dir, load_demo=not first_start)
    try:
        return enroll(
            data_dir,
            runtime.sync_store,
            url,
            code,
            device_name=device_name,
            verify_tls=verify_tls,
            timeout=timeout,
        )
    finally:
        runtime.close()
