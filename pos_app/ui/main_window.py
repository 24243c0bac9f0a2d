"""The till's main window: products, the ticket, the numpad, coupons, line actions,
checkout and the status bar, laid out for touch from 1024×768 to 1920×1080."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pos_app.engine import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    CancelPromotion,
    Close,
    Currency,
    Present,
    PriceBook,
    Redeem,
    RemoveCoupon,
    RemoveDiscount,
    RemoveLine,
    SellPack,
    SetQuantity,
    TriggerPromotion,
    Unadjust,
    Unpresent,
)
from pos_app.engine.bounds import QUANTITY_MESSAGE, QuantityError, parse_quantity, typed_quantity
from pos_app.store.sync_store import ConflictReport
from pos_app.sync.status import SyncStatus
from pos_app.till.commands import (
    ClearPayments,
    OverrideAutoExecute,
    PayCard,
    PayCash,
    SetPermission,
    VoidTicket,
)
from pos_app.till.members import MemberCard
from pos_app.till.refunds import SaleForReturn
from pos_app.till.shift_commands import (
    AttachMember,
    CloseShift,
    DetachMember,
    ParkTicket,
    RecallTicket,
    RefundSale,
    Scan,
)
from pos_app.till.shift_desk import ParkedSummary
from pos_app.till.shift_report import ShiftReport
from pos_app.till.ticket_diff import TicketNotice
from pos_app.till.till import TicketChange
from pos_app.till.wallet import Wallet
from pos_app.ui.action_panel import LineActionPanel
from pos_app.ui.checkout_dialog import CheckoutDialog
from pos_app.ui.confirm_dialog import ConfirmDialog
from pos_app.ui.conflicts_view import follow_up_command
from pos_app.ui.coupon_entry import WALLET_NO_MEMBER, CouponEntry, CouponStrip
from pos_app.ui.discount_dialog import DiscountDialog
from pos_app.ui.execution_order import ExecutionOrder
from pos_app.ui.held_tickets import HeldTicketsDialog
from pos_app.ui.item_search import ItemSearchDialog
from pos_app.ui.keyboard import TouchInput
from pos_app.ui.line_actions import ActionStates
from pos_app.ui.manager_mode import ManagerModeDialog, PinDialog
from pos_app.ui.member_lookup import MemberLookupDialog
from pos_app.ui.numpad import AmountDialog, Numpad
from pos_app.ui.product_grid import ProductPanel
from pos_app.ui.promotion_dialog import PromotionDialog
from pos_app.ui.receipt_preview import ReceiptPreviewDialog
from pos_app.ui.report_dialog import ReportDialog
from pos_app.ui.return_dialog import ReturnDialog
from pos_app.ui.status_bar import TillStatusBar
from pos_app.ui.style import repolish, stylesheet, touch_button
from pos_app.ui.sync_link import SyncLink
from pos_app.ui.ticket_view import TicketView, TotalsPanel
from pos_app.ui.till_controller import ClosedSale, Problem, ReturnDone, TillController
from pos_app.ui.void_dialog import VoidTicketDialog
from pos_app.ui.wallet_dialog import WalletDialog
from pos_app.ui.why_price import WhyPriceDialog

WINDOW_TITLE = "pos-app till"


class MessageBar(QLabel):
    """One line above the ticket: the last refusal (red, the rule's message) or notice
    (green). ``code`` is the last refusal's code. Main thread only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message")
        self.setWordWrap(True)
        self.setFixedHeight(64)  # three short lines; the ticket below keeps its height
        self.code = ""
        self.clear_message()

    def show_problem(self, problem: Problem) -> None:
        self.code = problem.code
        self._show(problem.message, "error")
        self.setToolTip(problem.code)

    def show_notice(self, text: str, *, warning: bool = False) -> None:
        self.code = ""
        self._show(text, "error" if warning else "info")
        self.setToolTip("")

    def clear_message(self) -> None:
        self.code = ""
        self._show("", "none")

    def _show(self, text: str, kind: str) -> None:
        self.setText(text)
        self.setProperty("kind", kind)
        repolish(self)


class MainWindow(QMainWindow):
    """The cashier's screen.

    Talks to the till only through its :class:`TillController` and redraws from the
    controller's signals; never blocks on the till, the database, the printer or sync.
    Dialogs are made once and kept (``checkout``, ``receipt_preview``, ...), shown
    window-modal without a nested event loop. Main thread only.
    """

    def __init__(
        self,
        controller: TillController,
        sync: SyncLink | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.sync = sync
        self.setWindowTitle(WINDOW_TITLE)
        self.setStyleSheet(stylesheet())
        self.touch: TouchInput | None = None  # the application's touch rules (app.py)
        self.products = ProductPanel()
        self.numpad = Numpad((("qty", "Qty"), ("price", "Price")), allow_decimal=True)
        self.coupon_entry = CouponEntry()
        self.message = MessageBar()
        self.ticket_header = QLabel("New ticket")
        self.ticket_header.setObjectName("ticket_header")
        self.member_badge = touch_button("", "chip", name="member_badge", min_width=120)
        self.member_badge.setVisible(False)
        self.ticket_view = TicketView()
        self.totals = TotalsPanel()
        self.coupon_strip = CouponStrip()
        self.wallet_button = self.coupon_entry.member  # names the member once one is on
        self.line_actions = LineActionPanel()
        self.pay = touch_button("Pay", "pay", name="pay")
        self.pay.setMinimumHeight(56)
        self.pay_reason = QLabel("")
        self.pay_reason.setObjectName("pay_reason")
        self.pay_reason.setWordWrap(True)
        self.pay_reason.setVisible(False)
        self.hold = touch_button("Hold", name="hold")
        self.held = touch_button("Held tickets", name="held")
        self.returns = touch_button("Return", name="returns")
        self.day = touch_button("Day report", name="day_report")
        self.void_ticket = touch_button("Void ticket", "danger", name="void_ticket")
        self.status = TillStatusBar()
        self.setStatusBar(self.status)
        self._lay_out()

        self.checkout = CheckoutDialog(self)
        self.receipt_preview = ReceiptPreviewDialog(self)
        self.why = WhyPriceDialog(self)
        self.discount = DiscountDialog(self)
        self.promotions = PromotionDialog(self)
        self.member_lookup = MemberLookupDialog(self)
        self.wallet = WalletDialog(self)
        self._wallet_wanted = False
        self.wallet_member: str | None = None  # the name of the member on the ticket
        self.manager_mode = ManagerModeDialog(self)
        self.held_tickets = HeldTicketsDialog(self)
        self.return_dialog = ReturnDialog(self)
        self.report = ReportDialog(self)
        self.void_dialog = VoidTicketDialog(self)
        self.item_search = ItemSearchDialog(self)
        self.confirm: ConfirmDialog | None = None
        self.pin_dialog: PinDialog | None = None
        self.price_dialog: AmountDialog | None = None
        self._connect()
        self._connect_sync()
        self.coupon_entry.field.setFocus()

    # ------------------------------------------------------------ layout

    def _lay_out(self) -> None:
        """Left: products, line actions, numpad and the coupon and shift keys. Right: the
        ticket (at least 8 lines at 1024×768), its totals, coupons and Pay. Nothing asks
        for more than 1024 px of width, whatever its text."""
        side = QGridLayout()
        side.setSpacing(6)
        side.addWidget(self.coupon_entry, 0, 0, 3, 2)
        for i, button in enumerate((self.hold, self.held, self.returns, self.day)):
            side.addWidget(button, 3 + i // 2, i % 2)
        numpad_and_keys = QHBoxLayout()
        numpad_and_keys.setSpacing(8)
        numpad_and_keys.addWidget(self.numpad, 3)
        numpad_and_keys.addLayout(side, 3)
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(self.products, 1)
        left.addWidget(self.line_actions)
        left.addLayout(numpad_and_keys)
        header = QHBoxLayout()
        header.addWidget(self.ticket_header, 1)
        header.addWidget(self.member_badge)
        pay_row = QHBoxLayout()
        pay_row.addWidget(self.void_ticket, 1)
        pay_row.addWidget(self.pay, 3)
        right = QVBoxLayout()
        right.setSpacing(6)
        right.addLayout(header)
        right.addWidget(self.message)
        right.addWidget(self.ticket_view, 1)
        right.addWidget(self.totals)
        right.addWidget(self.coupon_strip)
        right.addWidget(self.pay_reason)
        right.addLayout(pay_row)
        columns = QHBoxLayout()
        columns.setContentsMargins(8, 6, 8, 4)
        columns.setSpacing(10)
        columns.addLayout(left, 11)
        columns.addLayout(right, 10)
        central = QWidget()
        central.setLayout(columns)
        for label in (self.ticket_header, self.message, self.pay_reason):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, label.sizePolicy().verticalPolicy())
        self.setCentralWidget(central)

    # ------------------------------------------------------------ wiring

    def _connect(self) -> None:
        c = self.controller
        c.changed.connect(self._show_change)
        c.refused.connect(self._show_problem)
        c.notice.connect(self._show_notice)
        c.actions_changed.connect(self._show_actions)
        c.book_changed.connect(self._show_book)
        c.selection_changed.connect(self.ticket_view.select_line)
        c.sale_closed.connect(self._sale_closed)
        c.printed.connect(self._printed)
        c.print_failed.connect(self._print_failed)
        c.manager_changed.connect(self._manager_changed)
        c.permissions_changed.connect(self.manager_mode.permissions.show_permissions)
        c.managers_listed.connect(self.manager_mode.managers.show_managers)
        c.pin_refused.connect(self._pin_refused)
        c.members_found.connect(self._members_found)
        c.wallet_loaded.connect(self._wallet_loaded)
        c.conflicts_loaded.connect(self._conflicts_loaded)
        c.execution_order_loaded.connect(self._execution_order_loaded)
        c.printer_changed.connect(self._printer_changed)
        c.succeeded.connect(self._succeeded)
        c.ticket_notices.connect(self._show_ticket_notices)
        c.scroll_to.connect(self.ticket_view.scroll_to_line)
        c.parked_listed.connect(self._parked_listed)
        c.returned.connect(self._returned)
        c.report_ready.connect(self._report_ready)
        c.sale_found.connect(self._sale_found)

        self.products.product_tapped.connect(self._product_tapped)
        self.ticket_view.line_selected.connect(c.select)
        self.numpad.action_triggered.connect(self._numpad_action)
        self.coupon_entry.redeem_requested.connect(self.redeem)
        self.coupon_entry.member_requested.connect(self.open_wallet)
        self.coupon_strip.remove_coupon.connect(lambda code: c.do(RemoveCoupon(code)))
        self.coupon_strip.remove_discount.connect(lambda did: c.do(RemoveDiscount(did)))
        self.line_actions.present_clicked.connect(self.toggle_present)
        self.line_actions.price_clicked.connect(self._price_clicked)
        self.line_actions.discount_clicked.connect(self.open_discount)
        self.line_actions.promotion_clicked.connect(self.open_promotions)
        self.line_actions.void_clicked.connect(self.void_line)
        self.line_actions.why_clicked.connect(self.open_why)
        self.line_actions.find_clicked.connect(self.open_item_search)
        self.pay.clicked.connect(self.open_checkout)
        self.hold.clicked.connect(lambda: c.do(ParkTicket()))
        self.held.clicked.connect(self.open_held_tickets)
        self.returns.clicked.connect(self.open_returns)
        self.day.clicked.connect(self.open_day_report)
        self.void_ticket.clicked.connect(self.open_void)
        self.member_badge.clicked.connect(lambda: c.do(DetachMember()))
        self.held_tickets.recall_requested.connect(lambda tid: c.do(RecallTicket(tid)))
        self.return_dialog.find_requested.connect(c.find_sale)
        self.return_dialog.refund_requested.connect(
            lambda number, lines, method: c.do(RefundSale(number, method, lines))
        )
        self.report.x_requested.connect(c.load_report)
        self.report.close_day_requested.connect(lambda counted: c.do(CloseShift(counted)))
        self.report.print_requested.connect(c.print_report)
        self.void_dialog.void_requested.connect(lambda reason: c.do(VoidTicket(reason)))
        self.item_search.item_chosen.connect(lambda sku: c.do(AddItem(None, sku)))
        self.member_lookup.attach_requested.connect(self._attach_member)

        self.checkout.cash_requested.connect(lambda text: c.do(PayCash(text.strip())))
        self.checkout.card_requested.connect(lambda text: c.do(PayCard(text.strip())))
        self.checkout.clear_requested.connect(lambda: c.do(ClearPayments()))
        self.checkout.close_requested.connect(self._close_requested)
        self.receipt_preview.print_requested.connect(self._print_requested)
        self.discount.discount_requested.connect(self._discount_requested)
        self.promotions.trigger_requested.connect(lambda pid: c.do(TriggerPromotion(pid)))
        self.promotions.cancel_requested.connect(lambda pid: c.do(CancelPromotion(pid)))
        self.member_lookup.lookup_requested.connect(c.look_up_member)
        self.member_lookup.redeem_requested.connect(self.redeem)
        self.wallet.redeem_requested.connect(self.redeem)
        self.wallet.sell_requested.connect(lambda pack_id: c.do(SellPack(pack_id)))
        self.wallet.detach_requested.connect(lambda: c.do(DetachMember()))

        mode = self.manager_mode
        mode.exit_requested.connect(c.exit_manager_mode)
        mode.execution_order.auto_execute_changed.connect(self._confirm_auto_execute)
        mode.conflicts.resolve_requested.connect(
            lambda key, resolution, note: c.do(
                follow_up_command(key, resolution, note, mode.conflicts.conflicts)
            )
        )
        mode.permissions.permission_changed.connect(
            lambda action, allowed: c.do(SetPermission(action, allowed))
        )
        mode.printer.save_requested.connect(c.save_printer)
        mode.managers.pin_requested.connect(c.set_pin)
        mode.tools.void_requested.connect(lambda _reason: self.open_void())
        mode.tools.drawer_requested.connect(c.kick_drawer)
        mode.tools.reprint_requested.connect(lambda: c.print_receipt(reprint=True))
        mode.tools.reload_requested.connect(c.reload_configuration)
        mode.tools.kiosk_requested.connect(c.save_kiosk)
        c.kiosk_changed.connect(mode.tools.show_kiosk)

        self.status.manager_clicked.connect(self._manager_clicked)
        self.status.tools_clicked.connect(self.open_manager_tools)
        self.status.sync_now_clicked.connect(self._sync_now)

    def _connect_sync(self) -> None:
        sync = self.sync
        if sync is None or not sync.enrolled:
            reason = sync.not_enrolled if sync is not None else "sync is off"
            self.status.set_not_enrolled(reason)
            return
        sync.status_changed.connect(self.show_sync_status)
        sync.configuration_changed.connect(self.controller.reload_configuration)
        current = sync.current()
        if current is not None:
            self.show_sync_status(current)

    # ------------------------------------------------------------ redraws

    def _show_book(self, book: PriceBook) -> None:
        self.products.set_book(book)

    def _show_change(self, change: TicketChange) -> None:
        priced = change.priced
        names = self.controller.names
        self.ticket_view.ticket_model.names = names
        self.ticket_view.show_ticket(priced, self.controller.selected)
        self.totals.show_change(change)
        self.coupon_strip.show_ticket(priced, names)
        self.status.set_waiting(change.outbox_pending)
        fmt = priced.currency.format
        self.ticket_header.setText(f"Ticket {change.number}" if change.number else "New ticket")
        self.member_badge.setText(f"{change.member_name}  ✕" if change.member_name else "")
        self.member_badge.setToolTip("Tap to take the member off the ticket")
        self.member_badge.setVisible(bool(change.member_name))
        self.pay.setText(f"Pay  {priced.currency.code} {fmt(change.total_due)}")
        zero = [code for code, c in priced.coupons.items() if c.amount <= 0]
        reason = ""
        if zero:
            name = names.coupon(zero[0])
            worth = fmt(priced.coupons[zero[0]].amount)
            reason = f"Coupon “{name}” is worth {worth}: remove it to pay"
        self.pay_reason.setText(reason)
        self.pay_reason.setVisible(bool(reason))
        self.pay.setEnabled(bool(priced.lines) and not zero)
        self.pay.setToolTip(reason)
        if self.checkout.isVisible():
            self.checkout.show_change(change)
            self.checkout.show_problem(None)
        if self.member_lookup.isVisible():
            self.member_lookup.mark_on_ticket(set(priced.coupons))
        self.wallet_member = change.member_name
        self.wallet_button.setText(
            f"Wallet: {change.member_name}" if change.member_name else WALLET_NO_MEMBER
        )
        if self.wallet.isVisible():
            self.controller.load_wallet()  # what is usable follows the ticket
        if self.why.isVisible():
            line = self.controller.selected_line()
            if line is not None:
                self.why.show_line(line, priced)

    def _show_actions(self, states: ActionStates) -> None:
        self.line_actions.set_states(states)
        self.numpad.action_keys["qty"].setEnabled(states.quantity.enabled)
        self.numpad.action_keys["price"].setEnabled(
            states.adjust_price.enabled and not states.adjusted
        )
        if self.promotions.isVisible():
            self.promotions.set_states(states)
        if self.discount.isVisible():
            self.discount.set_states(states)
        if self.checkout.isVisible():
            self.checkout.set_states(states)

    def _show_problem(self, problem: Problem) -> None:
        """The refusal on the message bar, and in whichever dialog covers it."""
        self.message.show_problem(problem)
        field = self.coupon_entry.field
        if field.text():
            field.selectAll()  # kept to correct, replaced by the next scan
        if self.report.isVisible():
            self.report.show_problem(problem.message)
        if self.return_dialog.isVisible():
            self.return_dialog.show_message(problem.message, error=True)
        if self.checkout.isVisible():
            self.checkout.show_problem(problem)
        for dialog in (self.member_lookup, self.wallet, self.promotions, self.manager_mode):
            if dialog.isVisible():
                dialog.show_message(problem.message, error=True)

    def _succeeded(self, command: object) -> None:
        """A command went through: the last refusal goes, a redeemed code's field empties."""
        self.message.clear_message()
        if isinstance(command, Scan | Redeem):
            self.coupon_entry.field.clear()

    def _show_ticket_notices(self, notices: tuple[TicketNotice, ...]) -> None:
        """What the recalculation changed, on the message bar (warnings in red)."""
        text = " · ".join(n.text for n in notices)
        self.message.show_notice(text, warning=any(n.warning for n in notices))

    def _show_notice(self, text: str) -> None:
        self.message.show_notice(text)
        for dialog in (self.member_lookup, self.wallet, self.promotions, self.manager_mode):
            if dialog.isVisible():
                dialog.show_message(text)

    def show_sync_status(self, status: SyncStatus) -> None:
        self.status.show_status(status)
        self.manager_mode.set_conflict_count(status.open_conflicts)

    # ------------------------------------------------------------ cashier actions

    def _product_tapped(self, sku: str) -> None:
        qty_text = self.numpad.text()
        qty = 1
        if qty_text:
            try:  # the engine's bounds and message, before anything is rung up
                qty = parse_quantity(typed_quantity(qty_text))
            except QuantityError:
                self.message.show_problem(Problem("INVALID", QUANTITY_MESSAGE))
                return
            self.numpad.clear()
        self.controller.do(AddItem(None, sku, qty))

    def redeem(self, code: str) -> None:
        """A typed or scanned code: an item's barcode rings the item up, any other code
        is redeemed as a coupon."""
        code = code.strip()
        if not code:
            self.message.show_problem(Problem("INVALID", "Type or scan a coupon code"))
            return
        self.controller.do(Scan(code))

    def toggle_present(self) -> None:
        """Present the selected line, or take the present back if it is presented."""
        line = self.controller.selected_line()
        if line is not None and line.presented:
            self.controller.do_on_line(Unpresent)
        else:
            self.controller.do_on_line(Present)

    def void_line(self) -> None:
        self.controller.do_on_line(RemoveLine)

    def adjust_price(self, price: str) -> None:
        """A new unit price for the selected line."""
        self.controller.do_on_line(lambda line_id: AdjustPrice(line_id, price.strip()))

    def _numpad_action(self, key: str, text: str) -> None:
        if not text:
            self.message.show_problem(Problem("INVALID", "Type a number on the numpad first"))
            return
        if key == "qty":  # the engine's bounds, with its message, before the till is asked
            try:
                qty = parse_quantity(typed_quantity(text))
            except QuantityError:
                self.message.show_problem(Problem("INVALID", QUANTITY_MESSAGE))
                return
            self.controller.do_on_line(lambda line_id: SetQuantity(line_id, qty))
        elif key == "price":
            self.adjust_price(text)

    def _price_clicked(self) -> None:
        line = self.controller.selected_line()
        if line is None:
            return
        if line.adjusted_price is not None:
            self.controller.do_on_line(Unadjust)
            return
        typed = self.numpad.text()
        if typed:
            self.numpad.clear()
            self.adjust_price(typed)
            return
        dialog = AmountDialog("Adjust price", f"New unit price for {line.name}", self)
        dialog.amount_entered.connect(self.adjust_price)
        self.price_dialog = dialog
        dialog.open()

    def _discount_requested(self, whole_order: bool, kind: str, value: str) -> None:
        """A store discount on the selected line, or on the whole order."""
        percent, amount = (value, None) if kind == "percent" else (None, value)
        if whole_order:
            self.controller.do(ApplyDiscount(None, percent=percent, amount=amount))
        else:
            self.controller.do_on_line(
                lambda line_id: ApplyDiscount(None, percent=percent, amount=amount, line_id=line_id)
            )

    def open_discount(self) -> None:
        self.discount.numpad.clear()
        self.discount.set_states(self.controller.actions)
        self.discount.open()

    def open_promotions(self) -> None:
        self.promotions.set_states(self.controller.actions)
        self.promotions.open()

    def open_why(self) -> None:
        line = self.controller.selected_line()
        change = self.controller.change
        if line is None or change is None:
            return
        self.why.show_line(line, change.priced, self.controller.names)
        self.why.open()

    # ------------------------------------------------------------ the shift

    def open_item_search(self) -> None:
        self.item_search.start(self.controller.book)

    def open_held_tickets(self) -> None:
        self.held_tickets.show_tickets([], self._currency())
        self.held_tickets.status.setText("Loading…")
        self.held_tickets.open()
        self.controller.load_parked()

    def _parked_listed(self, tickets: list[ParkedSummary]) -> None:
        self.held_tickets.show_tickets(tickets, self._currency())
        self.held.setText(f"Held tickets ({len(tickets)})" if tickets else "Held tickets")

    def _currency(self) -> Currency:
        book = self.controller.book
        return book.currency if book is not None else Currency("USD")

    def open_returns(self) -> None:
        self.return_dialog.start()

    def _sale_found(self, sale: SaleForReturn) -> None:
        self.return_dialog.show_sale(sale)

    def _returned(self, outcome: ReturnDone) -> None:
        self.return_dialog.accept()
        printer = self.controller.printer
        self.receipt_preview.show_receipt(outcome.receipt, printer, printing=printer is not None)
        self.receipt_preview.open()
        if printer is not None:
            self.controller.print_receipt(outcome.receipt)

    def open_day_report(self) -> None:
        self.report.start()

    def _report_ready(self, report: ShiftReport) -> None:
        self.report.show_report(report)

    def open_void(self) -> None:
        change = self.controller.change
        if change is None or not change.priced.lines:
            self.message.show_problem(Problem("INVALID", "The ticket is empty: nothing to void"))
            return
        number = f"ticket {change.number}" if change.number else "this ticket"
        fmt = change.priced.currency.format
        self.void_dialog.ask(f"{number} ({fmt(change.total_due)})")

    def _confirm_auto_execute(self, promotion_id: str, on: bool) -> None:
        """Switching a promotion's auto-execute changes every ticket: ask first."""
        book = self.controller.book
        promotion = book.promotions.get(promotion_id) if book is not None else None
        name = promotion.name if promotion is not None and promotion.name else "this promotion"
        state = "apply by itself" if on else "wait for the cashier to apply it"
        dialog = ConfirmDialog(
            "Auto-execute",
            f"Make “{name}” {state} at this till? It is recorded and sent to the back office.",
            "Yes, switch it",
            self.manager_mode,
        )
        dialog.confirmed.connect(lambda: self.controller.do(OverrideAutoExecute(promotion_id, on)))
        dialog.rejected.connect(self.controller.load_execution_order)  # the switch goes back
        self.confirm = dialog
        dialog.open()

    def open_member_lookup(self) -> None:
        self.member_lookup.open()

    def _attach_member(self, member_id: str) -> None:
        """The ticket is for this member: their wallet opens once the till agrees."""
        self.member_lookup.accept()
        self._wallet_wanted = True
        self.controller.do(AttachMember(member_id))
        self.controller.load_wallet()  # runs after it: the ops run one at a time, in order

    def open_wallet(self) -> None:
        """The ticket's member's wallet, or member lookup when the ticket has none."""
        if self.wallet_member is None:
            self.open_member_lookup()
            return
        self._wallet_wanted = True
        self.controller.load_wallet()

    def _wallet_loaded(self, wallet: Wallet | None) -> None:
        self.wallet.show_wallet(wallet)
        if self._wallet_wanted:
            self._wallet_wanted = False
            if wallet is not None:
                self.wallet.show_message("")
                self.wallet.open()

    def _members_found(self, cards: tuple[MemberCard, ...]) -> None:
        change = self.controller.change
        on_ticket = set(change.priced.coupons) if change is not None else set()
        self.member_lookup.show_members(cards, on_ticket)

    def open_checkout(self) -> None:
        change = self.controller.change
        if change is None or not change.priced.lines:
            return
        self.checkout.numpad.clear()
        self.checkout.show_problem(None)
        self.checkout.show_change(change)
        self.checkout.set_states(self.controller.actions)
        self.checkout.open()

    def _close_requested(self) -> None:
        self.checkout.show_problem(None)
        self.controller.do(Close())

    def _sale_closed(self, sale: ClosedSale) -> None:
        self.checkout.accept()
        self.wallet.reject()
        fmt = sale.change.priced.currency.format
        change_given = sale.change.change_given
        coupons = sum(len(pack.coupons) for pack in sale.change.packs_sold)
        self.message.show_notice(
            f"Sale closed: {fmt(sale.change.priced.total)}"
            + (f", change {fmt(change_given)}" if change_given else "")
            + (f"; hand over the receipt: it lists the {coupons} new coupons" if coupons else "")
        )
        printer = self.controller.printer
        self.receipt_preview.show_receipt(sale.receipt, printer, printing=printer is not None)
        self.receipt_preview.open()

    def _print_requested(self, reprint: bool) -> None:
        self.receipt_preview.show_print_status("Printing…")
        self.controller.print_receipt(self.receipt_preview.receipt, reprint=reprint)

    def _printed(self, text: str) -> None:
        self.receipt_preview.show_print_status(text)
        self.message.show_notice(text)

    def _print_failed(self, problem: Problem) -> None:
        self.receipt_preview.show_print_status(problem.message, failed=True)
        self.message.show_problem(problem)

    # ------------------------------------------------------------ sync and manager

    def _sync_now(self) -> None:
        if self.sync is not None and self.sync.enrolled:
            self.sync.sync_now()
            self.message.show_notice("Syncing…")

    def _manager_clicked(self) -> None:
        if self.controller.manager is not None:
            self.controller.exit_manager_mode()
            return
        self.open_pin_dialog()

    def open_pin_dialog(self) -> PinDialog:
        dialog = PinDialog(self.controller.managers, self)
        dialog.pin_entered.connect(self.controller.verify_pin)
        dialog.first_manager.connect(self.controller.set_pin)
        self.pin_dialog = dialog
        dialog.open()
        return dialog

    def _pin_refused(self, problem: Problem) -> None:
        if self.pin_dialog is not None and self.pin_dialog.isVisible():
            self.pin_dialog.show_problem(problem)
        else:
            self._show_problem(problem)

    def _manager_changed(self, name: str | None) -> None:
        self.status.set_manager(name)
        self.manager_mode.set_manager(name)
        if name is None:
            self.manager_mode.reject()
            self.message.show_notice("Manager mode ended")
            return
        if self.pin_dialog is not None:
            self.pin_dialog.accept()
            self.pin_dialog.deleteLater()
            self.pin_dialog = None
        self.message.show_notice(f"Manager mode: {name}")
        self.open_manager_tools()

    def open_manager_tools(self) -> None:
        if self.controller.manager is None:
            return
        mode = self.manager_mode
        mode.permissions.show_permissions(self.controller.permissions)
        mode.printer.show_config(self.controller.printer, self.controller.printer_problem)
        mode.managers.show_managers(self.controller.managers)
        mode.tools.show_kiosk(self.controller.kiosk_setting())
        self.controller.load_execution_order()
        self.controller.load_conflicts()
        mode.open()

    def _conflicts_loaded(self, conflicts: list[ConflictReport]) -> None:
        book = self.controller.book
        self.manager_mode.conflicts.show_conflicts(conflicts, book.coupon_name if book else None)
        self.manager_mode.set_conflict_count(len(conflicts))
        self.status.set_conflicts(len(conflicts))

    def _execution_order_loaded(self, order: ExecutionOrder) -> None:
        self.manager_mode.execution_order.show_order(order)

    def _printer_changed(self, config: object) -> None:
        self.manager_mode.printer.show_config(self.controller.printer)
        self.manager_mode.printer.message.setText("Saved.")

    def closeEvent(self, event: QCloseEvent) -> None:
        for dialog in (self.checkout, self.receipt_preview, self.wallet, self.manager_mode):
            dialog.reject()
        super().closeEvent(event)
