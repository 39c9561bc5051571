"""Numerals as written in Chinese reports → exact Decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg_build.extract.numbers import magnitude_of, parse_arabic, parse_chinese

CHINESE = [
    ("一", 1),
    ("两", 2),
    ("十", 10),
    ("十三", 13),
    ("二十", 20),
    ("百", 100),
    ("一百零五", 105),
    ("两千", 2000),
    ("三千五百", 3500),
    ("三万", 30_000),
    ("十万", 100_000),
    ("百万", 1_000_000),
    ("一亿二千万", 120_000_000),
    ("万亿", 1_000_000_000_000),
    ("三十", 30),
    ("五点五", Decimal("5.5")),
    ("五十八点六", Decimal("58.6")),
    ("零点五", Decimal("0.5")),
    ("二十七点八", Decimal("27.8")),
]

NOT_CHINESE = ["十四五", "十五五", "二〇二六", "", "三百x", "点五", "五点", "五点两", "五点十"]

ARABIC = [
    ("640", Decimal("640")),
    ("31.8", Decimal("31.8")),
    ("5460", Decimal("5460")),
    ("1,234", Decimal("1234")),
    ("１２", Decimal("12")),
    ("6，600", Decimal("6600")),  # older texts group thousands with a full-width comma
]

@pytest.mark.parametrize(("numeral", "expected"), CHINESE)
def test_chinese_numerals(numeral: str, expected: int) -> None:
    assert parse_chinese(numeral) == Decimal(expected)


@pytest.mark.parametrize("numeral", NOT_CHINESE)
def test_names_and_years_are_not_chinese_numerals(numeral: str) -> None:
    assert parse_chinese(numeral) is None


@pytest.mark.parametrize(("numeral", "expected"), ARABIC)
def test_arabic_numerals(numeral: str, expected: Decimal) -> None:
    assert parse_arabic(numeral) == expected


@pytest.mark.parametrize(("words", "factor"), [("", 1), ("万", 10**4), ("亿", 10**8), ("万亿", 10**12), ("千万", 10**7)])
def test_magnitude_of(words: str, factor: int) -> None:
    assert magnitude_of(words) == factor


def test_a_bad_arabic_numeral_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_arabic("12a")
