"""PIN hashes both ends write and the till checks: ``scrypt$n$r$p$salt$key`` (hex), a
random 16-byte salt per hash, compared in constant time. A PIN is never stored, logged
or put in a message; hashing is slow on purpose (tens of milliseconds)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
SCHEME = "scrypt"
PIN_DIGITS = (4, 8)
HASH_PATTERN = r"^scrypt\$\d{1,7}\$\d{1,3}\$\d{1,3}\$[0-9a-f]{16,128}\$[0-9a-f]{32,128}$"
_HASH = re.compile(HASH_PATTERN)


class PinError(ValueError):
    """A PIN that is not 4 to 8 digits."""


def check_pin(pin: object) -> str:
    """``pin`` when it is 4 to 8 digits, else :class:`PinError` saying so."""
    if not isinstance(pin, str) or not pin.isascii() or not pin.isdigit():
        raise PinError(f"A PIN is {PIN_DIGITS[0]} to {PIN_DIGITS[1]} digits")
    if not PIN_DIGITS[0] <= len(pin) <= PIN_DIGITS[1]:
        raise PinError(f"A PIN is {PIN_DIGITS[0]} to {PIN_DIGITS[1]} digits")
    return pin


def is_pin_hash(text: object) -> bool:
    """Whether ``text`` has the shape of a stored PIN hash."""
    return isinstance(text, str) and _HASH.match(text) is not None


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """``scrypt$n$r$p$salt$key`` (hex) for ``pin`` with a fresh random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(pin, salt, n, r, p)
    return f"{SCHEME}${n}${r}${p}${salt.hex()}${key.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """Whether ``pin`` hashes to ``stored`` (constant-time compare); False for a
    malformed stored hash."""
    try:
        scheme, n, r, p, salt_hex, key_hex = stored.split("$")
        if scheme != SCHEME:
            return False
        expected = bytes.fromhex(key_hex)
        key = _derive(pin, bytes.fromhex(salt_hex), int(n), int(r), int(p), len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(key, expected)


def _derive(pin: str, salt: bytes, n: int, r: int, p: int, length: int = KEY_BYTES) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=2**26)
