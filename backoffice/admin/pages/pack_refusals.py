"""A refused pack action on the admin pages (K1-K11): said in words, the pack by its name.

Every pack page acts inside :func:`pack_transaction`: a refused pack operation changes
nothing and becomes :class:`Refused`, which the app answers with :func:`refused_page`.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from backoffice.admin.pages.labels import readable
from backoffice.admin.pages.pages import error_page
from backoffice.http.services import Services, refusing_transaction
from backoffice.models.packs import CouponPack
from backoffice.packs.errors import PackError, PackNotFound, PackStateError
from backoffice.packs.issuance import ACTIVE, ARCHIVED
from backoffice.packs.lifecycle import get_pack

_PACK_NUMBER = re.compile(r"\bpack \d+\b")  # how services name a pack; people read its name


class Refused(Exception):
    """A pack action refused, with the pack's name for the message."""

    def __init__(self, error: PackError, pack_name: str | None) -> None:
        self.error = error
        self.pack_name = pack_name


def refusal_text(error: PackError, pack_name: str | None = None) -> str:
    """A refusal as a person reads it: the pack by name, no rule ids, what to do."""
    named = f"“{pack_name}”" if pack_name else "This pack"
    if error.code == "PACK_ARCHIVED":
        return (
            f"{named} is archived: it can no longer be edited, sold or gifted."
            " Copy it to start again."
        )
    if error.code == "PACK_DRAFT":
        return f"{named} is a draft: publish it first."
    if isinstance(error, PackNotFound):
        return "There is no such coupon pack: it may have been removed. Pick one from the list."
    return readable(_PACK_NUMBER.sub(named if pack_name else "this pack", error.problem))


def pack_or_404(session: Session, pack_id: int) -> CouponPack:
    """The pack, or :class:`Refused` (a "not found" page)."""
    try:
        return get_pack(session, pack_id)
    except PackNotFound as missing:
        raise Refused(missing, None) from None


def pack_transaction(services: Services) -> AbstractContextManager[Session]:
    """One transaction; a refused pack operation becomes :class:`Refused` (a page)."""
    return refusing_transaction(services, PackError, lambda error: Refused(error, None))


def refused_page(request: Request, refused: Refused) -> HTMLResponse:
    """The page for a refused pack action (the app's handler of :class:`Refused`)."""
    status = refused.error.status_code if refused.error.status_code in (404, 409) else 400
    return error_page(
        request,
        "Coupon pack not found" if status == 404 else "Not possible",
        refusal_text(refused.error, refused.pack_name),
        status_code=status,
    )


def inactive_refusal(pack: CouponPack) -> str | None:
    """Why a gift or distribution cannot happen now: the pack is archived or a draft."""
    if pack.status == ACTIVE:
        return None
    code = "PACK_ARCHIVED" if pack.status == ARCHIVED else "PACK_DRAFT"
    return refusal_text(PackStateError("status", "", code), pack.name)
