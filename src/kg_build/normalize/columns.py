"""A page set in columns, as ``pdftotext -layout`` gives it (the columns side by side on each line, a newspaper's
page), read column by column.

Only a page whose lines all leave the same stretches blank between their text (a gutter) is split: a text written a
paragraph to a line, or cut at one width in one column, has none. ``split_columns`` is pure and changes nothing else.
"""

from __future__ import annotations

import re
from collections import Counter

from kg_build.normalize.widths import PAGE_BREAK

__all__ = ["split_columns"]

GUTTER_WIDTH = 2  # blank columns of characters, at the least, between two columns of text
GUTTER_SHARE = 0.05  # of a page's lines, the share (one at the least) that may cross a gutter (a header across them)
COLUMN_SHARE = 0.3  # of a page's lines, the share each column holds text in, at the least
COLUMN_MIN_LINES = 5  # a page with fewer lines is read as it is
GUTTER_REACH = 6  # characters either side of a gutter where a line that runs into it may part instead
_SPACES = re.compile(r" {2,}")


def split_columns(text: str) -> str:
    """``text`` (its line breaks unified to ``\\n``, form feeds on lines of their own) with each page that is set in
    columns (``_gutters``) rewritten column after column: the lines set across a gutter first where they stand in the
    page's upper half (a header, a title), last where in its lower half; then each column's lines, left to right, set
    in by what they are set in past the column's own margin (a first line's indent); any other page as it is."""
    if "   " not in text:  # no line with a run of spaces: nothing set side by side
        return text
    pages, page = [], []
    for line in text.split("\n"):
        if line == PAGE_BREAK:
            pages.append(page)
            page = []
        else:
            page.append(line)
    pages.append(page)
    return f"\n{PAGE_BREAK}\n".join("\n".join(_read_in_columns(lines)) for lines in pages)


def _read_in_columns(lines: list[str]) -> list[str]:
    gutters = _gutters(lines)
    if not gutters:
        return lines
    above, below, columns = [], [], [[] for _ in range(len(gutters) + 1)]
    for n, line in enumerate(lines):
        cuts = [_cut(line, gutter) for gutter in gutters]
        if None in cuts or cuts != sorted(set(cuts)):  # set across a gutter
            (above if n < len(lines) / 2 else below).append(line.strip())
            continue
        bounds = [0, *cuts, max(len(line), cuts[-1])]
        for column, start, end in zip(columns, bounds[:-1], bounds[1:], strict=True):
            column.append(line[start:end].rstrip())
    out = above
    for column in columns:
        while column and not column[-1]:
            column.pop()
        margin = _margin(column)
        out.extend(line.lstrip() if line[:margin].strip() else line[margin:] for line in column)
    return out + below


def _gutters(lines: list[str]) -> list[tuple[int, int]]:
    """The page's gutters, as (start, end) offsets of characters: stretches at least ``GUTTER_WIDTH`` wide that
    hardly any line holds text in, between two columns that each hold text on a good share of the lines."""
    texts = [line for line in lines if line.strip()]
    if len(texts) < COLUMN_MIN_LINES:
        return []
    held = Counter(x for line in texts for x, ch in enumerate(line) if not ch.isspace())
    crossing = max(1.0, GUTTER_SHARE * len(texts))  # a header across the columns, on a page of few lines too
    blank = [held[x] <= crossing for x in range(max(held, default=-1) + 1)]
    if all(blank):
        return []
    left, right = blank.index(False), len(blank) - 1 - blank[::-1].index(False)  # the text's outer edges
    runs, x = [], left
    while x <= right:
        if blank[x]:
            start = x
            while x <= right and blank[x]:
                x += 1
            if x - start >= GUTTER_WIDTH and x <= right:
                runs.append((start, x))
        x += 1
    bounds = [left, *(x for run in runs for x in run), right + 1]
    spans = list(zip(bounds[::2], bounds[1::2], strict=True))  # the columns of text between the gutters
    for start, end in spans:
        holding = sum(1 for line in texts if line[start:end].strip())
        if holding < COLUMN_SHARE * len(texts):
            return []  # too little text in it to be a column: a table, an indent
    return runs


def _cut(line: str, gutter: tuple[int, int]) -> int | None:
    """Where a line's columns part at a gutter: its middle, where the line is blank there; else the place nearest to it,
    within ``GUTTER_REACH``, in a run of two spaces or more after some of its text (a column's line that runs into the
    gutter); None where the line holds text across it."""
    start, end = gutter
    middle = (start + end) // 2
    if not line[start:end].strip():
        return middle
    best = None
    for match in _SPACES.finditer(line, max(0, start - GUTTER_REACH), end + GUTTER_REACH):
        if not line[: match.start()].strip():
            continue  # the line's own indent: a line that starts before its column (a header across them) is none
        at = max(match.start() + 1, min(middle, match.end() - 1))  # in the run, as near the middle as it goes
        if abs(at - middle) <= GUTTER_REACH and (best is None or abs(at - middle) < abs(best - middle)):
            best = at
    return best


def _margin(column: list[str]) -> int:
    """The spaces most of a column's lines start with: its own margin (a first line is set in further)."""
    leads = Counter(len(line) - len(line.lstrip(" ")) for line in column if line.strip())
    return min(leads.items(), key=lambda kv: (-kv[1], kv[0]))[0] if leads else 0
