"""The configuration the till prices with now: the price book, taxes, coupon codes and
the till's identity, read from the store and read again after a sync or an override."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from decimal import Decimal

from pos_app.engine import CouponDefinition, Currency, PriceBook, PricedTicket, TicketState
from pos_app.protocol.coupon_codes import CouponCodes
from pos_app.protocol.taxes import TicketTaxes, compute_taxes
from pos_app.store.till_configuration import HeldCoupon, TillConfiguration
from pos_app.store.unit_of_work import TillDatabase
from pos_app.till.errors import TillCode, TillRefusal


def keep_out_of_gc_scans() -> None:
    """Move what is alive now (above all the price book, which lives as long as the
    configuration) out of the garbage collector's scans, so a full collection never
    stalls a recalculation: the p99 of a till with thousands of promotions."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class LiveConfiguration:
    """The till's current :class:`TillConfiguration`, shared by its services. Not
    thread-safe: the till's owner thread only."""

    def __init__(self, database: TillDatabase) -> None:
        self._database = database
        self._current = self._read()

    @property
    def current(self) -> TillConfiguration:
        return self._current

    @property
    def book(self) -> PriceBook:
        return self._current.book

    @property
    def currency(self) -> Currency:
        return self._current.book.currency

    @property
    def codes(self) -> CouponCodes:
        return self._current.codes

    @property
    def store_id(self) -> str | None:
        return self._current.store_id

    def reload(self) -> None:
        """Read the configuration again (after a sync page or an override)."""
        self._current = self._read()
        keep_out_of_gc_scans()

    def add_held_coupons(self, held: Iterable[HeldCoupon]) -> None:
        """Coupons a pack sold here just issued are redeemable at once (K15)."""
        self._current = self._current.with_entitlements(held)

    def identity(self) -> tuple[str, str]:
        """(store id, device id), or a refusal when the till has no store yet."""
        store_id, device_id = self._current.store_id, self._current.device_id
        if not store_id or not device_id:
            raise TillRefusal(
                TillCode.NO_STORE,
                "The till has no store yet: enroll it or start it with the demo store",
            )
        return store_id, device_id

    def taxes_of(self, priced: PricedTicket) -> TicketTaxes:
        """Taxes of a ticket's items (protocol "Taxes": per rate, from the line nets); a
        coupon pack sold on it carries none (K12)."""
        rates = self._current.tax_rates
        return compute_taxes(
            (
                (line.line_id, line.net, rates.get(line.sku, Decimal(0)))
                for line in priced.item_lines
            ),
            priced.currency,
            inclusive=self._current.tax_inclusive,
        )

    def book_for(self, state: TicketState, extra: Sequence[CouponDefinition] = ()) -> PriceBook:
        """The price book plus the provisional platform codes ``state`` holds (S14), so a
        restored or re-priced ticket keeps them."""
        book, codes = self._current.book, self._current.codes
        held = [
            coupon
            for r in state.redemptions
            if r.code not in book.coupons and (coupon := codes.provisional(r.code)) is not None
        ]
        return book.with_coupons([*held, *extra]) if held or extra else book

    def _read(self) -> TillConfiguration:
        with self._database.unit_of_work() as uow:
            return uow.configuration.load()
