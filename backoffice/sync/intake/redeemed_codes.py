"""Single-use codes a run of sales redeemed (S6, S14): claimed once, clashes made conflicts.

A single-use code is an entitlement's code, a coupon whose definition has
``single_use``, or a platform code the till accepted offline as provisional (S14). Its
first redemption claims it (``redeemed_codes``' primary key, so two tills racing cannot
both win); a later ticket redeeming it is stored all the same and becomes a
``COUPON_ALREADY_REDEEMED`` conflict the store manager sees in words. A member's coupon
withdrawn by a refund of its pack (entitlement ``revoked``) that a till took offline is
not claimed: the sale is stored and becomes a ``COUPON_WITHDRAWN`` conflict. Codes go in
code order, so two uploads meeting on the same codes wait for each other in one order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, tuple_
from sqlalchemy.sql.schema import Table

from backoffice.clock import iso_time
from backoffice.models.conflicts import Conflict
from backoffice.models.packs import PackCoupon, PackGrant, PackPurchase
from backoffice.models.records import Record
from backoffice.models.sales import RedeemedCode
from backoffice.sync.intake.bulk_insert import insert_rows
from backoffice.sync.intake.verdict import Verdict
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.outcomes import ConflictReason, Outcome
from pos_app.protocol.pack_limits import REFUNDED
from pos_app.protocol.payloads import TicketClosed

CLAIMS: Table = RedeemedCode.__table__  # type: ignore[assignment]
CONFLICTS: Table = Conflict.__table__  # type: ignore[assignment]
RECORDS: Table = Record.__table__  # type: ignore[assignment]
COUPONS: Table = PackCoupon.__table__  # type: ignore[assignment]
GRANTS: Table = PackGrant.__table__  # type: ignore[assignment]
PURCHASES: Table = PackPurchase.__table__  # type: ignore[assignment]

ENTITLEMENT = "entitlement"
SINGLE_USE_COUPON = "coupon"
PROVISIONAL_CODE = "provisional"
WITHDRAWN = "withdrawn"  # an entitlement revoked (its pack refunded): no claim, a conflict


@dataclass(frozen=True)
class StoredSale:
    """A sale this run stored: its event's key and id, its ticket and its row's id."""

    key: str
    event_id: int
    ticket: TicketClosed
    sale_id: int


@dataclass(frozen=True)
class _ClaimView:
    ticket_id: str
    store_id: str
    device_id: str
    redeemed_at: datetime


def claim_codes(
    connection: Connection, device: DeviceIdentity, stored: Sequence[StoredSale], now: datetime
) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Claim each single-use code for the first sale redeeming it; the clashes of the
    others by key, and the entitlements spent."""
    wanted = {coupon.code for item in stored for coupon in item.ticket.coupons}
    sources = _single_use_sources(connection, wanted)
    clashes: dict[str, list[dict[str, Any]]] = {}
    claims: dict[str, dict[str, Any]] = {}
    uses: list[tuple[StoredSale, str]] = []
    for item in stored:
        ticket = item.ticket
        provisional = {coupon.code for coupon in ticket.coupons if coupon.provisional}
        for code in sorted({coupon.code for coupon in ticket.coupons}):
            source = sources.get(code) or (PROVISIONAL_CODE if code in provisional else None)
            if source is None:
                continue
            if source == WITHDRAWN:
                clashes.setdefault(item.key, []).append(
                    {"code": code, "source": ENTITLEMENT, "withdrawn": True}
                )
                continue
            uses.append((item, code))
            claims.setdefault(
                code,
                {
                    "code": code,
                    "source": source,
                    "sale_id": item.sale_id,
                    "ticket_id": ticket.ticket_id,
                    "store_id": device.store_id,
                    "device_id": device.device_id,
                    "redeemed_at": now,
                    "published": source != ENTITLEMENT,
                },
            )
    if not claims:
        return clashes, []
    claimed = insert_rows(
        connection,
        CLAIMS,
        [claims[code] for code in sorted(claims)],
        ignore_conflicts=True,
        returning=(CLAIMS.c.code,),
    )
    won = {code for (code,) in claimed}
    lost = sorted(set(claims) - won)
    holders: dict[str, Any] = {}
    if lost:
        holders = {
            row.code: row
            for row in connection.execute(select(CLAIMS).where(CLAIMS.c.code.in_(lost)))
        }
    spent: list[str] = []
    for item, code in uses:
        claim = claims[code]
        if code in won and claim["sale_id"] == item.sale_id:
            if claim["source"] == ENTITLEMENT:
                spent.append(code)
            continue
        first = holders.get(code) or _claim_view(claim)
        if first.ticket_id == item.ticket.ticket_id and first.store_id == device.store_id:
            continue  # the same sale, sent again under a new key
        clashes.setdefault(item.key, []).append(
            {
                "code": code,
                "source": claim["source"],
                "first_ticket_id": first.ticket_id,
                "first_store_id": first.store_id,
                "first_device_id": first.device_id,
                "first_redeemed_at": iso_time(first.redeemed_at),
            }
        )
    return clashes, spent


