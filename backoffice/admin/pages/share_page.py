"""The page behind a paid pack's link and QR code (K11): what a buyer sees, no sign-in.

It says where the pack stands: on sale (price, until when), not yet on sale, sold
out, ended, or sold only with an order at the till (channel ``with_order`` alone).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backoffice.admin.pages.templating import render
from backoffice.http.path_values import RowId
from backoffice.http.services import ServicesDep
from backoffice.mall.public_pack import public_pack_view
from backoffice.packs.errors import PackError

router = APIRouter(include_in_schema=False)


@router.get("/mall/packs/{pack_id}", response_class=HTMLResponse)
def share_page(request: Request, pack_id: RowId, services: ServicesDep) -> HTMLResponse:
    """The page a pack's link and QR code open (K11)."""
    try:
        with services.database.sessions.begin() as session:
            pack = public_pack_view(session, pack_id, services.clock())
    except PackError:
        return render(request, "share.html", {"pack": None}, status_code=404)
    only_with_order = pack.channels == ["with_order"]
    return render(request, "share.html", {"pack": pack, "only_with_order": only_with_order})
