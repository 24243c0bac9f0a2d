"""`pos-app scenario run|check`: replay scenario files and print or check the results."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from pos_app.scenario.expectations import check_replay
from pos_app.scenario.replay import replay_scenario
from pos_app.scenario.scenario_file import Scenario, ScenarioError, load_scenario

Replayer = Callable[[Scenario, bool], dict[str, Any]]


def _default_replayer(scenario: Scenario, explain: bool) -> dict[str, Any]:
    return replay_scenario(scenario, explain=explain)


def _replay_all(
    files: Sequence[str], explain: bool, replayer: Replayer, needs_book: bool, err: TextIO
) -> list[tuple[Scenario, dict[str, Any]]] | None:
    scenarios: list[Scenario] = []
    for path in files:
        try:
            scenarios.append(load_scenario(path, needs_book=needs_book))
        except ScenarioError as exc:
            print(f"error: {exc}", file=err)
            return None
    return [(s, replayer(s, explain)) for s in scenarios]


def run_files(
    files: Sequence[str],
    *,
    explain: bool = False,
    replayer: Replayer = _default_replayer,
    needs_book: bool = True,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Print one JSON array with one object per file; 0 when every file replayed."""
    out, err = out or sys.stdout, err or sys.stderr
    replays = _replay_all(files, explain, replayer, needs_book, err)
    if replays is None:
        return 2
    objects = []
    for scenario, replay in replays:
        obj: dict[str, Any] = {
            "file": scenario.path,
            "name": scenario.name,
            "steps": replay["steps"],
            "result": replay["result"],
        }
        if explain:
            obj["explain"] = replay["explain"]
            print(f"# {scenario.path}", file=err)
            for line in replay["explain_text"]:
                print(line, file=err)
        objects.append(obj)
    # One file's object a line: the C encoder (json's indenting one is pure Python, and a
    # 1,000-step replay's output would cost as much as the replay).
    out.write("[\n" + ",\n".join(json.dumps(obj) for obj in objects) + "\n]\n")
    return 0


def check_files(
    files: Sequence[str],
    *,
    explain: bool = False,
    replayer: Replayer = _default_replayer,
    needs_book: bool = True,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Replay and compare with each file's expectations; 1 on any difference."""
    out, err = out or sys.stdout, err or sys.stderr
    replays = _replay_all(files, explain, replayer, needs_book, err)
    if replays is None:
        return 2
    failed = 0
    for scenario, replay in replays:
        problems = check_replay(scenario.steps, scenario.expect, replay)
        if problems:
            failed += 1
            print(f"FAIL {scenario.path}: {scenario.name}", file=out)
            for problem in problems:
                print(f"  {problem}", file=out)
        else:
            print(f"ok   {scenario.path}", file=out)
        if explain:
            for line in replay["explain_text"]:
                print(f"    {line}", file=out)
    print(f"{len(replays) - failed} passed, {failed} failed", file=out)
    return 1 if failed else 0
