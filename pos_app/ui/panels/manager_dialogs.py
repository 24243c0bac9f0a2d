"""Manager mode on screen: the PIN pad, the manager's tabs (execution order, conflicts,
parked events, permissions, printer, managers, till tools), and the confirmation an auto-execute
switch needs."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from pos_app.sync.status import SyncStatus
from pos_app.till.back_office import Enrolled
from pos_app.till.commands import OverrideAutoExecute, SetPermission
from pos_app.ui.confirm_dialog import ConfirmDialog
from pos_app.ui.conflicts_view import follow_up_command
from pos_app.ui.connect_dialog import ConnectDialog
from pos_app.ui.controllers.payloads import (
    ManagerChange,
    ManagerNames,
    OpenConflicts,
    ParkedEvents,
    PrinterSetting,
)
from pos_app.ui.controllers.problems import Problem
from pos_app.ui.controllers.till_controllers import TillControllers
from pos_app.ui.manager_mode import ManagerModeDialog, PinDialog


class ManagerDialogs(QObject):
    """The ``manager_mode`` dialog (made once, kept, window-modal over ``window``), the
    ``pin_dialog`` while one is open and the last auto-execute ``confirm``ation, and
    what they ask of the controllers.

    Signing in opens the manager's tools; signing out closes them. A refused PIN is said
    on the PIN pad when it is open, on the message bar otherwise. The tabs redraw from
    the manager, device and sync news. Main thread only.
    """

    def __init__(
        self, controllers: TillControllers, window: QWidget, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._controllers = controllers
        self._manager = manager = controllers.manager
        ticket, devices = controllers.ticket, controllers.devices
        self.manager_mode = mode = ManagerModeDialog(window)
        self.pin_dialog: PinDialog | None = None
        self.confirm: ConfirmDialog | None = None
        self.connect_dialog = ConnectDialog(mode)

        manager.manager_changed.connect(self._manager_changed)
        manager.pin_refused.connect(self._pin_refused)
        manager.permissions_changed.connect(mode.permissions.show_permissions)
        manager.managers_listed.connect(self._managers_listed)
        manager.conflicts_loaded.connect(self._conflicts_loaded)
        manager.parked_loaded.connect(self._parked_loaded)
        manager.execution_order_loaded.connect(mode.execution_order.show_order)
        devices.printer_changed.connect(self._printer_changed)
        devices.kiosk_changed.connect(mode.tools.show_kiosk)
        controllers.messages.refused.connect(self._show_problem)
        controllers.messages.notice.connect(self._show_notice)

        mode.exit_requested.connect(manager.exit_manager_mode)
        mode.execution_order.auto_execute_changed.connect(self._confirm_auto_execute)
        mode.conflicts.resolve_requested.connect(
            lambda key, resolution, note: ticket.do(
                follow_up_command(key, resolution, note, mode.conflicts.conflicts)
            )
        )
        mode.parked.send_again_requested.connect(manager.send_again)
        mode.permissions.permission_changed.connect(
            lambda action, allowed: ticket.do(SetPermission(action, allowed))
        )
        mode.printer.save_requested.connect(devices.save_printer)
        mode.managers.pin_requested.connect(manager.set_pin)
        mode.tools.drawer_requested.connect(devices.kick_drawer)
        mode.tools.reprint_requested.connect(lambda: devices.print_receipt(reprint=True))
        mode.tools.reload_requested.connect(ticket.reload_configuration)
        mode.tools.kiosk_requested.connect(devices.save_kiosk)
        mode.tools.connect_requested.connect(self.connect_dialog.start)
        self.connect_dialog.connect_requested.connect(manager.connect_back_office)
        manager.back_office_connected.connect(self._connected)
        manager.back_office_refused.connect(
            lambda problem: self.connect_dialog.show_problem(problem.message)
        )

    # ------------------------------------------------------------ signing in and out

    def toggle_manager_mode(self) -> None:
        """The status bar's Manager key: the PIN pad, or out of manager mode."""
        if self._manager.signed_in is not None:
            self._manager.exit_manager_mode()
            return
        self.open_pin_dialog()

    def open_pin_dialog(self) -> PinDialog:
        dialog = PinDialog(self._manager.managers, self._window)
        dialog.pin_entered.connect(self._manager.verify_pin)
        dialog.first_manager.connect(self._manager.set_pin)
        self.pin_dialog = dialog
        dialog.open()
        return dialog

    def _pin_refused(self, problem: Problem) -> None:
        if self.pin_dialog is not None and self.pin_dialog.isVisible():
            self.pin_dialog.show_problem(problem)
        else:
            self._controllers.messages.report(problem)

    def _manager_changed(self, change: ManagerChange) -> None:
        self.manager_mode.set_manager(change.name)
        if change.name is None:
            self.manager_mode.reject()
            return
        if self.pin_dialog is not None:
            self.pin_dialog.accept()
            self.pin_dialog.deleteLater()
            self.pin_dialog = None
        self.open_manager_tools()

    def open_manager_tools(self) -> None:
        manager, devices = self._manager, self._controllers.devices
        if manager.signed_in is None:
            return
        mode = self.manager_mode
        mode.permissions.show_permissions(manager.permissions)
        mode.printer.show_config(devices.printer, devices.printer_problem)
        mode.managers.show_managers(manager.managers)
        mode.tools.show_kiosk(devices.kiosk_setting())
        manager.load_execution_order()
        manager.load_conflicts()
        manager.load_parked()
        mode.open()

    # ------------------------------------------------------------ the tabs

    def _managers_listed(self, listed: ManagerNames) -> None:
        self.manager_mode.managers.show_managers(listed.names)

    def _conflicts_loaded(self, loaded: OpenConflicts) -> None:
        book = self._controllers.ticket.book
        conflicts = self.manager_mode.conflicts
        conflicts.show_conflicts(loaded.conflicts, book.coupon_name if book else None)
        self.manager_mode.set_conflict_count(len(loaded.conflicts))

    def _parked_loaded(self, loaded: ParkedEvents) -> None:
        self.manager_mode.parked.show_parked(loaded.events)
        self.manager_mode.set_parked_count(len(loaded.events))

    def show_sync_status(self, status: SyncStatus) -> None:
        self.manager_mode.set_conflict_count(status.open_conflicts)
        self.manager_mode.set_parked_count(status.failed_events)

    def _printer_changed(self, _setting: PrinterSetting) -> None:
        self.manager_mode.printer.show_config(self._controllers.devices.printer)
        self.manager_mode.printer.message.setText("Saved.")

    def _confirm_auto_execute(self, promotion_id: str, on: bool) -> None:
        """Switching a promotion's auto-execute changes every ticket: ask first."""
        ticket, manager = self._controllers.ticket, self._manager
        book = ticket.book
        promotion = book.promotions.get(promotion_id) if book is not None else None
        name = promotion.name if promotion is not None and promotion.name else "this promotion"
        state = "apply by itself" if on else "wait for the cashier to apply it"
        dialog = ConfirmDialog(
            "Auto-execute",
            f"Make “{name}” {state} at this till? It is recorded and sent to the back office.",
            "Yes, switch it",
            self.manager_mode,
        )
        dialog.confirmed.connect(lambda: ticket.do(OverrideAutoExecute(promotion_id, on)))
        dialog.rejected.connect(manager.load_execution_order)  # the switch goes back
        self.confirm = dialog
        dialog.open()

    def _connected(self, enrolled: Enrolled) -> None:
        self.connect_dialog.show_connected(
            f"Connected to {enrolled.settings.url}: this is till {enrolled.till_number} of"
            " its store. Sales, items and promotions sync from now on."
        )

    def _show_problem(self, problem: Problem) -> None:
        if self.manager_mode.isVisible():
            self.manager_mode.show_message(problem.message, error=True)

    def _show_notice(self, text: str) -> None:
        if self.manager_mode.isVisible():
            self.manager_mode.show_message(text)
