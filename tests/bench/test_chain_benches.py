"""The chain-scale benchmarks still run end to end (``--quick`` sizes, on the PostgreSQL
server of the back-office tests). No timing is asserted: speed is judged by
``make bench``, never by unit tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import bootstrap, intake, sync
from tests.backoffice.conftest import PG_URL

pytestmark = pytest.mark.slow


@pytest.fixture
def postgres() -> None:
    """Skip when the PostgreSQL server of the back-office tests cannot be reached."""
    engine = create_engine(make_url(PG_URL).set(database="postgres"))
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means "no server here"
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc}")
    finally:
        engine.dispose()


def test_the_intake_load_test_runs_and_prints_its_verdicts(
    postgres: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """S15/S17: the load test uploads real ticket.closed events from every till, twice
    (empty, then with stored sales), all accepted, and prints both figures with verdicts."""
    out_file = tmp_path / "intake.json"
    assert intake.main(["--quick", "--json", str(out_file), "--pg", PG_URL]) == 0
    out = capsys.readouterr().out
    assert "ingest" in out and "with stored sales" in out
    assert out.count("PASS") + out.count("MISS") == 2
    figures = json.loads(out_file.read_text())
    sizes = intake.QUICK
    expected = sizes.tills * sizes.batches * sizes.batch
    assert figures["empty"]["events"] == figures["stored"]["events"] == expected
    assert figures["empty"]["rejected"] == 0


def test_the_first_sync_benchmark_runs_and_prints_its_verdict(
    postgres: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """S16: an aged and a fresh chain with the same live records: the till downloads the
    same records from both, and the ratio of their times is printed with a verdict."""
    out_file = tmp_path / "bootstrap.json"
    assert bootstrap.main(["--quick", "--json", str(out_file), "--pg", PG_URL]) == 0
    out = capsys.readouterr().out
    assert "aged / fresh" in out and ("PASS" in out or "MISS" in out)
    figures = json.loads(out_file.read_text())
    assert figures["aged"]["records"] == figures["fresh"]["records"] > 1_000
    assert figures["aged"]["entries"] == bootstrap.QUICK.history


def test_the_sync_benchmark_runs_and_prints_the_drain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """S4/S5: the initial sync, the outbox drain and the durable close run end to end."""
    out_file = tmp_path / "sync.json"
    assert sync.main(["--quick", "--json", str(out_file)]) == 0
    out = capsys.readouterr().out
    assert "outbox drain" in out and "initial sync" in out
    figures = json.loads(out_file.read_text())
    assert figures["drain"]["events"] == figures["drain"]["pending_before"] > 0
    assert figures["drain"]["parked"] == 0
