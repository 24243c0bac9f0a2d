"""Tills for the end-to-end tests: a real data directory, enrolled with a live back office
through :func:`pos_app.wiring.enroll_till`, opened with :func:`pos_app.wiring.open_till`
and synced with :func:`pos_app.wiring.open_sync`, the way `pos-app` does it.

Also the comparison both sides must agree on: each closed ticket's total and per-line
breakdown (line nets and adjustments), as the till recorded it and as the back office
received it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pos_app.engine import AddItem, Close, Redeem
from pos_app.store.models.outbox import OutboxEvent
from pos_app.store.models.tickets import ClosedTicket, TicketLine
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.sync.cycle import SyncRun
from pos_app.sync.status import SyncStatus
from pos_app.till.commands import PayCard, PayCash
from pos_app.till.runtime import TillRuntime
from pos_app.till.till import TicketChange
from pos_app.wiring import enroll_till, open_sync, open_till

# The client's timeouts in these tests: short, so a held reply costs about a second.
SHORT_TIMEOUT = (0.5, 1.0)

Adjustment = tuple[str, str, str, str, Decimal]
Line = tuple[str, str, int, Decimal, Decimal, Decimal, tuple[Adjustment, ...]]


@dataclass(frozen=True)
class SaleRecord:
    """A sale as both sides must agree on it: total and each line's breakdown."""

    ticket_id: str
    total: Decimal
    lines: tuple[Line, ...]


def _adjustment(stage: object, kind: str, source: str, rule: str, amount: object) -> Adjustment:
    return (str(stage), kind, source, rule, Decimal(str(amount)))


def backoffice_sales(listed: Iterable[Mapping[str, Any]]) -> list[SaleRecord]:
    """`pos-backoffice sales --json` entries as :class:`SaleRecord`, in arrival order."""
    return [
        SaleRecord(
            ticket_id=sale["id"],
            total=Decimal(sale["total"]),
            lines=tuple(
                (
                    line["line_id"],
                    line["sku"],
                    int(line["qty"]),
                    Decimal(line["unit_price"]),
                    Decimal(line["gross"]),
                    Decimal(line["net"]),
                    tuple(
                        _adjustment(a["stage"], a["kind"], a["source"], a["rule"], a["amount"])
                        for a in line["adjustments"]
                    ),
                )
                for line in sale["lines"]
            ),
        )
        for sale in listed
    ]


def _line(line: TicketLine) -> Line:
    return (
        line.line_id,
        line.sku,
        line.qty,
        line.unit_price,
        line.gross,
        line.net,
        tuple(_adjustment(a.stage, a.kind, a.source, a.rule, a.amount) for a in line.adjustments),
    )


