"""The sync API's requests and replies as the till sends and reads them
(docs/sync-protocol.md): enrolling, the ping, a page of changes and the results of an
upload. Event payloads are :mod:`.payloads`; pack supplies :mod:`.pack_supplies`.

Replies are read leniently (a field the till does not use is ignored, one it does
must have its type): a reply that does not fit is a malformed reply, never half
read.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

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
