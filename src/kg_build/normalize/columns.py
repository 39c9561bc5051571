"""A page set in columns, as ``pdftotext -layout`` gives it (the columns side by side on each line, a newspaper's
page), read column by column.

Only a page where a good share of the lines start text again at the same place past a space, well to the right of
where they start (a second column's left edge), is split: a text written a paragraph to a line, or cut at one width
in one column, has none. ``split_columns`` is pure and changes nothing else.
"""

from __future__ import annotations

import re
from collections import Counter

from kg_build.normalize.widths import PAGE_BREAK

__all__ = ["split_columns"]

GUTTER_WIDTH = 2  # the places before a column's edge where its line and the one beside it part, when blank
COLUMN_SHARE = 0.3  # of a page's lines, the share that start their text at a column's left edge, at the least
COLUMN_MIN_LINES = 5  # a page with fewer lines is read as it is
EDGE_MIN_LINES = 3  # lines that start at a column's edge, at the least
COLUMN_MIN_WIDTH = 10  # characters from one column's edge to the next, at the least (a column holds twelve or more)
GUTTER_REACH = 10  # characters either side of a gutter where a line that runs into it may part instead
INDENT_REACH = 6  # characters past a column's edge where a line of it may start (a paragraph's first line)
_SPACES = re.compile(r" +")
_TEXT_START = re.compile(r"(?:^ *|(?<= ))(?=\S)")  # where a line's text starts, or starts again after a space


def split_columns(text: str) -> str:
    """``text`` (its line breaks unified to ``\\n``, form feeds on lines of their own) with each page that is set in
    columns (``_edges``) rewritten column after column: the lines set across a gutter first where they stand in the
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
    edges = _edges(lines)
    if not edges:
        return lines
    gutters = [(at - GUTTER_WIDTH, at) for at in edges[1:]]
    above, below, columns = [], [], [[] for _ in edges]
    for n, line in enumerate(lines):
        first = len(line) - len(line.lstrip())
        # set across the columns (a header, a title): it starts at no column's edge (or a first line's indent past
        # it), or cannot be cut at one
        across = line.strip() and not any(edge - 1 <= first <= edge + INDENT_REACH for edge in edges)
        cuts = [] if across else [_cut(line, gutter) for gutter in gutters]
        if across or None in cuts or cuts != sorted(set(cuts)):
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


def _edges(lines: list[str]) -> list[int]:
    """The left edges of the page's columns (offsets of characters), when it has two or more: where a good share of
    the lines (``COLUMN_SHARE``) start their text, or start it again after a space. -layout sets each column's lines
    from one place, but a line that holds many narrow characters (digits, Latin letters) takes more places than the
    column's width and pushes the text after it on its line further right, so hardly any place is blank on every
    line, and two columns set close may be a single space apart."""
    texts = [line for line in lines if line.strip()]
    if len(texts) < COLUMN_MIN_LINES:
        return []
    starts = Counter(match.end() for line in texts for match in _TEXT_START.finditer(line))
    least = max(EDGE_MIN_LINES, COLUMN_SHARE * len(texts))
    edges: list[int] = []
    for at in sorted(x for x, n in starts.items() if n >= least):
        if not edges or at - edges[-1] >= COLUMN_MIN_WIDTH:  # nearer: the same column (its first lines' indent)
            edges.append(at)
    return edges if len(edges) >= 2 else []


def _cut(line: str, gutter: tuple[int, int]) -> int | None:
    """Where a line's columns part at a gutter: its middle, where the line is blank there; else the place nearest to it,
    within ``GUTTER_REACH``, in a run of spaces after some of its text (a column's line that runs into the gutter, a
    single space from the next column's text at the least); None where the line holds text across it."""
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
    """The spaces most of a column's lines start with (the least of a tie): its own margin (a first line is set in
    further)."""
    leads = Counter(len(line) - len(line.lstrip(" ")) for line in column if line.strip())
    return min(leads, key=lambda lead: (-leads[lead], lead), default=0)
