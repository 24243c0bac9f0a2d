"""What pack operations refuse, each with the field at fault and a stable code."""

from __future__ import annotations


class PackError(Exception):
    """A refused pack operation: ``field`` names the input at fault, ``code`` is stable."""

    status_code = 400
    default_code = "PACK_ERROR"

    def __init__(self, field: str, problem: str, code: str | None = None) -> None:
        self.field = field
        self.problem = problem
        self.code = code or self.default_code
        super().__init__(f"{field}: {problem}" if field else problem)


class PackInputError(PackError):
    """The input is wrong (a 422): a bad value, an unknown coupon, store or member."""

    status_code = 422
    default_code = "value_error"


class PackNotFound(PackError):
    """No pack with that id (a 404)."""

    status_code = 404
    default_code = "PACK_NOT_FOUND"


class PackStateError(PackError):
    """The pack's state forbids it (a 409): archived, a draft, sold out, a limit reached."""

    status_code = 409
    default_code = "PACK_STATE"
