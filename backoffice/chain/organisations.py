"""Organisations: named groups of stores that a pack's store picker selects in bulk (K4).

A name is unique (any case); every store must be a live ``store`` record. A
:class:`OrganisationError` names the field at fault.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backoffice.chain.change_log import record_is_live
from backoffice.models.organisations import Organisation

MAX_NAME_LENGTH = 128


class OrganisationError(ValueError):
    """A refused organisation change; ``status_code`` 422 (bad input) or 404 (unknown)."""

    def __init__(self, field: str, problem: str, status_code: int = 422) -> None:
        self.field = field
        self.problem = problem
        self.status_code = status_code
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True)
class OrganisationInput:
    """What an administrator submits: a name and the stores it groups."""

    name: object
    store_ids: object


def _checked(
    session: Session, given: OrganisationInput, own_id: int | None
) -> tuple[str, list[str]]:
    if not isinstance(given.name, str) or not given.name.strip():
        raise OrganisationError("name", "is required")
    name = given.name.strip()
    if len(name) > MAX_NAME_LENGTH:
        raise OrganisationError("name", f"must be at most {MAX_NAME_LENGTH} characters")
    clash = session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.lower())
    )
    if clash is not None and clash.id != own_id:
        raise OrganisationError("name", f"an organisation is already called {clash.name!r}")
    stores = given.store_ids
    if not isinstance(stores, list) or not stores:
        raise OrganisationError("store_ids", "choose at least one store")
    for index, store_id in enumerate(stores):
        if not isinstance(store_id, str) or not record_is_live(session, "store", store_id):
            raise OrganisationError(f"store_ids[{index}]", f"unknown store {store_id!r}")
    return name, list(dict.fromkeys(stores))


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    found = session.get(Organisation, organisation_id)
    if found is None:
        raise OrganisationError("organisation_id", f"no organisation {organisation_id}", 404)
    return found


def create_organisation(session: Session, given: OrganisationInput, now: datetime) -> Organisation:
    name, stores = _checked(session, given, None)
    organisation = Organisation(name=name, store_ids=stores, created_at=now, updated_at=now)
    session.add(organisation)
    session.flush()
    return organisation


def update_organisation(
    session: Session, organisation_id: int, given: OrganisationInput, now: datetime
) -> Organisation:
    organisation = get_organisation(session, organisation_id)
    organisation.name, organisation.store_ids = _checked(session, given, organisation.id)
    organisation.updated_at = now
    session.flush()
    return organisation


def delete_organisation(session: Session, organisation_id: int) -> None:
    """Remove the group; its stores and the packs sold there are untouched."""
    session.delete(get_organisation(session, organisation_id))


def list_organisations(
    session: Session, *, name: str | None = None, store_id: str | None = None
) -> list[Organisation]:
    """Organisations by name, optionally those whose name holds ``name`` or that hold a store."""
    query = select(Organisation).order_by(func.lower(Organisation.name))
    if name:
        query = query.where(func.lower(Organisation.name).contains(name.lower(), autoescape=True))
    found = list(session.scalars(query).all())
    if store_id:
        found = [org for org in found if store_id in org.store_ids]
    return found


def organisation_view(organisation: Organisation) -> dict[str, Any]:
    """The JSON form of an organisation."""
    return {
        "id": organisation.id,
        "name": organisation.name,
        "store_ids": list(organisation.store_ids),
    }


def stores_of(organisations: Sequence[Organisation], chosen_ids: Sequence[int]) -> list[str]:
    """The stores of the chosen organisations, in order, each once (bulk selection)."""
    wanted = set(chosen_ids)
    stores: dict[str, None] = {}
    for organisation in organisations:
        if organisation.id in wanted:
            stores.update(dict.fromkeys(organisation.store_ids))
    return list(stores)
