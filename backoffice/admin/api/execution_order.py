"""The execution-order settings over HTTP (group_admin only): sequence numbers and
auto-execute (R4, R12), checked and written by :mod:`backoffice.chain.execution_order`.

``PUT`` changes any number of them in one transaction: a bad entry is a 422 naming it,
and nothing changes.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException

from backoffice.admin.api.record_bodies import ExecutionOrderBody, ExecutionOrderChange
from backoffice.chain.execution_order import (
    ExecutionOrderRefused,
    apply_execution_order,
    execution_order_listing,
)
from backoffice.http.bearer import AdminDep
from backoffice.http.refusals import field_path, field_refusal
from backoffice.http.services import ServicesDep, SessionDep

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/admin", tags=["execution order"])


def _unprocessable(refused: ExecutionOrderRefused) -> HTTPException:
    return field_refusal(422, ["body", *field_path(refused.field)], refused.field, str(refused))


@router.get("/execution-order")
def execution_order(_admin: AdminDep, session: SessionDep) -> ExecutionOrderBody:
    """Promotions and coupons in execution order, each with its sequence number
    (promotions also with `auto_execute`)."""
    with session.begin():
        return ExecutionOrderBody.model_validate(execution_order_listing(session))


@router.put(
    "/execution-order",
    responses={422: {"description": "a bad entry; names it, and nothing was changed"}},
)
def change_execution_order(
    body: Annotated[
        dict[str, Any],
        Body(
            examples=[
                {
                    "promotions": [
                        {"id": "DRINKS-BOGO", "sequence": 1, "auto_execute": False},
                        {"id": "COMBO-MEAL", "sequence": 2},
                    ],
                    "coupons": [{"code": "CV-5", "sequence": 1}],
                }
            ]
        ),
    ],
    admin: AdminDep,
    services: ServicesDep,
    session: SessionDep,
) -> ExecutionOrderChange:
    """Change sequence numbers and auto-execute flags together, all or nothing."""
    try:
        with session.begin():
            changed = apply_execution_order(session, body, now=services.clock(), actor=admin.name)
            listing = execution_order_listing(session)
    except ExecutionOrderRefused as refused:
        raise _unprocessable(refused) from None
    log.info("admin %s changed the execution order of %d record(s)", admin.name, len(changed))
    return ExecutionOrderChange.model_validate({"changed": changed, **listing})
