"""A server's settings travel to every worker through the environment: the silence
threshold of the fleet page (issue 18, item 7) among them, and each default holds."""

from __future__ import annotations

from datetime import timedelta

from backoffice.settings import DEFAULT_SILENT_AFTER, SILENT_ENV, ServerSettings, silent_after


def test_the_silence_threshold_reaches_the_workers() -> None:
    environment: dict[str, str] = {}
    ServerSettings("sqlite:///x.sqlite3", silent_after=timedelta(minutes=15)).export(environment)
    assert environment[SILENT_ENV] == "15.0"
    assert ServerSettings.from_environment(environment).silent_after == timedelta(minutes=15)


def test_without_a_setting_a_till_is_silent_after_an_hour() -> None:
    assert silent_after({}) == DEFAULT_SILENT_AFTER == timedelta(hours=1)
    assert ServerSettings.from_environment({}).silent_after == timedelta(hours=1)
