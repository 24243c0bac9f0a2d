"""Writing the audit log of store managers' actions (R12 overrides, S6 resolutions, PINs)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from pos_app.store.models.audit import AuditEntry


def record_audit(
    session: Session,
    at: datetime,
    manager: str,
    action: str,
    subject: str,
    detail: Mapping[str, Any],
) -> None:
    """Add one audit entry to ``session``'s transaction (it commits with the action)."""
    session.add(
        AuditEntry(
            at=at,
            manager=manager,
            action=action,
            subject=subject,
            detail=json.dumps(detail, sort_keys=True, default=str),
        )
    )
