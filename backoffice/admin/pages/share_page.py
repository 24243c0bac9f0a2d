"""The page behind a paid pack's link and QR code (K11): what a buyer sees and how they buy,
no sign-in.

It shows the pack (image, contents, validity, price with currency, stock left) and where
it stands: on sale, not yet on sale, sold out, ended, or sold only with an order at the
till. On sale, a member buys in two steps: their phone number (a one-time code is sent,
:mod:`backoffice.mall.one_time_codes`), then the code, which ends in the mall's own
purchase (:func:`backoffice.packs.purchase.purchase_pack`, channel ``mall``: the same
limits and stock as ``POST /api/v1/mall/packs/{id}/purchases``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import FormData

from backoffice.admin.pages.pack_refusals import refusal_text
from backoffice.admin.pages.templating import render
from backoffice.chain.record_listing import names_of
from backoffice.http.client_address import client_address
from backoffice.http.path_values import RowId
from backoffice.http.services import Services, ServicesDep
from backoffice.mall.bodies import PublicPackBody
from backoffice.mall.code_senders import CodeSender, sender_from_environment
from backoffice.mall.one_time_codes import CodeRefused, check_code, send_code
from backoffice.mall.public_pack import public_pack_view
from backoffice.models.mall_codes import MallCode
from backoffice.packs.details import coupon_view
from backoffice.packs.errors import PackError
from backoffice.packs.purchase import PurchaseRequest, purchase_pack
from backoffice.trust.rate_limits import ADDRESS, MALL_CODE, LockedOut, check_open, record_failure
from pos_app.protocol.bounds import text_problem

router = APIRouter(include_in_schema=False)
SHARE_ACTOR = "mall:share page"


def _sender(request: Request) -> CodeSender:
    """The app's code sender (``app.state.code_sender``), made once from the environment."""
    sender: CodeSender | None = getattr(request.app.state, "code_sender", None)
    if sender is None:
        sender = sender_from_environment()
        request.app.state.code_sender = sender
    return sender


def _page(
    request: Request,
    pack: PublicPackBody | None,
    *,
    step: str = "phone",
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    bought: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "share.html",
        {
            "pack": pack,
            "only_with_order": pack is not None and pack.channels == ["with_order"],
            "step": step,
            "values": values or {},
            "errors": errors or {},
            "bought": bought,
        },
        status_code=status_code,
    )


def _view(services: Services, pack_id: int) -> PublicPackBody | None:
    try:
        with services.database.sessions.begin() as session:
            return public_pack_view(session, pack_id, services.clock())
    except PackError:
        return None


def _values(form: FormData) -> dict[str, str]:
    return {
        name: str(form.get(name) or "").strip()[:200]
        for name in ("phone", "store", "code", "code_id")
    }


def _text_errors(values: dict[str, str]) -> dict[str, str]:
    """The fields holding text no database keeps (a NUL, a lone surrogate), in words."""
    errors: dict[str, str] = {}
    for name, value in values.items():
        problem = text_problem(value)
        if problem is not None:
            shown = name if name in ("phone", "code") else "sale"
            words = "phone number" if name == "phone" else name.replace("_", " ")
            errors[shown] = f"The {words} {problem}: retype it and send again."
            values[name] = ""
    return errors


def _refusal(
    request: Request,
    services: Services,
    pack: PublicPackBody,
    values: dict[str, str],
    step: str,
) -> HTMLResponse | None:
    """A page refusing the post before any code is sent or checked: a character no
    database keeps, or a client address locked out of the codes (429, ``Retry-After``)."""
    errors = _text_errors(values)
    if errors:
        return _page(request, pack, step=step, values=values, errors=errors, status_code=422)
    try:
        check_open(services.database.sessions, MALL_CODE, _address(request), services.clock())
    except LockedOut as locked:
        page = _page(
            request, pack, values=values, errors={"phone": f"Not now: {locked}."}, status_code=429
        )
        page.headers["Retry-After"] = str(locked.retry_after)
        return page
    return None


def _address(request: Request) -> dict[str, str]:
    return {ADDRESS: client_address(request)}


@router.get("/mall/packs/{pack_id}", response_class=HTMLResponse)
def share_page(request: Request, pack_id: RowId, services: ServicesDep) -> HTMLResponse:
    """The page a pack's link and QR code open (K11)."""
    pack = _view(services, pack_id)
    return _page(request, pack, status_code=200 if pack else 404)


