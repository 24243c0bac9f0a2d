"""Conflicts over the admin API (group_admin only): what uploads could not take (S6),
and the follow-up that resolved each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backoffice.admin.api.record_bodies import ConflictBody
from backoffice.http.bearer import AdminDep
from backoffice.http.services import SessionDep
from backoffice.sync.conflicts import list_conflicts

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])


@router.get("/conflicts")
def conflicts(
    _admin: AdminDep,
    session: SessionDep,
    store_id: str | None = None,
    unresolved: Annotated[bool, Query(description="only those not yet resolved")] = False,
) -> list[ConflictBody]:
    """Conflicts found in uploads (S6), oldest first."""
    with session.begin():
        found = list_conflicts(session, store_id=store_id, unresolved_only=unresolved)
    return [ConflictBody.model_validate(conflict) for conflict in found]
