"""The share page's code sender is pluggable: ``$POS_BACKOFFICE_CODE_SENDER`` names one,
the development sender writes to the log, and a setting that names nothing says so."""

from __future__ import annotations

import logging

import pytest

from backoffice.mall.code_senders import (
    SENDER_ENV,
    LogSender,
    SenderSettingError,
    sender_from_environment,
)


class Outbox:
    """A sender that keeps what it sends (as a chain's own SMS sender would hand it on)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, phone: str, code: str, pack_name: str) -> None:
        self.sent.append((phone, code, pack_name))


def test_the_default_sender_writes_the_code_to_the_log(caplog: pytest.LogCaptureFixture) -> None:
    sender = sender_from_environment({})
    assert isinstance(sender, LogSender)
    with caplog.at_level(logging.WARNING, logger="backoffice.mall.codes"):
        sender.send("+15550100001", "123456", "Tea lover")
    assert "one-time code for +15550100001 (buying Tea lover): 123456" in caplog.text


def test_a_sender_is_named_by_module_and_attribute() -> None:
    sender = sender_from_environment({SENDER_ENV: f"{__name__}:Outbox"})
    assert isinstance(sender, Outbox)
    sender.send("+1", "654321", "Pack")
    assert sender.sent == [("+1", "654321", "Pack")]


@pytest.mark.parametrize(
    "spec", ["no.such.module:Sender", f"{__name__}:Missing", f"{__name__}:SENDER_ENV"]
)
def test_a_setting_that_names_no_sender_is_refused(spec: str) -> None:
    with pytest.raises(SenderSettingError, match=SENDER_ENV):
        sender_from_environment({SENDER_ENV: spec})
