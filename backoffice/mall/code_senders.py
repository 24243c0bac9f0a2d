"""How a one-time code reaches a buyer's phone: a :class:`CodeSender`, chosen by
``$POS_BACKOFFICE_CODE_SENDER`` (``module:attribute`` of a class or factory taking no
arguments; default :class:`LogSender`). A chain plugs its SMS gateway in here."""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Mapping
from typing import Protocol

SENDER_ENV = "POS_BACKOFFICE_CODE_SENDER"
LOG = logging.getLogger("backoffice.mall.codes")


class CodeSender(Protocol):
    """Sends ``code`` to ``phone``; raises an exception if it could not."""

    def send(self, phone: str, code: str, pack_name: str) -> None: ...


class LogSender:
    """The development sender: writes the code to the server's log, nothing leaves the
    machine. Never for production: anyone who reads the log can buy as anyone."""

    def send(self, phone: str, code: str, pack_name: str) -> None:
        LOG.warning("one-time code for %s (buying %s): %s", phone, pack_name, code)


class SenderSettingError(ValueError):
    """``$POS_BACKOFFICE_CODE_SENDER`` does not name a sender."""


def sender_from_environment(environ: Mapping[str, str] = os.environ) -> CodeSender:
    """The sender ``$POS_BACKOFFICE_CODE_SENDER`` names, or :class:`LogSender`."""
    spec = environ.get(SENDER_ENV, "").strip()
    if not spec:
        return LogSender()
    module_name, _, attribute = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, ValueError) as exc:
        raise SenderSettingError(f"{SENDER_ENV}={spec!r} names no sender: {exc}") from None
    if not callable(factory):
        raise SenderSettingError(f"{SENDER_ENV}={spec!r} is not a class or factory")
    sender = factory()
    if not callable(getattr(sender, "send", None)):
        raise SenderSettingError(f"{SENDER_ENV}={spec!r} has no send(phone, code, pack_name)")
    return sender  # type: ignore[no-any-return]
