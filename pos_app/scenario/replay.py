"""Replaying a scenario's steps through a ticket, producing FORMAT.md's result objects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pos_app.engine import PricedTicket, Refusal, Ticket, TicketCommand
from pos_app.engine.explain import explain_ticket
from pos_app.scenario.scenario_file import Scenario
from pos_app.scenario.steps import Step, step_command

Apply = Callable[[TicketCommand], PricedTicket]


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


def run_step(apply: Apply, current: Callable[[], PricedTicket], step: Step) -> dict[str, Any]:
    """One step's outcome object: ok with result, or the refusal with the unchanged result.
    ``apply`` carries the step's command out: on the engine's ticket, or through the till."""
    try:
        priced = apply(step_command(step))
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
    outcomes = [run_step(ticket.apply, lambda: ticket.priced, step) for step in scenario.steps]
    out: dict[str, Any] = {"steps": outcomes, "result": result_json(ticket.priced)}
    if explain:
        out["explain"] = explain_json(ticket.priced)
        out["explain_text"] = explain_ticket(ticket.priced)
    return out
