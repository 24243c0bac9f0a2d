"""Manager mode: the PIN pad that opens it, and the manager's tools (execution order,
conflicts, cashier permissions, printer, managers, till)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.printing import PrinterConfig
from pos_app.till.manager import GUARDED_ACTIONS, CashierPermissions
from pos_app.ui.conflicts_view import ConflictsView
from pos_app.ui.controllers.problems import Problem
from pos_app.ui.execution_order import ExecutionOrderView
from pos_app.ui.numpad import Numpad
from pos_app.ui.parked_view import ParkedEventsView
from pos_app.ui.printer_settings import NO_PRINTER, printer_config_of
from pos_app.ui.style import TOUCH, repolish, touch_button, touch_combo

PERMISSION_TEXT = {
    "present": "Cashiers may present items (free)",
    "adjust_price": "Cashiers may adjust prices",
    "void": "Cashiers may void lines and tickets",
    "discount": "Cashiers may give store discounts",
}


class PinEntry(QWidget):
    """A masked PIN typed on a numpad. With ``confirm`` the PIN is typed twice.

    Promises ``pin_chosen(pin)`` once a PIN is entered (and confirmed). Main thread only.
    """

    pin_chosen = Signal(str)

    def __init__(
        self, *, confirm: bool, ok_text: str = "Enter", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._confirm = confirm
        self._first: str | None = None
        self.prompt = QLabel("Type the PIN" if not confirm else "Choose a PIN (4-8 digits)")
        self.numpad = Numpad(allow_decimal=False)
        self.numpad.display.setEchoMode(QLineEdit.EchoMode.Password)
        self.ok = touch_button(ok_text if not confirm else "Next", "primary")
        self.ok.clicked.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.prompt)
        layout.addWidget(self.numpad)
        layout.addWidget(self.ok)

    def type_pin(self, pin: str) -> None:
        """Tap the digits of ``pin`` (scripts and tests)."""
        self.numpad.type_text(pin)

    def submit(self) -> None:
        pin = self.numpad.text()
        self.numpad.clear()
        if not pin:
            return
        if not self._confirm:
            self.pin_chosen.emit(pin)
            return
        if self._first is None:
            self._first = pin
            self.prompt.setText("Type the same PIN again")
            self.ok.setText("Save PIN")
            return
        first, self._first = self._first, None
        self.ok.setText("Next")
        if pin != first:
            self.prompt.setText("The PINs differ. Choose a PIN (4-8 digits)")
            return
        self.prompt.setText("Choose a PIN (4-8 digits)")
        self.pin_chosen.emit(pin)


class PinDialog(QDialog):
    """Opens manager mode: the manager's name and PIN. On a till with no manager yet it
    sets the first one up instead (name, PIN twice).

    Promises ``pin_entered(name, pin)`` and ``first_manager(name, pin)``;
    :meth:`show_problem` shows a refusal (wrong PIN, locked). Main thread only.
    """

    pin_entered = Signal(str, str)
    first_manager = Signal(str, str)

    def __init__(self, managers: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Manager mode")
        self.setModal(True)
        self.setup = not managers
        self.names = touch_combo()
        self.names.addItems(list(managers))
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("Manager's name")
        self.pin = PinEntry(confirm=self.setup)
        self.pin.pin_chosen.connect(self._chosen)
        self.message = QLabel("")
        self.message.setObjectName("message")
        self.message.setProperty("kind", "none")
        self.message.setWordWrap(True)
        cancel = touch_button("Cancel")
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        if self.setup:
            layout.addWidget(
                QLabel("<b>No manager yet.</b> Set up the first manager of this till.")
            )
            layout.addWidget(self.new_name)
            self.names.setVisible(False)
        else:
            layout.addWidget(QLabel("Manager"))
            layout.addWidget(self.names)
            self.new_name.setVisible(False)
        layout.addWidget(self.pin)
        layout.addWidget(self.message)
        layout.addWidget(cancel)
        self.setMinimumWidth(4 * TOUCH + 160)

    def name(self) -> str:
        return self.new_name.text().strip() if self.setup else self.names.currentText()

    def _chosen(self, pin: str) -> None:
        name = self.name()
        if not name:
            self.show_problem(Problem("MANAGER_REQUIRED", "Type the manager's name"))
            return
        self.show_problem(None)
        if self.setup:
            self.first_manager.emit(name, pin)
        else:
            self.pin_entered.emit(name, pin)

    def show_problem(self, problem: Problem | None) -> None:
        self.message.setText(problem.message if problem else "")
        self.message.setProperty("kind", "error" if problem else "none")
        self.message.setProperty("code", problem.code if problem else "")
        repolish(self.message)


class PermissionsPanel(QWidget):
    """A switch per guarded action (present, price adjustment, discounts); emits
    ``permission_changed(action, allowed)``. Main thread only."""

    permission_changed = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.switches: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("What cashiers may do without a manager. A manager in manager mode may do all.")
        )
        for action in GUARDED_ACTIONS:
            switch = touch_button(PERMISSION_TEXT[action], "toggle", min_width=420)
            switch.setCheckable(True)
            switch.clicked.connect(
                lambda checked=False, a=action: self.permission_changed.emit(a, checked)
            )
            layout.addWidget(switch)
            self.switches[action] = switch
        layout.addStretch(1)

    def show_permissions(self, permissions: CashierPermissions) -> None:
        for action, switch in self.switches.items():
            allowed = permissions.allows(action)
            switch.setChecked(allowed)
            switch.setText(f"{PERMISSION_TEXT[action]}: {'yes' if allowed else 'no'}")


class PrinterSettingsPanel(QWidget):
    """The receipt printer: none, network (host:port), USB (vendor:product ids) or file;
    42 or 48 columns; ticket id as barcode or QR; cash drawer. Emits
    ``save_requested(config or None)`` with a checked config. Main thread only."""

    save_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = touch_combo()
        for text, kind in (
            ("No printer (preview only)", NO_PRINTER),
            ("Network (host:port)", "network"),
            ("USB", "usb"),
            ("File / device", "file"),
        ):
            self.kind.addItem(text, kind)
        self.host = QLineEdit()
        self.host.setPlaceholderText("192.168.1.50")
        self.port = QLineEdit("9100")
        self.usb = QLineEdit()
        self.usb.setPlaceholderText("vendor:product, hex (04b8:0202)")
        self.file_path = QLineEdit()
        self.file_path.setPlaceholderText("/dev/usb/lp0")
        self.paper_width = touch_combo()
        self.paper_width.addItem("42 columns", 42)
        self.paper_width.addItem("48 columns", 48)
        self.code = touch_combo()
        self.code.addItem("Barcode (CODE128)", "barcode")
        self.code.addItem("QR code", "qr")
        self.open_drawer = QCheckBox("Open the cash drawer after each sale's receipt")
        self.drawer_pin = touch_combo()
        self.drawer_pin.addItem("Drawer pin 2", 2)
        self.drawer_pin.addItem("Drawer pin 5", 5)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.save = touch_button("Save printer", "primary")
        self.save.clicked.connect(self._save)
        form = QFormLayout()
        self._form = form
        form.addRow("Printer", self.kind)
        form.addRow("Host", self.host)
        form.addRow("Port", self.port)
        form.addRow("USB ids", self.usb)
        form.addRow("File", self.file_path)
        form.addRow("Paper", self.paper_width)
        form.addRow("Ticket id", self.code)
        form.addRow("", self.open_drawer)
        form.addRow("Drawer", self.drawer_pin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.save)
        layout.addStretch(1)
        self.kind.currentIndexChanged.connect(self._show_fields)
        self._show_fields()

    def _show_fields(self) -> None:
        """Only the settings of the chosen kind of printer."""
        kind = self.kind.currentData()
        rows: dict[QWidget, bool] = {
            self.host: kind == "network",
            self.port: kind == "network",
            self.usb: kind == "usb",
            self.file_path: kind == "file",
        }
        for field in (self.paper_width, self.code, self.open_drawer, self.drawer_pin):
            rows[field] = kind != NO_PRINTER
        for widget, visible in rows.items():
            self._form.setRowVisible(widget, visible)

    def show_config(self, config: PrinterConfig | None, problem: str = "") -> None:
        self.message.setText(problem)
        _select(self.kind, config.kind if config else NO_PRINTER)
        if config is None:
            return
        self.host.setText(config.host)
        self.port.setText(str(config.port))
        if config.kind == "usb":
            self.usb.setText(f"{config.usb_vendor:04x}:{config.usb_product:04x}")
        self.file_path.setText(config.file_path)
        _select(self.paper_width, config.width)
        _select(self.code, config.code)
        self.open_drawer.setChecked(config.open_drawer)
        _select(self.drawer_pin, config.drawer_pin)

    def config(self) -> PrinterConfig | None:
        """The settings as typed; ValueError naming the field at fault."""
        kind = self.kind.currentData()
        if kind == NO_PRINTER:
            return None
        raw: dict[str, object] = {
            "kind": kind,
            "width": self.paper_width.currentData(),
            "code": self.code.currentData(),
            "open_drawer": self.open_drawer.isChecked(),
            "drawer_pin": self.drawer_pin.currentData(),
        }
        if kind == "network":
            raw["host"] = self.host.text().strip()
            try:
                raw["port"] = int(self.port.text().strip())
            except ValueError:
                raise ValueError("printer.port must be a number 1-65535") from None
        elif kind == "usb":
            vendor, _, product = self.usb.text().strip().partition(":")
            try:
                raw["usb_vendor"] = int(vendor, 16)
                raw["usb_product"] = int(product, 16)
            except ValueError:
                raise ValueError("USB ids are vendor:product in hex, like 04b8:0202") from None
        else:
            raw["file_path"] = self.file_path.text().strip()
        return printer_config_of(raw)

    def _save(self) -> None:
        try:
            config = self.config()
        except (TypeError, ValueError) as exc:
            self.message.setText(str(exc))
            return
        self.message.setText("Saving…")
        self.save_requested.emit(config)


class ManagersPanel(QWidget):
    """Add a manager or change a PIN: a name and a new PIN typed twice. Emits
    ``pin_requested(name, pin)``. Main thread only."""

    pin_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.managers = QLabel("")
        self.name = QLineEdit()
        self.name.setPlaceholderText("Manager's name")
        self.pin = PinEntry(confirm=True)
        self.pin.pin_chosen.connect(self._chosen)
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Managers of this till</b>"))
        left.addWidget(self.managers)
        left.addWidget(self.name)
        left.addStretch(1)
        layout.addLayout(left, 1)
        layout.addWidget(self.pin, 1)

    def show_managers(self, names: tuple[str, ...]) -> None:
        self.managers.setText("\n".join(names) or "none")

    def _chosen(self, pin: str) -> None:
        name = self.name.text().strip()
        if not name:
            self.pin.prompt.setText("Type the manager's name first, then the PIN")
            return
        self.pin_requested.emit(name, pin)


class TillToolsPanel(QWidget):
    """Void the open ticket (asks a reason from a list), open the drawer, reprint the
    last receipt, re-read the configuration, connect to a back office, and the kiosk
    setting (full screen at the next start). Main thread only."""

    void_requested = Signal(str)
    drawer_requested = Signal()
    reprint_requested = Signal()
    reload_requested = Signal()
    kiosk_requested = Signal(bool)
    connect_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connect_back_office = touch_button("Connect to back office…", name="connect")
        self.connect_back_office.clicked.connect(self.connect_requested.emit)
        self.void = touch_button("Void the open ticket…", "danger")
        self.void.clicked.connect(lambda: self.void_requested.emit(""))
        self.drawer = touch_button("Open cash drawer")
        self.drawer.clicked.connect(self.drawer_requested.emit)
        self.reprint = touch_button("Reprint last receipt")
        self.reprint.clicked.connect(self.reprint_requested.emit)
        self.reload = touch_button("Reload configuration")
        self.reload.clicked.connect(self.reload_requested.emit)
        self.kiosk = touch_button("Kiosk mode (full screen at start): no", "toggle")
        self.kiosk.setCheckable(True)
        self.kiosk.clicked.connect(lambda: self.kiosk_requested.emit(self.kiosk.isChecked()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.void)
        row = QHBoxLayout()
        for button in (self.drawer, self.reprint, self.reload):
            row.addWidget(button)
        layout.addLayout(row)
        layout.addWidget(self.kiosk)
        layout.addWidget(self.connect_back_office)
        layout.addStretch(1)

    def show_kiosk(self, on: bool) -> None:
        self.kiosk.setChecked(on)
        self.kiosk.setText(f"Kiosk mode (full screen at start): {'yes' if on else 'no'}")


class ManagerModeDialog(QDialog):
    """The manager's tools, in tabs. "Back to till" keeps manager mode on (so guarded
    line actions stay allowed); "Exit manager mode" ends it. Main thread only."""

    exit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Manager mode")
        self.setModal(True)
        self.setMinimumSize(900, 620)
        self.title = QLabel("")
        self.title.setObjectName("manager_banner")
        self.tabs = QTabWidget()
        self.execution_order = ExecutionOrderView()
        self.conflicts = ConflictsView()
        self.parked = ParkedEventsView()
        self.permissions = PermissionsPanel()
        self.printer = PrinterSettingsPanel()
        self.managers = ManagersPanel()
        self.tools = TillToolsPanel()
        self._pages: dict[int, QWidget] = {}
        for widget, title in (
            (self.execution_order, "Execution order"),
            (self.conflicts, "Conflicts"),
            (self.parked, "Parked"),
            (self.permissions, "Permissions"),
            (self.printer, "Printer"),
            (self.managers, "Managers"),
            (self.tools, "Till"),
        ):
            page = widget if isinstance(widget, QScrollArea) else _scrolled(widget)
            self._pages[id(widget)] = page
            self.tabs.addTab(page, title)
        back = touch_button("Back to till", "primary")
        back.clicked.connect(self.accept)
        self.leave = touch_button("Exit manager mode", "danger")
        self.leave.clicked.connect(self._exit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.leave)
        buttons.addWidget(back)
        self.status = QLabel("")
        self.status.setObjectName("dialog_status")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    def show_message(self, text: str, *, error: bool = False) -> None:
        """The last notice or refusal of a manager action (the message bar is behind)."""
        self.status.setText(text)
        self.status.setProperty("kind", "error" if error else "")
        repolish(self.status)

    def show_tab(self, panel: QWidget) -> None:
        """Bring ``panel``'s tab to the front."""
        self.tabs.setCurrentWidget(self._pages[id(panel)])

    def set_manager(self, name: str | None) -> None:
        self.title.setText(f"Manager mode: {name}" if name else "")

    def set_conflict_count(self, count: int) -> None:
        self.tabs.setTabText(1, f"Conflicts ({count})" if count else "Conflicts")

    def set_parked_count(self, count: int) -> None:
        self.tabs.setTabText(2, f"Parked ({count})" if count else "Parked")

    def _exit(self) -> None:
        self.exit_requested.emit()
        self.accept()


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
