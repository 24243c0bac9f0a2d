"""The engine benchmark still runs end to end (quick sizes). No timing is asserted here:
speed is judged by ``make bench``, never by unit tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import engine, engine_chain


def test_quick_run_prints_the_table_and_the_summary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "figures.json"

    assert engine.main(["--quick", "--json", str(out_file)]) == 0

    out = capsys.readouterr().out
    assert "recalc p50" in out and "add p99" in out
    config = engine_chain.QUICK
    for promotions in config.promotion_counts:
        for lines in config.line_counts:
            assert any(
                row.split()[:2] == [f"{promotions:,}", str(lines)] for row in out.splitlines()
            ), (promotions, lines)
    assert "Touching held fixed" in out
    summary = out[out.index("Targets") :]
    assert "Quantities" in out and "quantity 9,999" in out
    assert summary.count("[PASS]") + summary.count("[MISS]") == 7
    assert "Supermarket" in out and f"{config.big_lines:,} lines" in summary

    figures = json.loads(out_file.read_text())
    assert len(figures["grid"]) == len(config.promotion_counts) * len(config.line_counts)
    assert len(figures["isolation"]) == len(config.promotion_counts)
    assert len(figures["targets"]) == 7
    assert figures["supermarket"]["lines"] == config.big_lines
    assert figures["supermarket"]["add"]["n"] == config.reps
    assert figures["supermarket"]["recalculation"]["n"] == config.reps
    assert figures["supermarket"]["cpu"]["add"]["n"] == config.reps
    assert figures["supermarket"]["cpu"]["replay"]["n"] == config.big_lines // 10
    assert figures["supermarket"]["replay"]["n"] == config.big_lines // 10
    assert figures["quantities"]["big"]["n"] == config.reps
    for cell in figures["grid"]:
        assert cell["recalc"]["n"] == config.reps and cell["add"]["n"] == config.reps
        assert cell["redeemed"] > 0  # coupons really are redeemed on the tickets
        assert cell["recalc"]["p50"] <= cell["recalc"]["p99"]
