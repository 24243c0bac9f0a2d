"""Enrolling the till with a back office (S12): the address and a one-time code in, the
device token kept in the data directory and the till's number in its database. The
command line (`pos-app enroll`) and manager mode's "Connect to back office" both come
here; the screen's refusals are in the manager's words, never a request's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pos_app.store.database import database_path
from pos_app.store.sync_store import SyncStore
from pos_app.store.till_file import mark_history
from pos_app.sync.client import DEFAULT_TIMEOUT, BackOfficeClient
from pos_app.sync.enrollment import SyncSettings, save_settings
from pos_app.sync.errors import (
    BackOfficeUnavailable,
    NotAuthorized,
    RequestRefused,
    ServerError,
    SyncError,
)

CODE_REFUSALS = {  # what the back office says of a code (400), in the manager's words
    "unknown enrollment code": "The back office does not know the code {code}: check it,"
    " or ask for a new one",
    "enrollment code already used": "The code {code} was already used: ask for a new one",
    "enrollment code expired": "The code {code} has expired: ask for a new one",
}


@dataclass(frozen=True)
class Enrolled:
    """What enrolling gave the till: its sync settings and its number in the store."""

    settings: SyncSettings
    till_number: int


class ConnectRefused(Exception):
    """Enrolling failed or was not tried; the message says why in plain words (it
    names the address, never the code's owner, a token or a request)."""


def enroll(
    data_dir: Path,
    sync_store: SyncStore,
    url: str,
    code: str,
    *,
    device_name: str,
    verify_tls: bool = True,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
) -> Enrolled:
    """Exchange ``code`` at ``url`` for a device token, keep it with the address in the
    data directory and the device, store and till number in the database. Raises
    :class:`~pos_app.sync.errors.SyncError` (nothing is kept then)."""
    client = BackOfficeClient(url, timeout=timeout, verify=verify_tls)
    try:
        enrollment = client.enroll(code, device_name)
    finally:
        client.close()
    settings = SyncSettings(
        url=url,
        token=enrollment.token,
        device_id=enrollment.device_id,
        store_id=enrollment.store_id,
        verify_tls=verify_tls,
    )
    save_settings(data_dir, settings)
    sync_store.set_enrollment(enrollment.device_id, enrollment.store_id, enrollment.till_number)
    mark_history(database_path(data_dir), "the enrollment")  # never starts fresh again
    return Enrolled(settings, enrollment.till_number or 1)


def connect_back_office(
    data_dir: Path,
    sync_store: SyncStore,
    address: str,
    code: str,
    *,
    device_name: str,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
) -> Enrolled:
    """Manager mode's "Connect to back office": the typed address and code checked,
    then :func:`enroll`. Raises :class:`ConnectRefused` in plain words."""
    url = checked_address(address)
    code = code.strip()
    if not code:
        raise ConnectRefused("Type the one-time code the back office gave for this till")
    try:
        return enroll(data_dir, sync_store, url, code, device_name=device_name, timeout=timeout)
    except SyncError as exc:
        raise ConnectRefused(refusal_words(url, code, exc)) from None


def checked_address(address: str) -> str:
    """The back office's address as typed, without a trailing slash; ConnectRefused
    when it is not an http:// or https:// address with a host."""
    url = address.strip().rstrip("/")
    if not url:
        raise ConnectRefused("Type the back office's address, e.g. http://192.168.1.20:8000")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConnectRefused(
            f"“{address.strip()}” is not a back office address: it starts with http:// or"
            " https://, e.g. http://192.168.1.20:8000"
        )
    try:
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        raise ConnectRefused(f"The port in “{url}” is not a number") from None
    return url


def refusal_words(url: str, code: str, exc: SyncError) -> str:
    """What went wrong enrolling at ``url``, as a store manager would say it."""
    if isinstance(exc, ServerError):
        return f"The back office at {url} had a problem of its own: try again in a moment"
    if isinstance(exc, BackOfficeUnavailable):
        return (
            f"The back office at {url} did not answer: check the address and the network,"
            " then try again"
        )
    if isinstance(exc, NotAuthorized):
        return f"The back office at {url} refused this till: ask for a new code"
    if isinstance(exc, RequestRefused):
        words = CODE_REFUSALS.get(exc.detail)
        if words is not None:
            return words.format(code=code)
        if exc.status == 404:
            return f"There is no back office at {url}: check the address"
        return f"The back office at {url} refused the code {code}: ask for a new one"
    return f"The back office at {url} could not enroll this till: try again"
