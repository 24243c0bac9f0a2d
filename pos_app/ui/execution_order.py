"""The execution order (manager mode): promotions and coupons in sequence, each
promotion with its auto-execute switch; a switch flipped here is a local override,
audited and synced to the back office (R12)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos_app.printing.receipt import COUPON_KIND_NAMES
from pos_app.till.till import Till
from pos_app.ui.style import touch_button


@dataclass(frozen=True)
class PromotionOrder:
    """A promotion's place in the order and its auto-execute flag here and as synced."""

    promotion_id: str
    name: str
    kind: str
    sequence: int
    synced_auto_execute: bool
    auto_execute: bool

    @property
    def overridden(self) -> bool:
        return self.auto_execute != self.synced_auto_execute


@dataclass(frozen=True)
class CouponOrder:
    """A coupon definition's place in the coupon order (coupons run when redeemed)."""

    code: str
    name: str
    kind: str
    sequence: int


@dataclass(frozen=True)
class ExecutionOrder:
    """Promotions and coupon definitions in sequence order (R4)."""

    promotions: tuple[PromotionOrder, ...]
    coupons: tuple[CouponOrder, ...]

    @classmethod
    def of(cls, till: Till) -> ExecutionOrder:
        """Read from the till's configuration. Op thread only."""
        book, config = till.book, till.configuration
        promotions = tuple(
            PromotionOrder(
                promotion_id=p.id,
                name=p.name or p.id,
                kind=p.type_name,
                sequence=p.sequence,
                synced_auto_execute=config.synced_auto_execute.get(p.id, p.auto_execute),
                auto_execute=p.auto_execute,
            )
            for p in sorted(book.promotions.values(), key=lambda p: p.order_key)
        )
        coupons = tuple(
            CouponOrder(c.code, c.name or c.code, c.kind, c.sequence)
            for c in sorted(book.coupons.values(), key=lambda c: c.order_key)
            if c.code not in config.entitlement_members
        )
        return cls(promotions, coupons)


def promotion_caption(promotion: PromotionOrder) -> str:
    back_office = "on" if promotion.synced_auto_execute else "off"
    override = "  ·  LOCAL OVERRIDE" if promotion.overridden else ""
    return (
        f"{promotion.sequence}.  {promotion.name}\n"
        f"{promotion.kind.replace('_', ' ')} · back office: auto-execute {back_office}{override}"
    )


def coupon_lines(coupons: tuple[CouponOrder, ...]) -> str:
    return "\n".join(
        f"{c.sequence}.  {c.name} · {COUPON_KIND_NAMES.get(c.kind, c.kind)}" for c in coupons
    )


class ExecutionOrderView(QScrollArea):
    """Promotions then coupons, in sequence; a promotion's switch emits
    ``auto_execute_changed(promotion_id, on)``. Redraws in place when only the switches
    changed (a few labels and buttons: quick enough for the UI thread). Main thread only.
    """

    auto_execute_changed = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.switches: dict[str, QPushButton] = {}
        self.captions: dict[str, QLabel] = {}
        self.order: ExecutionOrder | None = None
        self._shape: object = None
        self.coupons = QLabel("")
        self.setWidget(QLabel("Loading…"))

    def show_order(self, order: ExecutionOrder) -> None:
        shape = (
            tuple((p.promotion_id, p.sequence, p.name, p.kind) for p in order.promotions),
            order.coupons,
        )
        if shape != self._shape:
            self._build(order)
            self._shape = shape
        self.order = order
        for promotion in order.promotions:
            switch = self.switches[promotion.promotion_id]
            switch.setChecked(promotion.auto_execute)
            switch.setText("Auto-execute on" if promotion.auto_execute else "Auto-execute off")
            self.captions[promotion.promotion_id].setText(promotion_caption(promotion))

    def _build(self, order: ExecutionOrder) -> None:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(_section("Promotions (stage 3): lowest sequence first"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        self.switches = {}
        self.captions = {}
        for row, promotion in enumerate(order.promotions):
            caption = QLabel(promotion_caption(promotion))
            switch = touch_button("", "toggle", min_width=190)
            switch.setCheckable(True)
            switch.clicked.connect(
                lambda checked=False, p=promotion.promotion_id: self.auto_execute_changed.emit(
                    p, checked
                )
            )
            grid.addWidget(caption, row, 0)
            grid.addWidget(switch, row, 1)
            self.switches[promotion.promotion_id] = switch
            self.captions[promotion.promotion_id] = caption
        grid.setColumnStretch(0, 1)
        layout.addLayout(grid)
        layout.addWidget(
            _section("Coupons (stages 2 and 5): lowest sequence first, redeemed by code")
        )
        self.coupons = QLabel(coupon_lines(order.coupons))
        layout.addWidget(self.coupons)
        layout.addStretch(1)
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(inner)


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("section")
    return label
