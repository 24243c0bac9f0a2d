"""A server's settings and their defaults, and how `pos-backoffice serve` hands them to
every worker process (S16, S17).

uvicorn starts each worker by importing :func:`backoffice.app.app_from_environment`,
so the command line's settings travel as environment variables.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from backoffice.database import DATABASE_URL_ENV, default_database_url
from backoffice.trust.device_tokens import TokenPolicy

SERVER_THREADS = 16  # requests a worker runs at once; its pool holds as many connections
DEFAULT_RETENTION = timedelta(days=30)  # how long superseded changes are kept (S16)
DEFAULT_INTERVAL_S = 60.0  # how often the leading process runs the chores (S17)
RETENTION_ENV = "POS_BACKOFFICE_RETENTION_DAYS"
THREADS_ENV = "POS_BACKOFFICE_THREADS"
CHORES_ENV = "POS_BACKOFFICE_CHORES_INTERVAL"
TOKEN_DAYS_ENV = "POS_BACKOFFICE_TOKEN_DAYS"
ROTATE_DAYS_ENV = "POS_BACKOFFICE_TOKEN_ROTATE_DAYS"
PUBLIC_URL_ENV = "POS_BACKOFFICE_PUBLIC_URL"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"  # `serve`'s own address when none is set


class PublicUrlError(ValueError):
    """A public URL setting that is not an absolute http or https address."""


def checked_public_url(url: str) -> str:
    """``url`` without a trailing slash if it is an absolute http(s) address with no query;
    else :class:`PublicUrlError` saying what it must be."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise PublicUrlError(
            f"{PUBLIC_URL_ENV} must be the address people reach this server at, such as"
            f" https://backoffice.example.com, not {url!r}"
        )
    return url.rstrip("/")


SILENT_ENV = "POS_BACKOFFICE_SILENT_AFTER_MINUTES"
DEFAULT_SILENT_AFTER = timedelta(hours=1)  # a till not heard from longer is flagged


@dataclass(frozen=True)
class ServerSettings:
    """One server's settings: its database, threads, retention window, token policy, how
    often the leading process runs the chores (the scheduler), and the public address
    every URL it hands out (image URLs, share links, QR codes) starts with: configured,
    never taken from a request's Host header; and how long a till may stay silent before
    it is flagged."""

    database_url: str
    threads: int = SERVER_THREADS
    retention: timedelta = DEFAULT_RETENTION
    token_policy: TokenPolicy = field(default_factory=TokenPolicy)
    chores_interval: float = DEFAULT_INTERVAL_S
    public_url: str = DEFAULT_PUBLIC_URL
    silent_after: timedelta = DEFAULT_SILENT_AFTER

    @classmethod
    def from_environment(cls, environment: Mapping[str, str]) -> ServerSettings:
        policy = TokenPolicy()
        return cls(
            database_url=environment.get(DATABASE_URL_ENV) or default_database_url(),
            threads=int(environment.get(THREADS_ENV, SERVER_THREADS)),
            chores_interval=float(environment.get(CHORES_ENV, DEFAULT_INTERVAL_S)),
            public_url=checked_public_url(environment.get(PUBLIC_URL_ENV) or DEFAULT_PUBLIC_URL),
            retention=_days(environment, RETENTION_ENV, DEFAULT_RETENTION),
            silent_after=silent_after(environment),
            token_policy=TokenPolicy(
                lifetime=_days(environment, TOKEN_DAYS_ENV, policy.lifetime),
                rotate_after=_days(environment, ROTATE_DAYS_ENV, policy.rotate_after),
            ),
        )

    def export(self, environment: MutableMapping[str, str]) -> None:
        """Write these settings where :meth:`from_environment` finds them."""
        environment[DATABASE_URL_ENV] = self.database_url
        environment[THREADS_ENV] = str(self.threads)
        environment[CHORES_ENV] = str(self.chores_interval)
        environment[PUBLIC_URL_ENV] = self.public_url
        environment[RETENTION_ENV] = str(self.retention.total_seconds() / 86400)
        environment[TOKEN_DAYS_ENV] = str(self.token_policy.lifetime.total_seconds() / 86400)
        environment[ROTATE_DAYS_ENV] = str(self.token_policy.rotate_after.total_seconds() / 86400)
        environment[SILENT_ENV] = str(self.silent_after.total_seconds() / 60)


def silent_after(environment: Mapping[str, str]) -> timedelta:
    """How long a till may stay silent before the fleet page flags it (issue 18)."""
    raw = environment.get(SILENT_ENV)
    return DEFAULT_SILENT_AFTER if raw is None else timedelta(minutes=float(raw))


def _days(environment: Mapping[str, str], name: str, default: timedelta) -> timedelta:
    raw = environment.get(name)
    return default if raw is None else timedelta(days=float(raw))
