"""Refusals that name the field at fault (S15), as every admin and mall route gives them.

A refusal is ``{"detail": [{"loc", "field", "msg", "type"}]}``: 422 for bad input, 404
for something unknown, 409 when a pack's state forbids the change (``type`` is then a
stable code such as ``SOLD_OUT`` or ``PACK_ARCHIVED``).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager

from fastapi import HTTPException
from sqlalchemy.orm import Session

from backoffice.http.services import Services, refusing_transaction
from backoffice.packs.errors import PackError


def field_path(field: str) -> list[str | int]:
    """A field's name as a location: ``content[0].quantity`` is ``["content", 0, "quantity"]``."""
    parts = field.replace("]", "").replace("[", ".").split(".")
    return [int(part) if part.isascii() and part.isdigit() else part for part in parts if part]


def field_refusal(
    status_code: int,
    loc: Sequence[str | int],
    field: str,
    message: str,
    code: str = "value_error",
) -> HTTPException:
    """The refusal of one field: where it is (``loc``), its name, what is wrong, a code."""
    return HTTPException(
        status_code, [{"loc": list(loc), "field": field, "msg": message, "type": code}]
    )


def pack_refusal(error: PackError) -> HTTPException:
    """The HTTP form of a refused pack operation; it names the field at fault."""
    where = "body" if error.status_code == 422 else "pack"
    return field_refusal(
        error.status_code,
        [where, *field_path(error.field)],
        error.field or where,
        str(error),
        error.code,
    )


def pack_transaction(services: Services) -> AbstractContextManager[Session]:
    """One transaction; a refused pack operation becomes its HTTP refusal."""
    return refusing_transaction(services, PackError, pack_refusal)
