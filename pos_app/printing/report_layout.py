"""A report (the X and Z reports of a business day) as fixed-width text rows, for the
printer and the screen: each (label, amount) row with the amount right-aligned, a
label alone on its row, an empty pair as a blank row. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Sequence

from pos_app.printing.layout import _amount_rows, _rule, _text_rows, check_width


def report_text_rows(rows: Sequence[tuple[str, str]], width: int) -> list[str]:
    """``rows`` laid out at ``width`` (42 or 48) columns, the title underlined."""
    width = check_width(width)
    out: list[str] = []
    for index, (label, amount) in enumerate(rows):
        if not label and not amount:
            out.append(" " * width)
        elif amount:
            out.extend(_amount_rows(label, amount, width))
        else:
            out.extend(_text_rows(label, width))
        if index == 0:
            out.append(_rule(width, "="))
    return out
