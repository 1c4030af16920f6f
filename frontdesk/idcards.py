"""Resident ID numbers (居民身份证号码) after GB 11643-1999.

Six digits of region (GB/T 2260), eight of birth date (YYYYMMDD), a three-digit sequence whose
parity is the gender (odd: male, even: female) and an ISO 7064 MOD 11-2 check character.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"  # indexed by (weighted sum mod 11)


def check_character(first17: str) -> str:
    """The check character of the first 17 digits ("X" stands for 10)."""
    if len(first17) != 17 or not first17.isdigit() or not first17.isascii():
        raise ValueError(f"need 17 digits, got {first17!r}")
    total = 0
    for weight, digit in zip(WEIGHTS, first17, strict=True):
        total += weight * (ord(digit) - 48)
    return CHECK_CHARACTERS[total % 11]


def _weighted(digits: str, offset: int) -> int:
    return sum(w * (ord(d) - 48) for w, d in zip(WEIGHTS[offset:], digits, strict=False))


@cache
def _region_sum(region: str) -> int:
    if len(region) != 6 or not region.isdigit() or not region.isascii():
        raise ValueError(f"not a region code: {region!r}")
    return _weighted(region, 0)


@cache
def _birth_part(birth: dt.date) -> tuple[str, int]:
    digits = f"{birth.year:04d}{birth.month:02d}{birth.day:02d}"
    return digits, _weighted(digits, 6)


_SEQ_PARTS = [(f"{seq:03d}", _weighted(f"{seq:03d}", 14)) for seq in range(1000)]


def make_id(region: str, birth: dt.date, seq: int) -> str:
    """The full 18-character number for ``region`` (6 digits), ``birth`` and ``seq`` (0..999).

    Same result as ``check_character`` on the first 17 digits; the partial sums of regions and
    dates are cached, since a district has hundreds of thousands of numbers to make.
    """
    if not 0 <= seq <= 999:
        raise ValueError(f"sequence out of range: {seq}")
    date_digits, date_sum = _birth_part(birth)
    seq_digits, seq_sum = _SEQ_PARTS[seq]
    check = CHECK_CHARACTERS[(_region_sum(region) + date_sum + seq_sum) % 11]
    return f"{region}{date_digits}{seq_digits}{check}"


def birth_date(id_number: str) -> dt.date:
    """The birth date carried in a number (raises ``ValueError`` when it is not a date)."""
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def is_male(id_number: str) -> bool:
    """The gender carried by the sequence: odd is male."""
    return int(id_number[14:17]) % 2 == 1


def is_valid(id_number: str) -> bool:
    """18 characters, 17 digits and the right check character, and a real birth date."""
    if len(id_number) != 18 or not id_number.isascii():
        return False
    first17, last = id_number[:17], id_number[17]
    if not first17.isdigit():
        return False
    if check_character(first17) != last:
        return False
    try:
        born = birth_date(id_number)
    except ValueError:
        return False
    return born.year >= 1800
