"""Enumerators that open headings and list items: 一、 （一） 一是 1. —— 第一， and bullets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

CN_DIGITS = "〇一二三四五六七八九"
CN_NUMBER = "[一二三四五六七八九十]+"


class Family(str, Enum):
    """The kinds of enumerator, from the most to the least formal."""

    TOP = "一、"
    PAREN = "（一）"
    SHI = "一是"
    DASH = "——"
    ARABIC = "1."
    PAREN_ARABIC = "（1）"
    DI = "第一，"


PATTERNS: dict[Family, re.Pattern[str]] = {
    Family.TOP: re.compile(rf"^({CN_NUMBER})[、.．]"),
    Family.PAREN: re.compile(rf"^[（(]({CN_NUMBER})[）)]\s*"),
    Family.SHI: re.compile(rf"^({CN_NUMBER})是(?![的否])"),
    Family.DASH: re.compile(r"^(?:——|—|--)\s*"),
    Family.ARABIC: re.compile(r"^([0-9]{1,2})(?:[.．、](?![0-9])|\s)\s*"),
    Family.PAREN_ARABIC: re.compile(r"^[（(]([0-9]{1,2})[）)]\s*"),
    Family.DI: re.compile(rf"^第({CN_NUMBER})[，,、：:]\s*"),
}


@dataclass(frozen=True)
class Enumerator:
    """An enumerator found at the start of a line: its family, its number (0 if unnumbered) and its length."""

    family: Family
    number: int
    length: int


def chinese_number(numeral: str) -> int:
    """The value of a Chinese numeral up to 99 (一 → 1, 十四 → 14, 二十 → 20); 0 if not one."""
    if not numeral or any(c not in CN_DIGITS + "十" for c in numeral):
        return 0
    if "十" not in numeral:
        return CN_DIGITS.index(numeral) if len(numeral) == 1 else 0
    tens, _, units = numeral.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return 0
    return (CN_DIGITS.index(tens) if tens else 1) * 10 + (CN_DIGITS.index(units) if units else 0)


def chinese_numeral(value: int) -> str:
    """The Chinese numeral of 1..99 (14 → 十四)."""
    tens, units = divmod(value, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[units] if units else "")


def enumerator_at(text: str, family: Family) -> Enumerator | None:
    """The enumerator of ``family`` that opens ``text``, if any."""
    match = PATTERNS[family].match(text)
    if match is None:
        return None
    if family is Family.DASH:
        return Enumerator(family, 0, match.end())
    raw = match.group(1)
    number = int(raw) if raw.isdigit() else chinese_number(raw)
    if number == 0:
        return None
    return Enumerator(family, number, match.end())


def any_enumerator(text: str) -> Enumerator | None:
    """The first enumerator of any family that opens ``text``."""
    for family in Family:
        found = enumerator_at(text, family)
        if found is not None:
            return found
    return None
