"""Malformed catalog, promotion and coupon definitions raise DefinitionError naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from pos_app.engine import DefinitionError, PriceBook
from pos_app.engine.promotions import AddOn, BuyGet, Gift, NthItem
from tests.helpers.engine_builders import STANDARD_CATALOG, coupon, price_book, promotion


def book_with(
    promotions: list[Any] | None = None,
    coupons: list[Any] | None = None,
    catalog: Any = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "currency": "USD",
        "catalog": STANDARD_CATALOG if catalog is None else catalog,
        "promotions": promotions or [],
        "coupons": coupons or [],
        **extra,
    }


def pct(**fields: Any) -> dict[str, Any]:
    return promotion("P1", "percent_off", percent="10") | fields


def without(definition: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in definition.items() if k != key}


ADD_ON = promotion(
    "P1", "add_on", trigger_items=["BURGER"], addon_items=["COLA"], addon_price="1.00"
)
COMBO = promotion("P1", "combo", components=[["BURGER"], ["COLA"]], price="10.00")
GIFT = promotion("P1", "gift", threshold="20.00", gift_sku="CAKE")

PROMOTION_CASES: dict[str, tuple[Any, str]] = {
    "percent above 100": (pct(percent="150"), "promotions[0].percent"),
    "percent below 0": (pct(percent="-1"), "promotions[0].percent"),
    "percent not a number": (pct(percent="ten"), "promotions[0].percent"),
    "percent as float": (pct(percent=10.0), "promotions[0].percent"),
    "percent missing": (without(pct(), "percent"), "promotions[0].percent"),
    "min spend negative": (pct(min_spend="-5"), "promotions[0].min_spend"),
    "type unknown": (pct(type="half_price"), "promotions[0].type"),
    "type missing": (without(pct(), "type"), "promotions[0].type"),
    "id missing": (without(pct(), "id"), "promotions[0].id"),
    "id blank": (pct(id="  "), "promotions[0].id"),
    "sequence text": (pct(sequence="1"), "promotions[0].sequence"),
    "auto_execute text": (pct(auto_execute="yes"), "promotions[0].auto_execute"),
    "items not a list": (pct(items="BURGER"), "promotions[0].items"),
    "items empty category": (pct(items=["category:"]), "promotions[0].items"),
    "valid_from not a date": (pct(valid_from="yesterday"), "promotions[0].valid_from"),
    "valid_to before valid_from": (
        pct(valid_from="2026-11-21", valid_to="2026-11-20"),
        "promotions[0].valid_to",
    ),
    "amount_off amount missing": (
        promotion("P1", "amount_off", threshold="20.00"),
        "promotions[0].amount",
    ),
    "amount_off threshold negative": (
        promotion("P1", "amount_off", threshold="-1", amount="5.00"),
        "promotions[0].threshold",
    ),
    "special_price price missing": (
        promotion("P1", "special_price", items=["BURGER"]),
        "promotions[0].price",
    ),
    "special_price items missing": (
        promotion("P1", "special_price", price="9.00"),
        "promotions[0].items",
    ),
    "bogo buy 0": (promotion("P1", "bogo", buy=0), "promotions[0].buy"),
    "bogo get text": (promotion("P1", "bogo", get="1"), "promotions[0].get"),
    "nth_item n 0": (promotion("P1", "nth_item", n=0, percent="50"), "promotions[0].n"),
    "nth_item percent 101": (
        promotion("P1", "nth_item", n=2, percent="101"),
        "promotions[0].percent",
    ),
    "add_on trigger missing": (without(ADD_ON, "trigger_items"), "promotions[0].trigger_items"),
    "add_on addon empty": (ADD_ON | {"addon_items": []}, "promotions[0].addon_items"),
    "add_on price missing": (without(ADD_ON, "addon_price"), "promotions[0].addon_price"),
    "combo no components": (COMBO | {"components": []}, "promotions[0].components"),
    "combo empty component": (
        COMBO | {"components": [["BURGER"], []]},
        "promotions[0].components[1]",
    ),
    "combo price negative": (COMBO | {"price": "-1"}, "promotions[0].price"),
    "gift sku missing": (without(GIFT, "gift_sku"), "promotions[0].gift_sku"),
    "gift sku unknown": (GIFT | {"gift_sku": "CAVIAR"}, "promotions[0].gift_sku"),
    "gift qty 0": (GIFT | {"qty": 0}, "promotions[0].qty"),
    "not an object": ("P1", "promotions[0]"),
}


@pytest.mark.parametrize("case", sorted(PROMOTION_CASES))
def test_malformed_promotion_names_its_field(case: str) -> None:
    """FORMAT: a malformed promotion raises DefinitionError naming the field."""
    definition, field = PROMOTION_CASES[case]
    with pytest.raises(DefinitionError) as caught:
        PriceBook.parse(book_with(promotions=[definition]))
    assert caught.value.field == field
    assert caught.value.problem


def test_error_names_the_index_of_the_bad_promotion() -> None:
    """FORMAT: the second promotion's bad percent is promotions[1].percent."""
    good = promotion("P0", "percent_off", percent="10")
    with pytest.raises(DefinitionError) as caught:
        PriceBook.parse(book_with(promotions=[good, pct(percent="150")]))
    assert caught.value.field == "promotions[1].percent"


