"""Summaries (newspaper digests): short heading lines for sections and pillars, lead sentences for measures."""

from __future__ import annotations

from kg_build.document import Measure, Pillar, Section, SectionKind, Span

from .enumerators import any_enumerator
from .headings import is_body_end, is_heading_line
from .honours import honour_items, is_bullet
from .lines import Line, trim_label
from .measures import measures_of_lines, opening_measure
from .section_kinds import kind_of_heading
from .years import Years, section_year


def _label(text: str, line: Line) -> Span:
    """The label span of a heading line, without its enumerator (一、 （一） …) or final punctuation."""
    found = any_enumerator(line.text)
    begin, end = trim_label(text, line.begin + (found.length if found else 0), line.end)
    return Span(begin, end)


def _blocks(lines: list[Line]) -> tuple[list[Line], list[list[Line]]]:
    """The lines before the first sub-heading, and each sub-heading with the lines under it."""
    intro: list[Line] = []
    blocks: list[list[Line]] = []
    for line in lines:
        if is_heading_line(line):
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
        else:
            intro.append(line)
    return intro, blocks


def _paragraph_leads(text: str, lines: list[Line]) -> list[Measure]:
    return measures_of_lines(text, [line for line in lines if not is_bullet(line)])


def _section(text: str, kind: SectionKind, head: Line, body: list[Line], years: Years) -> Section:
    label = _label(text, head)
    intro, blocks = _blocks(body)
    pillars: list[Pillar] = []
    measures: list[Measure] = [] if blocks else _paragraph_leads(text, intro)
    for block in blocks:
        heading, under = block[0], block[1:]
        if not under or any(is_bullet(line) for line in under):
            continue  # a caption of a list, not a task area
        span = _label(text, heading)
        if span.begin == span.end:
            continue
        body_span = Span(heading.begin, under[-1].end)
        if any(opening_measure(text, line) is not None for line in under):
            pillars.append(Pillar(text[span.begin : span.end], span, body_span, _paragraph_leads(text, under)))
        else:
            measures.append(Measure(text[span.begin : span.end], span, body_span))
    honours = honour_items(text, body) if kind is SectionKind.HIGHLIGHTS else []
    whole = Span(head.begin, (body[-1] if body else head).end)
    year = section_year(kind, text[whole.begin : whole.end], years)
    return Section(kind, text[label.begin : label.end], label, whole, year, pillars, measures, honours)


def parse_summary(text: str, lines: list[Line], years: Years) -> list[Section]:
    """Sections opened by short heading lines that name a kind of section (2026展望, 亮点, 履职尽责…)."""
    heads: list[tuple[int, SectionKind]] = []
    end = len(lines)
    for position, line in enumerate(lines):
        if heads and is_body_end(line):
            end = position
            break
        if is_heading_line(line):
            kind = kind_of_heading(line.text, plan_year=years.plan, review_year=years.review)
            if kind is not None and _label(text, line).end > _label(text, line).begin:
                heads.append((position, kind))
    sections: list[Section] = []
    for i, (position, kind) in enumerate(heads):
        stop = heads[i + 1][0] if i + 1 < len(heads) else end
        sections.append(_section(text, kind, lines[position], lines[position + 1 : stop], years))
    return sections
