"""`pos-backoffice` commands: demo, device-code, admin-token, sales, db upgrade (S12, S7)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from fastapi.testclient import TestClient

from backoffice.cli.main import main
from backoffice.database import DATABASE_URL_ENV, default_database_url
from tests.backoffice.factories import ticket_closed


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_loads_the_chain_with_store_demo_1(
    database_url: str, client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """S7: `demo` loads store DEMO-1 and its chain; loading it again changes nothing."""
    code, out, _ = _run(capsys, "demo", "--database-url", database_url)
    assert code == 0 and "DEMO-1" in out
    _, token, _ = _run(capsys, "admin-token", "--name", "ops", "--database-url", database_url)
    headers = {"Authorization": f"Bearer {token.strip()}"}
    store = client.get("/api/v1/admin/stores/DEMO-1", headers=headers).json()
    assert store["data"]["name"] == "Demo Diner" and store["store_id"] == "DEMO-1"
    seq = store["seq"]
    assert _run(capsys, "demo", "--database-url", database_url)[0] == 0
    assert client.get("/api/v1/admin/stores/DEMO-1", headers=headers).json()["seq"] == seq


def test_device_code_enrolls_a_till(
    database_url: str, client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """S12: `device-code --store` prints a one-time code that enrolls one till into the store."""
    _run(capsys, "demo", "--database-url", database_url)
    code, out, _ = _run(capsys, "device-code", "--store", "DEMO-1", "--database-url", database_url)
    assert code == 0
    enrollment_code = out.strip()
    assert len(enrollment_code.replace("-", "")) >= 8
    body = {"code": enrollment_code, "device_name": "till-1"}
    first = client.post("/api/v1/devices/enroll", json=body)
    assert first.status_code == 201 and first.json()["store_id"] == "DEMO-1"
    assert client.post("/api/v1/devices/enroll", json=body).status_code == 400


def test_device_code_for_an_unknown_store_fails(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """S12: no code is issued for a store the back office does not have; stderr names it."""
    code, out, err = _run(capsys, "device-code", "--store", "NOPE", "--database-url", database_url)
    assert code == 2 and out == ""
    assert "NOPE" in err


def test_admin_token_opens_the_admin_api(
    database_url: str, client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """K1: `admin-token --name` prints a group_admin token the admin API accepts."""
    code, out, _ = _run(capsys, "admin-token", "--name", "ops", "--database-url", database_url)
    assert code == 0
    headers = {"Authorization": f"Bearer {out.strip()}"}
    assert client.get("/api/v1/admin/conflicts", headers=headers).status_code == 200


def test_sales_json_lists_received_tickets(
    database_url: str, client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """S4: `sales --json` lists each received ticket: id, store, device, total, lines."""
    assert _run(capsys, "sales", "--json", "--database-url", database_url)[1].strip() == "[]"
    _run(capsys, "demo", "--database-url", database_url)
    _, code, _ = _run(capsys, "device-code", "--store", "DEMO-1", "--database-url", database_url)
    enrolled = client.post(
        "/api/v1/devices/enroll", json={"code": code.strip(), "device_name": "till-1"}
    ).json()
    headers = {"Authorization": f"Bearer {enrolled['token']}"}
    sale = ticket_closed("DEMO-1", enrolled["device_id"], ticket_id="T-100", total="15.50")
    client.post("/api/v1/events", json={"events": [sale]}, headers=headers)

    code_, out, _ = _run(capsys, "sales", "--json", "--database-url", database_url)
    assert code_ == 0
    (listed,) = json.loads(out)
    assert listed["id"] == "T-100"
    assert listed["store"] == "DEMO-1"
    assert listed["device"] == enrolled["device_id"]
    assert listed["total"] == "15.50"
    assert [line["sku"] for line in listed["lines"]] == ["BURGER", "COLA"]
    assert listed["lines"][1]["net"] == "3.50"

    _, text, _ = _run(capsys, "sales", "--database-url", database_url)
    assert "T-100" in text and "1 ticket(s)" in text


def test_db_upgrade_on_a_fresh_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`db upgrade` builds a new SQLite database (every command does so first)."""
    url = f"sqlite:///{tmp_path / 'nested' / 'bo.sqlite3'}"
    code, out, _ = _run(capsys, "db", "upgrade", "--database-url", url)
    assert code == 0 and "newest migration" in out
    assert (tmp_path / "nested" / "bo.sqlite3").exists()


@pytest.mark.slow
def test_console_script_shares_one_database(tmp_path: Path) -> None:
    """The installed commands, run as processes, share one database via --database-url."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    script = Path(sys.executable).with_name("pos-backoffice")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "backoffice.cli"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, *args, "--database-url", url],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )

    demo = run("demo")
    assert demo.returncode == 0, demo.stderr
    device_code = run("device-code", "--store", "DEMO-1")
    assert device_code.returncode == 0, device_code.stderr
    sales = run("sales", "--json")
    assert sales.returncode == 0 and json.loads(sales.stdout) == []


def test_default_database_is_a_user_data_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --database-url: $POS_BACKOFFICE_DATABASE_URL, else SQLite in the user data dir."""
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    url = default_database_url()
    assert url.startswith("sqlite:///") and url.endswith("backoffice.sqlite3")
    assert "pos-backoffice" in url
    monkeypatch.setenv(DATABASE_URL_ENV, "sqlite:///elsewhere.sqlite3")
    assert default_database_url() == "sqlite:///elsewhere.sqlite3"
    assert os.environ[DATABASE_URL_ENV] == "sqlite:///elsewhere.sqlite3"


@pytest.mark.slow
def test_serve_runs_the_api(tmp_path: Path) -> None:
    """S10/S12: `serve --host --port --database-url` answers the probe (401 without a token)."""
    url = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "backoffice.cli", "serve", "--host", "127.0.0.1"),
            *("--port", str(port), "--database-url", url, "--log-level", "warning"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = requests.get(f"http://127.0.0.1:{port}/api/v1/ping", timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "serve did not start listening"
                time.sleep(0.1)
        assert response.status_code == 401
        docs = requests.get(f"http://127.0.0.1:{port}/docs", timeout=2)
        assert docs.status_code == 200
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def test_demo_with_a_bad_chain_file_names_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`demo --file` refuses a chain the till could not read, naming the file and field."""
    chain = tmp_path / "chain.json"
    chain.write_text(
        json.dumps(
            {
                "store": {"id": "S-9", "name": "Nine", "address": "9 St", "currency": "EUR"},
                "promotions": [{"id": "P", "type": "bogo", "sequence": 1, "auto_execute": "y"}],
            }
        )
    )
    url = f"sqlite:///{tmp_path / 'bo.sqlite3'}"
    code, out, err = _run(capsys, "demo", "--file", str(chain), "--database-url", url)
    assert code == 2 and out == ""
    assert f"{chain}: promotions[0].auto_execute:" in err
