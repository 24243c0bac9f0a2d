"""`pos-backoffice anomalies [--json]` and `anomalies accept ID` (issue 18): the held
sales listed with names, money with its currency and reasons in words; accepting one
records who, and the sale then counts in `sales`."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from backoffice.cli.main import main
from backoffice.database import Database
from tests.backoffice.conftest import EnrolledTill
from tests.backoffice.factories import ticket_closed


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_anomalies_are_listed_and_accepted_from_the_command_line(
    database_url: str,
    client: TestClient,
    database: Database,
    till: EnrolledTill,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = ("--database-url", database_url)
    broken = ticket_closed("DEMO-1", till.device_id, ticket_id="T-BAD", total="999999.00")
    clean = ticket_closed("DEMO-1", till.device_id, ticket_id="T-GOOD")
    response = client.post("/api/v1/events", json={"events": [broken, clean]}, headers=till.headers)
    assert [r["outcome"] for r in response.json()["results"]] == ["accepted", "accepted"]

    code, out, _ = _run(capsys, "anomalies", "--json", *url)
    assert code == 0
    (held,) = json.loads(out)
    assert held["number"] == "T-BAD" and held["store"] == "Demo Diner" and held["till"] == "till-1"
    assert held["total_shown"] == "USD 999999.00" and held["state"] == "held"
    assert "The total says USD 999999.00, but the lines add up to USD 15.50." in held["reasons"]
    sales = json.loads(_run(capsys, "sales", "--json", *url)[1])
    assert [sale["id"] for sale in sales] == ["T-GOOD"]

    code, out, _ = _run(capsys, "anomalies", *url)
    assert code == 0 and "Demo Diner" in out and "1 anomaly, 1 held" in out

    code, out, _ = _run(capsys, "anomalies", "accept", str(held["id"]), "--by", "ops-ana", *url)
    assert code == 0 and "accepted sale T-BAD" in out
    (accepted,) = json.loads(_run(capsys, "anomalies", "--json", *url)[1])
    assert accepted["state"] == "accepted" and accepted["accepted_by"] == "cli:ops-ana"
    sales = json.loads(_run(capsys, "sales", "--json", *url)[1])
    assert sorted(sale["id"] for sale in sales) == ["T-BAD", "T-GOOD"]
    assert json.loads(_run(capsys, "anomalies", "--held", "--json", *url)[1]) == []

    code, _, err = _run(capsys, "anomalies", "accept", str(held["id"]), *url)
    assert code == 2 and "already accepted by cli:ops-ana" in err
    code, _, err = _run(capsys, "anomalies", "accept", "4242", *url)
    assert code == 2 and "there is no anomaly 4242" in err
