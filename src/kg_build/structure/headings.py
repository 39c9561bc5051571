"""Heading lines and the labels read from them."""

from __future__ import annotations

import re

from .config import load
from .enumerators import any_enumerator
from .lines import SENTENCE_ENDS, Line, sentence_bounds, trim_label

HEADING_MAX_CHARS = 40
CJK = re.compile(r"[\u3400-\u9fff]")
CLAUSE_MARKS = "，,；;：:" + SENTENCE_ENDS


def is_heading_line(line: Line) -> bool:
    """A short line without sentence or clause punctuation: a heading in a summary-style report."""
    text = line.text
    if len(text) > HEADING_MAX_CHARS or any(c in text for c in CLAUSE_MARKS):
        return False
    found = any_enumerator(text)
    words = text[found.length :] if found else text
    return bool(words) and words[0] not in load("markers")["bullets"] and CJK.search(words) is not None


def heading_label(text: str, line: Line, *, skip: int) -> tuple[int, int, int]:
    """(label begin, label end, heading end) of an enumerated heading: the first sentence after the enumerator.

    The heading ends after its first sentence (inline headings such as
    "（一）壮大实体经济，推动高质量发展。持续把…") or at the end of the line.
    """
    start = line.begin + skip
    bounds = sentence_bounds(line.text, start=skip)
    local_end = bounds[0][1] if bounds else len(line.text)
    begin, end = trim_label(text, start, line.begin + local_end)
    return begin, end, line.begin + local_end


def is_body_end(line: Line) -> bool:
    """Whether ``line`` ends the report body (an appendix, a glossary, page furniture)."""
    return any(re.search(p, line.text) for p in load("markers")["body_end_lines"])


def is_address(line: Line) -> bool:
    """Whether ``line`` addresses the delegates (各位代表！…): such a paragraph closes a pillar."""
    return any(re.search(p, line.text) for p in load("markers")["address_paragraphs"])
