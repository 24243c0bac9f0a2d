"""The chain soak as a Hypothesis rule-based state machine: each example is one business
day of the whole chain; its rules are what cashiers, administrators and bad luck do
(sales, coupons, pack sales, held tickets, voids, returns, price edits, gifts, syncs
against either server, kill -9 of a till, a sync or a server at random moments); its
teardown closes the day (Z on every till), settles the chain and checks
:mod:`tests.soak.invariants`.

The chain outlives the examples (days follow each other on the same databases), so
Hypothesis only generates (no shrinking, no example database): a failure prints the
seed, the broken invariants in words and the tracebacks of failed steps. Hypothesis's
first example is its simplest (its simplest rule, ``quick_sale``, at every step): the
first day is a quiet day of sales, the later days mix everything.
"""

from __future__ import annotations

import functools
import random
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from tests.soak.chain import MEMBER_PHONES, MEMBERS, Chain, TillProcess
from tests.soak.invariants import ChainCounts, check_chain

BASKETS = (
    (("BURGER", 1), ("FRIES", 1), ("COLA", 1)),
    (("SALAD", 2), ("LEMONADE", 1)),
    (("LATTE", 1), ("COOKIE", 1)),
    (("CAKE", 2), ("TEA", 3)),
    (("WRAP", 1), ("WINE", 1), ("SOUP", 1)),
    (("CHEESEBURGER", 1), ("ONIONRINGS", 2), ("ESPRESSO", 1)),
    (("BURGER", 3),),
)
COUPONS = ((), ("TP-3",), ("CV-5",), ("GP-BURGER",), ("MV-4",), ("CUSTOM-1",))
PRICED_ITEMS = ("TEA", "COOKIE", "SOUP", "ESPRESSO")
# How long after an action (or a sync's start) its process is killed; None: not killed.
TILL_KILLS = (None, None, None, None, None, None, 0.0, 0.02, 0.08, 0.3)
SYNC_KILLS = (None, None, None, 0.1, 0.4, 0.9, 1.5)


@dataclass
class SoakRun:
    """The chain the days run on and what they did, kept across examples."""

    chain: Chain
    rng: random.Random
    paid_pack: str
    gift_pack: str
    days: int = 0
    counts: ChainCounts = field(default_factory=ChainCounts)
    actions: dict[str, int] = field(default_factory=dict)
    closed: dict[str, list[str]] = field(default_factory=dict)  # till -> sale numbers

    errors: list[str] = field(default_factory=list)  # tracebacks, as they happened

    def did(self, what: str) -> None:
        self.actions[what] = self.actions.get(what, 0) + 1


def noted(step: Callable[..., None]) -> Callable[..., None]:
    """Keep a failing step's traceback: the chain outlives the example, so Hypothesis's
    replay of a failure may fail otherwise (it then reports a flaky strategy)."""

    @functools.wraps(step)
    def run_step(self: ChainDay, *args: Any, **kwargs: Any) -> None:
        try:
            step(self, *args, **kwargs)
        except BaseException:
            self.soak.errors.append(traceback.format_exc())
            raise

    return run_step


