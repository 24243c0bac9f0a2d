"""Uploaded images (a pack's picture): type and size checked, then stored by the back office.

Only PNG, JPEG, GIF and WebP are kept, up to :data:`MAX_IMAGE_BYTES`; the file
must decode as the image its first bytes claim (Pillow checks it), whatever name
or media type the browser gave it.
"""

from __future__ import annotations

import io
from datetime import datetime

from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from backoffice.models.images import StoredImage

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 4096
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
    try:
        with Image.open(io.BytesIO(content)) as image:
            image_format = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRefused(
            "the file is not an image: choose a PNG, JPEG, GIF or WebP image"
        ) from None
    if image_format not in MEDIA_TYPES:
        raise ImageRefused(f"{image_format} images are not accepted: use PNG, JPEG, GIF or WebP")
    if max(width, height) > MAX_IMAGE_SIDE:
        raise ImageRefused(f"the image is {width}×{height}: at most {MAX_IMAGE_SIDE} pixels a side")
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
