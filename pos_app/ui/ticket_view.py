"""The ticket on screen: one row per line (quantity, price, net, badges) and the totals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from pos_app.engine import Currency, PricedLine, PricedTicket
from pos_app.till.names import Names
from pos_app.till.till import TicketChange

ROW_HEIGHT = 48
ITEM, QTY, PRICE, NET = range(4)
HEADERS = ("Item", "Qty", "Price", "Net")

BADGE_LABELS = {
    "present": "Presented",
    "price_adjustment": "Adjusted",
    "promotion": "Promotion",
    "coupon": "Coupon",
    "discount": "Discount",
}
BADGE_COLOURS = {
    "Presented": "#8e24aa",
    "Adjusted": "#6d4c41",
    "Promotion": "#e67e22",
    "Coupon": "#1f6feb",
    "Discount": "#1e8e3e",
    "Gift": "#c0398b",
    "Coupon pack": "#00796b",
}

LineIndex = QModelIndex | QPersistentModelIndex


def line_badges(line: PricedLine) -> tuple[str, ...]:
    """The labels the screen shows on a line: promotion, coupon, discount, presented,
    adjusted, gift (in the order the adjustments apply)."""
    labels: list[str] = []
    if line.is_pack:
        labels.append("Coupon pack")
    if line.is_gift:
        labels.append("Gift")
    if line.presented and "Presented" not in labels:
        labels.append("Presented")
    elif line.adjusted_price is not None:
        labels.append("Adjusted")
    for badge in line.badges:
        label = BADGE_LABELS.get(badge, badge.replace("_", " ").capitalize())
        if label not in labels:
            labels.append(label)
    return tuple(labels)


def line_sources(line: PricedLine, names: Names | None = None) -> str:
    """Each adjustment by name, for a tooltip: "Drinks buy one get one: -3.00"."""
    names = names or Names()
    return "\n".join(f"{names.adjustment(a)}: -{a.amount}" for a in line.adjustments)


class TicketModel(QAbstractTableModel):
    """The priced ticket's lines as table rows. :meth:`set_ticket` updates only the rows
    that changed (appends insert rows), so a long ticket repaints cheaply.

    Main thread only. Roles: ``LINE_ID_ROLE`` the line id, ``BADGES_ROLE`` the badges.
    """

    LINE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
    BADGES_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: list[PricedLine] = []
        self._currency = Currency("USD")
        self.names = Names()  # what tooltips call promotions, coupons and discounts

    # -------------------------------------------------------- Qt model

    def rowCount(self, parent: LineIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: LineIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: LineIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        fmt = self._currency.format
        if role == Qt.ItemDataRole.DisplayRole:
            if column == ITEM:
                return line.name
            if column == QTY:
                return str(line.qty)
            if column == PRICE:
                if line.adjusted_price is not None and not line.presented:
                    return fmt(line.adjusted_price)
                return fmt(line.unit_price)
            if column == NET:
                return fmt(line.net)
        elif role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (QTY, PRICE, NET):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.ToolTipRole:
            sources = line_sources(line, self.names)
            return line.name + (f"\n{sources}" if sources else "")
        elif role == Qt.ItemDataRole.FontRole and column == NET and line.net != line.gross:
            font = QFont()
            font.setBold(True)
            return font
        elif role == Qt.ItemDataRole.ForegroundRole and column == NET and line.net < line.gross:
            return QBrush(QColor("#1e8e3e"))
        elif role == Qt.ItemDataRole.ForegroundRole and column == PRICE:
            if line.adjusted_price is not None and not line.presented:
                return QBrush(QColor("#6d4c41"))
        elif role == self.LINE_ID_ROLE:
            return line.line_id
        elif role == self.BADGES_ROLE:
            return line_badges(line)
        return None

    # -------------------------------------------------------- updates

    def line_ids(self) -> list[str]:
        return [line.line_id for line in self._lines]

    def line_at(self, row: int) -> PricedLine:
        return self._lines[row]

    def row_of(self, line_id: str) -> int | None:
        for row, line in enumerate(self._lines):
            if line.line_id == line_id:
                return row
        return None

    def set_ticket(self, priced: PricedTicket) -> None:
        """Show ``priced``: appended lines are inserted, changed lines re-read, and any
        other change (a void, a gift line moving) resets the model."""
        self._currency = priced.currency
        new = list(priced.lines)
        old = self._lines
        old_ids = [line.line_id for line in old]
        new_ids = [line.line_id for line in new]
        if new_ids[: len(old_ids)] == old_ids:
            changed = [row for row, line in enumerate(old) if line != new[row]]
            if len(new) > len(old):
                self.beginInsertRows(QModelIndex(), len(old), len(new) - 1)
                self._lines = new
                self.endInsertRows()
            else:
                self._lines = new
            if changed:
                self.dataChanged.emit(
                    self.index(changed[0], 0), self.index(changed[-1], len(HEADERS) - 1)
                )
            return
        kept = set(new_ids)
        removed = [i for i, line_id in enumerate(old_ids) if line_id not in kept]
        if len(removed) == 1 and len(new) == len(old) - 1:
            row = removed[0]
            if old_ids[:row] + old_ids[row + 1 :] == new_ids:
                self.beginRemoveRows(QModelIndex(), row, row)
                self._lines = new
                self.endRemoveRows()
                if new:
                    self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, NET))
                return
        self.beginResetModel()
        self._lines = new
        self.endResetModel()


class ItemDelegate(QStyledItemDelegate):
    """Paints a line's name with its badges as coloured pills underneath. Main thread."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: LineIndex) -> None:
        super().paint(painter, option, QModelIndex())  # background and selection only
        badges = index.data(TicketModel.BADGES_ROLE) or ()
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        rect: QRect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        name_font = QFont(option.font)
        painter.setFont(name_font)
        name_metrics = QFontMetrics(name_font)
        name_height = name_metrics.height()
        font = QFont(option.font)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.72))
        font.setBold(True)
        metrics = QFontMetrics(font)
        height = metrics.height() + 4
        block = name_height + (height + 3 if badges else 0)
        top = rect.top() + (rect.height() - block) // 2
        name_rect = QRect(rect.left() + 6, top, rect.width() - 10, name_height)
        painter.setPen(QPen(option.palette.text().color()))
        painter.drawText(
            name_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            name_metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_rect.width()),
        )
        painter.setFont(font)
        x = rect.left() + 6
        y = top + name_height + 3
        for label in badges:
            width = metrics.horizontalAdvance(label) + 14
            if x + width > rect.right():
                break
            pill = QRect(x, y, width, height)
            colour = QColor(BADGE_COLOURS.get(label, "#52606d"))
            painter.setPen(QPen(colour))
            painter.setBrush(QBrush(colour.lighter(185)))
            painter.drawRoundedRect(pill, height / 2, height / 2)
            painter.setPen(QPen(colour.darker(120)))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, label)
            x += width + 4
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: LineIndex) -> QSize:
        return QSize(160, ROW_HEIGHT)


