"""A till process for the crash test: opens a data directory and closes tickets until the
till holds ``target`` closed tickets, picking up whatever a killed run left behind.

Run as ``python close_tickets_worker.py DATA_DIR TARGET``; prints ``ready`` once the till
is open, ``closed N`` after each close (N closed in all), then ``done N``. Each ticket
is rung up, paid and closed through :class:`pos_app.till.till.Till`, so every write is
the till's own (S1). Ticket number ``n`` always gets the same basket, so an open ticket
restored after a kill is finished with the lines it is still missing.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from pos_app.engine import AddItem, Close
from pos_app.store.models.tickets import ClosedTicket
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.commands import PayCard, PayCash
from pos_app.till.runtime import TillRuntime
from pos_app.wiring import open_till

BASKETS: list[list[tuple[str, int]]] = [
    [("BURGER", 1), ("FRIES", 1), ("COLA", 1)],
    [("SALAD", 1), ("TEA", 2)],
    [("CAKE", 2), ("LATTE", 1)],
    [("WRAP", 1), ("LEMONADE", 1), ("COOKIE", 3)],
    [("SOUP", 1)],
]


def closed_count(runtime: TillRuntime) -> int:
    with UnitOfWork(runtime.database.sessions) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(ClosedTicket)) or 0)


def close_one(runtime: TillRuntime, number: int) -> None:
    """Finish ticket ``number``: add its missing lines, pay what is due, close."""
    till = runtime.till
    present = {line.line_id for line in till.state.lines}
    for n, (sku, qty) in enumerate(BASKETS[number % len(BASKETS)], start=1):
        if f"L{n}" not in present:
            till.handle(AddItem(f"L{n}", sku, qty))
    due = till.amount_due
    if due > 0:
        if number % 3 == 0:
            till.handle(PayCard(str(due)))
        else:
            till.handle(PayCash(str(due + Decimal(5))))
    till.handle(Close())


def main(argv: list[str]) -> int:
    data_dir, target = Path(argv[1]), int(argv[2])
    runtime = open_till(data_dir)
    try:
        print("ready", flush=True)
        closed = closed_count(runtime)
        while closed < target:
            close_one(runtime, closed)
            closed += 1
            print(f"closed {closed}", flush=True)
        print(f"done {closed}", flush=True)
    finally:
        runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
