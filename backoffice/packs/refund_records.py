"""Refund records of pack purchases as people read them (how much, when, why, by whom),
and which coupons were redeemed (what stands in the way of a refund, K5)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record
from backoffice.models.packs import PackRefund
from backoffice.models.sales import RedeemedCode

EXPIRED_UNUSED = "expired_unused"
_CHUNK = 500


@dataclass(frozen=True)
class RefundView:
    """One refund: the amount with its currency, when, why (in words) and by whom."""

    amount: Decimal
    currency: str
    refunded_at: datetime
    why: str
    by: str


def refund_view(refund: PackRefund) -> RefundView:
    """``refund`` in words: an automatic refund says so."""
    if refund.reason == EXPIRED_UNUSED:
        why, by = "expired unused, refunded automatically", "the back office"
    else:
        why, by = refund.note or "no reason given", _person(refund.refunded_by)
    return RefundView(refund.amount, refund.currency, refund.refunded_at, why, by)


def _person(actor: str) -> str:
    """Who an actor string names, as people read it."""
    kind, _, who = actor.partition(":")
    if kind == "admin":
        return who
    if kind == "till":
        return f"{who}, a manager at the till"
    if kind == "cli":
        return f"{who or 'an operator'} (command line)"
    return actor


def refunds_of(session: Session, purchase_ids: Iterable[int]) -> dict[int, RefundView]:
    """The refund of each purchase that has one."""
    wanted = list(purchase_ids)
    found: dict[int, RefundView] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for refund in session.scalars(select(PackRefund).where(PackRefund.purchase_id.in_(chunk))):
            found[refund.purchase_id] = refund_view(refund)
    return found


def redeemed_codes(session: Session, codes: Iterable[str]) -> set[str]:
    """Which of ``codes`` were redeemed: claimed by an uploaded sale, or marked so in the log."""
    wanted = list(codes)
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update(
            session.scalars(select(RedeemedCode.code).where(RedeemedCode.code.in_(chunk))).all()
        )
    for code in wanted:
        if code in found:
            continue
        record = find_record(session, "entitlement", code)
        if record is not None and record.data.get("status") == "redeemed":
            found.add(code)
    return found
