"""The status bar: online or offline, events waiting, conflicts, last sync (S11), and
the Sync now and Manager buttons."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from pos_app.sync.status import SyncProblem, SyncStatus
from pos_app.ui.style import repolish, touch_button


class TillStatusBar(QStatusBar):
    """What sync is doing, at a glance, and the buttons that are not about the ticket.

    :meth:`show_status` draws a :class:`SyncStatus`; :meth:`set_waiting` updates the
    events-waiting count after a till action; :meth:`set_not_enrolled` shows "offline,
    not enrolled" (and turns Sync now off). Emits ``sync_now_clicked``,
    ``manager_clicked`` and ``tools_clicked``. Main thread only.
    """

    sync_now_clicked = Signal()
    manager_clicked = Signal()
    tools_clicked = Signal()
    status_shown = Signal(object)  # the SyncStatus just drawn

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.state = QLabel("offline")
        self.waiting = QLabel("0 waiting")
        self.conflicts = QLabel("0 conflicts")
        self.last_sync = QLabel("never synced")
        self.problem = QLabel("")
        self.manager = QLabel("")
        self.manager.setObjectName("manager_banner")
        self.manager.setVisible(False)
        for label in (self.state, self.waiting, self.conflicts, self.last_sync, self.problem):
            # Labels take their natural width but give way (clipped) rather than make the
            # window wider than the screen: a minimum width overrides the text's.
            label.setMinimumWidth(1)
            self.addWidget(label, 1 if label is self.problem else 0)
        self.sync_now = touch_button("Sync now", min_width=110)
        self.sync_now.clicked.connect(self.sync_now_clicked.emit)
        self.tools = touch_button("Tools", min_width=90)
        self.tools.clicked.connect(self.tools_clicked.emit)
        self.tools.setVisible(False)
        self.manager_button = touch_button("Manager", min_width=110)
        self.manager_button.clicked.connect(self.manager_clicked.emit)
        for widget in (self.manager, self.tools, self.manager_button, self.sync_now):
            widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self.addPermanentWidget(widget)
        self.show_status(SyncStatus())

    def show_status(self, status: SyncStatus) -> None:
        """Draw ``status``: online, offline, server error or revoked (S17), waiting,
        failed, conflicts, last sync."""
        self.sync_now.setEnabled(True)
        quiet = status.online or status.problem in (None, SyncProblem.OFFLINE)
        self._set_state(status.state, status.state if quiet else "warn")
        self.waiting.setText(f"{status.pending_events} waiting")
        self._set_conflicts(status.open_conflicts)
        self.last_sync.setText(
            f"last sync {status.last_success.astimezone():%H:%M:%S}"
            if status.last_success
            else "never synced"
        )
        problems = []
        if status.failed_events:
            problems.append(f"{status.failed_events} parked")
        if status.clock_warning:
            problems.append("check the clock")
        self.problem.setText(" · ".join(problems))
        self.state.setToolTip(status.last_error or "")
        self.status_shown.emit(status)

    def set_not_enrolled(self, reason: str) -> None:
        self._set_state("offline, not enrolled", "warn")
        self.state.setToolTip(reason)
        self.sync_now.setEnabled(False)
        self.sync_now.setToolTip(
            "Connect the till first: manager mode, Till tools, Connect to back office"
        )

    def set_enrolled(self) -> None:
        """Just enrolled: Sync now on, "connecting" until the daemon's first status."""
        self._set_state("connecting…", "")
        self.state.setToolTip("")
        self.sync_now.setEnabled(True)
        self.sync_now.setToolTip("")

    def set_waiting(self, pending: int) -> None:
        self.waiting.setText(f"{pending} waiting")

    def set_conflicts(self, count: int) -> None:
        self._set_conflicts(count)

    def set_manager(self, name: str | None) -> None:
        self.manager.setText(f"Manager: {name}" if name else "")
        self.manager.setVisible(name is not None)
        self.tools.setVisible(name is not None)
        self.manager_button.setText("Exit" if name else "Manager")
        self.manager_button.setToolTip("Leave manager mode" if name else "Enter manager mode")

    def _set_conflicts(self, count: int) -> None:
        self.conflicts.setText(f"{count} conflict{'' if count == 1 else 's'}")
        self.conflicts.setProperty("state", "warn" if count else "")
        repolish(self.conflicts)

    def _set_state(self, text: str, state: str) -> None:
        self.state.setText(text)
        self.state.setProperty("state", state)
        repolish(self.state)
