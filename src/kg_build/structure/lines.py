"""Lines and sentences of a normalized text, each with its exact offsets."""

from __future__ import annotations

from dataclasses import dataclass

SENTENCE_ENDS = "。！？!?"
CLOSING_MARKS = "”’」』）)》"


@dataclass(frozen=True)
class Line:
    """One non-blank line (a paragraph or a heading): ``text == full_text[begin:end]``."""

    begin: int
    end: int
    text: str
    index: int


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text``, stripped of surrounding whitespace, with offsets."""
    lines: list[Line] = []
    position = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            begin = position + (len(raw) - len(raw.lstrip()))
            lines.append(Line(begin, begin + len(stripped), stripped, len(lines)))
        position += len(raw) + 1
    return lines


def sentence_bounds(text: str, *, start: int = 0) -> list[tuple[int, int]]:
    """(begin, end) of each sentence of ``text`` from ``start``; the end includes 。 and closing quotes."""
    bounds: list[tuple[int, int]] = []
    begin = start
    i = start
    while i < len(text):
        if text[i] in SENTENCE_ENDS:
            end = i + 1
            while end < len(text) and text[end] in CLOSING_MARKS:
                end += 1
            bounds.append((begin, end))
            begin = i = end
            continue
        i += 1
    if begin < len(text) and text[begin:].strip():
        bounds.append((begin, len(text)))
    return bounds


def trim_label(text: str, begin: int, end: int) -> tuple[int, int]:
    """Shrink ``text[begin:end]`` by surrounding spaces and trailing 。：；，、 so it can serve as a label."""
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and (text[end - 1].isspace() or text[end - 1] in "。：；，、,;:.！？!?"):
        end -= 1
    return begin, end