def record_clashes(
    connection: Connection,
    device: DeviceIdentity,
    stored: Sequence[StoredSale],
    clashes: dict[str, list[dict[str, Any]]],
    now: datetime,
    verdicts: dict[str, Verdict],
) -> None:
    """A conflict for each sale that clashed, and its verdict: ``COUPON_ALREADY_REDEEMED``,
    or ``COUPON_WITHDRAWN`` when every clash is a coupon of a refunded pack."""
    rows = []
    names = coupon_names(connection, [c["code"] for found in clashes.values() for c in found])
    for item in stored:
        found = clashes.get(item.key)
        if not found:
            continue
        reason = (
            ConflictReason.COUPON_WITHDRAWN
            if all(clash.get("withdrawn") for clash in found)
            else ConflictReason.COUPON_ALREADY_REDEEMED
        )
        rows.append(
            {
                "conflict_key": item.key,
                "reason": reason.value,
                "event_id": item.event_id,
                "store_id": device.store_id,
                "device_id": device.device_id,
                "detail": {"ticket_id": item.ticket.ticket_id, "codes": found},
                "detected_at": now,
                "resolved_at": None,
                "resolution": None,
                "resolution_note": None,
                "resolved_by": None,
            }
        )
        verdicts[item.key] = Verdict(
            Outcome.CONFLICT, reason, clash_sentence(found, device.store_id, names)
        )
    insert_rows(connection, CONFLICTS, rows)


def coupon_names(connection: Connection, codes: Iterable[str]) -> dict[str, str]:
    """The names people know the redeemed ``codes`` by: a coupon's own name, or for a
    member's entitlement, its coupon's name. A code with no named record is left out."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = connection.execute(
        select(RECORDS.c.kind, RECORDS.c.record_id, RECORDS.c.data).where(
            RECORDS.c.kind.in_(("coupon", ENTITLEMENT)), RECORDS.c.record_id.in_(wanted)
        )
    ).all()
    names: dict[str, str] = {}
    coupon_of: dict[str, str] = {}
    for kind, code, data in rows:
        if kind == "coupon" and isinstance(data.get("name"), str):
            names[code] = data["name"]
        elif kind == ENTITLEMENT and isinstance(data.get("coupon_code"), str):
            coupon_of[code] = data["coupon_code"]
    if coupon_of:
        defined = coupon_names(connection, set(coupon_of.values()) - set(coupon_of))
        for code, coupon_code in coupon_of.items():
            if defined.get(coupon_code):
                names[code] = defined[coupon_code]
    return {code: name for code, name in names.items() if name}


def clash_sentence(
    clashes: list[dict[str, Any]], own_store_id: str, names: Mapping[str, str]
) -> str:
    """The clashes as a store manager reads them: the coupon (by its name where known),
    where and when it was first redeemed, in words (the ids stay in the conflict's
    detail for support)."""
    sentences = []
    for clash in clashes:
        coupon = names.get(clash["code"]) or clash["code"]
        if clash.get("withdrawn"):
            sentences.append(f"{coupon} had been withdrawn: its coupon pack was refunded")
            continue
        where = "another till of this store"
        if clash["first_store_id"] != own_store_id:
            where = "another store"
        when = str(clash["first_redeemed_at"])[:16].replace("T", " ")
        sentences.append(f"{coupon} was already redeemed at {where} on {when} UTC")
    return "; ".join(sentences)


def _single_use_sources(connection: Connection, codes: set[str]) -> dict[str, str]:
    """Which of ``codes`` may be redeemed once, and why: an entitlement, or a coupon
    whose definition has ``single_use``."""
    if not codes:
        return {}
    query = select(RECORDS.c.kind, RECORDS.c.record_id, RECORDS.c.data).where(
        tuple_(RECORDS.c.kind, RECORDS.c.record_id).in_(
            [(kind, code) for code in sorted(codes) for kind in (ENTITLEMENT, "coupon")]
        )
    )
    sources: dict[str, str] = {}
    revoked: set[str] = set()
    for kind, code, data in connection.execute(query):
        if kind == ENTITLEMENT:
            sources[code] = ENTITLEMENT
            if data.get("status") == "revoked":
                revoked.add(code)
        elif data.get("single_use") is True:
            sources.setdefault(code, SINGLE_USE_COUPON)
    for code in _of_refunded_packs(connection, revoked):
        sources[code] = WITHDRAWN
    return sources


def _of_refunded_packs(connection: Connection, codes: set[str]) -> list[str]:
    """Which of the revoked ``codes`` were withdrawn by a refund of their pack (a pack
    sale in conflict also revokes its coupons, but they come back if it is accepted)."""
    if not codes:
        return []
    query = (
        select(COUPONS.c.code)
        .join(GRANTS, GRANTS.c.id == COUPONS.c.grant_id)
        .join(PURCHASES, PURCHASES.c.id == GRANTS.c.purchase_id)
        .where(COUPONS.c.code.in_(sorted(codes)), PURCHASES.c.status == REFUNDED)
    )
    return [code for (code,) in connection.execute(query)]


def _claim_view(row: dict[str, Any]) -> _ClaimView:
    return _ClaimView(row["ticket_id"], row["store_id"], row["device_id"], row["redeemed_at"])
