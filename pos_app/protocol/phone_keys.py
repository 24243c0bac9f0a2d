"""Members' phone numbers as keyed hashes (issue 18 item 5): a till keeps no phone number,
only HMAC-SHA256 digests of its digits under a key (the chain's, delivered by the back
office, or the till's own until then), and the last four digits to show a masked number.

A typed number is found offline as before (:func:`lookup_digest`): the whole number, or
for 7 digits or more the end of it (typed without the country or area code). So a
number is kept as the digests of its whole digits and of each of its endings from 7
digits up: each typed number is one digest to look up.
"""

from __future__ import annotations

import hashlib
import hmac

MIN_SUFFIX_DIGITS = 7  # a shorter typed number must be the member's whole number
DIGEST_CHARS = 32  # 128 bits of the HMAC, in hex
MASK = "••••"


def phone_digits(text: str) -> str:
    """The digits of a phone number as typed or stored ("+1 555-0100" → "15550100")."""
    return "".join(ch for ch in text if ch.isascii() and ch.isdigit())


def _digest(key: bytes, digits: str) -> str:
    return hmac.new(key, digits.encode("ascii"), hashlib.sha256).hexdigest()[:DIGEST_CHARS]


def phone_digests(key: bytes, phone: str) -> str:
    """The digests ``phone`` is kept as, space-separated ("" for a number with no digits):
    its whole digits and each ending of at least :data:`MIN_SUFFIX_DIGITS` digits."""
    digits = phone_digits(phone)
    if not digits:
        return ""
    endings = [digits[-length:] for length in range(MIN_SUFFIX_DIGITS, len(digits))]
    return " ".join(dict.fromkeys(_digest(key, part) for part in [digits, *endings]))


def lookup_digest(key: bytes, typed: str) -> str | None:
    """The digest a typed number is looked up by, or None if it has no digits."""
    digits = phone_digits(typed)
    return _digest(key, digits) if digits else None


def last_four(phone: str) -> str:
    """The last four digits of a number, kept to show it masked."""
    return phone_digits(phone)[-4:]


def masked(last4: str) -> str:
    """A number as screens show it: "•••• 4321" (nothing when none is known)."""
    return f"{MASK} {last4}" if last4 else ""