def test_duplicate_promotion_id_names_the_second() -> None:
    """FORMAT: a repeated promotion id is reported at the repeat."""
    with pytest.raises(DefinitionError) as caught:
        PriceBook.parse(book_with(promotions=[pct(), pct()]))
    assert caught.value.field == "promotions[1].id"


CV = coupon("C", "cash_voucher", face_value="2.00")
GP = coupon("C", "group_purchase", items=["BURGER"])
MV = coupon("C", "member_voucher", face_value="2.00", deduct_from="original")

COUPON_CASES: dict[str, tuple[Any, str]] = {
    "kind unknown": (CV | {"kind": "loyalty"}, "coupons[0].kind"),
    "code missing": (without(CV, "code"), "coupons[0].code"),
    "sequence float": (CV | {"sequence": 1.5}, "coupons[0].sequence"),
    "cash voucher face value missing": (without(CV, "face_value"), "coupons[0].face_value"),
    "cash voucher face value negative": (CV | {"face_value": "-1"}, "coupons[0].face_value"),
    "cash voucher min spend text": (CV | {"min_spend": "lots"}, "coupons[0].min_spend"),
    "items not a list": (CV | {"items": "BURGER"}, "coupons[0].items"),
    "valid_to not a date": (CV | {"valid_to": "2026-13-45"}, "coupons[0].valid_to"),
    "group purchase without items": (without(GP, "items"), "coupons[0].items"),
    "group purchase units 0": (GP | {"units": 0}, "coupons[0].units"),
    "group purchase face value text": (GP | {"face_value": "x"}, "coupons[0].face_value"),
    "third party without as": (CV | {"kind": "third_party"}, "coupons[0].as"),
    "third party as custom": (CV | {"kind": "third_party", "as": "custom"}, "coupons[0].as"),
    "third party group purchase without items": (
        {**coupon("C", "third_party"), "as": "group_purchase"},
        "coupons[0].items",
    ),
    "member voucher deduct_from unknown": (MV | {"deduct_from": "later"}, "coupons[0].deduct_from"),
    "member voucher face value missing": (without(MV, "face_value"), "coupons[0].face_value"),
    "member discount percent missing": (
        coupon("C", "member_discount"),
        "coupons[0].percent",
    ),
    "member discount percent 101": (
        coupon("C", "member_discount", percent="101"),
        "coupons[0].percent",
    ),
    "custom with face value and percent": (
        coupon("C", "custom", face_value="1.00", percent="10"),
        "coupons[0]",
    ),
    "custom with neither": (coupon("C", "custom"), "coupons[0]"),
    "custom percent negative": (coupon("C", "custom", percent="-10"), "coupons[0].percent"),
}


@pytest.mark.parametrize("case", sorted(COUPON_CASES))
def test_malformed_coupon_names_its_field(case: str) -> None:
    """FORMAT: a malformed coupon raises DefinitionError naming the field."""
    definition, field = COUPON_CASES[case]
    with pytest.raises(DefinitionError) as caught:
        PriceBook.parse(book_with(coupons=[definition]))
    assert caught.value.field == field
    assert caught.value.problem


def test_duplicate_coupon_code_names_the_second() -> None:
    """FORMAT: a repeated coupon code is reported at the repeat."""
    with pytest.raises(DefinitionError) as caught:
        PriceBook.parse(book_with(coupons=[CV, CV]))
    assert caught.value.field == "coupons[1].code"


CATALOG_CASES: dict[str, tuple[Any, str]] = {
    "price negative": ([{"sku": "A", "price": "-1.00"}], "catalog[0].price"),
    "price text": ([{"sku": "A", "price": "cheap"}], "catalog[0].price"),
    "price float": ([{"sku": "A", "price": 1.5}], "catalog[0].price"),
    "price missing": ([{"sku": "A"}], "catalog[0].price"),
    "sku missing": ([{"price": "1.00"}], "catalog[0].sku"),
    "sku duplicate": (
        [{"sku": "A", "price": "1.00"}, {"sku": "A", "price": "2.00"}],
        "catalog[1].sku",
    ),
    "entry not an object": (["A"], "catalog[0]"),
    "catalog not a list": ({"sku": "A", "price": "1.00"}, "catalog"),
}


