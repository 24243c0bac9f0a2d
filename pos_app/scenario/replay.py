"""Replaying a scenario's steps through a ticket, producing FORMAT.md's result objects."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from pos_app.engine import PricedTicket, Refusal, RefusalCode, Ticket
from pos_app.engine.explain import explain_ticket
from pos_app.scenario.scenario_file import Scenario


class TicketActions(Protocol):
    """What a step can do: the engine's :class:`Ticket` or the till's persisted ticket."""

    def add_item(self, line_id: str, sku: str, qty: int = 1) -> PricedTicket: ...
    def set_quantity(self, line_id: str, qty: int) -> PricedTicket: ...
    def remove_line(self, line_id: str) -> PricedTicket: ...
    def present(self, line_id: str) -> PricedTicket: ...
    def unpresent(self, line_id: str) -> PricedTicket: ...
    def adjust_price(self, line_id: str, price: object) -> PricedTicket: ...
    def unadjust(self, line_id: str) -> PricedTicket: ...
    def apply_discount(
        self,
        discount_id: str,
        *,
        percent: object = None,
        amount: object = None,
        line_id: str | None = None,
    ) -> PricedTicket: ...
    def remove_discount(self, discount_id: str) -> PricedTicket: ...
    def trigger_promotion(self, promotion_id: str) -> PricedTicket: ...
    def cancel_promotion(self, promotion_id: str) -> PricedTicket: ...
    def redeem_coupon(self, code: str) -> PricedTicket: ...
    def remove_coupon(self, code: str) -> PricedTicket: ...
    def close(self) -> PricedTicket: ...


Step = Mapping[str, Any]

STEP_ACTIONS: dict[str, Callable[[TicketActions, Step], PricedTicket]] = {
    "add": lambda t, s: t.add_item(s.get("line"), s.get("sku"), s.get("qty", 1)),  # type: ignore[arg-type]
    "set_qty": lambda t, s: t.set_quantity(s.get("line"), s.get("qty")),  # type: ignore[arg-type]
    "remove": lambda t, s: t.remove_line(s.get("line")),  # type: ignore[arg-type]
    "present": lambda t, s: t.present(s.get("line")),  # type: ignore[arg-type]
    "unpresent": lambda t, s: t.unpresent(s.get("line")),  # type: ignore[arg-type]
    "adjust_price": lambda t, s: t.adjust_price(s.get("line"), s.get("price")),  # type: ignore[arg-type]
    "unadjust": lambda t, s: t.unadjust(s.get("line")),  # type: ignore[arg-type]
    "discount": lambda t, s: t.apply_discount(
        s.get("id"),  # type: ignore[arg-type]
        percent=s.get("percent"),
        amount=s.get("amount"),
        line_id=s.get("line"),
    ),
    "remove_discount": lambda t, s: t.remove_discount(s.get("id")),  # type: ignore[arg-type]
    "trigger": lambda t, s: t.trigger_promotion(s.get("promotion")),  # type: ignore[arg-type]
    "cancel_promotion": lambda t, s: t.cancel_promotion(s.get("promotion")),  # type: ignore[arg-type]
    "redeem": lambda t, s: t.redeem_coupon(s.get("code")),  # type: ignore[arg-type]
    "remove_coupon": lambda t, s: t.remove_coupon(s.get("code")),  # type: ignore[arg-type]
    "close": lambda t, s: t.close(),
}


def result_json(ticket: PricedTicket) -> dict[str, Any]:
    """A ticket in FORMAT.md's RESULT form."""
    fmt = ticket.currency.format
    return {
        "total": fmt(ticket.total),
        "can_close": ticket.can_close,
        "lines": {line.line_id: fmt(line.net) for line in ticket.lines},
        "promotions": {pid: fmt(amount) for pid, amount in ticket.promotions.items()},
        "coupons": {code: fmt(c.amount) for code, c in ticket.coupons.items()},
        "discounts": {did: fmt(amount) for did, amount in ticket.discounts.items()},
    }


def explain_json(ticket: PricedTicket) -> dict[str, list[dict[str, Any]]]:
    """Each line's adjustments with stage, kind, source, rule and amount (R13)."""
    return {
        line.line_id: [a.to_json(ticket.currency) for a in line.adjustments]
        for line in ticket.lines
    }


def run_step(
    ticket: TicketActions, current: Callable[[], PricedTicket], step: Step
) -> dict[str, Any]:
    """One step's outcome object: ok with result, or the refusal with the unchanged result."""
    action = STEP_ACTIONS.get(step.get("do", ""))
    try:
        if action is None:
            raise Refusal(RefusalCode.INVALID, f"Unknown step {step.get('do')!r}")
        priced = action(ticket, step)
    except Refusal as refusal:
        return {
            "ok": False,
            "error": refusal.code.value,
            "message": refusal.message,
            "result": result_json(current()),
        }
    return {"ok": True, "result": result_json(priced)}


def replay_scenario(scenario: Scenario, *, explain: bool = False) -> dict[str, Any]:
    """Replay a scenario on a fresh in-memory engine ticket: steps, result (and explain)."""
    if scenario.book is None:
        raise ValueError(f"{scenario.path}: no catalog to replay against")
    now = scenario.now
    clock = (lambda: now) if now is not None else datetime.now
    ticket = Ticket(scenario.book, clock)
    outcomes = [run_step(ticket, lambda: ticket.priced, step) for step in scenario.steps]
    out: dict[str, Any] = {"steps": outcomes, "result": result_json(ticket.priced)}
    if explain:
        out["explain"] = explain_json(ticket.priced)
        out["explain_text"] = explain_ticket(ticket.priced)
    return out
