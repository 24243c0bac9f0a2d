"""The left of the till's screen: products to tap, the selected line's buttons, and the
numpad, with the dialogs those buttons open."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from pos_app.engine import (
    AdjustPrice,
    ApplyDiscount,
    CancelPromotion,
    Present,
    RemoveLine,
    SetQuantity,
    TriggerPromotion,
    Unadjust,
    Unpresent,
)
from pos_app.engine.bounds import QUANTITY_MESSAGE, QuantityError, parse_quantity, typed_quantity
from pos_app.till.shift_commands import TapItem
from pos_app.till.till import TicketChange
from pos_app.ui.action_panel import LineActionPanel
from pos_app.ui.controllers.problems import INVALID, Problem
from pos_app.ui.controllers.till_controllers import TillControllers
from pos_app.ui.discount_dialog import DiscountDialog
from pos_app.ui.item_search import ItemSearchDialog
from pos_app.ui.line_actions import ActionStates
from pos_app.ui.numpad import AmountDialog, Numpad
from pos_app.ui.product_grid import ProductPanel
from pos_app.ui.promotion_dialog import PromotionDialog
from pos_app.ui.why_price import WhyPriceDialog


class RingUpPanel(QWidget):
    """Products (a tap rings one up, as many as the numpad says), the line buttons
    (present, price, discount, promotion, void, why, find item: each on or off by the
    engine's rules for the selected line), and the numpad (Qty and Price act on the
    selected line); ``beside_numpad`` (the counter keys) is laid out next to it.

    The dialogs the line buttons open are made once and kept (``why``, ``discount``,
    ``promotions``, ``item_search``; ``price_dialog`` while one is open). Quantities
    are checked against the engine's bounds before the till is asked. Main thread only.
    """

    def __init__(
        self,
        controllers: TillControllers,
        beside_numpad: QWidget,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ticket = ticket = controllers.ticket
        self._messages = messages = controllers.messages
        self.products = ProductPanel()
        self.line_actions = LineActionPanel()
        self.numpad = Numpad((("qty", "Qty"), ("price", "Price")), allow_decimal=True)
        self._lay_out(beside_numpad)
        self.why = WhyPriceDialog(self)
        self.discount = DiscountDialog(self)
        self.promotions = PromotionDialog(self)
        self.item_search = ItemSearchDialog(self)
        self.price_dialog: AmountDialog | None = None

        ticket.book_changed.connect(self.products.set_book)
        ticket.actions_changed.connect(self._show_actions)
        ticket.changed.connect(self._show_change)
        messages.refused.connect(self._show_problem)
        messages.notice.connect(self._show_notice)
        self.products.product_tapped.connect(self._product_tapped)
        self.numpad.action_triggered.connect(self._numpad_action)
        actions = self.line_actions
        actions.present_clicked.connect(self.toggle_present)
        actions.price_clicked.connect(self._price_clicked)
        actions.discount_clicked.connect(self.open_discount)
        actions.promotion_clicked.connect(self.open_promotions)
        actions.void_clicked.connect(lambda: ticket.do_on_line(RemoveLine))
        actions.why_clicked.connect(self.open_why)
        actions.find_clicked.connect(lambda: self.item_search.start(ticket.book))
        actions.explained.connect(lambda text: messages.refuse_input(INVALID, text))
        self.discount.discount_requested.connect(self.give_discount)
        self.promotions.trigger_requested.connect(lambda pid: ticket.do(TriggerPromotion(pid)))
        self.promotions.cancel_requested.connect(lambda pid: ticket.do(CancelPromotion(pid)))
        self.item_search.item_chosen.connect(lambda sku: ticket.do(TapItem(sku)))

    def _lay_out(self, beside_numpad: QWidget) -> None:
        numpad_and_keys = QHBoxLayout()
        numpad_and_keys.setSpacing(8)
        numpad_and_keys.addWidget(self.numpad, 3)
        numpad_and_keys.addWidget(beside_numpad, 3)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.products, 1)
        column.addWidget(self.line_actions)
        column.addLayout(numpad_and_keys)

    # ------------------------------------------------------------ redraws

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

    def _show_change(self, change: TicketChange) -> None:
        if self.why.isVisible():
            line = self._ticket.selected_line()
            if line is not None:
                self.why.show_line(line, change.priced)

    def _show_problem(self, problem: Problem) -> None:
        if self.promotions.isVisible():
            self.promotions.show_message(problem.message, error=True)

    def _show_notice(self, text: str) -> None:
        if self.promotions.isVisible():
            self.promotions.show_message(text)

    # ------------------------------------------------------------ ringing up

    def _quantity(self, text: str) -> int | None:
        """The engine's bounds and message, before anything is rung up or changed."""
        try:
            return parse_quantity(typed_quantity(text))
        except QuantityError:
            self._messages.refuse_input(INVALID, QUANTITY_MESSAGE)
            return None

    def _product_tapped(self, sku: str) -> None:
        qty_text = self.numpad.text()
        qty: int | None = 1
        if qty_text:
            qty = self._quantity(qty_text)
            if qty is None:
                return
            self.numpad.clear()
        self._ticket.do(TapItem(sku, qty))

    def _numpad_action(self, key: str, text: str) -> None:
        if not text:
            self._messages.refuse_input(INVALID, "Type a number on the numpad first")
            return
        if key == "qty":
            qty = self._quantity(text)
            if qty is not None:
                self._ticket.do_on_line(lambda line_id: SetQuantity(line_id, qty))
        elif key == "price":
            self.adjust_price(text)

    # ------------------------------------------------------------ the line buttons

    def toggle_present(self) -> None:
        """Present the selected line, or take the present back if it is presented."""
        line = self._ticket.selected_line()
        if line is not None and line.presented:
            self._ticket.do_on_line(Unpresent)
        else:
            self._ticket.do_on_line(Present)

    def adjust_price(self, price: str) -> None:
        """A new unit price for the selected line."""
        self._ticket.do_on_line(lambda line_id: AdjustPrice(line_id, price.strip()))

    def _price_clicked(self) -> None:
        line = self._ticket.selected_line()
        if line is None:
            return
        if line.adjusted_price is not None:
            self._ticket.do_on_line(Unadjust)
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

    def give_discount(self, whole_order: bool, kind: str, value: str) -> None:
        """A store discount (``kind`` percent or amount) on the selected line, or on the
        whole order."""
        percent, amount = (value, None) if kind == "percent" else (None, value)
        if whole_order:
            self._ticket.do(ApplyDiscount(None, percent=percent, amount=amount))
        else:
            self._ticket.do_on_line(
                lambda line_id: ApplyDiscount(None, percent=percent, amount=amount, line_id=line_id)
            )

    def open_discount(self) -> None:
        self.discount.numpad.clear()
        self.discount.set_states(self._ticket.actions)
        self.discount.open()

    def open_promotions(self) -> None:
        self.promotions.set_states(self._ticket.actions)
        self.promotions.open()

    def open_why(self) -> None:
        line = self._ticket.selected_line()
        change = self._ticket.change
        if line is None or change is None:
            return
        self.why.show_line(line, change.priced, self._ticket.names)
        self.why.open()
