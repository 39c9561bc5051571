"""Honour lists: bullet lines (●…) in a highlights section."""

from __future__ import annotations

from kg_build.document import HonourItem, Span

from .config import load
from .enumerators import any_enumerator
from .lines import Line, trim_label


def is_bullet(line: Line) -> bool:
    """Whether ``line`` is a bullet item (●全国…)."""
    return line.text[0] in load("markers")["bullets"]


def honour_items(text: str, lines: list[Line]) -> list[HonourItem]:
    """One HonourItem per bullet line, labelled with the words after the bullet."""
    items: list[HonourItem] = []
    for line in lines:
        if not is_bullet(line):
            continue
        bullets = load("markers")["bullets"]
        skip = len(line.text) - len(line.text.lstrip(bullets + " "))
        found = any_enumerator(line.text[skip:])
        skip += found.length if found else 0
        begin, end = trim_label(text, line.begin + skip, line.end)
        if end > begin:
            items.append(HonourItem(text[begin:end], Span(begin, end)))
    return items
