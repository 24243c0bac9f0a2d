"""What the people who run the servers watch (issue 18): ``GET /metrics`` in the
Prometheus text format, through ``prometheus_client``.

- ``pos_backoffice_http_requests_total{method, route, status}``: requests answered, by
  route template (``/api/v1/admin/packs/{pack_id}``, never the id itself; a path no
  route matches is ``unmatched``) and status.
- ``pos_backoffice_events_total{outcome}``: uploaded events by outcome (accepted,
  duplicate, conflict, rejected).
- ``pos_backoffice_intake_seconds``: how long an upload took to receive (a histogram).

Each app has its own registry, so figures are per server process: with ``--workers N``
scrape each process's port, or run one worker per port.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pos_app.protocol.outcomes import Outcome

UNMATCHED = "unmatched"
INTAKE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    """One server process's counters and histogram, in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "pos_backoffice_http_requests",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.events = Counter(
            "pos_backoffice_events",
            "Uploaded events, by outcome",
            ["outcome"],
            registry=self.registry,
        )
        for outcome in Outcome:
            self.events.labels(outcome.value)
        self.intake_seconds = Histogram(
            "pos_backoffice_intake_seconds",
            "Seconds to receive one upload (checks, storage, commit)",
            buckets=INTAKE_BUCKETS,
            registry=self.registry,
        )

    def count_outcomes(self, outcomes: Iterable[Outcome]) -> None:
        """Count one upload's events by outcome."""
        for outcome in outcomes:
            self.events.labels(outcome.value).inc()

    def exposition(self) -> bytes:
        """Every metric in the Prometheus text format."""
        return generate_latest(self.registry)


class RequestMetrics:
    """Plain ASGI middleware: counts each answered request by its route's template and
    its status (a request that raised counts as 500)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = getattr(scope.get("route"), "path", None) or UNMATCHED
            self.metrics.requests.labels(scope.get("method", ""), route, str(status)).inc()
