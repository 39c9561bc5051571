"""Pillars: the enumerated task areas of a section (（一）…, 一是…, ——…, 1. …) with their measures."""

from __future__ import annotations

from dataclasses import dataclass

from kg_build.document import Measure, Pillar, Span

from .enumerators import Enumerator, Family, any_enumerator, enumerator_at
from .headings import heading_label, is_address, is_heading_line
from .lines import Line
from .measures import inner_measures, is_lead, measures_of_lines

OPENERS = ("《", "“", "‘", "（", "(")
CLOSERS = ("》", "”", "’", "）", ")", "、", "，", "。", "；", "：")
PILLAR_FAMILIES = (Family.PAREN, Family.SHI, Family.DASH, Family.ARABIC, Family.PAREN_ARABIC, Family.DI)


@dataclass(frozen=True)
class PillarHead:
    """Where a pillar starts: its line, its enumerator, its label span and the end of its heading sentence."""

    line: Line
    enumerator: Enumerator | None  # None for a heading line without one
    label: Span
    heading_end: int


def pillar_heads(
    text: str, lines: list[Line], *, families: tuple[Family, ...] = PILLAR_FAMILIES, continued: bool = False
) -> list[PillarHead]:
    """Paragraph-initial enumerated items of the first family that numbers at least two in sequence.

    ``continued``: the lines are the second part of a split section, whose numbering may go on
    from the first part's (（六）（七）… after （一）…（五）); the sequence then starts at its first item.
    """
    for family in families:
        heads: list[PillarHead] = []
        expected = 1
        if continued and family is not Family.DASH:
            first = next((found for found in (enumerator_at(line.text, family) for line in lines) if found), None)
            expected = first.number if first is not None else 1
        for line in lines:
            found = enumerator_at(line.text, family)
            if found is None or (family is not Family.DASH and found.number != expected):
                continue
            begin, end, heading_end = heading_label(text, line, skip=found.length)
            if end <= begin:
                continue
            heads.append(PillarHead(line, found, Span(begin, end), heading_end))
            expected += 1
        if len(heads) >= 2:
            return heads
    return _heading_line_heads(text, lines) or _lone_lead_heads(text, lines)


def _heading_line_heads(text: str, lines: list[Line]) -> list[PillarHead]:
    """Heading lines (short, without punctuation, enumerated or not) each followed by a paragraph."""
    heads: list[PillarHead] = []
    for position, (line, following) in enumerate(zip(lines, lines[1:])):
        previous = lines[position - 1].text if position > 0 else ""
        if previous.endswith(OPENERS) or following.text.startswith(CLOSERS):
            continue  # a fragment of a sentence broken around a title or a quotation (认真实施《\n…纲要\n》)
        if is_heading_line(line) and not is_heading_line(following):
            found = any_enumerator(line.text)
            begin, end, heading_end = heading_label(text, line, skip=found.length if found else 0)
            if end > begin:
                heads.append(PillarHead(line, found, Span(begin, end), heading_end))
    return heads if len(heads) >= 2 else []


def _lone_lead_heads(text: str, lines: list[Line]) -> list[PillarHead]:
    """Lines that are one short lead sentence alone (保持适当的经济增长速度。), each followed by a longer
    paragraph: the task areas of older State Council reports, set as bold lines of their own."""
    heads: list[PillarHead] = []
    for line, following in zip(lines, lines[1:]):
        if is_lead(line.text, inline=False) and line.text.count("。") == 1 and len(following.text) > len(line.text):
            begin, end, heading_end = heading_label(text, line, skip=0)
            if end > begin:
                heads.append(PillarHead(line, None, Span(begin, end), heading_end))
    return heads if len(heads) >= 2 else []


def _body_lines(lines: list[Line], head: PillarHead, stop_index: int) -> list[Line]:
    """The lines of a pillar: from its heading to the next pillar or to a paragraph addressing the delegates."""
    body: list[Line] = []
    for line in lines:
        if line.index < head.line.index or line.index >= stop_index:
            continue
        if line.index > head.line.index and is_address(line):
            break
        body.append(line)
    return body


def build_pillars(text: str, lines: list[Line], heads: list[PillarHead], *, with_measures: bool) -> list[Pillar]:
    """One Pillar per head, its body running to the next head (or the end of ``lines``), with its measures."""
    pillars: list[Pillar] = []
    end_index = lines[-1].index + 1 if lines else 0
    for i, head in enumerate(heads):
        stop = heads[i + 1].line.index if i + 1 < len(heads) else end_index
        body = _body_lines(lines, head, stop)
        measures: list[Measure] = []
        if with_measures:
            if head.heading_end < head.line.end:
                measures += inner_measures(text, head.line, start=head.heading_end)
            measures += measures_of_lines(text, body[1:])
        label = text[head.label.begin : head.label.end]
        pillars.append(Pillar(label, head.label, Span(head.line.begin, body[-1].end), measures))
    return pillars
