"""Measures: lead sentences that open a block of detail (更大力度提振消费。实施…), and 一是/二是 items."""

from __future__ import annotations

import re

from kg_build.document import Measure, Span

from .config import compiled, load
from .enumerators import CN_NUMBER, Family, chinese_number, enumerator_at
from .headings import CJK, is_heading_line
from .lines import CLOSING_MARKS, Line, sentence_bounds, trim_label

SHI_ITEM = re.compile(rf"(?:^|(?<=[。；：;:]))({CN_NUMBER})是(?![的否])")
ITEM_FAMILIES = (Family.SHI, Family.ARABIC, Family.PAREN_ARABIC)
CLAUSE_END = "；;。"
PARAGRAPH_ENDS = "。！？!?；;：:…"


def _shape() -> dict:
    return load("lead_sentences")


def is_lead(sentence: str, *, inline: bool) -> bool:
    """Whether ``sentence`` (ending in 。) reads as a lead phrase: short, verb-object, no figures or commas."""
    shape = _shape()
    if not sentence.endswith("。"):
        return False
    core = sentence[:-1].strip()
    limit = shape["max_chars_inline"] if inline else shape["max_chars_paragraph_initial"]
    if not shape["min_chars"] <= len(core) <= limit:
        return False
    if any(c in shape["forbidden_chars"] for c in core):
        return False
    return not any(p.search(core) for p in compiled(tuple(shape["forbidden_patterns"])))


def _is_detail(sentence: str) -> bool:
    """Whether a sentence reads as detail under a lead: a clause list or a longer statement."""
    core = sentence.rstrip("。！？!?”’")
    return any(c in core for c in "，,；;、") or len(core) >= _shape()["detail_min_chars"]


def _measure(text: str, begin: int, end: int, body_end: int) -> Measure | None:
    label_begin, label_end = trim_label(text, begin, end)
    if not CJK.search(text, label_begin, label_end) or text[label_begin] in load("markers")["bullets"]:
        return None
    return Measure(text[label_begin:label_end], Span(label_begin, label_end), Span(label_begin, body_end))


def _item_label_end(local: str, begin: int, limit: int) -> int:
    """Where the label of an enumerated item ends: its first clause group, or its first phrase when long."""
    stops = [i for i in (local.find(c, begin, limit) for c in CLAUSE_END) if i >= 0]
    end = min(stops) if stops else limit
    if end - begin > _shape()["max_chars_paragraph_initial"]:
        comma = min((i for i in (local.find(c, begin, end) for c in "，,") if i >= 0), default=-1)
        if comma > begin:
            end = comma
    return end


def _shi_items(text: str, line: Line, start: int) -> list[Measure]:
    """一是…；二是…； items inside a paragraph, each ending in ；or 。, numbered 1, 2, 3… in order."""
    local = line.text
    items: list[tuple[int, int]] = []
    expected = 1
    for match in SHI_ITEM.finditer(local, start - line.begin):
        if chinese_number(match.group(1)) == expected:
            items.append((match.start(), match.end()))
            expected += 1
    if len(items) < 2:
        return []
    found: list[Measure] = []
    for i, (item_begin, label_begin) in enumerate(items):
        limit = items[i + 1][0] if i + 1 < len(items) else len(local)
        if i + 1 < len(items) and local[:limit].rstrip()[-1:] not in CLAUSE_END:
            return []  # items run on with commas: a list of goals, not of measures
        end = _item_label_end(local, label_begin, limit)
        measure = _measure(text, line.begin + label_begin, line.begin + end, line.begin + len(local[:limit].rstrip()))
        if measure is not None:
            found.append(measure)
    return found


def _inline_leads(text: str, line: Line, start: int) -> list[Measure]:
    """Lead sentences in the middle of a paragraph, each followed by a detail sentence."""
    bounds = sentence_bounds(line.text, start=start - line.begin)
    leads: list[int] = []
    for i, (b, e) in enumerate(bounds):
        if not is_lead(line.text[b:e].strip(), inline=True):
            continue
        if i + 1 < len(bounds) and _is_detail(line.text[bounds[i + 1][0] : bounds[i + 1][1]]):
            leads.append(i)
    measures: list[Measure] = []
    for n, i in enumerate(leads):
        body_end = bounds[leads[n + 1]][0] if n + 1 < len(leads) else len(line.text)
        b, e = bounds[i]
        measure = _measure(text, line.begin + b, line.begin + e, line.begin + len(line.text[:body_end].rstrip()))
        if measure is not None:
            measures.append(measure)
    return measures


def opening_measure(text: str, line: Line) -> Measure | None:
    """The measure a paragraph opens with: a lead sentence, or the first clause of an enumerated item."""
    item = next((e for e in (enumerator_at(line.text, f) for f in ITEM_FAMILIES) if e), None)
    begin = item.length if item else 0
    bounds = sentence_bounds(line.text, start=begin)
    if not bounds:
        return None
    first_begin, first_end = bounds[0]
    if is_lead(line.text[first_begin:first_end].strip(), inline=False):
        return _measure(text, line.begin + first_begin, line.begin + first_end, line.end)
    if item is None:
        return None
    end = _item_label_end(line.text, begin, len(line.text))
    return _measure(text, line.begin + begin, line.begin + end, line.end)


def inner_measures(text: str, line: Line, *, start: int | None = None) -> list[Measure]:
    """Measures inside a paragraph that opens with none: its 一是…二是… items, else its inline lead sentences."""
    begin = line.begin if start is None else start
    if not line.text[begin - line.begin :].strip():
        return []
    return _shi_items(text, line, begin) or _inline_leads(text, line, begin)


def runs_on(line: Line) -> bool:
    """Whether the paragraph goes on in the next line: a sentence broken by the source (…以PM / 2.5 / 浓度…)."""
    stripped = line.text.rstrip(CLOSING_MARKS)
    return bool(stripped) and stripped[-1] not in PARAGRAPH_ENDS and not is_heading_line(line)


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into paragraphs: a line continues the one before when that one breaks off mid-sentence."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups and runs_on(groups[-1][-1]):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def measures_of_lines(text: str, lines: list[Line]) -> list[Measure]:
    """The measures of consecutive paragraphs.

    A paragraph that opens with a lead sentence is one measure (lead sentences
    inside it are sub-points of that measure); otherwise its 一是…二是… items,
    else the lead sentences inside it, are the measures.
    """
    measures: list[Measure] = []
    for group in paragraphs(lines):
        opening = opening_measure(text, group[0])
        if opening is not None:
            measures.append(Measure(opening.label, opening.span, Span(opening.body.begin, group[-1].end)))
            continue
        for line in group:
            measures += inner_measures(text, line)
    return measures
