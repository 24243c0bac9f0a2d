"""The till's main window, laid out for touch from 1024×768 to 1920×1080: the ring-up
panel and the counter keys on the left, the ticket panel on the right, the status bar
below; the dialogs behind them in groups."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QWidget

from pos_app.ui.controllers.till_controllers import TillControllers
from pos_app.ui.keyboard import TouchInput
from pos_app.ui.panels.counter_panel import CounterPanel
from pos_app.ui.panels.manager_dialogs import ManagerDialogs
from pos_app.ui.panels.member_dialogs import MemberDialogs
from pos_app.ui.panels.ring_up_panel import RingUpPanel
from pos_app.ui.panels.sale_dialogs import SaleDialogs
from pos_app.ui.panels.shift_dialogs import ShiftDialogs
from pos_app.ui.panels.staff_dialogs import StaffDialogs
from pos_app.ui.panels.status_panel import StatusPanel
from pos_app.ui.panels.ticket_panel import TicketPanel
from pos_app.ui.status_bar import TillStatusBar
from pos_app.ui.style import stylesheet
from pos_app.ui.sync_link import SyncLink

WINDOW_TITLE = "pos-app till"


class MainWindow(QMainWindow):
    """The cashier's screen, composed of panels that each connect their own signals.

    Screen areas: ``ring_up`` (products, line buttons, numpad), ``counter`` (the code
    field, the wallet and the shift keys, beside the numpad), ``ticket`` (the ticket,
    the message bar, totals, chips, Pay) and ``status`` (the status bar, kept up to date
    by ``status_panel``). Dialog groups, made once and kept, shown window-modal without
    a nested event loop: ``sale`` (checkout, receipt), ``members`` (lookup, wallet),
    ``shift`` (held tickets, return, day report, void), ``manager`` (PIN pad, manager
    mode) and ``staff`` (sign in, float, cash in / out, a manager's approval). The
    window itself connects only the keys of one to the dialogs of another.

    Talks to the till only through its controllers and redraws from their signals;
    never blocks on the till, the database, the printer or sync. Main thread only.
    """

    def __init__(
        self,
        controllers: TillControllers,
        sync: SyncLink | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controllers = controllers
        self.setWindowTitle(WINDOW_TITLE)
        self.setStyleSheet(stylesheet())
        self.touch: TouchInput | None = None  # the application's touch rules (app.py)
        self.counter = CounterPanel(controllers)
        self.ring_up = RingUpPanel(controllers, beside_numpad=self.counter)
        self.ticket = TicketPanel(controllers)
        self.status = TillStatusBar()
        self.setStatusBar(self.status)
        self._lay_out()

        self.shift = ShiftDialogs(controllers, self, self)
        self.members = MemberDialogs(controllers, self, self)
        self.sale = SaleDialogs(controllers, self, self)
        self.manager = ManagerDialogs(controllers, self, self)
        self.staff = StaffDialogs(controllers, self, self)
        self._connect_keys()
        self.status_panel = StatusPanel(controllers, self.status, sync, self)
        self.counter.coupon_entry.field.setFocus()

    def _lay_out(self) -> None:
        """Left: products, line actions, numpad and the counter keys. Right: the ticket
        (at least 8 lines at 1024×768), its totals, coupons and Pay. Nothing asks for
        more than 1024 px of width, whatever its text."""
        columns = QHBoxLayout()
        columns.setContentsMargins(8, 6, 8, 4)
        columns.setSpacing(10)
        columns.addWidget(self.ring_up, 11)
        columns.addWidget(self.ticket, 10)
        central = QWidget()
        central.setLayout(columns)
        self.setCentralWidget(central)

    def _connect_keys(self) -> None:
        """The keys of one panel that open another's dialogs."""
        counter, shift, manager = self.counter, self.shift, self.manager
        self.ticket.pay.clicked.connect(self.sale.open_checkout)
        self.ticket.void_ticket.clicked.connect(shift.open_void)
        counter.coupon_entry.member_requested.connect(self.members.open_wallet)
        counter.held.clicked.connect(shift.open_held_tickets)
        counter.returns.clicked.connect(shift.open_returns)
        counter.day.clicked.connect(shift.open_day_report)
        manager.manager_mode.tools.void_requested.connect(lambda _reason: shift.open_void())
        self.status.sign_in_clicked.connect(self.staff.open_sign_in)
        self.status.cash_clicked.connect(self.staff.open_cash_move)
        self.status.manager_clicked.connect(manager.toggle_manager_mode)
        self.status.tools_clicked.connect(manager.open_manager_tools)
        self.status.status_shown.connect(manager.show_sync_status)

    def closeEvent(self, event: QCloseEvent) -> None:
        for dialog in (
            self.sale.checkout,
            self.sale.receipt_preview,
            self.members.wallet,
            self.manager.manager_mode,
        ):
            dialog.reject()
        super().closeEvent(event)
