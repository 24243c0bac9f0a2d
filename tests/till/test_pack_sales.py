"""Selling coupon packs with an order at the till (COUPON-PACK-RULES K12-K15): the checks
and their words, closing with the pack (S1), the coupons usable at once offline, and the
refund of a sale the back office did not accept."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from pos_app.engine import (
    AddItem,
    Close,
    Redeem,
    Refusal,
    RefusalCode,
    RemoveLine,
    SellPack,
)
from pos_app.protocol.events import EventType
from pos_app.protocol.pack_codes import block_prefix, parse_block_code
from pos_app.protocol.payloads import PackRefunded, PackSold, TicketClosed
from pos_app.store.models.members import Entitlement
from pos_app.store.models.packs import PackRefund, PackSale
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.commands import PayCard, PayCash, RefundPackSale
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.manager import Actor
from pos_app.till.members import validity_text
from pos_app.till.refunds import PACK_NOT_RETURNED
from pos_app.till.returns import RefundDone
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import AttachMember, DetachMember, RefundSale
from pos_app.till.wallet import open_wallet
from tests.helpers.device_clock import FakeClock
from tests.helpers.till_packs import TEA_PACK_ID, confirmed_purchase, pack_data, record, stock_till
from tests.till.conftest import Snapshot

ADA = "M-1001"


def sell_pack(runtime: TillRuntime, member: str = ADA, *, items: tuple[str, ...] = ()) -> Any:
    """Ring up ``items`` and the tea pack for ``member``, pay cash, close; what closing did."""
    till = runtime.till
    till.handle(AttachMember(member))
    for sku in items:
        till.handle(AddItem(None, sku))
    till.handle(SellPack(TEA_PACK_ID))
    till.handle(PayCash(str(till.amount_due)))
    return till.handle(Close())


def refused(runtime: TillRuntime, command: Any, code: TillCode | RefusalCode) -> str:
    """``command`` is refused with ``code``; its message."""
    with pytest.raises((TillRefusal, Refusal)) as caught:
        runtime.till.handle(command)
    refusal = caught.value
    assert isinstance(refusal, TillRefusal | Refusal)
    assert refusal.code == code, refusal
    return refusal.message


def events(runtime: TillRuntime) -> list[dict[str, Any]]:
    return runtime.sync_store.pending_events(limit=100)


def test_a_pack_sold_with_an_order_closes_with_the_ticket(runtime: TillRuntime) -> None:
    """K12, S1: the pack is a line at its price; closing writes ticket.closed (the pack in
    ``packs``, counted in the total) then one pack.sold with the coupons, in the
    till's code block, valid 30 days from the sale."""
    stock_till(runtime)
    closed = sell_pack(runtime, items=("BURGER", "COLA"))
    assert closed.priced.total == Decimal("25.00")  # 12.00 + 3.00 + the 10.00 pack
    (sold,) = closed.packs_sold
    assert (sold.name, sold.member_name, sold.price) == ("Tea lover's pack", "Ada Lovelace", 10)
    assert [parse_block_code(c.code) for c in sold.coupons] == [(1, 0), (1, 1)]
    assert sold.coupons[0].valid_from == "2026-11-21T12:00:00+00:00"
    assert sold.coupons[0].valid_to == "2026-12-21T11:59:59.999999+00:00"
    ticket_event, pack_event = events(runtime)
    assert (ticket_event["type"], pack_event["type"]) == ("ticket.closed", "pack.sold")
    ticket = TicketClosed.model_validate(ticket_event["payload"])
    assert [line.sku for line in ticket.lines] == ["BURGER", "COLA"]
    assert ticket.total == "25.00"
    (pack_line,) = ticket.packs
    assert (pack_line.price, pack_line.sale_id) == ("10.00", sold.sale_id)
    sale = PackSold.model_validate(pack_event["payload"])
    assert (sale.sale_id, sale.ticket_id, sale.member_id) == (
        sold.sale_id,
        closed.closed_ticket_id,
        ADA,
    )
    assert (sale.price, sale.currency, str(sale.local_date)) == ("10.00", "USD", "2026-11-21")
    assert [c.code for c in sale.coupons] == [c.code for c in sold.coupons]


