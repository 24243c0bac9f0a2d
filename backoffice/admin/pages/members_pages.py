"""Members for customer service: found by name or phone, a page at a time; a member's
page shows their packs and coupons (valid, used where and when, expired, withdrawn),
purchases and refunds, gifts and the audited edits of their details; a group
administrator corrects the name or phone there and gifts a pack (K9, the same service
as the pack's gift form). A store manager sees the activity of their own stores.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.admin.pages.auth import AdminFormDep, GroupAdminDep, SignedInDep, actor
from backoffice.admin.pages.labels import readable
from backoffice.admin.pages.pack_refusals import refusal_text
from backoffice.admin.pages.pages import error_page
from backoffice.admin.pages.templating import redirect, render
from backoffice.admin.users import SignedIn
from backoffice.http.services import ServicesDep
from backoffice.models.packs import CouponPack
from backoffice.packs.errors import PackError, PackInputError
from backoffice.packs.gifting import MAX_GIFT_QUANTITY, gift_pack
from backoffice.packs.issuance import ACTIVE
from backoffice.packs.member_activity import member_activity
from backoffice.packs.member_directory import edit_member, member_edits, search_members
from backoffice.packs.members import Member, find_member

router = APIRouter(prefix="/admin/members", include_in_schema=False)


class MemberMissing(Exception):
    """No live member by that id: the app answers with a "not found" page."""


def missing_page(request: Request) -> HTMLResponse:
    """The page for a member that does not exist (any more)."""
    return error_page(
        request,
        "Member not found",
        "There is no such member: the link may be old. Look the member up by phone or name.",
        status_code=404,
        back_url="/admin/members",
        back_label="Back to members",
    )


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and len(raw) < 7 else 1


@router.get("", response_class=HTMLResponse)
def members_list(
    request: Request,
    user: SignedInDep,
    services: ServicesDep,
    q: str = "",
    page: str | None = None,
) -> HTMLResponse:
    """Members whose name or phone number holds ``q``, 25 a page, by name."""
    query = q.strip()[:100]
    with services.database.sessions.begin() as session:
        found = search_members(session, query, page=_page_number(page))
    return render(request, "members/list.html", {"found": found, "q": query, "me": user})


def _member_or_404(session: Session, member_id: str) -> Member:
    member = find_member(session, member_id) if len(member_id) <= 128 else None
    if member is None:
        raise MemberMissing()
    return member


def _gift_packs(session: Session) -> dict[str, str]:
    rows = session.execute(
        select(CouponPack.id, CouponPack.name)
        .where(CouponPack.status == ACTIVE)
        .order_by(CouponPack.name, CouponPack.id)
    ).all()
    return {str(pack_id): name for pack_id, name in rows}


def member_page(
    request: Request,
    services: ServicesDep,
    user: SignedIn,
    member_id: str,
    *,
    gift: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    refusal: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The member's page; a refused gift or refund shows on it with what was typed."""
    now = services.clock()
    with services.database.sessions.begin() as session:
        member = _member_or_404(session, member_id)
        context: dict[str, Any] = {
            "member": member,
            "me": user,
            "now": now,
            "activity": member_activity(
                session,
                member.member_id,
                now=now,
                sees_store=user.sees_store,
                sees_group=user.is_group_admin,
            ),
            "edits": member_edits(session, member.member_id) if user.is_group_admin else [],
            "gift_packs": _gift_packs(session) if user.is_group_admin else {},
        }
    context |= {
        "gift": gift or {"pack": "", "quantity": "1"},
        "errors": errors or {},
        "refusal": refusal,
        "max_quantity": MAX_GIFT_QUANTITY,
    }
    return render(request, "members/member.html", context, status_code=status_code)


@router.get("/{member_id}", response_class=HTMLResponse)
def member_details(
    request: Request, member_id: str, user: SignedInDep, services: ServicesDep
) -> HTMLResponse:
    return member_page(request, services, user, member_id)


@router.post("/{member_id}/gift", response_class=HTMLResponse)
def gift_to_member(
    request: Request,
    member_id: str,
    user: GroupAdminDep,
    form: AdminFormDep,
    services: ServicesDep,
) -> Response:
    """Gift packs of the chosen pack to this member (K9, the pack gift service)."""
    values = {
        "pack": str(form.get("pack") or "").strip(),
        "quantity": str(form.get("quantity") or "").strip(),
    }
    raw = values["quantity"]
    quantity: object = int(raw) if raw.lstrip("-").isdigit() and len(raw) < 7 else raw
    try:
        with services.database.sessions.begin() as session:
            member = _member_or_404(session, member_id)
            if not values["pack"].isdigit() or len(values["pack"]) > 9:
                raise PackInputError("pack", "Choose the coupon pack to gift.")
            pack = session.get(CouponPack, int(values["pack"]))
            if pack is None:
                raise PackInputError("pack", "That coupon pack does not exist any more.")
            result = gift_pack(
                session,
                pack.id,
                phone=member.phone,
                quantity=quantity,
                now=services.clock(),
                actor=actor(user),
            )
            notice = f"{result.gift.quantity} “{pack.name}” gifted to {member.name}."
    except PackError as error:
        field = error.field if error.field in ("pack", "quantity") else ""
        text = refusal_text(error) if error.field != "pack" else readable(error.problem)
        return member_page(
            request,
            services,
            user,
            member_id,
            gift=values,
            errors={field: text} if field else {},
            refusal=None if field else text,
            status_code=422 if field else 409,
        )
    return redirect(f"/admin/members/{member_id}", notice)


def _edit_page(
    request: Request,
    member: Member,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "members/edit.html",
        {"member": member, "values": values, "errors": errors or {}},
        status_code=422 if errors else 200,
    )


@router.get("/{member_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request, member_id: str, _user: GroupAdminDep, services: ServicesDep
) -> HTMLResponse:
    with services.database.sessions.begin() as session:
        member = _member_or_404(session, member_id)
    return _edit_page(request, member, {"name": member.name, "phone": member.phone})


@router.post("/{member_id}/edit", response_class=HTMLResponse)
def edit(
    request: Request,
    member_id: str,
    user: GroupAdminDep,
    form: AdminFormDep,
    services: ServicesDep,
) -> Response:
    """Correct the member's name and phone; the change is audited and reaches the tills."""
    values = {name: str(form.get(name) or "") for name in ("name", "phone")}
    try:
        with services.database.sessions.begin() as session:
            member = _member_or_404(session, member_id)
            changed = edit_member(
                session,
                member_id,
                name=values["name"],
                phone=values["phone"],
                now=services.clock(),
                actor=actor(user),
            )
    except PackInputError as error:
        with services.database.sessions.begin() as session:
            member = _member_or_404(session, member_id)
        return _edit_page(request, member, values, {error.field: readable(error.problem)})
    notice = "Nothing was changed." if changed is None else "The member's details were saved."
    return redirect(f"/admin/members/{member_id}", notice)
