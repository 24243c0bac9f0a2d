"""What the back office answers for each uploaded event (protocol "Upload" results)."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """The four outcomes of S4/S5/S6."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class RejectReason(StrEnum):
    """Why an event was rejected; stable codes the till parks the event with (S5)."""

    MALFORMED_EVENT = "MALFORMED_EVENT"
    UNKNOWN_EVENT_TYPE = "UNKNOWN_EVENT_TYPE"
    UNKNOWN_EVENT_VERSION = "UNKNOWN_EVENT_VERSION"
    FOREIGN_STORE = "FOREIGN_STORE"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"


class ConflictReason(StrEnum):
    """Why an event that was stored is a conflict the store manager must follow up (S6)."""

    COUPON_ALREADY_REDEEMED = "COUPON_ALREADY_REDEEMED"
    PACK_LIMIT_EXCEEDED = "PACK_LIMIT_EXCEEDED"  # a member's limit reached through another till
    PACK_SOLD_OUT = "PACK_SOLD_OUT"  # beyond the inventory: never, while tills keep their quota
    TICKET_NUMBER_REUSED = "TICKET_NUMBER_REUSED"  # a second sale under a till's number
    COUPON_WITHDRAWN = "COUPON_WITHDRAWN"  # a coupon of a refunded pack, presented offline
    PACK_REFUND_REFUSED = "PACK_REFUND_REFUSED"  # a pack returned at a till had a coupon used


class DuplicateReason(StrEnum):
    """Why an event under a new key is still a duplicate of one already stored."""

    TICKET_ALREADY_RECEIVED = "TICKET_ALREADY_RECEIVED"
    REFUND_ALREADY_RECEIVED = "REFUND_ALREADY_RECEIVED"
    SHIFT_ALREADY_RECEIVED = "SHIFT_ALREADY_RECEIVED"
    PACK_SALE_ALREADY_RECEIVED = "PACK_SALE_ALREADY_RECEIVED"
