"""The paragraph that states a report's main targets for the year (今年…主要预期目标是：…), found from cue data."""

from __future__ import annotations

import re

from kg_build.document import Section, SectionKind, Span

from .config import fill_years, load
from .lines import split_lines


def _patterns(key: str, plan_year: int | None) -> list[str]:
    filled = (fill_years(p, plan_year=plan_year, review_year=None) for p in load("main_targets")[key])
    return [p for p in filled if p is not None]


def _kind_at(sections: list[Section], offset: int) -> SectionKind | None:
    return next((s.kind for s in sections if s.body.begin <= offset < s.body.end), None)


def main_targets_paragraphs(text: str, sections: list[Section], *, plan_year: int | None) -> list[Span]:
    """Paragraphs that state the year's main targets: a strong cue outside a review, or a weak cue in a plan."""
    strong, weak = _patterns("strong", plan_year), _patterns("weak", plan_year)
    short = load("main_targets")["short_line_chars"]
    lines = split_lines(text)
    found: list[Span] = []
    for line, following in zip(lines, lines[1:] + [None]):
        kind = _kind_at(sections, line.begin)
        if kind is SectionKind.REVIEW:
            continue
        cues = strong + weak if kind is SectionKind.PLAN else strong
        if any(re.search(p, line.text) for p in cues):
            heading_like = len(line.text) <= short and "：" not in line.text
            announces = line.text.endswith(("如下。", "如下：", "：", ":"))
            taken = following if following is not None and (heading_like or announces) else line
            found.append(Span(line.begin, taken.end))
    return found
