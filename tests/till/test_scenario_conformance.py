"""Every public scenario replays through the till exactly as through the bare engine."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from pos_app.scenario.replay import replay_scenario
from pos_app.scenario.scenario_file import load_scenario
from pos_app.till.clock import Clock
from pos_app.till.scenario_replay import replay_through_till
from pos_app.wiring import open_till
from tests.conftest import PUBLIC_SCENARIOS
from tests.helpers.permissions import grant_cashiers

FILES = sorted(PUBLIC_SCENARIOS.glob("*.json"))


@pytest.mark.skipif(not FILES, reason="shared/scenarios/public is not beside the project")
def test_public_scenarios_through_the_till_match_the_engine(tmp_path: Path) -> None:
    """S1/R1-R13: persisting every step and closing for real changes no result (cashiers
    granted the guarded actions, as a manager may)."""
    for i, path in enumerate(FILES):
        scenario = load_scenario(str(path))
        document = {
            "store": {
                "id": "S-1",
                "name": "Scenario store",
                "currency": scenario.raw.get("currency", "USD"),
            },
            **{key: scenario.raw.get(key, []) for key in ("catalog", "promotions", "coupons")},
        }
        store_file = tmp_path / f"store-{i}.json"
        store_file.write_text(json.dumps(document, default=str), encoding="utf-8")
        runtime = open_till(tmp_path / f"till-{i}", demo_store=store_file)
        try:
            now = scenario.now
            till = runtime.new_till(pinned_clock(now) if now is not None else None)
            grant_cashiers(till)  # the scenarios' cashier presents, adjusts and discounts
            assert replay_through_till(till, scenario, False) == replay_scenario(scenario), path
        finally:
            runtime.close()


def pinned_clock(now: datetime) -> Clock:
    """A pricing clock that always says ``now`` (the scenario's)."""
    return lambda: now
