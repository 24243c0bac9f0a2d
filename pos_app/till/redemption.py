"""Redeeming a coupon code and scanning a barcode at the till.

A code finds its coupon by the protocol's rules (:mod:`pos_app.protocol.coupon_codes`:
case, platform prefixes, provisional codes, S14); a single-use code (an entitlement, a
coupon marked single use, a provisional code) already taken on a closed ticket of this
till, and not given back by a return, is refused. A refusal names the coupon or
promotion and the lines it is about (:func:`~pos_app.till.ticket_diff.explained_refusal`).
"""

from __future__ import annotations

from pos_app.engine import (
    AddItem,
    CouponDefinition,
    Redeem,
    RedemptionPreview,
    Refusal,
    RefusalCode,
)
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.names import names_for
from pos_app.till.services import TillServices
from pos_app.till.ticket_change import TicketChange
from pos_app.till.ticket_diff import explained_refusal


def redeem(services: TillServices, code: str) -> TicketChange:
    """Redeem ``code`` on the open ticket; a refusal is the engine's, not yet explained."""
    code, provisional = redemption_target(services, code)
    return services.ticket.apply(Redeem(code), with_coupons=provisional)


def preview_redemption(services: TillServices, code: str) -> RedemptionPreview:
    """What redeeming ``code`` would do to the open ticket, tried on a copy: the coupon's
    saving, the promotions and discounts it displaces and the bill's change (R7, seed
    §5.1). Raises the refusal the redemption would meet, explained; writes nothing."""
    try:
        code, provisional = redemption_target(services, code)
        return services.ticket.preview_redemption(code, with_coupons=provisional)
    except Refusal as refused:
        raise explained(services, refused, code=code) from None


def redemption_target(
    services: TillServices, code: str
) -> tuple[str, tuple[CouponDefinition, ...]]:
    """The coupon code as the book knows it, and the provisional definition to price it
    with (S14) when the till cannot know it. A single-use code already redeemed on a
    closed ticket of this till is refused."""
    ticket, codes = services.ticket, services.configuration.codes
    provisional: CouponDefinition | None = None
    if isinstance(code, str) and code not in ticket.book.coupons:
        code = codes.known_as(code)
    if isinstance(code, str) and code not in ticket.book.coupons:
        platform = codes.platform_of(code)
        if platform is not None and not platform.verify_later:
            label = platform.definition.name or platform.definition.code
            raise Refusal(
                RefusalCode.UNKNOWN,
                f"Coupon {code} ({label}) cannot be verified at the till; it is not"
                " accepted offline",
            )
        provisional = codes.provisional(code)
    if isinstance(code, str) and (code in codes.single_use or provisional):
        with services.database.unit_of_work() as uow:
            earlier = uow.closed_tickets.redeemed_on(code)
        if earlier is not None:
            raise Refusal(
                RefusalCode.ALREADY_APPLIED,
                f"Coupon {code} was already redeemed (ticket {earlier})",
            )
    return code, (provisional,) if provisional is not None else ()


def explained(
    services: TillServices, refusal: Refusal, *, code: object = None, promotion_id: object = None
) -> Refusal:
    """An engine refusal of a redemption or trigger, naming the coupon or promotion
    and the lines concerned."""
    ticket = services.ticket
    if isinstance(code, str):
        code = services.configuration.codes.known_as(code)
    return explained_refusal(
        refusal,
        code=code if isinstance(code, str) else None,
        promotion_id=promotion_id if isinstance(promotion_id, str) else None,
        book=ticket.book,
        state=ticket.state,
        priced=ticket.priced,
        names=names_for(ticket.book, ticket.state),
    )


def preview_scan(services: TillServices, code: str) -> RedemptionPreview | None:
    """What a typed or scanned code would do as a coupon (:func:`preview_redemption`);
    None for an item's barcode or no code at all (a scan rings the item up or is
    refused, and no coupon is redeemed). Writes nothing."""
    typed = code.strip()
    if not typed or _barcode_sku(services, typed) is not None:
        return None
    return preview_redemption(services, typed)


def _barcode_sku(services: TillServices, typed: str) -> str | None:
    """The item whose barcode ``typed`` is (a barcode comes before a coupon code)."""
    return services.configuration.current.barcodes.get(typed)


def scan(services: TillServices, code: object) -> TicketChange:
    """An item's barcode rings the item up; any other code is redeemed."""
    typed = code.strip() if isinstance(code, str) else ""
    if not typed:
        raise TillRefusal(TillCode.UNKNOWN_TICKET, "Type or scan a code")
    ticket = services.ticket
    sku = _barcode_sku(services, typed)
    if sku is not None:
        line_id = ticket.new_line_id()
        return ticket.apply(AddItem(line_id, sku), line_id=line_id)
    try:
        return redeem(services, typed)
    except Refusal as refusal:
        if refusal.code is RefusalCode.UNKNOWN:
            raise Refusal(RefusalCode.UNKNOWN, f"No item or coupon has the code {typed}") from None
        raise explained(services, refusal, code=typed) from None
