"""Refund records of pack purchases as people read them: how much, when, why, by whom."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.models.packs import PackRefund

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
        why, by = "Expired unused: refunded automatically", "the back office"
    else:
        why, by = refund.reason, "the back office"
    return RefundView(refund.amount, refund.currency, refund.refunded_at, why, by)


def refunds_of(session: Session, purchase_ids: Iterable[int]) -> dict[int, RefundView]:
    """The refund of each purchase that has one."""
    wanted = list(purchase_ids)
    found: dict[int, RefundView] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for refund in session.scalars(select(PackRefund).where(PackRefund.purchase_id.in_(chunk))):
            found[refund.purchase_id] = refund_view(refund)
    return found
