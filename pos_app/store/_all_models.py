"""Every model, imported so that ``Base.metadata`` is complete (Alembic's env.py)."""

from pos_app.store.base import Base
from pos_app.store.models.audit import AuditEntry
from pos_app.store.models.configuration import (
    AutoExecuteOverride,
    CatalogItem,
    CouponRecord,
    PromotionRecord,
    StoreInfo,
)
from pos_app.store.models.device import Device
from pos_app.store.models.managers import CashierPermission, PinGuard
from pos_app.store.models.members import Entitlement, Member
from pos_app.store.models.outbox import Conflict, OutboxEvent
from pos_app.store.models.packs import (
    PackAllotment,
    PackCodeBlock,
    PackPurchaseRecord,
    PackRecord,
    PackRefund,
    PackSale,
)
from pos_app.store.models.shifts import (
    CouponReversal,
    LineTax,
    ParkedTicket,
    Refund,
    RefundLine,
    Shift,
    TicketHeader,
)
from pos_app.store.models.staff import Approval, CashMove, StaffMember, StaffSignIn
from pos_app.store.models.sync_state import SetAsideRecord, SnapshotKey, SyncCursor
from pos_app.store.models.tickets import (
    ClosedTicket,
    LineAdjustment,
    OpenTicket,
    Payment,
    TicketCoupon,
    TicketLine,
)

__all__ = [
    "Approval",
    "AuditEntry",
    "AutoExecuteOverride",
    "Base",
    "CashMove",
    "CashierPermission",
    "CatalogItem",
    "ClosedTicket",
    "Conflict",
    "CouponRecord",
    "CouponReversal",
    "Device",
    "Entitlement",
    "LineAdjustment",
    "LineTax",
    "Member",
    "OpenTicket",
    "OutboxEvent",
    "PackAllotment",
    "PackCodeBlock",
    "PackPurchaseRecord",
    "PackRecord",
    "PackRefund",
    "PackSale",
    "ParkedTicket",
    "Payment",
    "PinGuard",
    "PromotionRecord",
    "Refund",
    "RefundLine",
    "SetAsideRecord",
    "Shift",
    "SnapshotKey",
    "StaffMember",
    "StaffSignIn",
    "StoreInfo",
    "SyncCursor",
    "TicketCoupon",
    "TicketHeader",
    "TicketLine",
]
