"""One-time codes for the share page (K11): a buyer gives a phone number, the sender
delivers a 6-digit code, and the code proves the phone once.

Limits: a code lasts :data:`CODE_LIFETIME`, takes :data:`MAX_ATTEMPTS` wrong tries at
most, and is used once; a phone gets :data:`MAX_CODES_PER_WINDOW` codes per
:data:`RATE_WINDOW`. Only a hash of each code is stored. A refusal is a
:class:`CodeRefused` in the buyer's words.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backoffice.mall.code_senders import CodeSender
from backoffice.models.mall_codes import MallCode
from backoffice.packs.members import find_member_by_phone, normalize_phone

CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
RATE_WINDOW = timedelta(minutes=15)
MAX_CODES_PER_WINDOW = 3
CODE_DIGITS = 6
MAX_PHONE_LENGTH = 64


class CodeRefused(Exception):
    """No code sent, or a code not accepted; the message says why, for the buyer."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _hash(code_id_salt: str, code: str) -> str:
    return hashlib.sha256(f"{code_id_salt}:{code}".encode()).hexdigest()


def send_code(
    session: Session, sender: CodeSender, phone: str, pack_id: int, pack_name: str, now: datetime
) -> MallCode:
    """Send a new code to the member with ``phone`` (the caller commits afterwards)."""
    given = phone.strip()
    if not given:
        raise CodeRefused("phone", "Enter your phone number.")
    if len(given) > MAX_PHONE_LENGTH or not normalize_phone(given):
        raise CodeRefused("phone", "This is not a phone number. Enter the number you joined with.")
    if find_member_by_phone(session, given) is None:
        raise CodeRefused(
            "phone",
            "No member has this phone number. Check it, or join at one of our stores first.",
        )
    wanted = normalize_phone(given)
    recent = session.scalar(
        select(func.count(MallCode.id)).where(
            MallCode.phone == wanted, MallCode.sent_at > now - RATE_WINDOW
        )
    )
    if (recent or 0) >= MAX_CODES_PER_WINDOW:
        minutes = int(RATE_WINDOW.total_seconds() // 60)
        raise CodeRefused(
            "phone",
            f"Too many codes were sent to this number. Wait {minutes} minutes, then ask again.",
        )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(8)
    row = MallCode(
        phone=wanted,
        pack_id=pack_id,
        code_hash=f"{salt}${_hash(salt, code)}",
        sent_at=now,
        expires_at=now + CODE_LIFETIME,
        attempts=0,
    )
    session.add(row)
    session.flush()
    sender.send(given, code, pack_name)
    return row


def check_code(session: Session, code_id: int, phone: str, code: str, now: datetime) -> MallCode:
    """The code ``code_id`` if ``code`` is it, unexpired and unused; each wrong try counts.
    The caller commits in every case, so that wrong tries are counted."""
    row = session.get(MallCode, code_id, with_for_update=True)
    if row is None or row.phone != normalize_phone(phone):
        raise CodeRefused("phone", "Ask for a code for this phone number first.")
    if row.used_at is not None:
        raise CodeRefused("code", "This code was used already. Ask for a new one.")
    if now >= row.expires_at:
        raise CodeRefused("code", "This code has expired. Ask for a new one.")
    if row.attempts >= MAX_ATTEMPTS:
        raise CodeRefused("code", "Too many wrong tries. Ask for a new code.")
    salt, _, digest = row.code_hash.partition("$")
    if not hmac.compare_digest(digest, _hash(salt, code.strip())):
        row.attempts += 1
        left = MAX_ATTEMPTS - row.attempts
        tries = "no tries left: ask for a new code" if left == 0 else f"{left} tries left"
        raise CodeRefused("code", f"This is not the code we sent ({tries}).")
    return row
