"""A paid pack's link and QR code on the admin pages (K11), as
``GET /api/v1/admin/packs/{id}/link`` and ``/qr`` give them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from backoffice.admin.pages.auth import GroupAdminDep
from backoffice.admin.pages.pack_refusals import Refused, pack_or_404, pack_transaction
from backoffice.admin.pages.templating import render
from backoffice.http.path_values import RowId
from backoffice.http.services import ServicesDep
from backoffice.mall.public_pack import mall_base_url
from backoffice.models.packs import CouponPack
from backoffice.packs.errors import PackError
from backoffice.packs.share_link import QrFormat, pack_link, qr_image

router = APIRouter(prefix="/admin/packs", include_in_schema=False)


def _link(request: Request, services: ServicesDep, pack_id: int) -> tuple[CouponPack, str]:
    with pack_transaction(services) as session:
        pack = pack_or_404(session, pack_id)
        try:
            return pack, pack_link(pack, mall_base_url(services))
        except PackError as error:
            raise Refused(error, pack.name) from None


@router.get("/{pack_id}/link", response_class=HTMLResponse)
def link_page(
    request: Request, pack_id: RowId, _user: GroupAdminDep, services: ServicesDep
) -> HTMLResponse:
    """A paid pack's link and QR code (``GET /api/v1/admin/packs/{id}/link``, K11)."""
    pack, url = _link(request, services, pack_id)
    return render(request, "packs/link.html", {"pack": pack, "url": url})


@router.get("/{pack_id}/qr.png")
def qr_png(
    request: Request,
    pack_id: RowId,
    _user: GroupAdminDep,
    services: ServicesDep,
    download: bool = False,
) -> Response:
    """The QR code as a PNG (``GET /api/v1/admin/packs/{id}/qr``), shown or downloaded."""
    _pack, url = _link(request, services, pack_id)
    headers = (
        {"Content-Disposition": f'attachment; filename="pack-{pack_id}-qr.png"'} if download else {}
    )
    return Response(qr_image(url, QrFormat.png), media_type="image/png", headers=headers)
