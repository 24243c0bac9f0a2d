"""The demo chain (store ``DEMO-1``) that the till's demo data mirrors.

Its source is the protocol's demo store document (:mod:`pos_app.protocol.demo`, the
one a new till starts from); the store record is scoped to the store
itself, the catalog, promotions, coupons, members and entitlements are
chain-wide. Loading twice changes nothing the second time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from backoffice.chain.change_log import put_record, record_is_live
from backoffice.chain.record_kinds import KINDS, checked_record_data
from pos_app.protocol.demo import demo_store_text
from pos_app.protocol.records import RecordDataError

DEMO_STORE_ID = "DEMO-1"

# (section of the file, record kind) in the order they are loaded.
_SECTIONS = (
    ("catalog", "item"),
    ("promotions", "promotion"),
    ("coupons", "coupon"),
    ("members", "member"),
    ("entitlements", "entitlement"),
)


class DemoChainError(ValueError):
    """The chain file is unusable; the message names the file and the field."""


def read_chain_file(path: Path | None = None) -> dict[str, Any]:
    """The chain file as JSON (default: the packaged demo store), or a DemoChainError
    naming it."""
    where = str(path) if path is not None else "the packaged demo store"
    try:
        chain = json.loads(path.read_text(encoding="utf-8") if path else demo_store_text())
    except FileNotFoundError:
        raise DemoChainError(f"{where}: no such file") from None
    except (OSError, ValueError) as exc:
        raise DemoChainError(f"{where}: {exc}") from None
    if not isinstance(chain, dict) or not isinstance(chain.get("store"), dict):
        raise DemoChainError(f"{where}: store: must be an object")
    return chain


def load_chain(
    session: Session, chain: Mapping[str, Any], now: datetime, *, source: str = "demo"
) -> dict[str, int]:
    """Put every record of ``chain``; returns how many of each kind it holds."""
    store = {"currency": chain.get("currency", "USD"), **chain["store"]}
    store_id = store.get("id")
    if not isinstance(store_id, str) or not store_id:
        raise DemoChainError(f"{source}: store.id: is required")
    planned: list[tuple[str, str, Any, str | None, str]] = [
        ("store", store_id, store, store_id, "store")
    ]
    for section, kind in _SECTIONS:
        entries = chain.get(section, [])
        if not isinstance(entries, list):
            raise DemoChainError(f"{source}: {section}: must be a list")
        id_field = KINDS[kind].id_field
        for index, entry in enumerate(entries):
            record_id = entry.get(id_field) if isinstance(entry, dict) else None
            if not isinstance(record_id, str) or not record_id:
                raise DemoChainError(f"{source}: {section}[{index}].{id_field}: is required")
            planned.append((kind, record_id, entry, None, f"{section}[{index}]"))

    counts: dict[str, int] = {}
    for kind, record_id, entry, scope, where in planned:
        try:
            data = checked_record_data(
                KINDS[kind], record_id, entry, lambda k, i: record_is_live(session, k, i)
            )
        except RecordDataError as bad:
            field = f"{where}.{bad.field}" if bad.field else where
            raise DemoChainError(f"{source}: {field}: {bad.problem}") from None
        put_record(session, kind, record_id, data, store_id=scope, now=now, actor=source)
        counts[kind] = counts.get(kind, 0) + 1
    return counts
