"""The audit log of store managers' actions (R12 overrides, S6 resolutions, PINs, voids)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pos_app.store.database import Transaction
from pos_app.store.models.audit import AuditEntry


class AuditLog:
    """Audit entries written in one unit of work: an entry commits with its action."""

    def __init__(self, transaction: Transaction) -> None:
        self._session = transaction.session

    def record(
        self, at: datetime, manager: str, action: str, subject: str, detail: Mapping[str, Any]
    ) -> None:
        self._session.add(
            AuditEntry(
                at=at,
                manager=manager,
                action=action,
                subject=subject,
                detail=json.dumps(detail, sort_keys=True, default=str),
            )
        )
