"""The live back office helper does what the end-to-end tests rely on (S12, S7): a real
server on 127.0.0.1 with the demo chain, stopped and started again on the same port."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.helpers.live_backoffice import running_backoffice

pytestmark = pytest.mark.slow  # starts servers or processes


def test_serves_the_demo_chain_and_restarts_on_the_same_port(tmp_path: Path) -> None:
    """Serves the demo chain; stopped it refuses; started again: same port, same data."""
    with running_backoffice(tmp_path) as office, requests.Session() as http:
        enrolled = http.post(
            f"{office.url}/api/v1/devices/enroll",
            json={"code": office.device_code("DEMO-1"), "device_name": "helper-test"},
            timeout=10,
        ).json()
        http.headers["Authorization"] = f"Bearer {enrolled['token']}"
        page = http.get(f"{office.url}/api/v1/changes", timeout=10).json()
        assert len(page["records"]) == 33 and not page["has_more"]

        port = office.port
        office.stop()
        with pytest.raises(requests.ConnectionError):
            http.get(f"{office.url}/api/v1/ping", timeout=2)
        office.start()
        assert office.port == port
        assert http.get(f"{office.url}/api/v1/ping", timeout=10).json()["store_id"] == "DEMO-1"

        office.put_record(
            "items", "COLA", {"sku": "COLA", "name": "Cola", "price": "3.10", "category": "drinks"}
        )
        seq = office.append_raw_change("gift_card", "GC-1", {"code": "GC-1"}, version=3)
        later = http.get(
            f"{office.url}/api/v1/changes", params={"cursor": page["cursor"]}, timeout=10
        ).json()
        assert [(r["kind"], r["id"], r["version"]) for r in later["records"]] == [
            ("item", "COLA", 1),
            ("gift_card", "GC-1", 3),
        ]
        assert later["cursor"] == str(seq)
        assert office.sales() == [] and office.conflicts() == []
