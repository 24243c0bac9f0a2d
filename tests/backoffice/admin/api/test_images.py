"""``POST /api/v1/admin/images`` (issue 18 item 4): a 118-byte PNG declaring 20000×20000
pixels is a 422 naming the image, on SQLite and PostgreSQL (it answered 500)."""

from __future__ import annotations

from typing import Any

from tests.backoffice.admin.test_images import declared_png


def test_a_decompression_bomb_is_a_422_in_words(client: Any, admin_headers: dict[str, str]) -> None:
    refused = client.post(
        "/api/v1/admin/images",
        headers=admin_headers,
        files={"image": ("bomb.png", declared_png(20_000, 20_000), "image/png")},
    )
    assert refused.status_code == 422, refused.text
    (error,) = refused.json()["detail"]
    assert error["field"] == "image" and "too large in pixels" in error["msg"]
