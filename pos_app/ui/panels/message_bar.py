"""The message bar above the ticket: the last refusal or notice, in one line or three."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from pos_app.ui.controllers.payloads import ClosedSale, ManagerChange, TicketNotices
from pos_app.ui.controllers.problems import Problem
from pos_app.ui.controllers.till_controllers import TillControllers
from pos_app.ui.style import repolish


class MessageBar(QLabel):
    """One line above the ticket: the last refusal (red, the rule's message) or notice
    (green). ``code`` is the last refusal's code.

    Follows the controllers itself: refusals and notices from any of them, what a
    recalculation changed, a closed sale, printing, manager mode; the next command that
    goes through clears it. Main thread only.
    """

    def __init__(self, controllers: TillControllers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message")
        self.setWordWrap(True)
        self.setFixedHeight(64)  # three short lines; the ticket below keeps its height
        self.code = ""
        self.clear_message()
        messages, ticket = controllers.messages, controllers.ticket
        messages.refused.connect(self.show_problem)
        messages.input_refused.connect(self.show_problem)
        messages.notice.connect(self.show_notice)
        ticket.succeeded.connect(self.clear_message)
        ticket.ticket_notices.connect(self._show_ticket_notices)
        ticket.sale_closed.connect(self._show_sale)
        controllers.devices.printed.connect(self.show_notice)
        controllers.devices.print_failed.connect(self.show_problem)
        controllers.manager.manager_changed.connect(self._show_manager)

    def show_problem(self, problem: Problem) -> None:
        self.code = problem.code
        self._show(problem.message, "error")
        self.setToolTip(problem.code)

    def show_notice(self, text: str, *, warning: bool = False) -> None:
        self.code = ""
        self._show(text, "error" if warning else "info")
        self.setToolTip("")

    def clear_message(self, *_: object) -> None:
        self.code = ""
        self._show("", "none")

    def _show(self, text: str, kind: str) -> None:
        self.setText(text)
        self.setProperty("kind", kind)
        repolish(self)

    def _show_ticket_notices(self, said: TicketNotices) -> None:
        """What the recalculation changed (warnings in red)."""
        text = " · ".join(n.text for n in said.notices)
        self.show_notice(text, warning=any(n.warning for n in said.notices))

    def _show_sale(self, sale: ClosedSale) -> None:
        fmt = sale.change.priced.currency.format
        change_given = sale.change.change_given
        coupons = sum(len(pack.coupons) for pack in sale.change.packs_sold)
        self.show_notice(
            f"Sale closed: {fmt(sale.change.priced.total)}"
            + (f", change {fmt(change_given)}" if change_given else "")
            + (f"; hand over the receipt: it lists the {coupons} new coupons" if coupons else "")
        )

    def _show_manager(self, change: ManagerChange) -> None:
        ended = change.name is None
        self.show_notice("Manager mode ended" if ended else f"Manager mode: {change.name}")