@router.post("/mall/packs/{pack_id}/code", response_class=HTMLResponse)
async def ask_for_code(request: Request, pack_id: RowId, services: ServicesDep) -> HTMLResponse:
    """Step 1: send a one-time code to the member's phone."""
    values = _values(await request.form())
    pack = _view(services, pack_id)
    if pack is None or not pack.on_sale or pack.channels == ["with_order"]:
        return _page(request, pack, status_code=404 if pack is None else 409)
    if values["store"] not in pack.stores:
        values["store"] = pack.stores[0]
    refused_page = _refusal(request, services, pack, values, "phone")
    if refused_page is not None:
        return refused_page
    record_failure(services.database.sessions, MALL_CODE, _address(request), services.clock())
    try:
        with services.database.sessions.begin() as session:
            row = send_code(
                session, _sender(request), values["phone"], pack_id, pack.name, services.clock()
            )
            values["code_id"] = str(row.id)
    except CodeRefused as refused:
        return _page(
            request, pack, values=values, errors={refused.field: refused.message}, status_code=422
        )
    return _page(request, pack, step="code", values=values)


@router.post("/mall/packs/{pack_id}/buy", response_class=HTMLResponse)
async def buy_with_code(request: Request, pack_id: RowId, services: ServicesDep) -> HTMLResponse:
    """Step 2: the code proves the phone; the mall's purchase sells the pack (K4)."""
    values = _values(await request.form())
    pack = _view(services, pack_id)
    if pack is None:
        return _page(request, None, status_code=404)
    if values["store"] not in pack.stores:
        values["store"] = pack.stores[0]
    refused_page = _refusal(request, services, pack, values, "code")
    if refused_page is not None:
        return refused_page
    if not values["code_id"].isdigit() or len(values["code_id"]) > 9:
        return _page(
            request,
            pack,
            values=values,
            status_code=422,
            errors={"phone": "Ask for a code for this phone number first."},
        )
    code_id = int(values["code_id"])
    try:
        bought = _buy(services, pack_id, code_id, values)
    except CodeRefused as refused:
        record_failure(services.database.sessions, MALL_CODE, _address(request), services.clock())
        step = "phone" if refused.field == "phone" else "code"
        return _page(
            request,
            pack,
            step=step,
            values=values,
            status_code=422,
            errors={refused.field: refused.message},
        )
    except PackError as error:
        return _page(
            request,
            _view(services, pack_id),
            values=values,
            status_code=409,
            errors={"sale": refusal_text(error, pack.name)},
        )
    return _page(request, _view(services, pack_id), step="bought", bought=bought)


def _buy(services: Services, pack_id: int, code_id: int, values: dict[str, str]) -> dict[str, Any]:
    """Check the code (a wrong try is counted even though it refuses), then buy once: the
    code's id is the order id, so a second click shows the same purchase."""
    refused: CodeRefused | None = None
    with services.database.sessions.begin() as session:  # commits a wrong try's count
        try:
            row = check_code(session, code_id, values["phone"], values["code"], services.clock())
            if row.pack_id != pack_id:
                raise CodeRefused("phone", "Ask for a code for this phone number first.")
        except CodeRefused as refusal:
            refused = refusal
    if refused is not None:
        raise refused
    request = PurchaseRequest(
        pack_id=pack_id,
        channel="mall",
        store_id=values["store"],
        phone=values["phone"],
        order_id=f"share-{code_id}",
    )
    for attempt in (1, 2):
        try:
            with services.database.sessions.begin() as session:
                result = purchase_pack(session, request, now=services.clock(), actor=SHARE_ACTOR)
                names = names_of(session, "coupon")
                used = session.get(MallCode, code_id)
                if used is not None and used.used_at is None:
                    used.used_at = services.clock()
                return {
                    "price": str(result.purchase.price),
                    "currency": result.purchase.currency,
                    "redirect_url": result.redirect_url,
                    "coupons": [
                        coupon_view(coupon)
                        | {"coupon_name": names.get(coupon.coupon_code, coupon.coupon_code)}
                        for coupon in result.coupons
                    ],
                }
        except IntegrityError:  # the same order bought a moment ago by a second click
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
