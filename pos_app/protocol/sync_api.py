"""The sync API's requests and replies as the till sends and reads them
(docs/sync-protocol.md): enrolling, the ping, a page of changes and the results of an
upload. Event payloads are :mod:`.payloads`; pack supplies :mod:`.pack_supplies`.

Replies are read leniently (a field the till does not use is ignored, one it does
must have its type): a reply that does not fit is a malformed reply, never half
read.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
)

from pos_app.protocol import bounds
from pos_app.protocol.outcomes import Outcome


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class EnrollRequest(_Message):
    """``POST /api/v1/devices/enroll``: a one-time code and the name the till goes by."""

    code: StrictStr
    device_name: StrictStr


class Enrollment(_Message):
    """What enrolling answers: the device, its store, its token and its number in the
    store (None from a back office that numbers no tills)."""

    device_id: StrictStr
    store_id: StrictStr
    token: StrictStr
    till_number: StrictInt | None = None


class RotatedToken(_Message):
    """A new device token (S17): kept, then used from now on."""

    token: StrictStr
    expires_at: StrictStr | None = None


class Ping(_Message):
    """``GET /api/v1/ping``: the back office's clock (S13), the token's store and, when
    due, a rotated device token (S17)."""

    server_time: StrictStr | None = None
    store_id: StrictStr | None = None
    token: RotatedToken | None = None
    phone_key: StrictStr | None = None  # the chain's key for members' phone digests


class TillNumbers(_Message):
    """``GET /api/v1/till-numbers``: what the back office holds of this till's numbers,
    for a till rebuilt from it (``pos-app db recover``): its number in the store, the
    highest ticket number it received from the till (``last_ticket_number``, its
    sequence in ``last_sequence``), how many of its sales and Z reports it holds."""

    till_number: StrictInt | None = None
    last_ticket_number: StrictStr | None = None
    last_sequence: StrictInt = 0
    sales_held: StrictInt = 0
    z_reports: StrictInt = 0


VersionText = Annotated[StrictStr, AfterValidator(partial(bounds.check_text, bound=bounds.KEY))]
Count = Annotated[StrictInt, AfterValidator(partial(bounds.check_integer, bound=bounds.COUNT))]


class TillReport(_Message):
    """What a till reports at each ping (issue 18, operators see the fleet): its
    software version, the events waiting in its outbox and those parked as failed.

    It travels as the query parameters of ``GET /api/v1/ping``
    (:meth:`query_parameters`): a back office that does not know them ignores them,
    and a ping without them (an older till) reports nothing, so either end may be
    older than the other."""

    software_version: VersionText
    outbox_depth: Count
    parked_events: Count

    def query_parameters(self) -> dict[str, str]:
        """The report as the ping's query parameters."""
        return {
            "software_version": self.software_version,
            "outbox_depth": str(self.outbox_depth),
            "parked_events": str(self.parked_events),
        }


class ChangesReply(_Message):
    """``GET /api/v1/changes``: one page of records (each checked by the store when it
    applies it: one it cannot read is kept aside, S9) and the cursor that follows it
    (S7, S16)."""

    records: list[Any]
    cursor: StrictStr
    has_more: StrictBool = False
    snapshot: StrictBool = False
    snapshot_complete: StrictBool = False


class EventResult(_Message):
    """The back office's outcome of one uploaded event, with its stable reason; for a
    duplicate, the outcome its key got the first time."""

    idempotency_key: StrictStr
    outcome: Outcome
    reason: StrictStr | None = None
    detail: StrictStr | None = None  # the reason in words (the field at fault, the clash)
    first_outcome: Outcome | None = None

    @property
    def settled(self) -> Outcome:
        """The outcome that counts: a duplicate's first outcome when it had one (the
        answer to the first send may have been lost)."""
        return self.first_outcome or self.outcome


class UploadReply(_Message):
    """``POST /api/v1/events``: one result per event, in order, and the server's clock."""

    results: list[EventResult] = Field(default_factory=list)
    server_time: StrictStr | None = None
