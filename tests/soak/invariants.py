"""What must hold of the whole chain after any run of the soak, once it has settled:
read from the tills' SQLite files and the back office's PostgreSQL database, never from
what a process said it did (a killed process says nothing).

:func:`check_chain` returns the counts it checked and a list of broken invariants, each
in words; an empty list is a clean chain.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from backoffice.database import Database
from backoffice.models.pack_sales import TillPackSale
from backoffice.models.packs import CouponPack, PackCoupon, PackPurchase
from backoffice.models.records import Record
from backoffice.models.sales import SaleTicket
from backoffice.models.shifts import SaleRefund, ShiftClosing
from backoffice.reports.sales import list_sales
from pos_app.store.database import database_path

SERVER_ERROR = re.compile(r'" 5\d\d\b')


@dataclass
class TillSales:
    """One till's closed sales as its own file holds them."""

    device_id: str
    totals: dict[str, Decimal]  # ticket id -> total
    numbers: list[str]
    integrity: str
    day_sales: dict[str, list[str]]  # the till's shift id -> its closed sales' ticket ids
    day_returns: dict[str, list[str]]  # the till's shift id -> its returns' refund ids


@dataclass
class ChainCounts:
    """What the checks counted, printed at the end of a soak."""

    counts: Counter[str] = field(default_factory=Counter)
    broken: list[str] = field(default_factory=list)

    def check(self, holds: bool, words: str) -> None:
        if not holds:
            self.broken.append(words)


def till_sales(data_dir: Path) -> TillSales:
    settings = json.loads((data_dir / "sync.json").read_text(encoding="utf-8"))
    connection = sqlite3.connect(f"file:{database_path(data_dir)}?mode=ro", uri=True, timeout=30)
    try:
        rows = connection.execute(
            "SELECT t.ticket_id, t.total, h.number, h.shift_id FROM tickets t"
            " JOIN ticket_headers h ON h.ticket_id = t.ticket_id"
            " WHERE h.kind = 'sale' AND h.status = 'closed'"
        ).fetchall()
        returns = connection.execute("SELECT refund_id, shift_id FROM refunds").fetchall()
        integrity = str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()
    return TillSales(
        device_id=str(settings["device_id"]),
        totals={ticket_id: Decimal(total) for ticket_id, total, _, _ in rows},
        numbers=[number for _, _, number, _ in rows],
        integrity=integrity,
        day_sales=_by_day((ticket_id, shift) for ticket_id, _, _, shift in rows),
        day_returns=_by_day(returns),
    )


def _by_day(rows: Iterable[tuple[str, int]]) -> dict[str, list[str]]:
    days: dict[str, list[str]] = {}
    for row_id, shift in rows:
        days.setdefault(str(shift), []).append(row_id)
    return days


def check_chain(database_url: str, till_dirs: list[Path], server_logs: list[Path]) -> ChainCounts:
    """Every invariant of the settled chain, with the counts behind them."""
    result = ChainCounts()
    database = Database(database_url)
    try:
        with database.sessions() as session:
            office_sales = list_sales(session)
            tills = [till_sales(d) for d in till_dirs]
            _sales_stored_once(result, office_sales, tills)
            _sales_add_up(result, session)
            _z_reports_equal_their_sales(result, session, tills)
            _packs(result, session)
    finally:
        database.dispose()
    for log in server_logs:
        lines = log.read_text(errors="replace").splitlines()
        errors = [line for line in lines if SERVER_ERROR.search(line)]
        result.counts["server requests logged"] += sum('HTTP/1.1"' in line for line in lines)
        result.check(not errors, f"{log.name} shows server errors: {errors[:3]}")
        result.check(not any("Traceback" in line for line in lines), f"{log.name}: a traceback")
    return result


def _sales_stored_once(
    result: ChainCounts, office_sales: list[dict[str, object]], tills: list[TillSales]
) -> None:
    by_device: dict[str, Counter[str]] = {}
    office_totals: dict[tuple[str, str], Decimal] = {}
    office_numbers: dict[str, list[str]] = {}
    for sale in office_sales:
        device, ticket = str(sale["device"]), str(sale["id"])
        by_device.setdefault(device, Counter())[ticket] += 1
        office_totals[(device, ticket)] = Decimal(str(sale["total"]))
        office_numbers.setdefault(device, []).append(str(sale["number"]))
    for till in tills:
        result.counts["sales closed at the tills"] += len(till.totals)
        result.check(till.integrity == "ok", f"till {till.device_id}: integrity {till.integrity}")
        held = by_device.get(till.device_id, Counter())
        twice = sorted(t for t, n in held.items() if n > 1)
        missing = sorted(set(till.totals) - set(held))
        extra = sorted(set(held) - set(till.totals))
        result.check(not twice, f"stored more than once: {twice[:5]}")
        result.check(not missing, f"closed at {till.device_id}, never stored: {missing[:5]}")
        result.check(not extra, f"stored for {till.device_id}, never closed there: {extra[:5]}")
        for ticket, total in till.totals.items():
            stored = office_totals.get((till.device_id, ticket))
            result.check(stored in (None, total), f"{ticket}: till {total}, office {stored}")
        repeated = [n for n, c in Counter(till.numbers).items() if c > 1]
        result.check(not repeated, f"numbers repeated at {till.device_id}: {repeated[:5]}")
        office_repeated = [
            n for n, c in Counter(office_numbers.get(till.device_id, [])).items() if c > 1
        ]
        result.check(
            not office_repeated, f"numbers held twice for {till.device_id}: {office_repeated[:5]}"
        )
    result.counts["sales stored"] = len(office_sales)