class ChainDay(RuleBasedStateMachine):
    """One business day of the chain; ``run`` is set by :func:`run_soak`."""

    run: ClassVar[SoakRun]

    def __init__(self) -> None:
        super().__init__()
        self.soak = type(self).run
        self.chain = self.soak.chain

    def _till(self, index: int) -> TillProcess:
        return self.chain.tills[index % len(self.chain.tills)]

    def _ask(self, till: TillProcess, action: dict[str, Any], kill_after: float | None) -> Any:
        answer = till.ask(action, kill_after=kill_after)
        if kill_after is not None:
            self.soak.did("till killed mid-action")
            return None
        refused = answer.get("refused")
        self.soak.did(action["op"] + (f" refused: {refused[:70]}" if refused else ""))
        for key in ("closed", "recalled"):
            closed = answer.get(key)
            if isinstance(closed, dict):
                self.soak.closed.setdefault(till.name, []).append(closed["closed"])
        return answer

    @initialize()
    @noted
    def open_day(self) -> None:
        self.chain.settle(self.soak.rng)

    @rule()
    @noted
    def quick_sale(self) -> None:
        """A burger, fries and a cola at the first till, paid cash (Hypothesis's simplest
        step, so its simplest day is a day of sales)."""
        self._ask(self._till(0), {"op": "sale", "items": BASKETS[0], "pay": "cash"}, None)

    @rule(
        till=st.integers(0, 7),
        basket=st.sampled_from(BASKETS),
        coupons=st.sampled_from(COUPONS),
        pay=st.sampled_from(("cash", "card")),
        kill=st.sampled_from(TILL_KILLS),
    )
    @noted
    def buy(self, till: int, basket: Any, coupons: Any, pay: str, kill: float | None) -> None:
        action = {"op": "sale", "items": basket, "coupons": coupons, "pay": pay}
        self._ask(self._till(till), action, kill)

    @rule(till=st.integers(0, 7), basket=st.sampled_from(BASKETS))
    @noted
    def hold(self, till: int, basket: Any) -> None:
        self._ask(self._till(till), {"op": "hold", "items": basket}, None)

    @rule(till=st.integers(0, 7), pay=st.sampled_from(("cash", "card")))
    @noted
    def recall(self, till: int, pay: str) -> None:
        self._ask(self._till(till), {"op": "recall", "pay": pay}, None)

    @rule(till=st.integers(0, 7), basket=st.sampled_from(BASKETS))
    @noted
    def void(self, till: int, basket: Any) -> None:
        self._ask(self._till(till), {"op": "void", "items": basket}, None)

    @rule(till=st.integers(0, 7), pick=st.integers(0, 10_000))
    @noted
    def refund(self, till: int, pick: int) -> None:
        chosen = self._till(till)
        numbers = self.soak.closed.get(chosen.name, [])
        if numbers:
            number = numbers[pick % len(numbers)]
            self._ask(chosen, {"op": "refund", "number": number, "pay": "cash"}, None)

    @rule(till=st.integers(0, 7), member=st.sampled_from(MEMBERS))
    @noted
    def sell_pack(self, till: int, member: str) -> None:
        action = {"op": "pack", "pack_id": self.soak.paid_pack, "member_id": member}
        self._ask(self._till(till), action, None)

    @rule(
        till=st.integers(0, 7),
        server=st.integers(0, 7),
        kill=st.sampled_from(SYNC_KILLS),
    )
    @noted
    def sync(self, till: int, server: int, kill: float | None) -> None:
        target = self.chain.servers[server % len(self.chain.servers)]
        if target.process is None:
            target.start()
        self.chain.sync(self._till(till), target, kill)
        self.soak.did("sync killed" if kill is not None else "sync")

    @rule(server=st.integers(0, 7))
    @noted
    def kill_server(self, server: int) -> None:
        self.chain.kill_server(server % len(self.chain.servers))
        self.soak.did("server killed")

    @rule(till=st.integers(0, 7))
    @noted
    def kill_till(self, till: int) -> None:
        self._till(till).kill()
        self.soak.did("till killed between actions")

    @rule(sku=st.sampled_from(PRICED_ITEMS), cents=st.integers(50, 900))
    @noted
    def edit_price(self, sku: str, cents: int) -> None:
        server = self.chain.live_server(self.soak.rng)
        record = self.chain.admin("GET", f"/items/{sku}", server).json()
        data = {**record["data"], "price": str(Decimal(cents) / 100)}
        self.chain.admin("PUT", f"/items/{sku}", server, data)
        self.soak.did("price edited")

    @rule(phone=st.sampled_from(MEMBER_PHONES))
    @noted
    def gift(self, phone: str) -> None:
        server = self.chain.live_server(self.soak.rng)
        body = {"phone": phone, "quantity": 1}
        self.chain.admin("POST", f"/packs/{self.soak.gift_pack}/gifts", server, body)
        self.soak.did("pack gifted")

    @noted
    def teardown(self) -> None:
        """Close the day: every held ticket recalled and sold, Z on every till, the
        chain settled, every invariant checked."""
        chain = self.chain
        chain.settle(self.soak.rng)
        for till in chain.tills:
            while self._ask(till, {"op": "recall", "pay": "card"}, None)["recalled"]:
                pass
            z = self._ask(till, {"op": "z"}, None)
            assert "refused" not in z, z
        chain.settle(self.soak.rng)
        self.soak.days += 1
        result = check_chain(
            chain.database_url,
            [till.data_dir for till in chain.tills],
            [server.log for server in chain.servers],
        )
        self.soak.counts = result
        assert not result.broken, "\n".join(result.broken)


def run_soak(run: SoakRun, *, days: int, steps: int) -> SoakRun:
    """``days`` random business days of up to ``steps`` actions each on ``run``'s chain,
    after the quiet day Hypothesis always tries first (its simplest example)."""
    ChainDay.run = run
    run_state_machine_as_test(
        ChainDay,
        settings=settings(
            max_examples=days + 1,
            stateful_step_count=steps,
            deadline=None,
            phases=[Phase.generate],
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    return run