@dataclass
class EnrolledTill:
    """One till's data directory and its open runtime; ``close()`` releases the database."""

    name: str
    data_dir: Path
    runtime: TillRuntime

    @classmethod
    def enroll(cls, name: str, data_dir: Path, url: str, code: str) -> EnrolledTill:
        """Enroll a fresh data directory with ``code`` at ``url`` (S12), then open it."""
        enroll_till(data_dir, url, code, device_name=name)
        return cls(name, data_dir, open_till(data_dir))

    def close(self) -> None:
        self.runtime.close()

    # ------------------------------------------------------------ sync

    def sync_run(self, timeout: tuple[float, float] = SHORT_TIMEOUT) -> SyncRun:
        """A sync run on the till's enrollment settings as they are now; a download that
        changed anything re-prices the open ticket (as the till's screen does)."""
        return open_sync(
            self.runtime,
            timeout=timeout,
            on_configuration_changed=self._reprice,
        )

    def _reprice(self) -> None:
        self.runtime.till.reload_configuration()

    def sync(self, timeout: tuple[float, float] = SHORT_TIMEOUT) -> SyncStatus:
        """One attempt: probe, drain, pull. Raises a SyncError when offline."""
        return self.sync_run(timeout).run()

    def sync_cli(self, *, timeout: float = 60) -> tuple[int, dict[str, Any]]:
        """`pos-app --data-dir DIR sync --once --json` in a process: exit code and report."""
        done = run_command(
            "pos-app", "--data-dir", str(self.data_dir), "sync", "--once", "--json", timeout=timeout
        )
        assert done.stdout.strip(), done.stderr
        report: dict[str, Any] = json.loads(done.stdout)
        return done.returncode, report

    # ------------------------------------------------------------ selling

    def sell(
        self,
        items: Sequence[tuple[str, int]],
        *,
        coupons: Sequence[str] = (),
        card: bool = False,
    ) -> TicketChange:
        """Ring up ``items`` (sku, qty), redeem ``coupons``, pay (card for the amount due,
        or cash with change), close (S1); returns what closing changed."""
        till = self.runtime.till
        for n, (sku, qty) in enumerate(items, start=1):
            till.handle(AddItem(f"L{n}", sku, qty))
        for code in coupons:
            till.handle(Redeem(code))
        if card:
            till.handle(PayCard(str(till.amount_due)))
        else:
            till.handle(PayCash(str(till.amount_due + 10)))
        closed = till.handle(Close())
        assert closed.closed_ticket_id is not None
        return closed

    # ------------------------------------------------------------ what the till holds

    def closed_sales(self) -> list[SaleRecord]:
        """The till's closed tickets with their breakdown, in closing order."""
        with UnitOfWork(self.runtime.database.sessions) as uow:
            tickets = uow.session.scalars(
                select(ClosedTicket)
                .options(selectinload(ClosedTicket.lines).selectinload(TicketLine.adjustments))
                .order_by(ClosedTicket.closed_at, ClosedTicket.ticket_id)
            ).all()
            return [
                SaleRecord(t.ticket_id, t.total, tuple(_line(line) for line in t.lines))
                for t in tickets
            ]

    def outbox_statuses(self) -> Counter[str]:
        """How many outbox events are in each status (pending, accepted, duplicate...)."""
        with UnitOfWork(self.runtime.database.sessions) as uow:
            return Counter(uow.session.scalars(select(OutboxEvent.status)).all())

    def outbox_events(self) -> list[OutboxEvent]:
        with UnitOfWork(self.runtime.database.sessions) as uow:
            return list(uow.session.scalars(select(OutboxEvent).order_by(OutboxEvent.device_seq)))

    def set_token(self, token: str) -> None:
        """Put another device token into the till's enrollment settings (sync.json)."""
        path = self.data_dir / "sync.json"
        settings = json.loads(path.read_text(encoding="utf-8"))
        settings["token"] = token
        path.write_text(json.dumps(settings), encoding="utf-8")


def assert_same_sales(till_sales: Sequence[SaleRecord], office_sales: Sequence[SaleRecord]) -> None:
    """Both sides hold exactly the same tickets, each once, with the same breakdown."""
    office_ids = [sale.ticket_id for sale in office_sales]
    repeated = sorted(i for i, n in Counter(office_ids).items() if n > 1)
    assert not repeated, f"the back office holds these tickets more than once: {repeated}"
    by_id = {sale.ticket_id: sale for sale in office_sales}
    missing = sorted({sale.ticket_id for sale in till_sales} - set(by_id))
    extra = sorted(set(by_id) - {sale.ticket_id for sale in till_sales})
    assert not missing, f"closed on the till, missing at the back office: {missing}"
    assert not extra, f"at the back office, never closed on the till: {extra}"
    for sale in till_sales:
        assert by_id[sale.ticket_id] == sale, f"ticket {sale.ticket_id} differs"


def console_script(name: str) -> list[str]:
    """How to run an installed console script of this venv (``pos-app``, ``pos-backoffice``)."""
    script = Path(sys.executable).with_name(name)
    if script.exists():
        return [str(script)]
    module = {"pos-app": "pos_app.cli", "pos-backoffice": "backoffice.cli"}[name]
    return [sys.executable, "-m", module]


def run_command(name: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run a console script to completion; its output is returned, not checked."""
    return subprocess.run(
        [*console_script(name), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
