"""The years a figure covers: several (过去五年, “十四五”时期, 2021—2025年, 年均, 比2020年) or one it names (到2027年).

A figure's period is read from the nearest time phrase before it in its sentence; failing that,
from the head of its paragraph (五年来，…) and then from the heading of its section (过去五年工作回顾).
A single year nearer the figure (2025年, 去年) wins over a period further back; a stated year
(1978年为17.4%) becomes the figure's year, a comparison with an earlier year (比2020年下降13.5%)
makes the period run from the year after it. A heading that also names a single year
(“十四五”时期和2025年工作回顾) lends its period only to yearly averages (年均增长).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from kg_build.extract.numbers import parse_chinese

_SHAPES = json.loads((Path(__file__).parent / "data" / "figure_shapes.json").read_text("utf-8"))
_PATTERNS: dict[str, str] = _SHAPES["periods"]
_MULTI = re.compile("|".join(f"(?:{_PATTERNS[key]})" for key in ("five_year_plan", "year_span", "year_onward", "years_back", "years_since")))
_SINGLE = re.compile(f"{_PATTERNS['stated_year']}|{_PATTERNS['single_year']}")
_AVERAGE = re.compile(_PATTERNS["yearly_average"])
_ANY = re.compile(
    f"(?P<multi>{_MULTI.pattern})|(?P<compared>{_PATTERNS['compared_with']})|(?P<single>{_SINGLE.pattern})"
)
_OPENING_WORDS = 3  # 到2027年，… / 截至2025年底，…: a year at most this far into the sentence opens it
_CLAUSE_MARKS = "，,：:"
_FIRST_PLAN = 3  # the third five-year plan (三五) began in 1966; the plans run on without gaps since
_FIRST_PLAN_YEAR = 1966


@dataclass(frozen=True)
class Period:
    """The years a figure covers: ``first`` to ``last``, both included (the same year for a figure of one named year)."""

    first: int
    last: int


def _count(words: str) -> int | None:
    value = parse_chinese(words) if not words.isdigit() else int(words)
    return int(value) if value is not None else None


def plan_years(name: str) -> Period | None:
    """十四五 → 2021–2025: the years of a numbered five-year plan (from the third on)."""
    number = _count(name[:-1]) if len(name) > 1 else None
    if number is None or number < _FIRST_PLAN:
        return None
    first = _FIRST_PLAN_YEAR + 5 * (number - _FIRST_PLAN)
    return Period(first, first + 4)


def _period_of(match: re.Match[str], year: int | None) -> Period | None:
    """The period a multi-year phrase names; relative phrases end in ``year``."""
    groups = match.groupdict()
    if groups.get("plan"):
        return plan_years(groups["plan"])
    if groups.get("first"):
        first, last = int(groups["first"]), int(groups["last"])
        return Period(first, last) if first < last else None
    if year is None:
        return None
    if groups.get("onward"):
        first = int(groups["onward"])
        return Period(first, year) if first < year else None
    count = _count(groups.get("back") or groups.get("since") or "")
    if count is None or count < 2:
        return None
    return Period(year - count + 1, year)


def _nearest(words: str, year: int | None) -> tuple[bool, Period | None]:
    """The time phrase nearest the end of ``words``: (found any, its period; None for the report's own year)."""
    last = None
    for last in _ANY.finditer(words):
        pass
    if last is None:
        return False, None
    if last.group("stated") is not None:  # the figure's own year if it opens the sentence or shares its clause
        opens = last.start() <= _OPENING_WORDS
        if not opens and any(mark in words[last.end() :] for mark in _CLAUSE_MARKS):
            return True, None  # 面向2030年的科技创新重大项目，…，新设6个: another clause's year
        return True, Period(int(last.group("stated")), int(last.group("stated")))
    if last.group("single") is not None:
        return True, None
    if last.group("compared") is not None:  # 比2020年下降13.5%: the change over the years since
        base = int(last.group("base"))
        return True, Period(base + 1, year) if year is not None and base + 1 < year else None
    return True, _period_of(last, year)


def heading_period(heading: str, year: int | None) -> tuple[Period | None, bool]:
    """A heading's period, and whether the heading names that period alone (no single year beside it)."""
    match = _MULTI.search(heading)
    if match is None:
        return None, False
    period = _period_of(match, year)
    return period, period is not None and _SINGLE.search(heading) is None


def figure_period(
    *, sentence: str, paragraph_head: str, heading: str, year: int | None, averaged: bool
) -> Period | None:
    """The years a figure covers, from the words before it (``sentence``), its paragraph's first
    clause and its section's heading; None for a figure of one year."""
    found, period = _nearest(sentence, year)
    if found:
        return period
    found, period = _nearest(paragraph_head, year)
    if found:
        return period
    period, alone = heading_period(heading, year)
    return period if (alone or averaged) else None


def is_yearly_average(words_before: str) -> bool:
    """Whether the words right before a figure make it a yearly average over a period (年均增长)."""
    return _AVERAGE.search(words_before[-8:]) is not None
