"""A coupon pack returned at the till (COUPON-PACK-RULES K4, K14): a manager refunds the
whole pack bought on a closed ticket, when none of its coupons was used here or (as far
as the till has synced) anywhere else; the price goes back in cash or to the card, the
pack's coupons stop being redeemable here, and ``pack.refunded`` (without a conflict key:
a refund request) tells the back office, which refunds the purchase through its one
refund path: coupons withdrawn from every till, the unit back, the member's limits
freed. One transaction (S1)."""

from __future__ import annotations

from datetime import datetime

from pos_app.engine.price_book import PriceBook
from pos_app.store.pack_ledger import SoldRecord
from pos_app.store.unit_of_work import TillDatabase, UnitOfWork
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.pack_refund_writes import write_pack_refund
from pos_app.till.payments import as_method
from pos_app.till.refunds import unknown_sale

PACK_RETURNED = "pack.returned"  # the audit-log action


def _used_refusal(uow: UnitOfWork, sale: SoldRecord, book: PriceBook) -> TillRefusal | None:
    """Why the pack cannot be refunded: one of its coupons was used (in words)."""
    for coupon in sale.coupons:
        name = book.coupon_name(coupon["coupon_code"])
        ticket = uow.closed_tickets.redeemed_on(coupon["code"])
        where = f" on ticket {ticket}" if ticket else ""
        if ticket or uow.packs.entitlement_status(coupon["code"]) == "redeemed":
            return TillRefusal(
                TillCode.PACK_COUPON_USED,
                f"The coupon “{name}” of {sale.pack_name} was used{where or ' at another till'}:"
                " only a whole pack with no coupon used can be refunded",
            )
    return None


def return_pack_line(
    database: TillDatabase,
    book: PriceBook,
    *,
    number: str,
    line_id: str,
    method: str,
    note: str,
    manager: str,
    store_id: str,
    now: datetime,
) -> SoldRecord:
    """Refund the pack sold on line ``line_id`` of ticket ``number`` (see above), or
    refuse naming what stands in the way; nothing is written then."""
    paid_back = as_method(method)
    if paid_back is None:
        raise TillRefusal(TillCode.INVALID_METHOD, f"Refund by cash or card, not {method!r}")
    with database.unit_of_work() as uow:
        stored = uow.closed_tickets.sale_numbered(number.strip()) if number.strip() else None
        if stored is None:
            raise unknown_sale(number)
        sale = uow.packs.sale_on_line(stored.ticket_id, line_id)
        if sale is None:
            raise TillRefusal(
                TillCode.NOT_A_PACK_SALE, f"Ticket {number.strip()} has no coupon pack on that line"
            )
        if uow.packs.is_refunded(sale.sale_id):
            raise TillRefusal(TillCode.ALREADY_RESOLVED, f"{sale.pack_name} was already refunded")
        if uow.packs.refunded_by_back_office(sale.sale_id):
            raise TillRefusal(
                TillCode.ALREADY_RESOLVED,
                f"{sale.pack_name} was already refunded by the back office: pay nothing back",
            )
        if uow.conflicts.get(sale.event_key) is not None:
            raise TillRefusal(
                TillCode.NOT_A_PACK_SALE,
                f"The back office did not accept this sale of {sale.pack_name}:"
                " refund it from the conflict list",
            )
        refusal = _used_refusal(uow, sale, book)
        if refusal is not None:
            raise refusal
        words = note.strip() or "returned at the till"
        write_pack_refund(
            uow,
            sale,
            audit_action=PACK_RETURNED,
            method=paid_back,
            paid_back=paid_back,
            manager=manager,
            store_id=store_id,
            now=now,
            note=words,
        )
        uow.commit()
    return sale
