"""How a coupon code typed or scanned at the till finds its coupon (protocol "Coupons",
S14): the one place these rules are written.

- A code matches as it is written. A coupon whose record says ``"case_insensitive":
  true`` also matches in any case, with surrounding spaces ignored, and so do the
  entitlements (members' own codes) of such a coupon.
- A platform coupon definition with a ``code_prefix`` issues codes that start with the
  prefix (the definition's own code aside); of several prefixes, the longest decides.
- A platform code the till does not know is accepted offline as provisional (a
  single-use instance of its definition, verified by the back office later) when its
  definition's record says ``"verify_later": true``; otherwise it is refused.
- A single-use code (a coupon record's ``single_use``, every entitlement, every
  provisional code) is taken once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from pos_app.engine import CouponDefinition

CASE_INSENSITIVE = "case_insensitive"


def is_case_insensitive(record: object) -> bool:
    """Whether a coupon record's data says its code matches in any case."""
    return isinstance(record, Mapping) and record.get(CASE_INSENSITIVE) is True


def folded(code: str) -> str:
    """The form two codes that match in any case share."""
    return code.strip().casefold()


@dataclass(frozen=True)
class PlatformPrefix:
    """A platform definition issuing codes by its prefix, and whether such a code may be
    accepted offline to be verified later."""

    definition: CouponDefinition
    verify_later: bool


@dataclass(frozen=True)
class CouponCodes:
    """The till's coupon codes as its configuration knows them: which match in any case,
    which platform prefixes issue codes, which codes are single use or verified later."""

    single_use: frozenset[str] = frozenset()
    verify_later: frozenset[str] = frozenset()
    platforms: tuple[PlatformPrefix, ...] = ()
    by_folded: Mapping[str, str] = field(default_factory=dict)  # folded code -> code

    def known_as(self, typed: str) -> str:
        """The code ``typed`` names: a code that matches in any case, as it is written in
        its record; otherwise ``typed`` itself."""
        return self.by_folded.get(folded(typed), typed)

    def platform_of(self, code: str) -> PlatformPrefix | None:
        """The platform definition issuing ``code`` (the longest prefix), if any."""
        matches = [p for p in self.platforms if p.definition.issues(code)]
        return max(matches, key=lambda p: len(p.definition.code_prefix)) if matches else None

    def provisional(self, code: str) -> CouponDefinition | None:
        """``code`` as a single-use instance of its platform definition, when that
        definition accepts codes to be verified later; None otherwise."""
        platform = self.platform_of(code)
        if platform is None or not platform.verify_later:
            return None
        return platform.definition.instance(code)

    def with_entitlements(self, codes: Mapping[str, str]) -> CouponCodes:
        """These codes and the entitlements ``codes`` (code -> its coupon's code): single
        use, and matching in any case when their coupon does."""
        folding = {
            folded(code): code
            for code, coupon_code in codes.items()
            if self.by_folded.get(folded(coupon_code)) == coupon_code
        }
        return replace(
            self,
            single_use=self.single_use | frozenset(codes),
            by_folded={**self.by_folded, **folding} if folding else self.by_folded,
        )


class CouponCodesBuilder:
    """Gathers :class:`CouponCodes` from coupon records, then from entitlements."""

    def __init__(self) -> None:
        self._single_use: set[str] = set()
        self._verify_later: set[str] = set()
        self._platforms: list[PlatformPrefix] = []
        self._folded: dict[str, str] = {}
        self._folding: set[str] = set()

    def add_coupon(
        self, coupon: CouponDefinition, record: object, *, single_use: bool, verify_later: bool
    ) -> None:
        """A coupon definition with its record's data and flags."""
        if is_case_insensitive(record):
            self._folding.add(coupon.code)
            self._folded[folded(coupon.code)] = coupon.code
        if coupon.code_prefix:
            self._platforms.append(PlatformPrefix(coupon, verify_later))
        if single_use:
            self._single_use.add(coupon.code)
        if verify_later:
            self._verify_later.add(coupon.code)

    def add_entitlement(self, code: str, coupon_code: str) -> None:
        """A member's own code of coupon ``coupon_code``: single use, and matching in any
        case when its coupon does."""
        self._single_use.add(code)
        if coupon_code in self._folding:
            self._folded[folded(code)] = code

    def build(self) -> CouponCodes:
        return CouponCodes(
            single_use=frozenset(self._single_use),
            verify_later=frozenset(self._verify_later),
            platforms=tuple(self._platforms),
            by_folded=dict(self._folded),
        )
