"""A refusal names where the fault is; a field of digits no ASCII int() reads (a
superscript "²") is a name, never a crash (found by the schemathesis run)."""

from __future__ import annotations

from backoffice.http.refusals import field_path
from tests.backoffice.conftest import AdminApi


def test_only_ascii_digits_are_positions() -> None:
    assert field_path("content[0].²") == ["content", 0, "²"]


def test_a_superscript_key_is_a_refusal_not_a_crash(api: AdminApi) -> None:
    for method, path in (
        ("PUT", "/api/v1/admin/execution-order"),
        ("POST", "/api/v1/admin/organisations"),
    ):
        response = api(method, path, json={"²": 1})
        assert 400 <= response.status_code < 500, (path, response.text)
