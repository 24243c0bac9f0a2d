"""Returns at the till: find a closed sale by its number (typed, or its receipt's
barcode scanned), choose what comes back, line by line, and refund it in cash or to
the card it was paid with."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos_app.till.errors import TillRefusal
from pos_app.till.payments import CARD, CASH
from pos_app.till.refunds import PACK_NOT_RETURNED, SaleForReturn, plan_refund
from pos_app.ui.style import repolish, touch_button

Wanted = tuple[tuple[str, int], ...]


class ReturnDialog(QDialog):
    """Find a sale, pick lines and quantities, pick cash or card, refund.

    Promises: ``find_requested(number)`` on Find or Enter (a scan);
    ``refund_requested(number, lines, method)`` from the Refund button, with the
    chosen (line id, quantity) pairs; ``pack_return_requested(number, line_id, method)``
    from a coupon pack's Refund pack button (a manager's, K14); :meth:`show_sale` draws
    a sale's lines with what is left to return; :meth:`show_done` the refund's slip.
    Main thread only.
    """

    find_requested = Signal(str)
    refund_requested = Signal(str, object, str)
    pack_return_requested = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Return")
        self.setModal(True)
        self.setMinimumSize(760, 560)
        self.number = QLineEdit()
        self.number.setPlaceholderText("Ticket number (or scan the receipt)")
        self.number.returnPressed.connect(self.find_sale)
        self.find_button = touch_button("Find ticket", "primary", min_width=150)
        self.find_button.clicked.connect(self.find_sale)
        self.status = QLabel("Type or scan the number on the customer's receipt.")
        self.status.setObjectName("dialog_status")
        self.status.setWordWrap(True)
        self.sale: SaleForReturn | None = None
        self.quantities: dict[str, int] = {}
        self.qty_labels: dict[str, QLabel] = {}
        self.pack_notes: list[QLabel] = []  # a line for each coupon pack on the ticket
        self.pack_buttons: dict[str, QPushButton] = {}  # its Refund pack button, by line
        self.plus: dict[str, QPushButton] = {}
        self.minus: dict[str, QPushButton] = {}
        self._lines = QWidget()
        self._grid = QGridLayout(self._lines)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._lines)
        self.all_button = touch_button("Everything", min_width=130, name="return_all")
        self.all_button.clicked.connect(self.choose_all)
        self.cash = touch_button("Cash", "toggle", min_width=110, name="refund_cash")
        self.card = touch_button("Card", "toggle", min_width=110, name="refund_card")
        for button, method in ((self.cash, CASH), (self.card, CARD)):
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, m=method: self.choose_method(m))
        self.method = CASH
        self.refund = touch_button("Refund", "primary", min_width=220, name="refund")
        self.refund.clicked.connect(self._refund)
        close = touch_button("Close", min_width=110, name="close_return")
        close.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(self.number, 1)
        top.addWidget(self.find_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.all_button)
        bottom.addWidget(self.cash)
        bottom.addWidget(self.card)
        bottom.addWidget(self.refund, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self.show_sale(None)

    def start(self) -> None:
        self.number.clear()
        self.show_sale(None)
        self.status.setText("Type or scan the number on the customer's receipt.")
        self.open()
        self.number.setFocus()

    def find_sale(self) -> None:
        number = self.number.text().strip()
        if not number:
            self.show_message("Type or scan a ticket number first.", error=True)
            return
        self.show_message(f"Looking for {number}…")
        self.find_requested.emit(number)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("kind", "error" if error else "")
        repolish(self.status)

    def show_sale(self, sale: SaleForReturn | None) -> None:
        """Draw ``sale``'s lines (none: an empty list), nothing chosen yet."""
        self.sale = sale
        self.quantities = {}
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.qty_labels, self.plus, self.minus = {}, {}, {}
        self.pack_notes, self.pack_buttons = [], {}
        for button in (self.all_button, self.cash, self.card):
            button.setEnabled(sale is not None)
        if sale is None:
            self._refresh()
            return
        fmt = sale.currency.format
        when = sale.closed_at.astimezone().strftime("%Y-%m-%d %H:%M")
        member = f" · {sale.member_name}" if sale.member_name else ""
        self.show_message(
            f"Ticket {sale.number} · {when}{member} · paid {fmt(sale.paid)}"
            + (" · everything already returned" if sale.fully_returned else "")
        )
        for row, line in enumerate(sale.lines):
            sold = f"{line.qty} sold for {fmt(line.net)}"
            back = f", {line.returned} returned" if line.returned else ""
            caption = QLabel(f"<b>{line.name}</b><br>{sold}{back}")
            qty = QLabel("0")
            qty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            qty.setMinimumWidth(48)
            minus = touch_button("−", "key")
            plus = touch_button("+", "key")
            minus.clicked.connect(lambda _=False, i=line.line_id: self.change_qty(i, -1))
            plus.clicked.connect(lambda _=False, i=line.line_id: self.change_qty(i, 1))
            self._grid.addWidget(caption, row, 0)
            self._grid.addWidget(minus, row, 1)
            self._grid.addWidget(qty, row, 2)
            self._grid.addWidget(plus, row, 3)
            self._grid.setColumnStretch(0, 1)
            for widget in (caption, minus, qty, plus):
                widget.show()
            self.qty_labels[line.line_id] = qty
            self.plus[line.line_id] = plus
            self.minus[line.line_id] = minus
        for row, (line_id, name, price, refunded) in enumerate(sale.packs, len(sale.lines)):
            how = "refunded" if refunded else PACK_NOT_RETURNED
            note = QLabel(f"<b>{name}</b><br>sold for {fmt(price)}: {how}")
            note.setWordWrap(True)
            self._grid.addWidget(note, row, 0, 1, 3)
            note.show()
            self.pack_notes.append(note)
            if refunded:
                continue
            refund_pack = touch_button("Refund pack", min_width=130, name="refund_pack")
            refund_pack.clicked.connect(lambda _=False, i=line_id: self.return_pack(i))
            self._grid.addWidget(refund_pack, row, 3)
            refund_pack.show()
            self.pack_buttons[line_id] = refund_pack
        paid_by_card = bool(sale.paid_by.get(CARD))
        self.card.setEnabled(paid_by_card)
        self.choose_method(CARD if paid_by_card and not sale.paid_by.get(CASH) else CASH)

    def return_pack(self, line_id: str) -> None:
        """Ask for the whole pack on ``line_id`` to be refunded (a manager's action)."""
        if self.sale is not None:
            self.show_message("Refunding the coupon pack…")
            self.pack_return_requested.emit(self.sale.number, line_id, self.method)

    def change_qty(self, line_id: str, step: int) -> None:
        if self.sale is None:
            return
        line = self.sale.line(line_id)
        if line is None:
            return
        self.quantities[line_id] = max(0, min(line.left, self.quantities.get(line_id, 0) + step))
        self._refresh()

    def choose_all(self) -> None:
        if self.sale is not None:
            self.quantities = {line.line_id: line.left for line in self.sale.lines}
            self._refresh()

    def choose_method(self, method: str) -> None:
        self.method = method
        self.cash.setChecked(method == CASH)
        self.card.setChecked(method == CARD)
        self._refresh()

    def chosen(self) -> Wanted:
        return tuple((i, q) for i, q in self.quantities.items() if q > 0)

    def _refresh(self) -> None:
        """The quantities, the +/− keys and the Refund button's amount (or why not)."""
        sale = self.sale
        for line_id, label in self.qty_labels.items():
            label.setText(str(self.quantities.get(line_id, 0)))
            line = sale.line(line_id) if sale is not None else None
            left = line.left if line is not None else 0
            self.plus[line_id].setEnabled(self.quantities.get(line_id, 0) < left)
            self.minus[line_id].setEnabled(self.quantities.get(line_id, 0) > 0)
        chosen = self.chosen()
        if sale is None or not chosen:
            self.refund.setEnabled(False)
            self.refund.setText("Refund")
            self.refund.setToolTip("Choose what comes back")
            return
        try:
            plan = plan_refund(sale, self.method, chosen)
        except TillRefusal as refusal:
            self.refund.setEnabled(False)
            self.refund.setText("Refund")
            self.refund.setToolTip(refusal.message)
            self.show_message(refusal.message, error=True)
            return
        self.refund.setEnabled(True)
        self.refund.setToolTip("")
        self.refund.setText(f"Refund {sale.currency.format(plan.amount)} by {self.method}")

    def _refund(self) -> None:
        if self.sale is not None and self.chosen():
            self.refund.setEnabled(False)
            self.refund_requested.emit(self.sale.number, self.chosen(), self.method)
