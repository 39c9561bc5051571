"""Document structure: typed sections, their pillars and measures, and honour lists, with exact spans.

Three layouts are read: reports whose parts open with un-numbered headings
that name their kind (2025年工作回顾 / 2026年工作安排), each holding its own
numbered items; full reports whose parts are numbered 一、二、三、… (pillars
（一）… or 一是…); and newspaper summaries whose parts open with short heading
lines (2026展望, 亮点, …). A heading that names this year's plan together with
the five-year outlook or last year's review is split into two sections where
the second part opens. Keyword lists live in ``data/``.
"""

from __future__ import annotations

from kg_build.document import NormalizedText, ReportMeta, Section

from .full_genre import parse_full
from .headed_genre import parse_headed
from .lines import split_lines
from .summary_genre import parse_summary
from .years import Years

__all__ = ["parse_structure"]


def parse_structure(text: NormalizedText, meta: ReportMeta) -> list[Section]:
    """The top-level sections of a report in document order, with pillars, measures and honours."""
    lines = split_lines(text.text)
    years = Years.of(meta)
    return (
        parse_headed(text.text, lines, years)
        or parse_full(text.text, lines, years)
        or parse_summary(text.text, lines, years)
    )
