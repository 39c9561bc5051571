"""Full reports: top-level sections numbered 一、二、三、…, pillars （一）… or 一是…, measures in paragraphs."""

from __future__ import annotations

from dataclasses import dataclass

from kg_build.document import Measure, Section, SectionKind, Span

from .combined import part_head, split_at
from .config import load
from .enumerators import Family, enumerator_at
from .headings import CJK, is_address, is_body_end
from .lines import SENTENCE_ENDS, Line, trim_label
from .measures import measures_of_lines
from .pillars import PILLAR_FAMILIES, build_pillars, pillar_heads
from .section_kinds import combined_kinds, kind_of_heading, kind_of_intro
from .years import Years, section_year

MAX_HEADING_CHARS = 60
INTRO_LINES = 3
PAIRS = ("“”", "《》", "（）", "()")
MEASURED_KINDS = (SectionKind.PLAN, SectionKind.OUTLOOK, SectionKind.GOVERNMENT)


@dataclass(frozen=True)
class TopHeading:
    """A top-level heading: the lines it spans and its label span."""

    first: Line
    last: Line
    label: Span


def _balanced(text: str) -> bool:
    return all(text.count(a) <= text.count(b) for a, b in PAIRS)


def top_headings(text: str, lines: list[Line]) -> list[TopHeading]:
    """Headings 一、二、三、… taken once in sequence; a restart at 一、 inside a section opens a sub-list."""
    heads: list[TopHeading] = []
    sub_expected = 0  # next number of a sub-list restarted inside the current section (0: none)
    skip_until = -1
    for position, line in enumerate(lines):
        if is_body_end(line) and heads:
            break
        if position <= skip_until:
            continue
        found = enumerator_at(line.text, Family.TOP)
        if found is None:
            continue
        rest = line.text[found.length :]
        if found.number == sub_expected:
            sub_expected += 1
            continue
        if found.number == 1 and heads:
            sub_expected = 2
            continue
        if found.number != len(heads) + 1 or not rest or rest[-1] in SENTENCE_ENDS or len(rest) > MAX_HEADING_CHARS:
            continue
        if rest[0] in load("markers")["bullets"] or not CJK.search(rest):
            continue  # "一、●" or "一、2026" is not a heading: a heading names something in words
        last = line
        if not _balanced(rest) and position + 1 < len(lines) and _balanced(rest + lines[position + 1].text):
            last = lines[position + 1]  # a heading broken over two lines
            skip_until = position + 1
        begin, end = trim_label(text, line.begin + found.length, last.end)
        heads.append(TopHeading(line, last, Span(begin, end)))
        sub_expected = 0
    return heads


def _body_end_index(lines: list[Line], start: int) -> int:
    for line in lines[start:]:
        if is_body_end(line):
            return line.index
    return len(lines)


def _section_measures(text: str, lines: list[Line]) -> list[Measure]:
    return measures_of_lines(text, [line for line in lines if not is_address(line)])


def make_section(
    text: str,
    kind: SectionKind,
    label: Span,
    begin: int,
    body: list[Line],
    years: Years,
    *,
    families: tuple[Family, ...] = PILLAR_FAMILIES,
    continued: bool = False,
) -> Section:
    """A section of ``kind`` labelled ``label``, from ``begin`` to the end of ``body``, with its pillars and measures."""
    with_measures = kind in MEASURED_KINDS
    pheads = pillar_heads(text, body, families=families, continued=continued)
    pillars = build_pillars(text, body, pheads, with_measures=with_measures)
    measures = _section_measures(text, body) if with_measures and not pillars else []
    span = Span(begin, body[-1].end if body else label.end)
    year = section_year(kind, text[span.begin : span.end], years)
    return Section(kind, text[label.begin : label.end], label, span, year, pillars, measures)


def typed_sections(
    text: str,
    label: Span,
    begin: int,
    body: list[Line],
    years: Years,
    *,
    plan_seen: bool,
    families: tuple[Family, ...] = PILLAR_FAMILIES,
) -> list[Section]:
    """One section typed by its heading or its opening paragraphs; two when the heading combines
    this year's plan with the five-year outlook or last year's review (split where the second part opens)."""
    heading = text[label.begin : label.end].replace("\n", "")
    pair = combined_kinds(heading, plan_year=years.plan, review_year=years.review)
    if pair is not None:
        first, second = pair
        cut = split_at(text, body, second, years)
        if cut is None:  # the parts cannot be told apart: the plan is the part a reader must not lose
            return [make_section(text, SectionKind.PLAN, label, begin, body, years, families=families)]
        second_label, second_body = part_head(text, body[cut:])
        return [
            make_section(text, first, label, begin, body[:cut], years, families=families),
            make_section(text, second, second_label, body[cut].begin, second_body, years,
                         families=families, continued=True),
        ]
    kind = kind_of_heading(heading, plan_year=years.plan, review_year=years.review)
    if kind is None:
        pheads = pillar_heads(text, body, families=families)
        intro_lines = [line for line in body if not pheads or line.index < pheads[0].line.index][:INTRO_LINES]
        kind = kind_of_intro(
            "\n".join(line.text for line in intro_lines),
            plan_year=years.plan,
            review_year=years.review,
            plan_seen=plan_seen,
            body="\n".join(line.text for line in body),
        )
    return [make_section(text, kind, label, begin, body, years, families=families)]


def parse_full(text: str, lines: list[Line], years: Years) -> list[Section]:
    """Sections of a report whose parts are numbered 一、二、…; empty when it has fewer than two."""
    heads = top_headings(text, lines)
    if len(heads) < 2:
        return []
    end_index = _body_end_index(lines, heads[-1].last.index + 1)
    sections: list[Section] = []
    for i, head in enumerate(heads):
        stop = heads[i + 1].first.index if i + 1 < len(heads) else end_index
        body = lines[head.last.index + 1 : stop]
        plan_seen = any(s.kind is SectionKind.PLAN for s in sections)
        sections += typed_sections(text, head.label, head.first.begin, body, years, plan_seen=plan_seen)
    return sections
