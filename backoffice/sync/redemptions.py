"""Spent entitlements, told to every till through the change log (S6, S7).

An upload claims an entitlement's code (``redeemed_codes``) in its own transaction,
with no change-log lock. Marking the entitlement ``redeemed`` in the change log takes
that lock, so it happens after the upload commits, in a short transaction of its own
(:func:`publish_redemptions`). A claim whose publication was lost (the server stopped
in between) is still ``published = false`` and the scheduler's pass publishes it
(:func:`publish_pending`), so every till learns of every redemption.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record, lock_change_log, put_record
from backoffice.database import Database
from backoffice.models.sales import RedeemedCode
from pos_app.protocol.records import REDEEMABLE_ENTITLEMENT_STATUSES

log = logging.getLogger(__name__)

PENDING_BATCH = 500


def mark_redeemed(session: Session, codes: Sequence[str], now: datetime, actor: str) -> int:
    """In ``session``'s transaction: each entitlement still redeemable becomes ``redeemed``
    in the change log; every claim of ``codes`` is marked published. Returns how many
    entitlements changed."""
    if not codes:
        return 0
    lock_change_log(session)
    changed = 0
    for code in sorted(set(codes)):
        record = find_record(session, "entitlement", code, fresh=True)
        if record is None or record.deleted:
            continue
        if record.data.get("status") not in REDEEMABLE_ENTITLEMENT_STATUSES:
            continue
        put_record(
            session,
            "entitlement",
            code,
            {**record.data, "status": "redeemed"},
            store_id=record.store_id,
            now=now,
            actor=actor,
        )
        changed += 1
    session.execute(
        update(RedeemedCode)
        .where(RedeemedCode.code.in_(sorted(set(codes))))
        .values(published=True)
        .execution_options(synchronize_session=False)
    )
    return changed


def publish_redemptions(database: Database, codes: Sequence[str], now: datetime, actor: str) -> int:
    """:func:`mark_redeemed` in a transaction of its own (right after an upload). The
    upload is already stored: if this fails, the claims stay unpublished and the
    scheduler's pass publishes them (:func:`publish_pending`)."""
    if not codes:
        return 0
    try:
        with database.sessions.begin() as session:
            return mark_redeemed(session, codes, now, actor)
    except DBAPIError:
        log.warning("redeemed entitlements left for the scheduler to publish", exc_info=True)
        return 0


def publish_pending(database: Database, now: datetime) -> int:
    """Publish every claim an upload left unpublished; how many entitlements changed."""
    changed = 0
    while True:
        with database.sessions.begin() as session:
            codes = list(
                session.scalars(
                    select(RedeemedCode.code)
                    .where(RedeemedCode.published.is_(False))
                    .order_by(RedeemedCode.code)
                    .limit(PENDING_BATCH)
                )
            )
            if not codes:
                return changed
            changed += mark_redeemed(session, codes, now, "scheduler")
