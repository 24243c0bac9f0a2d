"""The served back office helper: a real `pos-backoffice serve` process with an administrator
who can sign in, stopped cleanly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from tests.helpers.live_admin import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ServedBackOffice,
    prepare_admin_database,
)


@pytest.mark.slow
def test_serves_the_admin_pages_to_the_administrator(tmp_path: Path) -> None:
    """The administrator added by the command line signs in; after stop() the port is closed."""
    url = f"sqlite:///{tmp_path / 'bo.sqlite3'}"
    prepare_admin_database(url)
    with ServedBackOffice(url, tmp_path / "serve.log") as office, requests.Session() as http:
        page = http.get(f"{office.url}/admin/sign-in", timeout=5).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        signed = http.post(
            f"{office.url}/admin/sign-in",
            data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "csrf_token": token.group(1)},
            timeout=5,
        )
        assert signed.url.endswith("/admin/packs") and "Create coupon pack" in signed.text
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{office.url}/admin/sign-in", timeout=2)
