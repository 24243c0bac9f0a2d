"""What the status bar shows, kept up to date: sync (S11), events waiting, open
conflicts and the signed-in manager; and Sync now."""

from __future__ import annotations

from PySide6.QtCore import QObject

from pos_app.till.till import TicketChange
from pos_app.ui.controllers.payloads import ManagerChange, OpenConflicts
from pos_app.ui.controllers.till_controllers import TillControllers
from pos_app.ui.status_bar import TillStatusBar
from pos_app.ui.sync_link import SyncLink


class StatusPanel(QObject):
    """Draws the sync link's news and the controllers' counts on ``status`` (the
    window's :class:`TillStatusBar`); its Sync now wakes the daemon. A till not
    enrolled says so, with Sync now off, until it is enrolled from manager mode (the
    daemon then starts at once). The bar's Manager and Tools keys open manager
    mode (the window connects them). Main thread only.
    """

    def __init__(
        self,
        controllers: TillControllers,
        status: TillStatusBar,
        sync: SyncLink | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.status = status
        self._sync = sync
        self._messages = controllers.messages
        controllers.ticket.changed.connect(self._show_waiting)
        controllers.manager.conflicts_loaded.connect(self._show_conflicts)
        controllers.manager.manager_changed.connect(self._show_manager)
        status.sync_now_clicked.connect(self._sync_now)
        if sync is None:
            status.set_not_enrolled("sync is off")
            return
        sync.status_changed.connect(status.show_status)
        sync.configuration_changed.connect(controllers.ticket.reload_configuration)
        sync.enrollment_changed.connect(self._show_enrollment)
        controllers.manager.back_office_connected.connect(lambda _enrolled: sync.reconnect())
        self._show_enrollment()

    def _show_enrollment(self) -> None:
        """Not enrolled, or the sync status there is so far ("connecting" at first)."""
        sync = self._sync
        if sync is None or not sync.enrolled:
            self.status.set_not_enrolled(sync.not_enrolled if sync is not None else "")
            return
        self.status.set_enrolled()
        current = sync.current()
        if current is not None:
            self.status.show_status(current)

    def _show_waiting(self, change: TicketChange) -> None:
        self.status.set_waiting(change.outbox_pending)

    def _show_conflicts(self, loaded: OpenConflicts) -> None:
        self.status.set_conflicts(len(loaded.conflicts))

    def _show_manager(self, change: ManagerChange) -> None:
        self.status.set_manager(change.name)

    def _sync_now(self) -> None:
        if self._sync is not None and self._sync.enrolled:
            self._sync.sync_now()
            self._messages.say("Syncing…")
