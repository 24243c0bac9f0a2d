"""Uploaded images (a pack's picture): type and size checked, then stored by the back office.

Only PNG, JPEG, GIF and WebP are kept, up to :data:`MAX_IMAGE_BYTES`; the file
must decode as the image its first bytes claim (Pillow checks it), whatever name
or media type the browser gave it. The size its header declares is checked against a
pixel budget (:data:`MAX_IMAGE_SIDE` a side, :data:`MAX_IMAGE_PIXELS` in all) before
anything is decoded, and Pillow's decompression-bomb limit is held to the same budget:
a small file declaring a huge picture is refused in words, never decoded.
"""

from __future__ import annotations

import io
import warnings
from datetime import datetime

from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from backoffice.models.images import StoredImage

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 4096
MAX_IMAGE_PIXELS = MAX_IMAGE_SIDE * MAX_IMAGE_SIDE
IMAGE_PATH = "/media/images/"
# Pillow's format name -> the media type the image is served as.
MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


class ImageRefused(ValueError):
    """The upload is not an image we keep; the message says what to send instead."""


def check_image(content: bytes) -> tuple[str, int, int]:
    """The media type, width and height of ``content``, or :class:`ImageRefused`."""
    if not content:
        raise ImageRefused("the file is empty: choose a PNG, JPEG, GIF or WebP image")
    if len(content) > MAX_IMAGE_BYTES:
        raise ImageRefused(
            f"the file is {len(content) / 1024 / 1024:.1f} MB: images may be at most"
            f" {MAX_IMAGE_BYTES // 1024 // 1024} MB"
        )
    too_large = (
        f"the image is too large in pixels: at most {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE}"
        " (make it smaller and upload it again)"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=list(MEDIA_TYPES)) as image:
                image_format = image.format or ""
                width, height = image.size
                if max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
                    raise ImageRefused(
                        f"the image is {width:,}×{height:,} pixels: at most {MAX_IMAGE_SIDE}"
                        " pixels a side (make it smaller and upload it again)"
                    )
                image.verify()
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(too_large) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ImageRefused(
            "the file is not an image: choose a PNG, JPEG, GIF or WebP image"
        ) from None
    return MEDIA_TYPES[image_format], width, height


def store_image(session: Session, content: bytes, *, now: datetime, actor: str) -> StoredImage:
    """Check and keep ``content``; the caller commits."""
    media_type, width, height = check_image(content)
    image = StoredImage(
        media_type=media_type,
        width=width,
        height=height,
        content=content,
        uploaded_at=now,
        uploaded_by=actor,
    )
    session.add(image)
    session.flush()
    return image


def image_url(base_url: str, image: StoredImage) -> str:
    """The absolute URL the image is served at (what a pack's ``image_url`` holds)."""
    return f"{base_url.rstrip('/')}{IMAGE_PATH}{image.id}"