def test_the_packs_coupons_are_usable_on_the_next_ticket_offline(runtime: TillRuntime) -> None:
    """K15: with no back office at all, a coupon of the pack just sold is redeemed on the
    next ticket, once; the till knows it is spent afterwards."""
    stock_till(runtime)
    first, _ = sell_pack(runtime).packs_sold[0].coupons
    till = runtime.till
    till.handle(AddItem(None, "BURGER"))
    till.handle(Redeem(first.code))
    assert till.priced.coupons[first.code].amount == Decimal("4.00")
    till.handle(PayCard(str(till.amount_due)))
    till.handle(Close())
    till.handle(AddItem(None, "BURGER"))
    assert "already redeemed" in refused(runtime, Redeem(first.code), RefusalCode.ALREADY_APPLIED)


def test_a_restarted_till_still_knows_the_coupons(
    runtime: TillRuntime, data_dir: Any, clock: FakeClock
) -> None:
    """K15: the coupons are the member's entitlements in the till's database: a restarted
    till redeems them too."""
    stock_till(runtime)
    code = sell_pack(runtime).packs_sold[0].coupons[1].code
    restarted = runtime.new_till()
    restarted.handle(AddItem(None, "FRIES"))
    restarted.handle(Redeem(code))
    with UnitOfWork(runtime.database.sessions) as uow:
        held = uow.session.get(Entitlement, code)
        assert held is not None and (held.member_id, held.pack_name) == (ADA, "Tea lover's pack")


@pytest.mark.parametrize(
    ("overrides", "code", "words"),
    [
        ({"channels": ["mall"]}, TillCode.PACK_NOT_AT_TILL, "is sold online only"),
        ({"stores": ["OTHER-1"]}, TillCode.PACK_NOT_AT_STORE, "is not sold at this store"),
        (
            {"sales_period": {"first_day": "2026-12-01", "last_day": "2026-12-31"}},
            TillCode.PACK_NOT_ON_SALE,
            "goes on sale on 1 December 2026",
        ),
        (
            {"sales_period": {"first_day": "2026-10-01", "last_day": "2026-11-20"}},
            TillCode.PACK_NOT_ON_SALE,
            "was on sale until 20 November 2026",
        ),
    ],
)
def test_each_check_says_which_failed_and_writes_nothing(
    runtime: TillRuntime,
    snapshot: Callable[[], Snapshot],
    overrides: dict[str, Any],
    code: TillCode,
    words: str,
) -> None:
    """K12: the channel, the store and the sales period (inclusive local days) refuse a
    sale in words a cashier can repeat; nothing is written."""
    stock_till(runtime, pack_data(**overrides))
    runtime.till.handle(AttachMember(ADA))
    before = snapshot()
    message = refused(runtime, SellPack(TEA_PACK_ID), code)
    assert message == f"Tea lover's pack {words}"
    assert snapshot() == before


def test_a_pack_needs_a_member_this_till_knows(runtime: TillRuntime) -> None:
    """K12: no member on the ticket, no pack; an unknown member cannot be attached."""
    stock_till(runtime)
    message = refused(runtime, SellPack(TEA_PACK_ID), RefusalCode.NOT_APPLICABLE)
    assert "find the customer by phone first" in message
    refused(runtime, AttachMember("M-NOBODY"), TillCode.UNKNOWN_MEMBER)


