"""Image checks (issue 18 item 4): a file declaring more pixels than the budget is refused
in words from its header, never decoded; a real picture within it is kept."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from backoffice.admin.images import MAX_IMAGE_SIDE, ImageRefused, check_image


def declared_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` × ``height`` pixels (its data is a few
    bytes: decoding it would have to make up the rest)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 16)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(20_000, 20_000), (10_000, 10_000), (MAX_IMAGE_SIDE + 1, 10)])
def test_a_picture_past_the_pixel_budget_is_refused_in_words(size: tuple[int, int]) -> None:
    content = declared_png(*size)
    assert len(content) < 200
    with pytest.raises(ImageRefused, match="pixels"):
        check_image(content)


def test_a_picture_within_the_budget_is_kept() -> None:
    out = io.BytesIO()
    Image.new("RGB", (MAX_IMAGE_SIDE, 2), "white").save(out, "PNG")
    assert check_image(out.getvalue()) == ("image/png", MAX_IMAGE_SIDE, 2)
