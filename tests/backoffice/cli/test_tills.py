"""`pos-backoffice tills [--json]` (issue 18, item 7): every till with its store's name,
version, last sync, outbox depth and parked events; silent ones flagged by the setting
(``--silent-after-minutes`` or ``$POS_BACKOFFICE_SILENT_AFTER_MINUTES``)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from backoffice.cli.main import main
from backoffice.clock import utc_now
from backoffice.settings import SILENT_ENV
from tests.backoffice.conftest import EnrolledTill, MovableClock


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_tills_lists_the_fleet_and_flags_silent_tills(
    database_url: str,
    client: TestClient,
    till: EnrolledTill,
    clock: MovableClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock.now = utc_now() - timedelta(minutes=30)  # the till pinged half an hour ago
    report = {"software_version": "0.18.0", "outbox_depth": "3", "parked_events": "1"}
    assert client.get("/api/v1/ping", params=report, headers=till.headers).status_code == 200
    url = ("--database-url", database_url)

    code, out, _ = _run(capsys, "tills", "--json", *url)
    assert code == 0
    (listed,) = json.loads(out)
    assert (listed["name"], listed["store"], listed["software_version"]) == (
        "till-1",
        "Demo Diner",
        "0.18.0",
    )
    assert (listed["outbox_depth"], listed["parked_events"], listed["silent"]) == (3, 1, False)

    (listed,) = json.loads(_run(capsys, "tills", "--json", "--silent-after-minutes", "10", *url)[1])
    assert listed["silent"] is True and listed["silent_for"] == "30 minutes"
    monkeypatch.setenv(SILENT_ENV, "15")
    code, out, _ = _run(capsys, "tills", *url)
    assert code == 0 and "SILENT 30 minutes" in out and "1 till(s), 1 silent" in out
    code, _, err = _run(capsys, "tills", "--silent-after-minutes", "0", *url)
    assert code == 2 and "--silent-after-minutes must be positive" in err
