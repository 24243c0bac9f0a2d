"""What a till asks the back office for before it sells packs (COUPON-PACK-RULES K13,
K15), beside the change log: ``POST /api/v1/till/pack-supplies`` (its quota of each
limited pack and its blocks of coupon codes, fetched at every sync after the download)
and ``POST /api/v1/till/pack-reservations`` (one unit reserved for a sale while online).
Both ends validate with these models.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt, StrictStr

from pos_app.protocol.pack_codes import MAX_BLOCK_SIZE
from pos_app.protocol.payloads import IdempotencyKey

RESERVED: Final = "reserved"
REFUSED: Final = "refused"


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PackSuppliesRequest(_Message):
    """How many coupon codes the till has left in the blocks it knows: below the low
    mark, the back office reserves it a new block."""

    codes_left: StrictInt = Field(ge=0)


class Allotment(_Message):
    """Units of a limited pack granted to this till so far, in all (cumulative, so a lost
    reply costs nothing: the next one says it again)."""

    pack_id: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    granted: StrictInt = Field(ge=0)


class CodeBlock(_Message):
    """A block of codes reserved for this till alone (``prefix`` + index < ``size``)."""

    prefix: Annotated[StrictStr, Field(min_length=1, max_length=16)]
    size: StrictInt = Field(ge=1, le=MAX_BLOCK_SIZE)
    reserved_at: AwareDatetime


class PackSupplies(_Message):
    """The reply: every limited pack this till may sell with its units granted, and the
    till's most recent code blocks."""

    allotments: list[Allotment]
    code_blocks: list[CodeBlock]


class ReservationRequest(_Message):
    """One unit of ``pack_id`` for a sale to ``member_id``; ``reservation_key`` makes a
    repeated request harmless."""

    reservation_key: IdempotencyKey
    pack_id: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    member_id: Annotated[StrictStr, Field(min_length=1, max_length=128)]


class Reservation(_Message):
    """``reserved`` (and, for a limited pack, the till's units granted in all, this one
    counted) or ``refused`` with a stable reason and a sentence for the cashier."""

    outcome: Literal["reserved", "refused"]
    reason: StrictStr | None = None
    detail: StrictStr | None = None
    granted: StrictInt | None = Field(default=None, ge=0)
