"""Replaying a scenario's steps through the till layer against a data directory's own
configuration (``pos-app scenario run --persist``): every step is persisted, and
``close`` closes for real, paying the total in cash first (a scenario has no payment
steps), so its ``ticket.closed`` event is queued."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pos_app.engine import PricedTicket, Refusal, RefusalCode
from pos_app.engine.explain import explain_ticket
from pos_app.scenario.replay import explain_json, result_json, run_step
from pos_app.scenario.scenario_file import Scenario
from pos_app.till.errors import TillRefusal
from pos_app.till.till import Till

TillFactory = Callable[[Callable[[], datetime] | None], Till]


class TillTicketActions:
    """The scenario's :class:`pos_app.scenario.replay.TicketActions` over a :class:`Till`.

    After ``close`` the till is on a new ticket, but the scenario's ticket is closed:
    later steps are refused INVALID and the result stays the closed ticket's.
    """

    def __init__(self, till: Till) -> None:
        self._till = till
        self._closed: PricedTicket | None = None

    def current(self) -> PricedTicket:
        return self._closed if self._closed is not None else self._till.priced

    def _open_till(self) -> Till:
        if self._closed is not None:
            raise Refusal(RefusalCode.INVALID, "The ticket is closed")
        return self._till

    def add_item(self, line_id: str, sku: str, qty: int = 1) -> PricedTicket:
        return self._open_till().add_item(line_id, sku, qty).priced

    def set_quantity(self, line_id: str, qty: int) -> PricedTicket:
        return self._open_till().set_quantity(line_id, qty).priced

    def remove_line(self, line_id: str) -> PricedTicket:
        return self._open_till().remove_line(line_id).priced

    def present(self, line_id: str) -> PricedTicket:
        return self._open_till().present(line_id).priced

    def unpresent(self, line_id: str) -> PricedTicket:
        return self._open_till().unpresent(line_id).priced

    def adjust_price(self, line_id: str, price: object) -> PricedTicket:
        return self._open_till().adjust_price(line_id, price).priced

    def unadjust(self, line_id: str) -> PricedTicket:
        return self._open_till().unadjust(line_id).priced

    def apply_discount(
        self,
        discount_id: str,
        *,
        percent: object = None,
        amount: object = None,
        line_id: str | None = None,
    ) -> PricedTicket:
        till = self._open_till()
        return till.apply_discount(
            discount_id, percent=percent, amount=amount, line_id=line_id
        ).priced

    def remove_discount(self, discount_id: str) -> PricedTicket:
        return self._open_till().remove_discount(discount_id).priced

    def trigger_promotion(self, promotion_id: str) -> PricedTicket:
        return self._open_till().trigger_promotion(promotion_id).priced

    def cancel_promotion(self, promotion_id: str) -> PricedTicket:
        return self._open_till().cancel_promotion(promotion_id).priced

    def redeem_coupon(self, code: str) -> PricedTicket:
        return self._open_till().redeem_coupon(code).priced

    def remove_coupon(self, code: str) -> PricedTicket:
        return self._open_till().remove_coupon(code).priced

    def close(self) -> PricedTicket:
        """Pay what is due in cash, then close for real; a refused close takes the
        cash payment back."""
        till = self._open_till()
        refusal = till.refusal_for(lambda t: t.close())
        if refusal is not None:
            raise refusal
        try:
            if till.amount_due > 0:
                till.pay_cash(till.amount_due)
            closed = till.close().priced
        except TillRefusal as problem:
            if till.payments:
                till.clear_payments()
            raise Refusal(RefusalCode.INVALID, problem.message) from None
        except Refusal:
            if till.payments:
                till.clear_payments()
            raise
        self._closed = closed
        return closed


def replay_through_till(till: Till, scenario: Scenario, explain: bool) -> dict[str, Any]:
    """One scenario's steps through ``till``: FORMAT.md's steps and result objects."""
    actions = TillTicketActions(till)
    outcomes = [run_step(actions, actions.current, step) for step in scenario.steps]
    final = actions.current()
    out: dict[str, Any] = {"steps": outcomes, "result": result_json(final)}
    if explain:
        out["explain"] = explain_json(final)
        out["explain_text"] = explain_ticket(final)
    return out


def persisted_replayer(till_for: TillFactory) -> Callable[[Scenario, bool], dict[str, Any]]:
    """A replayer for :func:`pos_app.scenario.command.run_files`: each scenario gets a
    till on the data directory, priced at the scenario's ``now`` when it has one."""

    def replay(scenario: Scenario, explain: bool) -> dict[str, Any]:
        now = scenario.now
        till = till_for((lambda: now) if now is not None else None)
        return replay_through_till(till, scenario, explain)

    return replay
