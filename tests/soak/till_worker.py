"""A till process for the chain soak: one real till on its own data directory, driven by
one JSON action per line on stdin, answering one JSON line per action on stdout.

Run as ``python -m tests.soak.till_worker DATA_DIR``. It prints ``{"ready": ...}`` once
the till is open (with what a killed run left on the open ticket), then answers each
action. Every action goes through :meth:`pos_app.till.till.Till.handle`, so every write
is the till's own; the soak kills this process with SIGKILL at random moments.

Actions (``op``): ``sale`` (items, coupons, pay), ``hold`` (items, then park),
``recall`` (the oldest held ticket, paid and closed), ``void`` (items, then a manager
voids), ``refund`` (a whole sale by number), ``pack`` (a coupon pack sold to a member),
``z`` (the Z report). Before each action the till reads its configuration again (a
sync in another process may have changed it, as the screen does). A refusal answers
``{"refused": message}`` and the ticket is cleared, as a cashier would.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from pos_app.engine import AddItem, Close, Redeem, Refusal, SellPack
from pos_app.till.commands import ClearPayments, PayCard, PayCash, VoidTicket
from pos_app.till.errors import TillRefusal
from pos_app.till.manager import Actor
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import CloseShift, ParkTicket, RecallTicket, RefundSale
from pos_app.till.shift_report import ShiftReport
from pos_app.till.till import Till
from pos_app.wiring import open_till

MANAGER = ("Soak manager", "2468")

Answer = dict[str, Any]


def _manager(till: Till) -> Actor:
    access = till.access
    if MANAGER[0] not in access.manager_names():
        access.set_pin(*MANAGER, by=None)
    return Actor(access.verify_pin(*MANAGER))


def _pay_and_close(till: Till, method: str) -> Answer:
    due = till.amount_due
    if due > 0:
        till.handle(PayCard(str(due)) if method == "card" else PayCash(str(due + Decimal(5))))
    closed = till.handle(Close())
    return {
        "closed": closed.number,
        "ticket_id": closed.closed_ticket_id,
        "total": str(closed.priced.total),
    }


def _ring(till: Till, items: list[list[Any]]) -> None:
    for sku, qty in items:
        till.handle(AddItem(None, str(sku), int(qty)))


def _clear(till: Till) -> None:
    """What a cashier does after a refusal: take the payments back, void the lines."""
    if till.payments:
        till.handle(ClearPayments())
    if not till.state.is_empty:
        till.handle(VoidTicket("Soak: cleared after a refusal"), _manager(till))


def finish(till: Till) -> Answer:
    """Finish the ticket a killed run left open: pay what is due and close it."""
    if till.state.is_empty:
        if till.payments:
            till.handle(ClearPayments())
        return {"finished": None}
    return {"finished": _pay_and_close(till, "card")}


def sale(till: Till, action: Answer) -> Answer:
    _ring(till, action["items"])
    refused = []
    for code in action.get("coupons", []):
        try:
            till.handle(Redeem(code))
        except (Refusal, TillRefusal) as refusal:
            refused.append(refusal.message)
    return {**_pay_and_close(till, action.get("pay", "cash")), "coupons_refused": refused}


def hold(till: Till, action: Answer) -> Answer:
    _ring(till, action["items"])
    return {"held": str(till.handle(ParkTicket()).outcome)}


def recall(till: Till, action: Answer) -> Answer:
    parked = till.desk.parked()
    if not parked:
        return {"recalled": None}
    till.handle(RecallTicket(parked[0].ticket_id))
    return {"recalled": _pay_and_close(till, action.get("pay", "cash"))}


def void(till: Till, action: Answer) -> Answer:
    _ring(till, action["items"])
    till.handle(VoidTicket("Customer left"), _manager(till))
    return {"voided": True}


def refund(till: Till, action: Answer) -> Answer:
    change = till.handle(RefundSale(action["number"], action.get("pay", "cash")))
    return {"refunded": action["number"], "outcome": str(change.outcome)}


def pack(till: Till, action: Answer) -> Answer:
    till.handle(SellPack(action["pack_id"], member_id=action["member_id"]))
    return _pay_and_close(till, action.get("pay", "cash"))


def z_report(till: Till, action: Answer) -> Answer:
    change = till.handle(CloseShift(action.get("counted")))
    report = change.outcome
    assert isinstance(report, ShiftReport)
    return {"z": report.to_json()}


ACTIONS: dict[str, Callable[[Till, Answer], Answer]] = {
    "sale": sale,
    "hold": hold,
    "recall": recall,
    "void": void,
    "refund": refund,
    "pack": pack,
    "z": z_report,
}


def answer(runtime: TillRuntime, action: Answer) -> Answer:
    """One action on the till; a refusal clears the ticket and is answered in words."""
    till = runtime.till
    till.reload_configuration()  # what a sync in another process changed, as the screen does
    try:
        return ACTIONS[action["op"]](till, action)
    except (Refusal, TillRefusal) as refusal:
        _clear(till)
        return {"refused": refusal.message}


def main(argv: list[str]) -> int:
    runtime = open_till(Path(argv[1]))
    try:
        till = runtime.till
        restored = len(till.state.lines)
        print(json.dumps({"ready": True, "restored_lines": restored, **finish(till)}), flush=True)
        for line in sys.stdin:
            print(json.dumps(answer(runtime, json.loads(line))), flush=True)
    finally:
        runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
