"""Public URLs come from the configured setting (issue 18 item 5), never from the Host
header: an image's URL, a pack's share link and its QR code start with
``POS_BACKOFFICE_PUBLIC_URL`` whatever host a request names. SQLite and PostgreSQL."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from backoffice.app import create_app
from backoffice.settings import PUBLIC_URL_ENV, PublicUrlError, ServerSettings
from tests.backoffice.conftest import MovableClock
from tests.backoffice.packs.conftest import paid_pack

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from fastapi.testclient import TestClient

PUBLIC = "https://backoffice.example.com"
FORGED = {"Host": "evil.example.net"}


@pytest.fixture
def configured(
    database_url: str, clock: MovableClock, demo_chain: None, admin_headers: dict[str, str]
) -> Iterator[Any]:
    app = create_app(database_url, clock=clock, pack_scheduler_interval=None, public_url=PUBLIC)
    with TestClient(app) as client:
        yield client, {**admin_headers, **FORGED}


def test_urls_handed_out_start_with_the_configured_address(configured: Any) -> None:
    client, headers = configured
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    image = client.post(
        "/api/v1/admin/images", headers=headers, files={"image": ("a.png", out.getvalue())}
    )
    assert image.status_code == 201, image.text
    assert image.json()["url"].startswith(f"{PUBLIC}/media/images/")
    pack = client.post("/api/v1/admin/packs", json=paid_pack(), headers=headers).json()
    link = client.get(f"/api/v1/admin/packs/{pack['id']}/link", headers=headers).json()
    assert link["url"] == f"{PUBLIC}/mall/packs/{pack['id']}"
    assert "evil" not in str(link)


def test_the_setting_is_read_from_the_environment_and_checked() -> None:
    settings = ServerSettings.from_environment({PUBLIC_URL_ENV: f"{PUBLIC}/"})
    assert settings.public_url == PUBLIC
    with pytest.raises(PublicUrlError, match=PUBLIC_URL_ENV):
        ServerSettings.from_environment({PUBLIC_URL_ENV: "backoffice.example.com"})
