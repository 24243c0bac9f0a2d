"""Finding an item by name, by touch: an on-screen keyboard over the matching items,
each a button that rings it up."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos_app.engine import Item, PriceBook
from pos_app.ui.keyboard import NO_KEYBOARD, OnScreenKeyboard
from pos_app.ui.style import touch_button

MAX_RESULTS = 12
COLUMNS = 3


def matching_items(book: PriceBook, text: str) -> list[Item]:
    """Items whose name (or barcode) holds every word of ``text``, by name; at most
    :data:`MAX_RESULTS`."""
    words = text.casefold().split()
    if not words:
        return []
    found = [
        item for item in book.items.values() if all(word in item.name.casefold() for word in words)
    ]
    return sorted(found, key=lambda item: item.name.casefold())[:MAX_RESULTS]


class ItemSearchDialog(QDialog):
    """Type part of a name; tap a result to ring it up (``item_chosen(sku)``; the
    dialog stays open for the next one). Main thread only."""

    item_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find an item")
        self.setModal(True)
        self.setMinimumWidth(720)  # its height is its layout's: no key is ever squeezed
        self.book: PriceBook | None = None
        self.field = QLineEdit()
        self.field.setPlaceholderText("Item name")
        self.field.setProperty(NO_KEYBOARD, True)  # the keyboard is right below
        self.field.textChanged.connect(self._search)
        self.keyboard = OnScreenKeyboard(self.field)
        self.status = QLabel("")
        self.results: dict[str, QPushButton] = {}
        self._box = QWidget()
        self._grid = QGridLayout(self._box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._box)
        scroll.setMinimumHeight(2 * 56 + 12)  # two rows of results, the rest scrolls
        close = touch_button("Close", name="close_search")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.keyboard)
        layout.addWidget(close)

    def start(self, book: PriceBook | None) -> None:
        self.book = book
        self.field.clear()
        self._search("")
        self.open()

    def _search(self, text: str) -> None:
        while self._grid.count():
            entry = self._grid.takeAt(0)
            widget = entry.widget() if entry is not None else None
            if widget is not None:
                widget.deleteLater()
        self.results = {}
        if self.book is None or not text.strip():
            self.status.setText("Type part of the item's name.")
            return
        found = matching_items(self.book, text)
        fmt = self.book.currency.format
        self.status.setText(f"{len(found)} item{'s' if len(found) != 1 else ''} found.")
        for i, item in enumerate(found):
            button = touch_button(f"{item.name}\n{fmt(item.price)}", "product", min_width=160)
            button.clicked.connect(lambda _=False, sku=item.sku: self.item_chosen.emit(sku))
            self._grid.addWidget(button, i // COLUMNS, i % COLUMNS)
            button.show()
            self.results[item.sku] = button
