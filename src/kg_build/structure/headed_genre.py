"""Reports whose parts open with headings of their own kind (2025年工作回顾 / 2026年工作安排), not numbered 一、二、,
each part holding its own numbered items (一、二、… or （一）（二）…) as pillars."""

from __future__ import annotations

from kg_build.document import Section, SectionKind, Span

from .enumerators import Family, any_enumerator, enumerator_at
from .full_genre import typed_sections
from .headings import is_body_end, is_heading_line
from .honours import honour_items
from .lines import Line, trim_label
from .pillars import PILLAR_FAMILIES, pillar_heads
from .section_kinds import kind_of_heading, strip_part_marker
from .years import Years

FAMILIES = (Family.TOP,) + PILLAR_FAMILIES


def part_headings(text: str, lines: list[Line], years: Years) -> list[tuple[int, Span]]:
    """(line position, label) of each heading line that names a kind of section, up to the end of the body."""
    heads: list[tuple[int, Span]] = []
    for position, line in enumerate(lines):
        if heads and is_body_end(line):
            break
        if not is_heading_line(line):
            continue
        label = _part_label(text, line, years)
        if label is not None:
            heads.append((position, label))
    return heads


def _part_label(text: str, line: Line, years: Years) -> Span | None:
    found = any_enumerator(line.text)
    if found is not None and found.family is Family.TOP:
        return None  # a numbered top-level heading: the full genre reads those
    skip = found.length if found else strip_part_marker(line.text)
    begin, end = trim_label(text, line.begin + skip, line.end)
    if end <= begin:
        return None
    named = kind_of_heading(text[begin:end], plan_year=years.plan, review_year=years.review)
    return Span(begin, end) if named is not None else None


def _formal(line: Line) -> bool:
    """Whether a part heading is itself numbered (（一）2025年工作回顾) or marked (第一部分 …)."""
    return any_enumerator(line.text) is not None or strip_part_marker(line.text) > 0


def _holds_parts(text: str, body: list[Line]) -> bool:
    """Whether a part holds numbered items of the heading kind (一、 or （一）), as a report's parts do."""
    found = pillar_heads(text, body, families=FAMILIES)
    return bool(found) and found[0].enumerator is not None and found[0].enumerator.family in (Family.TOP, Family.PAREN)


def parse_headed(text: str, lines: list[Line], years: Years) -> list[Section]:
    """Sections under kind headings that are not numbered 一、, when the headings are numbered or marked
    otherwise, or at least one of them holds 一、 or （一） items, and no numbered top-level heading (一、)
    comes before the first of them; empty otherwise."""
    heads = part_headings(text, lines, years)
    if len(heads) < 2:
        return []
    first = heads[0][0]
    if any(enumerator_at(line.text, Family.TOP) for line in lines[:first]):
        return []
    end = len(lines)
    for line in lines[heads[-1][0] + 1 :]:
        if is_body_end(line):
            end = line.index
            break
    bodies = [lines[position + 1 : heads[i + 1][0] if i + 1 < len(heads) else end] for i, (position, _) in enumerate(heads)]
    if not any(_formal(lines[position]) for position, _ in heads) and not any(_holds_parts(text, body) for body in bodies):
        return []  # a summary's heading lines over paragraphs (or 一是… items): the summary genre reads those
    sections: list[Section] = []
    for (position, label), body in zip(heads, bodies):
        plan_seen = any(s.kind is SectionKind.PLAN for s in sections)
        for section in typed_sections(text, label, lines[position].begin, body, years, plan_seen=plan_seen, families=FAMILIES):
            if section.kind is SectionKind.HIGHLIGHTS:
                section.honours = honour_items(text, body)
            sections.append(section)
    return sections
