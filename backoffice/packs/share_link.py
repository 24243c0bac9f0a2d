"""A paid pack's shareable link and its QR code (K11), drawn with segno.

The link is ``<mall base URL>/packs/<id>``; the back office serves a small page
there (``GET /mall/packs/{id}``) until a real mall front end takes the URL over.
"""

from __future__ import annotations

import io
from enum import StrEnum
from pathlib import Path

import segno

from backoffice.models.packs import CouponPack
from backoffice.packs.definition import PackType
from backoffice.packs.errors import PackInputError, PackStateError

QR_ERROR_LEVEL = "m"
DEFAULT_SCALE = 8
QR_BORDER = 4


class QrFormat(StrEnum):
    png = "png"
    svg = "svg"


QR_MEDIA_TYPES = {QrFormat.png: "image/png", QrFormat.svg: "image/svg+xml"}


def pack_link(pack: CouponPack, mall_base_url: str) -> str:
    """The shareable link of a paid pack (K11)."""
    if pack.pack_type != PackType.paid:
        raise PackStateError(
            "type",
            f"pack {pack.id} is a campaign pack: only paid packs have a link (K11)",
            "NOT_A_PAID_PACK",
        )
    return f"{mall_base_url.rstrip('/')}/packs/{pack.id}"


def qr_code(link: str) -> segno.QRCode:
    """The QR code that encodes ``link`` (never a Micro QR: phones read those poorly)."""
    return segno.make(link, error=QR_ERROR_LEVEL, micro=False)


def qr_image(link: str, image_format: QrFormat, scale: int = DEFAULT_SCALE) -> bytes:
    """``link`` as a PNG or SVG QR code, ``scale`` pixels per module, with a quiet zone."""
    if not 1 <= scale <= 50:
        raise PackInputError("scale", f"must be between 1 and 50, not {scale}")
    out = io.BytesIO()
    qr_code(link).save(out, kind=str(image_format), scale=scale, border=QR_BORDER)
    return out.getvalue()


def format_of_path(path: Path) -> QrFormat:
    """The image format a file name asks for: ``.png`` or ``.svg``."""
    suffix = path.suffix.lower().lstrip(".")
    try:
        return QrFormat(suffix)
    except ValueError:
        raise PackInputError(
            "out", f"{path}: the file must end in .png or .svg, not {path.suffix!r}"
        ) from None
