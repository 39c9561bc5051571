"""Document structure: typed sections, their pillars and measures, and honour lists, with exact spans.

Two genres are read: full reports whose parts are numbered 一、二、三、…
(pillars （一）… or 一是…), and newspaper summaries whose parts open with
short heading lines (2026展望, 亮点, …). Keyword lists live in ``data/``.
"""

from __future__ import annotations

from kg_build.document import NormalizedText, ReportMeta, Section

from .full_genre import parse_full
from .lines import split_lines
from .summary_genre import parse_summary
from .years import Years

__all__ = ["parse_structure"]


def parse_structure(text: NormalizedText, meta: ReportMeta) -> list[Section]:
    """The top-level sections of a report in document order, with pillars, measures and honours."""
    lines = split_lines(text.text)
    years = Years.of(meta)
    return parse_full(text.text, lines, years) or parse_summary(text.text, lines, years)
