"""What a till reports at each ping (issue 18): its software version, outbox depth and
parked events, kept on its device row with when it said so, for the fleet page
(:mod:`backoffice.reports.tills`). A ping without a report (an older till) keeps what
the till last reported."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from backoffice.models.trust import Device
from pos_app.protocol.payloads import describe_validation_error
from pos_app.protocol.sync_api import TillReport

REPORT_FIELDS = ("software_version", "outbox_depth", "parked_events")


class BadReport(ValueError):
    """A ping whose report is incomplete or out of bounds; the message names the field."""


def parse_report(
    software_version: str | None, outbox_depth: int | None, parked_events: int | None
) -> TillReport | None:
    """The report a ping's query parameters carry: None when there is none, the
    protocol's :class:`TillReport` when all three are there, else :class:`BadReport`."""
    given = {
        "software_version": software_version,
        "outbox_depth": outbox_depth,
        "parked_events": parked_events,
    }
    if all(value is None for value in given.values()):
        return None
    missing = [name for name, value in given.items() if value is None]
    if missing:
        raise BadReport(
            f"{missing[0]}: is required with {', '.join(n for n in given if n not in missing)}"
        )
    try:
        return TillReport.model_validate(given)
    except ValidationError as exc:
        raise BadReport(describe_validation_error(exc)) from None


def record_report(session: Session, device_id: str, report: TillReport, now: datetime) -> None:
    """Keep ``report`` as the device's latest, received at ``now``."""
    device = session.get(Device, device_id)
    if device is None:
        return
    device.software_version = report.software_version
    device.outbox_depth = report.outbox_depth
    device.parked_events = report.parked_events
    device.reported_at = now
