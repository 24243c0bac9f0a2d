"""Sales stored as received but held out of revenue (issue 18): one that does not add up
(:mod:`~backoffice.sync.intake.sale_sums`), whose currency is not its store's, whose
till is not the one whose token sent it, or that sells an item or redeems a coupon the
back office does not know.

Nothing is dropped: the sale is stored like any other and the till is told
``accepted`` (it did its part, S4); a ``sale_anomalies`` row keeps every reason in
words, and the reports leave the sale out until an administrator accepts it. What the
back office knows is read in a few statements for a whole run of sales.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, tuple_
from sqlalchemy.sql.schema import Table

from backoffice.models.anomalies import SaleAnomaly
from backoffice.models.packs import PackCoupon
from backoffice.models.records import Record
from backoffice.models.trust import Device
from backoffice.sync.intake.bulk_insert import insert_rows
from backoffice.sync.intake.redeemed_codes import StoredSale
from backoffice.sync.intake.sale_sums import SaleProblem, sum_problems
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.payloads import TicketClosed

ANOMALIES: Table = SaleAnomaly.__table__  # type: ignore[assignment]
RECORDS: Table = Record.__table__  # type: ignore[assignment]
PACK_COUPONS: Table = PackCoupon.__table__  # type: ignore[assignment]
CODE_KINDS = ("coupon", "entitlement")


@dataclass(frozen=True)
class Known:
    """What the back office knows that a run of sales names: the store's currency and
    name (None when the store has no record), the items and coupon codes it has."""

    store_currency: str | None
    store_name: str
    skus: frozenset[str]
    codes: frozenset[str]
    other_tills: dict[str, str]  # device id -> name, of tills the sales claim


def record_anomalies(
    connection: Connection, device: DeviceIdentity, stored: Sequence[StoredSale], now: datetime
) -> int:
    """Check every sale just stored; keep a held anomaly for each that fails. Returns
    how many were held."""
    if not stored:
        return 0
    known = _known(connection, device, [item.ticket for item in stored])
    rows = []
    for item in stored:
        problems = sale_problems(item.ticket, device, known)
        if problems:
            rows.append(
                {
                    "sale_id": item.sale_id,
                    "store_id": device.store_id,
                    "device_id": device.device_id,
                    "reasons": [problem.as_json() for problem in problems],
                    "detected_at": now,
                    "accepted_at": None,
                    "accepted_by": None,
                }
            )
    insert_rows(connection, ANOMALIES, rows)
    return len(rows)


def sale_problems(ticket: TicketClosed, device: DeviceIdentity, known: Known) -> list[SaleProblem]:
    """Every reason to hold ``ticket``, sent by ``device``: the arithmetic first, then
    what it names that is not so."""
    problems: list[SaleProblem] = []
    if known.store_currency is not None and ticket.currency != known.store_currency:
        problems.append(
            SaleProblem(
                "WRONG_CURRENCY",
                f"Rung up in {ticket.currency}, but {known.store_name} sells in"
                f" {known.store_currency}.",
            )
        )
    if ticket.device_id != device.device_id:
        other = known.other_tills.get(ticket.device_id, "one the chain does not know")
        problems.append(
            SaleProblem(
                "WRONG_TILL",
                f"Sent by till “{device.name}”, but it says it was rung up on another"
                f" till ({other}).",
            )
        )
    problems.extend(sum_problems(ticket))
    for line in ticket.lines:
        if line.sku not in known.skus:
            problems.append(
                SaleProblem("UNKNOWN_ITEM", f"{line.name}: item {line.sku} is not in the catalog.")
            )
    for coupon in ticket.coupons:
        if not coupon.provisional and coupon.code not in known.codes:
            problems.append(
                SaleProblem(
                    "UNKNOWN_COUPON", f"Coupon {coupon.code} is not a coupon the chain issued."
                )
            )
    return problems


def _known(
    connection: Connection, device: DeviceIdentity, tickets: Sequence[TicketClosed]
) -> Known:
    store_id = device.store_id
    skus = sorted({line.sku for ticket in tickets for line in ticket.lines})
    codes = sorted({c.code for ticket in tickets for c in ticket.coupons if not c.provisional})
    wanted = [("store", store_id), *(("item", sku) for sku in skus)]
    wanted += [(kind, code) for code in codes for kind in CODE_KINDS]
    found = connection.execute(
        select(RECORDS.c.kind, RECORDS.c.record_id, RECORDS.c.data).where(
            tuple_(RECORDS.c.kind, RECORDS.c.record_id).in_(wanted)
        )
    ).all()
    store = next((data for kind, _, data in found if kind == "store"), None)
    known_codes = {record_id for kind, record_id, _ in found if kind in CODE_KINDS}
    missing = sorted(set(codes) - known_codes)
    if missing:  # a pack's coupons, issued before their entitlement records were written
        known_codes.update(
            connection.scalars(select(PACK_COUPONS.c.code).where(PACK_COUPONS.c.code.in_(missing)))
        )
    claimed = sorted({t.device_id for t in tickets if t.device_id != device.device_id})
    other_tills: dict[str, str] = {}
    if claimed:  # only a sale that claims another till names one
        query = select(Device.device_id, Device.name).where(Device.device_id.in_(claimed))
        other_tills = {device_id: f"“{name}”" for device_id, name in connection.execute(query)}
    currency = store.get("currency") if isinstance(store, dict) else None
    name = store.get("name") if isinstance(store, dict) else None
    return Known(
        store_currency=currency if isinstance(currency, str) else None,
        store_name=name if isinstance(name, str) and name else f"store {store_id}",
        skus=frozenset(record_id for kind, record_id, _ in found if kind == "item"),
        codes=frozenset(known_codes),
        other_tills=other_tills,
    )
