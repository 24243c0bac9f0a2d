"""The buttons that act on the selected line (and the ticket's promotions), each on or
off by the engine's rules for that line, with the reason shown when off."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.ui.line_actions import ActionState, ActionStates
from pos_app.ui.style import touch_button


class LineActionPanel(QWidget):
    """Present, Price, Discount, Promotion, Void line, "Why this price?" and Find item.

    :meth:`set_states` turns each button on or off from :class:`ActionStates` (the
    engine's refusals, then the cashier permissions); an off button's tooltip and the
    hint line say why. Present becomes "Unpresent" on a presented line, Price becomes
    "Undo price" on an adjusted one. Main thread only.
    """

    present_clicked = Signal()
    price_clicked = Signal()
    discount_clicked = Signal()
    promotion_clicked = Signal()
    void_clicked = Signal()
    why_clicked = Signal()
    find_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.present = touch_button("Present", name="present")
        self.price = touch_button("Price", name="price")
        self.discount = touch_button("Discount", name="discount")
        self.promotion = touch_button("Promotion", name="promotion")
        self.void = touch_button("Void line", "danger", name="void")
        self.why = touch_button("Why this price?", name="why")
        self.find_item = touch_button("Find item", name="find_item")
        self.hint = QLabel("")
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
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
        layout.addWidget(self.hint)
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
        reason = states.first_reason()
        self.hint.setText(reason)
        self.hint.setVisible(bool(reason))


def _set(button: QPushButton, state: ActionState) -> None:
    button.setEnabled(state.enabled)
    button.setToolTip(state.reason)  # on with a reason: a tap asks a manager's PIN
