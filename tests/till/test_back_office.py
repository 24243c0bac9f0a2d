"""Enrolling from the screen (pos_app/till/back_office.py): what is typed is checked
before any request, and every failure is said in the manager's words."""

from __future__ import annotations

import pytest

from pos_app.sync.errors import (
    BackOfficeUnavailable,
    NotAuthorized,
    RequestRefused,
    ServerError,
)
from pos_app.till.back_office import ConnectRefused, checked_address, refusal_words

URL = "http://127.0.0.1:8000"


def test_an_address_is_trimmed_of_spaces_and_its_last_slash() -> None:
    assert checked_address("  http://127.0.0.1:8000/ ") == URL
    assert checked_address("https://bo.example") == "https://bo.example"


@pytest.mark.parametrize("typed", ["", "   ", "bo.example", "ftp://bo.example", "http://"])
def test_what_is_not_an_address_is_refused(typed: str) -> None:
    with pytest.raises(ConnectRefused):
        checked_address(typed)


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (
            BackOfficeUnavailable(f"{URL}/api/v1/devices/enroll: ConnectionError"),
            f"The back office at {URL} did not answer: check the address and the network,"
            " then try again",
        ),
        (
            ServerError(f"{URL}: server error 500"),
            f"The back office at {URL} had a problem of its own: try again in a moment",
        ),
        (
            RequestRefused("refused", 400, "unknown enrollment code"),
            "The back office does not know the code AB12: check it, or ask for a new one",
        ),
        (
            RequestRefused("refused", 400, "enrollment code expired"),
            "The code AB12 has expired: ask for a new one",
        ),
        (
            RequestRefused("refused", 404, ""),
            f"There is no back office at {URL}: check the address",
        ),
        (
            NotAuthorized("no", 401),
            f"The back office at {URL} refused this till: ask for a new code",
        ),
    ],
)
def test_every_failure_is_said_in_words(error: Exception, said: str) -> None:
    assert refusal_words(URL, "AB12", error) == said  # type: ignore[arg-type]
    assert "Error" not in said and "enroll:" not in said