@pytest.mark.parametrize("case", sorted(CATALOG_CASES))
def test_malformed_catalog_names_its_field(case: str) -> None:
    """FORMAT: a malformed catalog raises DefinitionError naming the field."""
    catalog, field = CATALOG_CASES[case]
    with pytest.raises(DefinitionError) as caught:
        PriceBook.parse(book_with(catalog=catalog))
    assert caught.value.field == field


@pytest.mark.parametrize("code", ["US", "DOLLARS", "12$", 840])
def test_bad_currency_names_the_currency_field(code: object) -> None:
    """FORMAT: the currency must be a three-letter ISO 4217 code."""
    with pytest.raises(DefinitionError) as caught:
        PriceBook.parse(book_with(currency=code))
    assert caught.value.field == "currency"


def test_strict_sku_check_names_the_promotion() -> None:
    """FORMAT: with strict SKUs, an unknown SKU in a promotion names that promotion."""
    with pytest.raises(DefinitionError) as caught:
        PriceBook.parse(book_with(promotions=[pct(items=["CAVIAR"])]), strict_skus=True)
    assert caught.value.field.startswith("promotions[0]")
    assert "CAVIAR" in caught.value.problem


def test_definition_error_is_a_value_error_with_field_and_problem() -> None:
    """FORMAT: DefinitionError carries .field and .problem and reads 'field: problem'."""
    error = DefinitionError("promotions[0].percent", "is outside 0-100")
    assert isinstance(error, ValueError)
    assert str(error) == "promotions[0].percent: is outside 0-100"


def test_defaults_of_a_valid_book() -> None:
    """FORMAT: bogo buy/get 1, nth_item n 2, gift qty 1, auto_execute true, GP units 1."""
    book = PriceBook.parse(
        book_with(
            promotions=[
                {"id": "B", "type": "bogo"},
                {"id": "N", "type": "nth_item", "percent": "50"},
                {"id": "G", "type": "gift", "threshold": "10", "gift_sku": "CAKE"},
                ADD_ON | {"id": "A"},
            ],
            coupons=[GP],
        )
    )
    bogo, nth, gift, add_on = (book.promotions[k] for k in ("B", "N", "G", "A"))
    assert isinstance(bogo, BuyGet) and (bogo.buy, bogo.get) == (1, 1)
    assert isinstance(nth, NthItem) and nth.n == 2
    assert isinstance(gift, Gift) and gift.qty == 1
    assert isinstance(add_on, AddOn)
    assert all(p.auto_execute for p in book.promotions.values())
    assert book.coupons["C"].units == 1


def test_code_prefix_names_the_platform_codes_of_a_definition() -> None:
    """S14: a platform coupon's code_prefix says which scanned codes it issues."""
    from pos_app.engine import parse_coupon

    coupon = parse_coupon(
        {"code": "MT", "kind": "group_purchase", "items": ["BURGER"], "code_prefix": "MT-"}, "c"
    )
    assert coupon.issues("MT-0001") and not coupon.issues("XX-0001")
    assert coupon.instance("MT-0001").code == "MT-0001"


def test_code_prefix_on_a_member_coupon_is_refused() -> None:
    """S14: only platform and third-party coupons are issued by platforms."""
    from pos_app.engine import DefinitionError, parse_coupon

    with pytest.raises(DefinitionError) as caught:
        parse_coupon(
            {"code": "M", "kind": "member_discount", "percent": "5", "code_prefix": "M-"}, "c"
        )
    assert caught.value.field == "c.code_prefix"


def test_a_coupon_is_called_by_its_name_else_its_code() -> None:
    """What people read for a coupon code: its name; the code when it has no name or is
    unknown; a code typed in another case finds its coupon."""
    book = price_book(
        coupons=[
            coupon("CV-5", "cash_voucher", face_value="5.00", name="5.00 cash voucher"),
            coupon("MD-10", "member_discount", sequence=2, percent="10"),
        ]
    )
    assert book.coupon_name("CV-5") == "5.00 cash voucher"
    assert book.coupon_name("cv-5") == "5.00 cash voucher"
    assert book.coupon_name("MD-10") == "MD-10"
    assert book.coupon_name("NOPE") == "NOPE"
