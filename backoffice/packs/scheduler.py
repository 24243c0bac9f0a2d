"""The pack scheduler: issue the cycles that fell due (K3) and make due refunds (K5).

:func:`run_due_work` does one pass and may run anywhere, any number of times, even
two at once: each pack's due grants are issued under the pack's row lock, a cycle
is unique per grant, and a refund unique per purchase, so nothing is issued or
refunded twice. Inside the servers, the one process that leads runs passes
(:class:`backoffice.sync.chores.ServerChores`); ``pos-backoffice scheduler --once``
runs one from the command line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from backoffice.database import Database
from backoffice.models.packs import PackGrant
from backoffice.packs.errors import PackError
from backoffice.packs.issuance import ACTIVE, IssueCount, issue_due_cycles, lock_pack
from backoffice.packs.purchase import REFUNDED, USED
from backoffice.packs.refunds import REFUND_GRACE, refundable_purchase_ids, settle_purchase

log = logging.getLogger(__name__)

SCHEDULER_ACTOR = "scheduler"
BATCH_SIZE = 200


@dataclass
class SchedulerReport:
    """What one pass did."""

    cycles_issued: int = 0
    coupons_issued: int = 0
    refunded: list[int] = field(default_factory=list)
    used: list[int] = field(default_factory=list)
    failed_packs: dict[int, str] = field(default_factory=dict)

    def summary(self) -> str:
        failed = "".join(
            f"\n  pack {pack_id} not issued: {problem}"
            for pack_id, problem in sorted(self.failed_packs.items())
        )
        return (
            f"issued {self.cycles_issued} cycle(s), {self.coupons_issued} coupon(s); "
            f"refunded {len(self.refunded)} purchase(s); {len(self.used)} used, not refunded"
            + failed
        )


def _due_grants(database: Database, now: datetime, skip: set[int]) -> dict[int, list[int]]:
    with database.sessions.begin() as session:
        rows = session.execute(
            select(PackGrant.pack_id, PackGrant.id)
            .where(PackGrant.next_due_at.is_not(None), PackGrant.next_due_at <= now)
            .where(PackGrant.pack_id.not_in(skip) if skip else PackGrant.pack_id.is_not(None))
            .order_by(PackGrant.next_due_at, PackGrant.id)
            .limit(BATCH_SIZE)
        ).all()
    by_pack: dict[int, list[int]] = {}
    for pack_id, grant_id in rows:
        by_pack.setdefault(pack_id, []).append(grant_id)
    return by_pack


def _issue_for_pack(
    database: Database, pack_id: int, grant_ids: list[int], now: datetime, actor: str
) -> IssueCount:
    count = IssueCount()
    with database.sessions.begin() as session:
        pack = lock_pack(session, pack_id)
        grants = session.scalars(
            select(PackGrant)
            .where(PackGrant.id.in_(grant_ids))
            .order_by(PackGrant.id)
            .execution_options(populate_existing=True)
        ).all()
        if pack.status != ACTIVE:  # archived since: distribution stops (K8)
            for grant in grants:
                grant.next_due_at = None
            return count
        for grant in grants:
            count.add(issue_due_cycles(session, pack, grant, now=now, actor=actor))
    return count


def run_due_work(
    database: Database,
    now: datetime,
    *,
    refund_grace: timedelta = REFUND_GRACE,
    actor: str = SCHEDULER_ACTOR,
) -> SchedulerReport:
    """Issue every cycle due by ``now`` and settle every purchase due for refund (K3, K5)."""
    report = SchedulerReport()
    while True:
        due = _due_grants(database, now, set(report.failed_packs))
        if not due:
            break
        for pack_id, grant_ids in due.items():
            try:
                count = _issue_for_pack(database, pack_id, grant_ids, now, actor)
            except PackError as problem:
                log.error("pack %s: due cycles not issued: %s", pack_id, problem)
                report.failed_packs[pack_id] = str(problem)
                continue
            report.cycles_issued += count.cycles
            report.coupons_issued += count.coupons
    with database.sessions.begin() as session:
        candidates = refundable_purchase_ids(session, now, refund_grace)
    for purchase_id in candidates:
        with database.sessions.begin() as session:
            decision = settle_purchase(
                session, purchase_id, now=now, grace=refund_grace, actor=actor
            )
        if decision.outcome == REFUNDED:
            report.refunded.append(purchase_id)
        elif decision.outcome == USED:
            report.used.append(purchase_id)
    return report
