"""The till's manager screens: the PIN, manager mode's tabs and the dialog that
connects the till to the back office."""

from __future__ import annotations

from pos_app.protocol.events import EventType
from pos_app.till.commands import OverrideAutoExecute
from pos_app.ui.driver import wait_for
from scripts.till_demo import DEMO_MANAGER
from scripts.till_shooter import Shooter


def shoot_manager(s: Shooter) -> None:
    """Manager mode after the PIN: execution order, conflicts, permissions, the printer,
    the tools, and connecting to the back office."""
    window, c = s.app.window, s.app.controllers.ticket
    pin = window.manager.open_pin_dialog()
    pin.pin.type_pin("24")
    s.shoot(pin, "manager-pin")
    pin.pin.type_pin(DEMO_MANAGER[1][2:])
    s.do(pin.pin.submit)
    wait_for(window.manager.manager_mode.isVisible, "manager mode")
    mode = window.manager.manager_mode
    mode.resize(1000, 700)
    s.do(lambda: c.do(OverrideAutoExecute("DESSERT-10", True)))
    view = mode.execution_order
    view.ensureWidgetVisible(view.switches["GIFT-30"])
    s.shoot(mode, "manager-execution-order")
    mode.show_tab(mode.conflicts)
    s.shoot(mode, "manager-conflicts")
    conflicts = mode.conflicts
    for conflict in conflicts.conflicts:
        if conflict.event_type == EventType.PACK_SOLD:
            conflicts.ensureWidgetVisible(conflicts.buttons[(conflict.conflict_key, "refunded")])
            s.shoot(mode, "manager-pack-conflict")
    mode.show_tab(mode.permissions)
    s.shoot(mode, "manager-permissions")
    mode.show_tab(mode.printer)
    printer = mode.printer
    printer.kind.setCurrentIndex(printer.kind.findData("network"))
    printer.host.setText("192.168.1.50")
    printer.open_drawer.setChecked(True)
    s.shoot(mode, "manager-printer")
    mode.show_tab(mode.tools)
    s.shoot(mode, "manager-tools")
    connect = window.manager.connect_dialog
    connect.start()
    connect.address.setText("http://127.0.0.1:9")  # nothing answers there
    connect.code.setText("K7Q2-9XHD")
    s.do(connect.connect_button.click)
    s.shoot(connect, "connect-back-office")
    connect.reject()
    mode.accept()
    s.do(s.app.controllers.manager.exit_manager_mode)
