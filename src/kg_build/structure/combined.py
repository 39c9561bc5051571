"""Combined sections: one heading for two parts (“十五五”时期目标任务和2026年重点工作), split where the second opens."""

from __future__ import annotations

from kg_build.document import SectionKind, Span

from .enumerators import any_enumerator
from .headings import is_heading_line
from .lines import Line, trim_label
from .section_kinds import opens_part
from .years import Years

LABEL_STOPS = "，,。：:；;！？!?"


def _words(line: Line) -> tuple[int, str]:
    """The offset and text of a line after its enumerator (（二） 2. 一是 …), if any."""
    found = any_enumerator(line.text)
    skip = found.length if found else 0
    return skip, line.text[skip:]


def split_at(text: str, body: list[Line], second: SectionKind, years: Years) -> int | None:
    """The index in ``body`` of the first line after the first that opens the ``second`` part; None if none does."""
    for index, line in enumerate(body[1:], start=1):
        _, words = _words(line)
        if opens_part(words, second, plan_year=years.plan, review_year=years.review):
            return index
    return None


def part_head(text: str, lines: list[Line]) -> tuple[Span, list[Line]]:
    """The label and body of a second part: a heading line of its own (（二）2026年重点工作) labels the part
    and is left out of its body; a paragraph (2026年是…开局之年，…) lends its first clause and stays in."""
    opening = lines[0]
    skip, words = _words(opening)
    if is_heading_line(opening):
        begin, end = trim_label(text, opening.begin + skip, opening.end)
        return Span(begin, end), lines[1:]
    stop = next((i for i, char in enumerate(words) if char in LABEL_STOPS), len(words))
    begin, end = trim_label(text, opening.begin + skip, opening.begin + skip + stop)
    return Span(begin, end), lines
