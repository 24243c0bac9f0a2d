"""Replaying a scenario's steps through the till layer against a data directory's own
configuration (``pos-app scenario run --persist``): every step is persisted, and
``close`` closes for real, paying the total in cash first (a scenario has no payment
steps), so its ``ticket.closed`` event is queued."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pos_app.engine import Close, PricedTicket, Refusal, RefusalCode, TicketCommand
from pos_app.engine.explain import explain_ticket
from pos_app.scenario.replay import explain_json, result_json, run_step
from pos_app.scenario.scenario_file import Scenario
from pos_app.till.commands import ClearPayments, PayCash
from pos_app.till.errors import TillRefusal
from pos_app.till.ticket_diff import NamedRefusal
from pos_app.till.till import Till

TillFactory = Callable[[Callable[[], datetime] | None], Till]


class TillReplay:
    """Steps applied through a :class:`Till`, as a scenario's cashier (no manager).

    After ``close`` the till is on a new ticket, but the scenario's ticket is closed:
    later steps are refused INVALID and the result stays the closed ticket's.
    """

    def __init__(self, till: Till) -> None:
        self._till = till
        self._closed: PricedTicket | None = None
        # The step that needs more than the till's own handler: closing pays first.
        self._special: dict[type, Callable[[TicketCommand], PricedTicket]] = {Close: self._close}

    def current(self) -> PricedTicket:
        return self._closed if self._closed is not None else self._till.priced

    def apply(self, command: TicketCommand) -> PricedTicket:
        if self._closed is not None:
            raise Refusal(RefusalCode.INVALID, "The ticket is closed")
        return self._special.get(type(command), self._through_till)(command)

    def _through_till(self, command: TicketCommand) -> PricedTicket:
        try:
            return self._till.handle(command).priced
        except TillRefusal as problem:  # e.g. a manager needed: refused as the step's
            raise Refusal(RefusalCode.INVALID, problem.message) from None
        except NamedRefusal as refusal:  # the rule's own words, as the engine reports
            raise Refusal(refusal.code, refusal.rule_message) from None

    def _close(self, command: TicketCommand) -> PricedTicket:
        """Pay what is due in cash, then close for real; a refused close takes the
        cash payment back."""
        till = self._till
        refusal = till.refusal_for(Close())
        if refusal is not None:
            raise refusal
        try:
            if till.amount_due > 0:
                till.handle(PayCash(till.amount_due))
            closed = till.handle(Close()).priced
        except TillRefusal as problem:
            if till.payments:
                till.handle(ClearPayments())
            raise Refusal(RefusalCode.INVALID, problem.message) from None
        except Refusal:
            if till.payments:
                till.handle(ClearPayments())
            raise
        self._closed = closed
        return closed


def replay_through_till(till: Till, scenario: Scenario, explain: bool) -> dict[str, Any]:
    """One scenario's steps through ``till``: FORMAT.md's steps and result objects."""
    replay = TillReplay(till)
    outcomes = [run_step(replay.apply, replay.current, step) for step in scenario.steps]
    final = replay.current()
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
