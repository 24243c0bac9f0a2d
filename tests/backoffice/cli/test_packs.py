"""`pos-backoffice packs ...` and `scheduler --once --now` for an administrator (K1-K11)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backoffice.cli.main import main
from backoffice.database import Database
from tests.backoffice.packs.conftest import entitlements_of, paid_pack

YAML_PACK = """\
type: campaign
name: Weekly treats
time_zone: Europe/Paris
content:
  - coupon_code: CV-5
    quantity: 1
    effective: after_days
    delay: 1
    validity_days: 7
distribution:
  method: recurring
  period: weekly
  cycles: 3
"""


def _created(out: str) -> str:
    """The id in "created pack N: ..."."""
    found = re.search(r"created pack (\d+):", out)
    assert found, out
    return found.group(1)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_packs_commands_end_to_end(
    database_url: str, demo_chain: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """K1-K11 from the command line: create (YAML, JSON), list, show, gift, copy, archive, qr."""
    db = ("--database-url", database_url)
    yaml_file = tmp_path / "weekly.yaml"
    yaml_file.write_text(YAML_PACK, encoding="utf-8")
    code, out, _ = _run(capsys, "packs", "create", "--file", str(yaml_file), *db)
    assert code == 0 and "Weekly treats (active)" in out
    weekly = _created(out)
    json_file = tmp_path / "paid.json"
    json_file.write_text(json.dumps(paid_pack(inventory=50)), encoding="utf-8")
    paid = _created(_run(capsys, "packs", "create", "--file", str(json_file), *db)[1])

    code, out, _ = _run(capsys, "packs", "list", *db)
    header, *rows, total = out.strip().splitlines()
    assert header.split()[:4] == ["ID", "TYPE", "STATUS", "NAME"]
    assert rows[0].split()[:3] == [paid, "paid", "active"] and total == "2 pack(s)"

    code, out, _ = _run(capsys, "packs", "gift", weekly, "--phone", "+15550100001", *db)
    assert code == 0 and "1 coupon(s) issued" in out
    code, out, _ = _run(capsys, "packs", "show", weekly, *db)
    assert "Weekly treats (campaign, active)" in out and "issued: 1 pack(s)" in out
    shown = json.loads(_run(capsys, "packs", "show", weekly, "--json", *db)[1])
    assert shown["records"]["gifts"][0]["member_id"] == "M-1001"

    code, out, _ = _run(capsys, "packs", "copy", paid, *db)
    assert code == 0 and "Milk tea lover's pack (copy) (draft)" in out
    assert "(archived)" in _run(capsys, "packs", "archive", paid, *db)[1]

    png, svg = tmp_path / "pack.png", tmp_path / "pack.svg"
    code, out, _ = _run(capsys, "packs", "qr", paid, "--out", str(png), *db)
    assert code == 0 and png.read_bytes().startswith(b"\x89PNG")
    assert f"http://127.0.0.1:8000/mall/packs/{paid}" in out
    base = ("--base-url", "https://shop.example.com/mall")
    assert _run(capsys, "packs", "qr", paid, "--out", str(svg), *base, *db)[0] == 0
    assert b"<svg" in svg.read_bytes()


def test_packs_errors_name_the_file_and_field(
    database_url: str, demo_chain: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """K4/K9/K11: bad files, fields, phones and formats are refused with what is at fault."""
    db = ("--database-url", database_url)
    bad = tmp_path / "bad.yaml"
    bad.write_text(json.dumps(paid_pack()).replace('"9.90"', "9.90"), encoding="utf-8")
    code, _, err = _run(capsys, "packs", "create", "--file", str(bad), *db)
    assert code == 2 and f"{bad}: " in err and "price" in err
    code, _, err = _run(capsys, "packs", "create", "--file", str(tmp_path / "none.json"), *db)
    assert code == 2 and "none.json" in err
    good = tmp_path / "good.json"
    good.write_text(json.dumps(paid_pack()), encoding="utf-8")
    pack = _created(_run(capsys, "packs", "create", "--file", str(good), *db)[1])
    code, _, err = _run(capsys, "packs", "gift", pack, "--phone", "+10000000000", *db)
    assert code == 2 and "phone:" in err
    code, _, err = _run(capsys, "packs", "qr", pack, "--out", str(tmp_path / "x.gif"), *db)
    assert code == 2 and "x.gif" in err
    code, _, err = _run(capsys, "packs", "show", "999999", *db)
    assert code == 2 and "no pack 999999" in err


def test_scheduler_once_with_time_travel(
    database_url: str,
    database: Database,
    demo_chain: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """K3: `scheduler --once --now` issues what is due at that instant, and only once."""
    db = ("--database-url", database_url)
    pack_file = tmp_path / "weekly.yaml"
    pack_file.write_text(YAML_PACK, encoding="utf-8")
    pack = _created(_run(capsys, "packs", "create", "--file", str(pack_file), *db)[1])
    start = "2099-01-05T10:00:00+01:00"
    code, out, _ = _run(
        capsys, "packs", "distribute", pack, "--member", "M-1001", "--start", start, *db
    )
    assert code == 0 and "0 coupon(s) issued now" in out
    later = ("--once", "--now", "2099-01-12T09:00:00+00:00")
    code, out, _ = _run(capsys, "scheduler", *later, *db)
    assert code == 0 and out.startswith("issued 2 cycle(s), 2 coupon(s)")
    assert _run(capsys, "scheduler", *later, *db)[1].startswith("issued 0 cycle(s)")
    starts = sorted(e["valid_from"] for e in entitlements_of(database))
    assert starts == ["2099-01-06T00:00:00+01:00", "2099-01-13T00:00:00+01:00"]  # K2 after_days
    code, _, err = _run(capsys, "scheduler", "--now", "yesterday", "--once", *db)
    assert code == 2 and "--now" in err
