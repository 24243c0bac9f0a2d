"""The price book read from the store: definitions, overrides (R12), entitlements."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from pos_app.store.models.configuration import AutoExecuteOverride
from pos_app.store.sync_store import SyncStore
from pos_app.store.till_configuration import load_configuration
from pos_app.store.unit_of_work import UnitOfWork
from tests.store.conftest import NOW

PAGE = [
    {
        "kind": "store",
        "version": 1,
        "id": "DEMO-1",
        "data": {"id": "DEMO-1", "name": "Demo", "address": "", "currency": "EUR"},
    },
    {
        "kind": "item",
        "version": 1,
        "id": "COLA",
        "data": {"sku": "COLA", "name": "Cola", "price": "3.00", "category": "drinks"},
    },
    {
        "kind": "promotion",
        "version": 1,
        "id": "P1",
        "data": {
            "id": "P1",
            "type": "percent_off",
            "sequence": 1,
            "auto_execute": True,
            "percent": "10",
            "name": "Ten off",
        },
    },
    {
        "kind": "promotion",
        "version": 1,
        "id": "GIFT",
        "data": {
            "id": "GIFT",
            "type": "gift",
            "sequence": 2,
            "auto_execute": True,
            "threshold": "10",
            "gift_sku": "NOPE",
        },
    },
    {
        "kind": "coupon",
        "version": 1,
        "id": "MV",
        "data": {
            "code": "MV",
            "kind": "member_voucher",
            "sequence": 1,
            "face_value": "2.00",
            "single_use": False,
        },
    },
    {
        "kind": "coupon",
        "version": 1,
        "id": "ONCE",
        "data": {
            "code": "ONCE",
            "kind": "cash_voucher",
            "sequence": 2,
            "face_value": "1.00",
            "single_use": True,
            "verify_later": True,
        },
    },
    {
        "kind": "entitlement",
        "version": 1,
        "id": "E-1",
        "data": {
            "code": "E-1",
            "member_id": "M-1",
            "coupon_code": "MV",
            "valid_from": "2026-11-01",
            "valid_to": "2026-11-30",
            "status": "active",
        },
    },
    {
        "kind": "entitlement",
        "version": 1,
        "id": "E-2",
        "data": {"code": "E-2", "member_id": "M-1", "coupon_code": "MV", "status": "redeemed"},
    },
    {
        "kind": "entitlement",
        "version": 1,
        "id": "E-3",
        "data": {"code": "E-3", "member_id": "M-1", "coupon_code": "GONE", "status": "active"},
    },
]


def configured(sessions: sessionmaker[Session]) -> None:
    SyncStore(sessions, lambda: NOW).apply_changes_page(PAGE, "1")


def test_the_price_book_comes_from_the_stored_definitions(
    sessions: sessionmaker[Session],
) -> None:
    """S7: currency, catalog, promotions and coupons are what was synced."""
    configured(sessions)
    with UnitOfWork(sessions) as uow:
        config = load_configuration(uow.session)
    book = config.book
    assert book.currency.code == "EUR"
    assert book.items["COLA"].price == Decimal("3.00")
    assert book.promotions["P1"].name == "Ten off"
    assert "GIFT" not in book.promotions  # its gift SKU is not in the catalog
    assert any("GIFT" in p for p in config.problems)
    assert config.store_id == "DEMO-1"
    assert config.single_use_codes >= {"ONCE"}
    assert config.verify_later_codes == {"ONCE"}


def test_entitlements_become_coupons_of_their_own_code(sessions: sessionmaker[Session]) -> None:
    """S14: a member's entitlement redeems by its code with its definition's arithmetic."""
    configured(sessions)
    with UnitOfWork(sessions) as uow:
        config = load_configuration(uow.session)
    coupon = config.book.coupons["E-1"]
    assert (coupon.kind, coupon.face_value) == ("member_voucher", Decimal("2.00"))
    assert coupon.validity.valid_from == datetime(2026, 11, 1)
    assert coupon.validity.valid_to is not None and coupon.validity.valid_to.day == 30
    assert "E-2" not in config.book.coupons  # already redeemed
    assert "E-3" not in config.book.coupons  # its coupon is unknown
    assert "E-1" in config.single_use_codes
    assert config.entitlement_members == {"E-1": "M-1"}


def test_a_local_auto_execute_override_wins(sessions: sessionmaker[Session]) -> None:
    """R12: the store manager's override replaces the synced auto-execute flag."""
    configured(sessions)
    with UnitOfWork(sessions) as uow:
        uow.session.add(
            AutoExecuteOverride(promotion_id="P1", auto_execute=False, manager="M", changed_at=NOW)
        )
        uow.session.add(
            AutoExecuteOverride(promotion_id="GONE", auto_execute=True, manager="M", changed_at=NOW)
        )
        uow.commit()
    with UnitOfWork(sessions) as uow:
        config = load_configuration(uow.session)
    assert config.book.promotions["P1"].auto_execute is False
    assert config.synced_auto_execute["P1"] is True


def test_entitlements_of_one_definition_each_keep_their_code_and_window(
    sessions: sessionmaker[Session],
) -> None:
    """S14: many entitlements of one coupon definition: each is that definition with its
    own code, and its own validity window only when it has one."""
    configured(sessions)

    def entitlement(code: str, **window: str) -> dict[str, object]:
        data = {"code": code, "member_id": "M-2", "coupon_code": "MV", "status": "issued"}
        return {"kind": "entitlement", "version": 1, "id": code, "data": {**data, **window}}

    SyncStore(sessions, lambda: NOW).apply_changes_page(
        [
            entitlement("E-4"),
            entitlement("E-5", valid_from="2026-11-01", valid_to="2026-11-30"),
            entitlement("E-6"),
        ],
        "2",
    )
    with UnitOfWork(sessions) as uow:
        config = load_configuration(uow.session)
    definition = config.book.coupons["MV"]
    coupons = config.book.coupons
    assert coupons["E-4"] == replace(definition, code="E-4")
    assert coupons["E-6"] == replace(definition, code="E-6")
    assert coupons["E-5"] == replace(definition, code="E-5", validity=coupons["E-1"].validity)
    assert coupons["E-5"].validity != definition.validity
    assert config.entitlement_members["E-5"] == "M-2"