def _sales_add_up(result: ChainCounts, session: Session) -> None:
    """Each stored sale's total is its lines' nets and the prices of the packs it sold."""
    packs: dict[str, Decimal] = {}
    for ticket_id, price in session.execute(select(TillPackSale.ticket_id, TillPackSale.price)):
        packs[ticket_id] = packs.get(ticket_id, Decimal(0)) + price
    for sale in session.scalars(select(SaleTicket).options(selectinload(SaleTicket.lines))):
        nets = sum((line.net for line in sale.lines), Decimal(0))
        pack_prices = packs.get(sale.ticket_id, Decimal(0))
        result.check(
            nets + pack_prices == sale.total,
            f"sale {sale.ticket_id}: lines {nets} and packs {pack_prices}, total {sale.total}",
        )
        result.check(sale.total >= 0, f"sale {sale.ticket_id}: negative total {sale.total}")


def _z_reports_equal_their_sales(
    result: ChainCounts, session: Session, tills: list[TillSales]
) -> None:
    """Each stored Z: its sales are the stored totals of the sales its till closed in
    that day (the till's file says which), its returns the stored returns of that day."""
    by_device = {till.device_id: till for till in tills}
    totals = dict(session.execute(select(SaleTicket.ticket_id, SaleTicket.total)).all())
    refunds = dict(session.execute(select(SaleRefund.refund_id, SaleRefund.amount)).all())
    for closing in session.scalars(select(ShiftClosing)):
        result.counts["Z reports stored"] += 1
        device, day = closing.shift_id.rsplit(":", 1)
        till = by_device.get(device)
        result.check(till is not None, f"Z {closing.shift_id} of no till of the soak")
        if till is None:
            continue
        sales = sum((totals.get(t, Decimal(0)) for t in till.day_sales.get(day, [])), Decimal(0))
        returns = sum(
            (refunds.get(r, Decimal(0)) for r in till.day_returns.get(day, [])), Decimal(0)
        )
        result.check(
            sales == closing.sales,
            f"Z {closing.business_day} of {closing.device_id}: sales {closing.sales},"
            f" stored sales of its day {sales}",
        )
        result.check(
            returns == closing.returns,
            f"Z {closing.business_day} of {closing.device_id}: returns {closing.returns},"
            f" stored returns of its day {returns}",
        )
    result.counts["returns stored"] = len(refunds)


def _packs(result: ChainCounts, session: Session) -> None:
    """No pack unit sold twice (sales within the pack's inventory, each sale once) and no
    entitlement without the pack coupon and the coupon it stands for."""
    for pack in session.scalars(select(CouponPack)):
        at_tills = int(
            session.scalar(select(func.count()).where(TillPackSale.pack_id == pack.id)) or 0
        )
        online = int(
            session.scalar(select(func.count()).where(PackPurchase.pack_id == pack.id)) or 0
        )
        result.counts["pack units sold"] += at_tills + online
        if pack.inventory_limit is not None:
            result.check(
                at_tills + online <= pack.inventory_limit,
                f"pack {pack.name}: {at_tills + online} sold of {pack.inventory_limit}",
            )
    coupons = {
        r
        for (r,) in session.execute(
            select(Record.record_id).where(Record.kind == "coupon", Record.deleted.is_(False))
        )
    }
    pack_coupons = dict(session.execute(select(PackCoupon.code, PackCoupon.coupon_code)).all())
    for code, data in session.execute(
        select(Record.record_id, Record.data).where(
            Record.kind == "entitlement", Record.deleted.is_(False)
        )
    ):
        result.counts["entitlements"] += 1
        result.check(code in pack_coupons, f"entitlement {code} has no pack coupon")
        result.check(
            data.get("coupon_code") in coupons,
            f"entitlement {code} stands for a coupon that is gone: {data.get('coupon_code')}",
        )
