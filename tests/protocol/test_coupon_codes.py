"""How a typed coupon code finds its coupon (S14): case, platform prefixes and
provisional codes, the one rule the till reads codes by."""

from __future__ import annotations

from pos_app.engine import CouponDefinition, parse_coupon
from pos_app.protocol.coupon_codes import CouponCodesBuilder, folded, is_case_insensitive


def _coupon(code: str, **extra: object) -> CouponDefinition:
    return parse_coupon(
        {"code": code, "kind": "group_purchase", "sequence": 1, "items": ["BURGER"], **extra},
        f"coupon {code}",
    )


def test_a_case_insensitive_coupon_and_its_entitlements_match_in_any_case() -> None:
    """S14: a record with case_insensitive matches in any case, spaces aside; so do its
    entitlements; other codes match only as written."""
    builder = CouponCodesBuilder()
    builder.add_coupon(
        _coupon("Summer"), {"case_insensitive": True}, single_use=False, verify_later=False
    )
    builder.add_coupon(_coupon("Exact"), {}, single_use=True, verify_later=False)
    builder.add_entitlement("Ent-7", "Summer")
    builder.add_entitlement("Ent-8", "Exact")
    codes = builder.build()
    assert codes.known_as("  SUMMER ") == "Summer"
    assert codes.known_as("ent-7") == "Ent-7"
    assert codes.known_as("exact") == "exact" and codes.known_as("ent-8") == "ent-8"
    assert codes.single_use == {"Exact", "Ent-7", "Ent-8"}
    assert is_case_insensitive({"case_insensitive": True}) and not is_case_insensitive("x")
    assert folded(" Ab ") == "ab"


def test_the_longest_platform_prefix_decides_and_only_verify_later_is_provisional() -> None:
    """S14: a platform code goes to the definition with the longest prefix; it is a
    provisional single-use instance only when that definition verifies later."""
    builder = CouponCodesBuilder()
    builder.add_coupon(_coupon("PLAT", code_prefix="PL"), {}, single_use=False, verify_later=True)
    builder.add_coupon(
        _coupon("PLATX", code_prefix="PLX"), {}, single_use=False, verify_later=False
    )
    codes = builder.build()
    assert codes.verify_later == {"PLAT"}
    platform = codes.platform_of("PLX-123")
    assert platform is not None and platform.definition.code == "PLATX"
    assert codes.provisional("PLX-123") is None
    instance = codes.provisional("PL-999")
    assert instance is not None and instance.code == "PL-999"
    assert instance.kind == "group_purchase" and instance.code_prefix == ""
    assert codes.platform_of("PLAT") is None  # the definition's own code issues nothing
    with_held = codes.with_entitlements({"NEW-1": "PLAT"})
    assert "NEW-1" in with_held.single_use and codes.single_use == frozenset()