class TicketView(QTableView):
    """The ticket's lines, one touch-high row each; tapping a row selects the line.

    Promises: ``line_selected(line_id or None)`` when the cashier picks a row;
    :meth:`show_ticket` redraws from a priced ticket and keeps the selection by line id.
    Main thread only.
    """

    line_selected = Signal(object)
    repainted = Signal()  # after each paint of the rows (benchmarks, tests)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ticket_model = TicketModel(self)
        self.setModel(self.ticket_model)
        self.setItemDelegateForColumn(ITEM, ItemDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setShowGrid(False)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(ITEM, QHeaderView.ResizeMode.Stretch)
        for column, width in ((QTY, 48), (PRICE, 78), (NET, 86)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        self._quiet = False
        selection = self.selectionModel()
        selection.currentRowChanged.connect(self._row_changed)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.repainted.emit()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        line_id = current.data(TicketModel.LINE_ID_ROLE) if current.isValid() else None
        self.line_selected.emit(line_id)

    def show_ticket(self, priced: PricedTicket, selected: str | None) -> None:
        """Redraw from ``priced`` with ``selected`` highlighted (and scrolled to)."""
        self._quiet = True
        try:
            self.ticket_model.set_ticket(priced)
            self.select_line(selected)
        finally:
            self._quiet = False

    def select_line(self, line_id: str | None) -> None:
        """Highlight ``line_id`` without reporting it back (the controller chose it)."""
        quiet, self._quiet = self._quiet, True
        try:
            row = self.ticket_model.row_of(line_id) if line_id else None
            selection = self.selectionModel()
            if row is None:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
                return
            index = self.ticket_model.index(row, 0)
            if selection.currentIndex().row() != row or not selection.isRowSelected(row):
                selection.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
            self.scrollTo(index)
        finally:
            self._quiet = quiet

    def scroll_to_line(self, line_id: str) -> None:
        """Bring ``line_id`` into view (a line just added or changed by a recalculation)."""
        row = self.ticket_model.row_of(line_id)
        if row is not None:
            self.scrollTo(self.ticket_model.index(row, 0))

    def visible_rows(self) -> int:
        """How many whole rows the view shows at once."""
        return max(0, self.viewport().height() // max(1, self.rowHeight(0) or ROW_HEIGHT))

    def row_rect(self, line_id: str) -> QRect:
        """Where ``line_id``'s row is on screen (for taps in tests)."""
        row = self.ticket_model.row_of(line_id)
        if row is None:
            raise KeyError(line_id)
        return self.visualRect(self.ticket_model.index(row, ITEM))


class TotalsPanel(QFrame):
    """Items, subtotal, savings, tax and the total; once a payment is recorded, the
    total, what was paid, savings, tax and what is due. Main thread only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("totals")
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 4, 12, 4)
        grid.setVerticalSpacing(0)
        self.items = QLabel()
        self.subtotal = QLabel()
        self.savings = QLabel()
        self.tax = QLabel()
        self.paid = QLabel()
        self.due = QLabel()
        self.due.setObjectName("due")
        self.total = QLabel()
        self.total.setObjectName("total")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Two columns of small figures, each as wide as its longest text, and the big
        # figure in the rest. Once a payment is recorded, what is left to pay is the
        # big figure and the total and what was paid take the first row: the panel
        # keeps its height and no figure is ever cut ("Subtotal 31.4…" at 1024×768).
        self.due.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.items, 0, 0)
        grid.addWidget(self.subtotal, 0, 1)
        grid.addWidget(self.paid, 0, 1)
        grid.addWidget(self.savings, 1, 0)
        grid.addWidget(self.tax, 1, 1)
        grid.addWidget(self.total, 0, 2, 2, 1)
        grid.addWidget(self.due, 0, 2, 2, 1)
        grid.setColumnStretch(2, 1)
        grid.setHorizontalSpacing(16)
        for label in (self.items, self.subtotal, self.savings, self.tax, self.paid):
            label.setObjectName("totals_small")
        self.show_change(None)

    def show_change(self, change: TicketChange | None) -> None:
        if change is None:
            fmt, zero = Currency("USD").format, Decimal(0)
            self.items.setText("0 items")
            self.subtotal.setText(f"Subtotal {fmt(zero)}")
            self.savings.setText("")
            self.total.setText(fmt(zero))
            self.paid.setText("")
            self.due.setText("")
            self.tax.setText("")
            self._show_paying(False)
            return
        priced = change.priced
        fmt = priced.currency.format
        count = sum(line.qty for line in priced.lines)
        self.subtotal.setText(f"Subtotal {fmt(priced.gross)}")
        self.savings.setText(f"Savings -{fmt(priced.savings)}" if priced.savings else "")
        self.total.setText(f"{priced.currency.code} {fmt(change.total_due)}")
        taxes = change.taxes
        if taxes is not None and taxes.total:
            word = "incl. tax" if taxes.inclusive else "+ tax"
            self.tax.setText(f"{word} {fmt(taxes.total)}")
        else:
            self.tax.setText("")
        paying = bool(change.payments)
        paid = change.total_due - change.amount_due
        if paying:
            self.items.setText(f"Total {fmt(change.total_due)}")
        else:
            self.items.setText(f"{count} item{'' if count == 1 else 's'}")
        self.paid.setText(f"Paid {fmt(paid)}" if paying else "")
        self.due.setText(f"Due {priced.currency.code} {fmt(change.amount_due)}" if paying else "")
        self._show_paying(paying)

    def _show_paying(self, paying: bool) -> None:
        self.subtotal.setVisible(not paying)
        self.total.setVisible(not paying)
        self.paid.setVisible(paying)
        self.due.setVisible(paying)
