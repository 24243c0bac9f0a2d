"""Category tabs over a grid of large product buttons."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.engine import Item, PriceBook
from pos_app.ui.style import touch_button

CELL_WIDTH = 170  # a grid column per this many pixels of width
BUTTON_MIN_WIDTH = 112
BUTTON_HEIGHT = 88
MAX_BUTTON_HEIGHT = 150
NAME_COLUMNS = 12  # product names wrap at about this many characters
TAB_MIN_WIDTH = 100
OTHER = "Other"


def category_title(category: str) -> str:
    return category.replace("_", " ").capitalize() if category else OTHER


def product_label(name: str, price: str) -> str:
    """A product button's text: the name wrapped to two lines at most, then the price."""
    lines = textwrap.wrap(name, NAME_COLUMNS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), NAME_COLUMNS, placeholder="…")]
    return "\n".join([*lines, price])


def columns_for(width: int) -> int:
    """How many product columns fit ``width`` pixels: one per CELL_WIDTH, 2 to 6, and
    never more than the buttons' minimum width allows."""
    fitting = max(1, (width + 8) // (BUTTON_MIN_WIDTH + 8))
    return max(1, min(6, fitting, max(2, width // CELL_WIDTH)))


class _Grid(QWidget):
    """Buttons in rows of a given number of columns."""

    def __init__(self, buttons: list[QPushButton], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._buttons = buttons
        self._columns = 0
        self._grid = QGridLayout(self)
        self._grid.setSpacing(8)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.lay_out(3)

    def lay_out(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for button in self._buttons:
            self._grid.removeWidget(button)
        for i, button in enumerate(self._buttons):
            self._grid.addWidget(button, i // columns, i % columns)
        for column in range(6):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)


class _Scroll(QScrollArea):
    """A vertical-only scroll area that reports its viewport's width on resize."""

    def __init__(self, on_width: Callable[[int], None]) -> None:
        super().__init__()
        self._on_width = on_width
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Re-flow first, so the area sizes its widget to the new minimum width.
        bar = self.verticalScrollBar()
        self._on_width(event.size().width() - (bar.sizeHint().width() if bar.isVisible() else 0))
        super().resizeEvent(event)


class ProductPanel(QWidget):
    """A row of category tabs (touch buttons that wrap onto more rows when there are
    many) over that category's grid of product buttons, every one at least 64 px.

    Promises: ``product_tapped(sku)`` for every tap; :meth:`set_book` rebuilds both from
    a price book (categories and names in alphabetical order). Main thread only.
    """

    product_tapped = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._buttons: dict[str, QPushButton] = {}
        self._category_of: dict[str, int] = {}
        self.tabs: list[QPushButton] = []
        self._categories: list[str] = []
        self._catalog: object = None
        self._layout: list[tuple[str, str, str]] = []
        self._tab_group = QButtonGroup(self)
        self._tab_group.setExclusive(True)
        self._tab_row = QGridLayout()
        self._tab_row.setSpacing(6)
        self.pages = QStackedWidget()
        scroll = _Scroll(self._fit_columns)
        scroll.setWidget(self.pages)
        self._scroll = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(self._tab_row)
        layout.addWidget(scroll, 1)

    def set_book(self, book: PriceBook) -> None:
        catalog = (book.currency, dict(book.items))
        if catalog == self._catalog:
            return  # only promotions or coupons changed: the buttons stay
        self._catalog = catalog
        layout = sorted((i.category, i.name, i.sku) for i in book.items.values())
        if layout == self._layout:  # same items in the same places: new prices only
            for item in book.items.values():
                self._label(self._buttons[item.sku], item, book)
            return
        self._layout = layout
        current = self.current_category()
        for tab in self.tabs:
            self._tab_group.removeButton(tab)
            self._tab_row.removeWidget(tab)
            tab.deleteLater()
        while self.pages.count():
            page = self.pages.widget(0)
            if page is None:
                break
            self.pages.removeWidget(page)
            page.deleteLater()
        self.tabs = []
        self._buttons = {}
        self._category_of = {}
        by_category: dict[str, list[Item]] = {}
        for item in book.items.values():
            by_category.setdefault(item.category, []).append(item)
        categories = sorted(by_category, key=lambda c: (c == "", c))
        per_row = max(1, min(len(categories), 5))
        for index, category in enumerate(categories):
            buttons = []
            for item in sorted(by_category[category], key=lambda i: (i.name, i.sku)):
                button = touch_button("", "product")
                button.setMinimumSize(BUTTON_MIN_WIDTH, BUTTON_HEIGHT)
                button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
                button.setProperty("category", category)
                button.setProperty("sku", item.sku)
                self._label(button, item, book)
                button.clicked.connect(lambda _=False, sku=item.sku: self.product_tapped.emit(sku))
                self._buttons[item.sku] = button
                self._category_of[item.sku] = index
                buttons.append(button)
            self.pages.addWidget(_Grid(buttons))
            tab = touch_button(category_title(category), "tab", min_width=TAB_MIN_WIDTH)
            tab.setCheckable(True)
            tab.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            tab.clicked.connect(lambda _=False, i=index: self.show_category(i))
            self._tab_group.addButton(tab)
            self._tab_row.addWidget(tab, index // per_row, index % per_row)
            self.tabs.append(tab)
        chosen = categories.index(current) if current in categories else 0
        self._categories = categories
        if self.tabs:
            self.show_category(chosen)
        self._fit_columns()

    @staticmethod
    def _label(button: QPushButton, item: Item, book: PriceBook) -> None:
        price = book.currency.format(item.price)
        button.setText(product_label(item.name, price))
        button.setToolTip(f"{item.name} · {price}")
        button.setAccessibleName(f"Add {item.name}")

    def _fit_columns(self, width: int | None = None) -> None:
        columns = columns_for(self._scroll.viewport().width() if width is None else width)
        for index in range(self.pages.count()):
            page = self.pages.widget(index)
            if isinstance(page, _Grid):
                page.lay_out(columns)
        # Tiles grow with the screen: about three rows fill the area, never below the
        # touch height and never taller than a thumb needs.
        height = max(BUTTON_HEIGHT, min(MAX_BUTTON_HEIGHT, self._scroll.height() // 3 - 12))
        for button in self._buttons.values():
            if button.minimumHeight() != height:
                button.setMinimumHeight(height)

    def current_category(self) -> str | None:
        for index, tab in enumerate(self.tabs):
            if tab.isChecked():
                return self._categories[index]
        return None

    def show_category(self, index: int) -> None:
        self.tabs[index].setChecked(True)
        self.pages.setCurrentIndex(index)

    def show_product(self, sku: str) -> QPushButton:
        """Bring ``sku``'s category to the front and return its button."""
        self.show_category(self._category_of[sku])
        return self._buttons[sku]

    def product_buttons(self) -> list[QPushButton]:
        return list(self._buttons.values())
