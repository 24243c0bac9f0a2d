"""The buttons that act on the selected line (and the ticket's promotions), each on or
off by the engine's rules for that line; a tap on one that is off says why."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout, QWidget

from pos_app.ui.line_actions import ActionState, ActionStates
from pos_app.ui.style import touch_button


class LineActionPanel(QWidget):
    """Present, Price, Discount, Promotion, Void line, "Why this price?" and Find item.

    :meth:`set_states` turns each button on or off from :class:`ActionStates` (the
    engine's refusals, then the cashier permissions); an off button's tooltip says why,
    and a tap on it says so too (``explained(text)``: Qt hands a disabled button's tap
    to its parent, this panel), nothing standing on the screen. Present becomes
    "Unpresent" on a presented line, Price becomes "Undo price" on an adjusted one.
    Main thread only.
    """

    present_clicked = Signal()
    price_clicked = Signal()
    discount_clicked = Signal()
    promotion_clicked = Signal()
    void_clicked = Signal()
    why_clicked = Signal()
    find_clicked = Signal()
    explained = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.present = touch_button("Present", name="present")
        self.price = touch_button("Price", name="price")
        self.discount = touch_button("Discount", name="discount")
        self.promotion = touch_button("Promotion", name="promotion")
        self.void = touch_button("Void line", "danger", name="void")
        self.why = touch_button("Why this price?", name="why")
        self.find_item = touch_button("Find item", name="find_item")
        grid = QGridLayout()
        grid.setSpacing(6)
        for i, (button, signal) in enumerate(
            (
                (self.present, self.present_clicked),
                (self.price, self.price_clicked),
                (self.discount, self.discount_clicked),
                (self.promotion, self.promotion_clicked),
                (self.void, self.void_clicked),
                (self.why, self.why_clicked),
                (self.find_item, self.find_clicked),
            )
        ):
            button.clicked.connect(signal.emit)
            grid.addWidget(button, i // 4, i % 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(grid)
        self.set_states(ActionStates())

    def set_states(self, states: ActionStates) -> None:
        self.present.setText("Unpresent" if states.presented else "Present")
        self.price.setText("Undo price" if states.adjusted else "Price")
        for button, state in (
            (self.present, states.present),
            (self.price, states.adjust_price),
            (self.discount, states.discount),
            (self.promotion, states.promotion),
            (self.void, states.void_line),
            (self.why, states.why),
        ):
            _set(button, state)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A tap on a button that is off: ``explained`` with its name and reason."""
        button = self.childAt(event.position().toPoint())
        if isinstance(button, QPushButton) and not button.isEnabled() and button.toolTip():
            self.explained.emit(f"{button.text()}: {button.toolTip()}")
            event.accept()
            return
        super().mouseReleaseEvent(event)


def _set(button: QPushButton, state: ActionState) -> None:
    button.setEnabled(state.enabled)
    button.setToolTip("" if state.enabled else state.reason)