def test_limits_count_what_the_back_office_confirmed_plus_unsynced_sales(
    runtime: TillRuntime, clock: FakeClock, grace: Actor
) -> None:
    """K12: a total limit of 3 and a daily limit of 1: one purchase the back office
    confirmed yesterday, one sold here today and not synced: a second today is refused
    (daily); tomorrow one is on the ticket, so a second is refused (total: 2 bought and
    1 on the ticket); another member is not affected; Ada, with 3 bought, is refused."""
    stock_till(runtime, pack_data(limits={"total": 3, "daily": 1}))
    runtime.sync_store.apply_changes_page([confirmed_purchase("MALL-1", ADA, "2026-11-20")], None)
    sell_pack(runtime)
    till = runtime.till
    till.handle(AttachMember(ADA))
    message = refused(runtime, SellPack(TEA_PACK_ID), TillCode.PACK_LIMIT_DAILY)
    assert message == ("Ada Lovelace has bought Tea lover's pack once today: the limit is 1 a day")
    clock.advance(days=1)
    till.handle(SellPack(TEA_PACK_ID))
    message = refused(runtime, SellPack(TEA_PACK_ID), TillCode.PACK_LIMIT_TOTAL)
    assert message == (
        "Ada Lovelace has bought Tea lover's pack 2 times already: the limit is 3 per member"
    )
    till.handle(PayCash("10"))
    till.handle(Close())
    till.handle(AttachMember("M-1002"))
    till.handle(SellPack(TEA_PACK_ID))
    till.handle(RemoveLine("L1"), grace)  # voiding a line is a manager's (till/manager.py)
    till.handle(AttachMember(ADA))
    refusal = till.refusal_for(SellPack(TEA_PACK_ID))
    assert refusal is not None and refusal.code == TillCode.PACK_LIMIT_TOTAL


def test_offline_a_limited_pack_sells_its_quota_and_no_more(
    runtime: TillRuntime, snapshot: Callable[[], Snapshot]
) -> None:
    """K13: two units granted to this till: two sales, then a clear refusal while
    offline; nothing is written by the refusal."""
    stock_till(runtime, pack_data(inventory=50), granted={TEA_PACK_ID: 2})
    sell_pack(runtime)
    sell_pack(runtime, "M-1002")
    runtime.till.handle(AttachMember(ADA))
    before = snapshot()
    message = refused(runtime, SellPack(TEA_PACK_ID), TillCode.PACK_SOLD_OUT)
    assert message == (
        "Tea lover's pack is sold out at this till while it is offline: it can sell more"
        " once it is back online"
    )
    assert snapshot() == before
    (offer,) = runtime.till.packs_on_sale()
    assert (offer.units_left, offer.sellable, offer.code) == (0, False, "PACK_SOLD_OUT")


def test_without_codes_the_till_refuses_until_it_gets_a_block(runtime: TillRuntime) -> None:
    """K15: a pack issues two coupons; a block of three codes sells one pack, then the till
    says it needs to sync; a new block lets it sell again, with codes of that block."""
    stock_till(runtime, blocks=(5,), block_size=3)
    sell_pack(runtime)
    runtime.till.handle(AttachMember(ADA))
    message = refused(runtime, SellPack(TEA_PACK_ID), TillCode.PACK_CODES_EXHAUSTED)
    assert "gets more when it next syncs" in message
    stock_till(runtime, blocks=(6,), block_size=3)
    runtime.till.handle(SellPack(TEA_PACK_ID))
    runtime.till.handle(PayCash("10"))
    codes = [c.code for c in runtime.till.handle(Close()).packs_sold[0].coupons]
    assert codes == [block_prefix(5) + "AAAC", block_prefix(6) + "AAAA"]


