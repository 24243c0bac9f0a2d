"""The sync daemon seen from the screen: its status and "configuration changed" news
carried from the daemon's thread to the main thread, and "Sync now"."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from pos_app.sync.cycle import SyncRun
from pos_app.sync.daemon import SyncDaemon
from pos_app.sync.enrollment import EnrollmentError
from pos_app.sync.status import SyncStatus

# Opens the till's sync run, telling it whom to call when a page changed the
# configuration; raises EnrollmentError when the till is not enrolled.
OpenSync = Callable[[Callable[[], None]], SyncRun]

log = logging.getLogger(__name__)


class SyncLink(QObject):
    """Owns the till's :class:`SyncDaemon` (none when the till is not enrolled).

    Thread: lives on the main thread. The daemon calls back on its own thread; those
    calls only emit ``status_changed`` / ``configuration_changed``, which Qt queues to
    the main thread. ``not_enrolled`` is the reason there is no daemon, or "".
    :meth:`reconnect` opens the sync run again (the till was just enrolled from the
    screen): a new daemon starts at once and ``enrollment_changed`` says so.
    """

    status_changed = Signal(object)  # SyncStatus
    configuration_changed = Signal()
    enrollment_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.daemon: SyncDaemon | None = None
        self.not_enrolled = ""
        self._open_sync: OpenSync | None = None
        self._make_daemon: Callable[..., SyncDaemon] = SyncDaemon

    @classmethod
    def open(
        cls,
        open_sync: OpenSync,
        parent: QObject | None = None,
        *,
        make_daemon: Callable[..., SyncDaemon] = SyncDaemon,
    ) -> SyncLink:
        """The link over the run ``open_sync`` makes: a daemon when enrolled, else the
        reason why not."""
        link = cls(parent)
        link._open_sync = open_sync
        link._make_daemon = make_daemon
        link._open()
        return link

    def _open(self) -> None:
        if self._open_sync is None:
            return
        try:
            run = self._open_sync(self.configuration_changed.emit)
        except EnrollmentError as exc:
            self.not_enrolled = str(exc)
            log.info("sync off: %s", exc)
            return
        self.not_enrolled = ""
        self.daemon = self._make_daemon(run, on_status=self.status_changed.emit)

    def reconnect(self) -> None:
        """The enrollment changed: stop the daemon there is, open the sync run again
        from the data directory and start its daemon (``enrollment_changed``)."""
        self.stop()
        self.daemon = None
        self._open()
        self.start()
        self.enrollment_changed.emit()

    @property
    def enrolled(self) -> bool:
        return self.daemon is not None

    def start(self) -> None:
        if self.daemon is not None:
            self.daemon.start()

    def sync_now(self) -> None:
        if self.daemon is not None:
            self.daemon.sync_now()

    def stop(self) -> None:
        if self.daemon is not None:
            self.daemon.stop()

    def current(self) -> SyncStatus | None:
        return self.daemon.status if self.daemon is not None else None
