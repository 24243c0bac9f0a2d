"""A paid pack's currency: the one its stores sell in (a pack has one price, so its stores
share one currency; :func:`backoffice.packs.definition.parse_pack_definition` refuses
stores of different currencies). Every amount of a pack is shown with it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record
from backoffice.models.packs import CouponPack


def store_currency(session: Session, store_id: str) -> str | None:
    """The currency store ``store_id`` sells in, or None for an unknown store."""
    record = find_record(session, "store", store_id)
    if record is None or record.deleted:
        return None
    currency = record.data.get("currency")
    return currency if isinstance(currency, str) and currency else None


def currencies_of(session: Session, store_ids: Iterable[str]) -> list[str]:
    """The currencies of ``store_ids``, each once, in the stores' order."""
    found = (store_currency(session, store_id) for store_id in store_ids)
    return list(dict.fromkeys(code for code in found if code is not None))


def pack_currency(session: Session, pack: CouponPack) -> str | None:
    """The currency of ``pack``'s price: its stores' (None for a campaign pack)."""
    currencies = currencies_of(session, pack.store_ids or ())
    return currencies[0] if currencies else None