def test_a_failure_while_issuing_writes_nothing(
    runtime: TillRuntime, snapshot: Callable[[], Snapshot], monkeypatch: pytest.MonkeyPatch
) -> None:
    """S1, K15: a crash while the pack's sale is written leaves no ticket, no sale, no
    coupon, no event and no code used; the ticket is still open, and closes after."""
    stock_till(runtime)
    till = runtime.till
    till.handle(AttachMember(ADA))
    till.handle(SellPack(TEA_PACK_ID))
    till.handle(PayCash("10"))
    before, state = snapshot(), till.state

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr("pos_app.store.pack_ledger.write_sale", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        till.handle(Close())
    assert snapshot() == before and till.state == state
    monkeypatch.undo()
    codes = [c.code for c in till.handle(Close()).packs_sold[0].coupons]
    assert codes == [block_prefix(1) + "AAAA", block_prefix(1) + "AAAB"]


def _conflict(runtime: TillRuntime, reason: str = "PACK_LIMIT_EXCEEDED") -> str:
    """The back office answers the pending pack.sold with a conflict; its key."""
    pending = events(runtime)
    key = next(str(e["idempotency_key"]) for e in pending if e["type"] == EventType.PACK_SOLD)
    for event in pending:
        conflict = event["idempotency_key"] == key
        runtime.sync_store.record_outcome(
            str(event["idempotency_key"]),
            "conflict" if conflict else "accepted",
            reason if conflict else None,
        )
    return key


def test_a_sale_in_conflict_is_refunded_by_a_recorded_reversal(
    runtime: TillRuntime, grace: Actor
) -> None:
    """K14: the back office made the sale a PACK_LIMIT_EXCEEDED conflict: a manager
    refunds it; the refund is recorded, the coupons are withdrawn, the conflict is
    resolved and pack.refunded then conflict.resolved go up; the sale stays."""
    stock_till(runtime)
    sold = sell_pack(runtime).packs_sold[0]
    key = _conflict(runtime)
    refused(runtime, RefundPackSale(key), TillCode.MANAGER_REQUIRED)
    runtime.till.handle(RefundPackSale(key, "cash", "paid back 10.00"), grace)
    with UnitOfWork(runtime.database.sessions) as uow:
        session = uow.session
        assert session.get(PackSale, sold.sale_id) is not None  # nothing deleted
        refund = session.get(PackRefund, sold.sale_id)
        assert refund is not None
        assert (refund.amount, refund.method, refund.manager) == (Decimal("10.00"), "cash", "Grace")
        statuses = session.scalars(
            select(Entitlement.status).where(Entitlement.code.in_([c.code for c in sold.coupons]))
        ).all()
        assert statuses == ["revoked", "revoked"]
    assert runtime.sync_store.conflicts() == []
    (resolved,) = runtime.sync_store.conflicts(open_only=False)
    assert resolved.resolution == "refunded"
    refund_event, follow_up = events(runtime)
    assert (refund_event["type"], follow_up["type"]) == ("pack.refunded", "conflict.resolved")
    refunded = PackRefunded.model_validate(refund_event["payload"])
    assert (refunded.sale_id, refunded.amount, refunded.conflict_key) == (
        sold.sale_id,
        "10.00",
        key,
    )
    runtime.till.handle(AddItem(None, "BURGER"))
    refused(runtime, Redeem(sold.coupons[0].code), RefusalCode.UNKNOWN)
    refused(runtime, RefundPackSale(key), TillCode.MANAGER_REQUIRED)
    with pytest.raises(TillRefusal) as again:
        runtime.till.handle(RefundPackSale(key), grace)
    assert again.value.code == TillCode.ALREADY_RESOLVED


def test_only_a_pack_sale_is_refunded(runtime: TillRuntime, grace: Actor) -> None:
    """K14: a conflict about a ticket (a coupon redeemed twice) is not a pack refund."""
    runtime.till.handle(AddItem(None, "COLA"))
    runtime.till.handle(PayCash("3"))
    runtime.till.handle(Close())
    (event,) = events(runtime)
    runtime.sync_store.record_outcome(
        event["idempotency_key"], "conflict", "COUPON_ALREADY_REDEEMED"
    )
    with pytest.raises(TillRefusal) as caught:
        runtime.till.handle(RefundPackSale(event["idempotency_key"]), grace)
    assert caught.value.code == TillCode.NOT_A_PACK_SALE


def test_a_sale_in_conflict_no_longer_counts_toward_the_limit(runtime: TillRuntime) -> None:
    """K12, K14: the back office did not take a sale in conflict, so the member's limit
    counts without it."""
    stock_till(runtime, pack_data(limits={"daily": 1}))
    sell_pack(runtime)
    runtime.till.handle(AttachMember(ADA))
    refused(runtime, SellPack(TEA_PACK_ID), TillCode.PACK_LIMIT_DAILY)
    _conflict(runtime)
    runtime.till.handle(SellPack(TEA_PACK_ID))


def test_the_wallet_shows_a_not_yet_valid_coupon_as_not_usable_with_its_date(
    runtime: TillRuntime, clock: FakeClock
) -> None:
    """K15, the wallet: a pack whose second coupon starts the day after the sale shows
    the first usable on the next ticket and the second not yet, with the date it
    starts; the next day it is usable; past its validity it is expired."""
    content = [
        {"coupon_code": "MV-4", "quantity": 1, "effective": "immediate", "validity_days": 30},
        {
            "coupon_code": "MV-4",
            "quantity": 1,
            "effective": "after_days",
            "delay": 1,
            "validity_days": 7,
        },
    ]
    stock_till(runtime, pack_data(content=content))
    now_code, later_code = (c.code for c in sell_pack(runtime).packs_sold[0].coupons)
    till = runtime.till
    till.handle(AttachMember(ADA))
    till.handle(AddItem(None, "BURGER"))
    wallet = open_wallet(till, runtime.database)
    assert wallet is not None and wallet.member.name == "Ada Lovelace"
    (pack,) = wallet.member.packs
    states = {c.code: (c.usable, c.reason) for c in pack.coupons}
    assert states[now_code] == (True, "")
    assert states[later_code] == (False, "not valid yet")
    later = next(c for c in pack.coupons if c.code == later_code)
    assert validity_text(later) == "valid 2026-11-22 00:00 to 2026-11-28 23:59"
    clock.advance(days=1)
    wallet = open_wallet(till, runtime.database)
    assert wallet is not None and all(c.usable for c in wallet.coupons)
    clock.advance(days=8)
    wallet = open_wallet(till, runtime.database)
    assert wallet is not None
    expired = {c.code: c.reason for c in wallet.coupons}[later_code]
    assert expired == "expired"


def test_the_wallet_says_whether_a_coupon_fits_this_ticket(runtime: TillRuntime) -> None:
    """The wallet: a coupon on the ticket says so; one that cannot apply to the ticket as
    it is gives the engine's reason; redeeming from the wallet is Redeem."""
    stock_till(runtime)
    first, second = sell_pack(runtime).packs_sold[0].coupons
    till = runtime.till
    till.handle(AttachMember(ADA))
    wallet = open_wallet(till, runtime.database)
    assert wallet is not None
    assert {c.code: c.reason for c in wallet.coupons}[first.code].endswith("the ticket is empty")
    till.handle(AddItem(None, "BURGER"))
    till.handle(Redeem(first.code))
    wallet = open_wallet(till, runtime.database)
    assert wallet is not None
    reasons = {c.code: (c.usable, c.reason) for c in wallet.coupons}
    assert reasons == {first.code: (False, "on this ticket"), second.code: (True, "")}
    (offer,) = wallet.packs_on_sale
    assert (offer.name, offer.price, offer.units_left, offer.sellable) == (
        "Tea lover's pack",
        Decimal("10.00"),
        None,
        True,
    )


def test_an_archived_pack_is_no_longer_sold_even_on_an_open_ticket(
    runtime: TillRuntime, grace: Actor
) -> None:
    """K12, S7: a pack's tombstone takes it off the till; a ticket holding it cannot close
    until its line is voided."""
    stock_till(runtime)
    till = runtime.till
    till.handle(AttachMember(ADA))
    till.handle(SellPack(TEA_PACK_ID))
    till.handle(PayCash("10"))
    runtime.sync_store.apply_changes_page([record("pack", TEA_PACK_ID, {}, deleted=True)], None)
    till.reload_configuration()
    assert "not sold any more" in refused(runtime, Close(), TillCode.PACK_NOT_SOLD)
    till.handle(RemoveLine("L1"), grace)
    assert till.state.is_empty and till.packs_on_sale() == ()


def test_the_pack_sale_payload_is_what_the_back_office_reads(runtime: TillRuntime) -> None:
    """K12, S3: the stored coupons of the sale are the pack.sold payload's coupons."""
    stock_till(runtime)
    sold = sell_pack(runtime).packs_sold[0]
    (_, pack_event) = events(runtime)
    with UnitOfWork(runtime.database.sessions) as uow:
        sale = uow.session.get(PackSale, sold.sale_id)
        assert sale is not None
        assert json.loads(sale.coupons) == pack_event["payload"]["coupons"]
        assert sale.event_key == pack_event["idempotency_key"]
        assert sale.sold_at - runtime.clock() < timedelta(seconds=1)


def test_the_member_on_the_ticket_survives_a_restart_and_keeps_their_pack(
    runtime: TillRuntime, grace: Actor
) -> None:
    """K12: the member put on the ticket is restored with it; while the ticket holds a
    pack sold to them, neither another member nor none can take their place; a pack for
    someone else goes on a ticket of its own."""
    stock_till(runtime)
    till = runtime.till
    till.handle(AttachMember(ADA))
    assert till.handle(SellPack(TEA_PACK_ID)).member_name == "Ada Lovelace"
    restarted = runtime.new_till()
    assert restarted.member == (ADA, "Ada Lovelace")
    for command in (AttachMember("M-1002"), DetachMember()):
        with pytest.raises(TillRefusal) as caught:
            restarted.handle(command)
        assert "void that line first" in caught.value.message
    with pytest.raises(TillRefusal) as other:
        restarted.handle(SellPack(TEA_PACK_ID, member_id="M-1002"))
    assert other.value.message.startswith("This ticket is for Ada Lovelace")
    restarted.handle(RemoveLine("L1"), grace)
    assert restarted.handle(DetachMember()).member_name is None


def test_selling_to_a_named_member_puts_them_on_the_ticket(runtime: TillRuntime) -> None:
    """K12: SellPack for a member on a ticket for no one makes the ticket theirs."""
    stock_till(runtime)
    change = runtime.till.handle(SellPack(TEA_PACK_ID, member_id="M-1002"))
    assert change.member_name == "Grace Hopper" and change.line_id == "L1"
    assert runtime.till.member == ("M-1002", "Grace Hopper")


def test_a_return_gives_back_the_items_and_says_the_pack_stays(runtime: TillRuntime) -> None:
    """A return of a ticket holding a pack refunds its items only; the pack is listed with
    how it is refunded (whole, by a manager: ReturnPackLine); a ticket of a pack alone has
    no line to return, and the refusal says why. The pack sale is untouched."""
    stock_till(runtime)
    with_items = sell_pack(runtime, items=("BURGER",))
    sale = runtime.till.desk.find_sale(with_items.number)
    assert [line.sku for line in sale.lines] == ["BURGER"]
    assert sale.packs == (
        (with_items.packs_sold[0].line_id, "Tea lover's pack", Decimal("10.00"), False),
    )
    done = runtime.till.handle(RefundSale(with_items.number, "cash")).outcome
    assert isinstance(done, RefundDone) and done.amount == Decimal("12.00")

    alone = sell_pack(runtime, member="M-1002")
    assert runtime.till.desk.find_sale(alone.number).fully_returned is False
    message = refused(runtime, RefundSale(alone.number, "cash"), TillCode.NOTHING_TO_RETURN)
    assert message == f"{alone.number} holds only coupon packs: {PACK_NOT_RETURNED}"
    with UnitOfWork(runtime.database.sessions) as uow:
        assert uow.session.scalars(select(PackRefund)).all() == []
        assert len(uow.session.scalars(select(PackSale)).all()) == 2
