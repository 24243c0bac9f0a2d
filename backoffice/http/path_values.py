"""Path values range-checked (S15): an id the database numbers itself is a whole number
from 1 to 2,147,483,647 (PostgreSQL's integer); anything else names nothing, so the
app answers 404 (see :func:`backoffice.app._envelope_or_field_error`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from pos_app.protocol import bounds

RowId = Annotated[
    int,
    Path(ge=bounds.ROW_ID.low, le=bounds.ROW_ID.high, description="a number the server gave"),
]
