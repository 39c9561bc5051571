"""Numerals as written in Chinese reports (640, 1.2万亿, 两千, 十三, 百分之五) → exact Decimals."""

from __future__ import annotations

import re
from decimal import Decimal

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
MAGNITUDES: dict[str, int] = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "十百千万亿"
DECIMAL_POINT = "点"
ARABIC_PATTERN = r"[0-9０-９]+(?:[,，][0-9]{3})*(?![0-9])(?:[.．][0-9０-９]+)?"  # 6，600: older texts group with ，

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
_ARABIC = re.compile(ARABIC_PATTERN + r"\Z")


def parse_arabic(numeral: str) -> Decimal:
    """An Arabic numeral with optional thousands commas, decimals or full-width digits."""
    cleaned = numeral.translate(_FULL_WIDTH).replace(",", "").replace("，", "")
    if not _ARABIC.match(numeral) or not cleaned:
        raise ValueError(f"not an Arabic numeral: {numeral!r}")
    return Decimal(cleaned)


def magnitude_of(words: str) -> int:
    """The factor of a run of magnitude words: 万 → 10⁴, 万亿 → 10¹², 千万 → 10⁷."""
    factor = 1
    for char in words:
        factor *= MAGNITUDES[char]
    return factor


def parse_chinese(numeral: str) -> Decimal | None:
    """A Chinese numeral (十三, 两千, 一百零五, 三万, 万亿, 五点五), or None when it is not one (十四五, 二〇二六)."""
    whole, point, fraction = numeral.partition(DECIMAL_POINT)
    if point:  # 五点五, 五十八点六: digits one by one after the point
        integer = parse_chinese(whole)
        if integer is None or not fraction or any(char not in DIGITS or char == "两" for char in fraction):
            return None
        return integer + Decimal("0." + "".join(str(DIGITS[char]) for char in fraction))
    if not numeral or any(char not in CHINESE_NUMERAL_CHARS for char in numeral):
        return None
    above_yi = 0
    above_wan = 0
    section = 0
    digit: int | None = None
    for char in numeral:
        if char in "零〇" and digit is None:
            continue
        if char in DIGITS:
            if digit is not None:
                return None
            digit = DIGITS[char]
        elif char in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[char]
            digit = None
        elif char == "万":
            group = section + (digit or 0)
            above_wan = (above_wan + (group or 1)) * 10_000
            section, digit = 0, None
        else:  # 亿
            group = above_wan + section + (digit or 0)
            above_yi = (above_yi + (group or 1)) * 100_000_000
            above_wan, section, digit = 0, 0, None
    return Decimal(above_yi + above_wan + section + (digit or 0))
