"""Line breaks that cut a sentence: joined before the structure reader, which reads the remaining breaks.

Three kinds, and only these three (a heading is a line of its own, so other breaks stay):

* a line holding only invisible characters (a zero-width space, as some pages put at a page break) between two
  lines of text, where the line before it does not end its sentence: 全年 / U+200B / 降低企业税负 → 全年降低企业税负;
* a line ending in a digit followed by a line starting with a unit or magnitude word from
  ``data/unit_starts.txt``: 达到74.4 / 万亿元，增长6.7% → 达到74.4万亿元，增长6.7%;
* the lines of a text cut at a fixed width, as text taken from a PDF is (``join_wrapped_lines``): a line as wide as
  the page that does not end its sentence goes on in the next line, page numbers between them dropped. Without
  this, a figure cut at the end of a line lost its first digits (1. / 39万亿元 read as 39万亿元).

The first two are decided on the line's simplified form, so a traditional text joins where its simplified
original does; the third on the lines' widths, which simplifying does not change.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from importlib.resources import files
from typing import NamedTuple

from kg_build.normalize.widths import INVISIBLE, PAGE_BREAK

__all__ = [
    "Wrap", "display_width", "join_across_invisible_lines", "join_figures_cut_from_units", "join_wrapped_lines",
    "unit_starts", "wrap_width",
]

_SENTENCE_END = "。！？；!?;"
_CLOSERS = "”’」』）)》"
_BLANK = " \t\u3000"
_ENDS_IN_DIGIT = re.compile(r"[0-9]$")
# one pass over the text (asking ``ch in text`` for each of the ≈ 2,100 invisible characters read it that often)
_ANY_INVISIBLE = re.compile("[" + "".join(re.escape(ch) for ch in sorted(INVISIBLE)) + "]")


@lru_cache(maxsize=1)
def unit_starts() -> tuple[str, ...]:
    """The unit and magnitude words of ``data/unit_starts.txt``, longest first."""
    text = files("kg_build.normalize").joinpath("data/unit_starts.txt").read_text(encoding="utf-8")
    words = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


_DROP_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))


def _visible(line: str) -> str:
    return line.translate(_DROP_INVISIBLE).strip(_BLANK)


def _ends_sentence(line: str) -> bool:
    text = _visible(line).rstrip(_CLOSERS)
    return not text or text[-1] in _SENTENCE_END


def join_across_invisible_lines(text: str) -> str:
    """Join the lines on either side of a run of invisible-only lines when the first does not end a sentence.

    ``text`` has its line breaks unified to ``\\n``. A blank line (no invisible character) is a paragraph break
    and is never crossed; the invisible-only lines themselves go (normalization would drop them anyway), and so
    does a page number set off as one (— 3 —) beside them: the same page break.
    """
    if not _ANY_INVISIBLE.search(text):
        return text
    out: list[str] = []
    join_next = False
    for line in text.split("\n"):
        visible = _visible(line)
        if not visible and line.strip(_BLANK) and line != PAGE_BREAK:  # only invisible characters (a page break is
            # a paragraph break here, as a blank line: ``join_wrapped_lines`` tells where a paragraph goes on past it)
            if out and _set_off_page_number(_visible(out[-1])):
                out.pop()
            join_next = join_next or bool(out and _visible(out[-1]) and not _ends_sentence(out[-1]))
            continue
        if join_next and _set_off_page_number(visible):
            continue
        if join_next and visible:
            out[-1] = out[-1].rstrip(_BLANK) + line.lstrip(_BLANK)
        else:
            out.append(line)
        join_next = False
    return "\n".join(out)


def join_figures_cut_from_units(lines: list[str], *, simplified: Callable[[str], str]) -> list[str]:
    """Tidied, non-empty lines with a figure's number and its unit, cut by a line break, on one line again."""
    starts = unit_starts()
    out: list[str] = []
    for line in lines:
        if out and _ENDS_IN_DIGIT.search(out[-1]) and simplified(line).startswith(starts):
            out[-1] += line
        else:
            out.append(line)
    return out


# --- text cut at a fixed width ------------------------------------------------------------------

WRAP_MIN_WIDTH = 24  # a newspaper's column holds 12 Chinese characters or more
WRAP_MIN_LINES = 12  # lines that wide, at the least, before a text is judged cut at a width
WRAP_SHARE = 0.5  # of the wide lines, the share within WRAP_SLACK of the commonest width
WRAP_SLACK = 6  # a full line may fall short of that width by this much (a word too long to fit carried to the next
# line, a character carried with punctuation no line starts with)
WRAP_INDENT_SHARE = 0.08  # lines short of the width by an indent, against the full ones, when paragraphs are indented
WRAP_INDENTED_SHARE = 0.05  # of the lines, the share that start with spaces when paragraphs keep their indents
_GOES_ON_AFTER = "。！？；!?;：:"  # a line that ends with one of these ends its paragraph, or may
_PAGE_NUMBER = re.compile(
    r"[-—–－―‒·•\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4}|\s*[，,]?\s*共\s*\d{1,4}\s*页)?[-—–－―‒·•\s]*"
)  # — 3 —, 第3页, 3/20, 第3页 共20页
# what a line is never cut inside: a Latin word, a number, a character and the punctuation no line starts with
_NUMBERS_AND_SPACES = re.compile(r"\d+|\s+")  # what a running line changes from page to page (-layout spaces it)
RUNNING_MIN_PAGES = 3  # a line that comes again at this many page breaks, and half of them, is the page's
RUNNING_SHARE = 0.8  # of the times it comes, those beside a page break or at the text's edge (a title is one more)
# a line's first word, as a line may not be cut in it: opening brackets and quotes with what follows them, a run of
# Latin letters and digits (a ratio such as 4.0∶37.7∶58.3 among them), closing punctuation with what precedes it
_FIRST_WORD = re.compile(r"[（(“‘「『《【]*(?:[A-Za-z0-9.%]+(?:[∶:][A-Za-z0-9.%]+)*|.)[，。、；：！？,.;:!?”’」』）)》】%]*", re.S)
_SECTION = r"第[一二三四五六七八九十百零〇\d]+[章节部分篇]|[一二三四五六七八九十]+、"  # a section's heading: 第二部分, 二、
_SECTION_START = re.compile(_SECTION)
_HEADING_START = re.compile(_SECTION + r"|[（(][一二三四五六七八九十\d]+[)）]|\d+[、．.](?!\d)")  # and （一） 1.


class Wrap(NamedTuple):
    """How a text was cut: the width, in columns, and how many columns a character of ambiguous width took."""

    width: int
    ambiguous: int = 2


def display_width(text: str, ambiguous: int = 2) -> int:
    """Columns the text takes in a fixed-width layout: two for a wide character (Chinese, full-width), ``ambiguous``
    for one of ambiguous width (“ ” — ·: wide in a Chinese font, narrow where a Latin font sets them), one else."""
    kinds = map(unicodedata.east_asian_width, text)
    return sum(2 if kind in "WF" else ambiguous if kind == "A" else 1 for kind in kinds)


def wrap_width(lines: list[str]) -> Wrap | None:
    """How the lines were cut, or None when they were not: the commonest width of the wide lines, with most of them
    within ``WRAP_SLACK`` of it and hardly any wider (a line that kept punctuation off the next line's start runs a
    column or two over), counting quotes and dashes wide or narrow, whichever lines them up better. A report written
    a paragraph to a line has lines of every width."""
    # first by length alone, which costs next to nothing: a line cut at a width holds between half as many characters
    # as the width (all of them wide) and as many (all narrow); a paragraph-to-a-line report's long lines run to
    # several times the middle one's length
    lengths = sorted(len(line) for line in lines if len(line) >= WRAP_MIN_WIDTH // 2)
    if len(lengths) < WRAP_MIN_LINES or lengths[len(lengths) * 19 // 20] > 2 * lengths[len(lengths) // 2]:
        return None
    visible = [_visible(line) for line in lines]
    # a page's header or footer, the same on every page but for its numbers, may be wider than the text: no line of it
    keys = [_running_key(v) for v in visible]
    counts = Counter(key for key, v in zip(keys, visible, strict=True) if v)
    running = [counts[key] >= RUNNING_MIN_PAGES for key in keys]
    best: tuple[tuple[float, float], Wrap] | None = None
    for ambiguous in (2, 1):
        widths = [display_width(v, ambiguous) for v in visible]
        wide = Counter(w for w in widths if w >= WRAP_MIN_WIDTH)
        if not wide:
            continue
        width = max(wide, key=lambda w: (wide[w], w))
        # the lines counted: those at least three quarters as wide as the commonest (a paragraph's last line, shorter,
        # says nothing of where the page cut the lines)
        wide = Counter({w: n for w, n in wide.items() if w >= width * 3 // 4})
        total = sum(wide.values())
        if total < WRAP_MIN_LINES:
            continue
        near = sum(n for w, n in wide.items() if width - WRAP_SLACK <= w <= width + 2)
        close = sum(n for w, n in wide.items() if width - 2 <= w <= width + 2)
        wider = sum(1 for w, repeated in zip(widths, running, strict=True) if w > width + 2 and not repeated)
        lined_up = (near / total, close / total)  # the counting that lines them up better, then closer
        if near >= WRAP_SHARE * total and wider <= 0.05 * total and (best is None or lined_up > best[0]):
            best = (lined_up, Wrap(width, ambiguous))
    return None if best is None else best[1]


def join_wrapped_lines(text: str, wrap: Wrap | None = None) -> str:
    """A text cut at a fixed width with each paragraph on one line again (``text`` has its line breaks unified to
    ``\\n``); any other text as it is.

    A line that does not end a sentence or a lead-in (。！？；：) goes on in the next line when it filled the page
    (that line's first word would not have fit on it, give or take a paragraph's indent), unless that line starts a
    heading (一、 （一） 第一部分 1.). A line that ends a sentence at the page's edge goes on only where the indents
    show it: the next line has none, where they were kept (-layout), or is wider than any first line, where they were
    lost; else it stays apart, as it may end its paragraph. A section's heading as wide as an indented first line,
    where indents were lost, goes on in a line shorter than any first line that goes on (a newspaper's narrow column
    cut it). Between them, page breaks go: form feeds, page numbers (— 3 —, 第3页, 3/20, and bare numbers counting the
    pages up), the header and footer printed on every page, and the empty lines beside them (``_page_breaks``); and
    one empty line where a line that filled the page goes on in the next (pdftotext sets one where a column ends). Runs
    after ``join_across_invisible_lines``, which joins across lines of invisible characters but never onto a page
    number set off as one. Two Latin letters either side of the cut get a space between them; anything else is joined
    as it is (a number cut in two is one number again). Any other empty line is a paragraph break and is never
    crossed. ``wrap``: how the text was cut, when it was measured before other joins made some lines longer
    (``wrap_width``).
    """
    lines = text.split("\n")
    wrap = wrap_width(lines) if wrap is None else wrap
    if wrap is None:
        return text
    width, ambiguous = wrap
    lines = [_unspaced(line) for line in lines]
    visibles = [_visible(line) for line in lines]  # each line's text and width, measured once
    widths = [display_width(visible, ambiguous) for visible in visibles]
    pages = _page_breaks(lines, visibles)
    # where a paragraph's first line keeps its indent (pdftotext -layout), a line without one goes on the paragraph,
    # even after a sentence ended at the page's edge; a line with one never does
    # (-layout sets the whole text off by the margin its page's header or footer left: the indent is counted past it)
    leads = [_lead(line) if visible else None for line, visible in zip(lines, visibles, strict=True)]
    counted = Counter(lead for lead in leads if lead is not None)
    margin = min(counted, key=lambda lead: (-counted[lead], lead), default=0)  # the commonest, the least of a tie
    starts = [lead is not None and lead >= margin + 2 for lead in leads]  # the line starts with an indent
    indented = sum(starts) >= WRAP_INDENTED_SHARE * sum(lead is not None for lead in leads)
    indent = _first_line_indent(widths, width)
    out: list[str] = []
    open_width = None  # the width of the line before, when it may go on in this one
    room = width  # the width a line may fill, give or take
    heading = False  # the line before is a heading's first line
    section_open = False  # the line before is a section's heading (indents lost)
    ended_width = None  # the width of the line before, when it ended a sentence (and indents were lost)
    held = None  # an empty line after a line that may go on: where a column ends (pdftotext sets one between a page's
    # columns), the paragraph goes on past it; where a paragraph ended, it stays
    for n, (line, visible, own) in enumerate(zip(lines, visibles, widths, strict=True)):
        if n in pages:
            continue  # the line before may go on after it
        if not visible and open_width is not None and held is None:
            held = line
            continue
        if indented and starts[n]:
            open_width = None
        # the line before filled the page: this line's first word would not have fit on it (with the punctuation kept
        # off a line's start after it, and the space before it between Latin words: a cut there drops it), give or
        # take an indent
        before = out[-1].rstrip(_BLANK) if out else ""
        space = " " if _latin_letter(before[-1:]) and _latin_letter(visible[:1]) else ""
        word = display_width(space + _FIRST_WORD.match(visible)[0], ambiguous) if visible else 0
        full = open_width is not None and visible and open_width + word > room
        # where the indents were lost, no first line is wider than the page less its indent: after a line that ended a
        # sentence at the page's edge, a line wider than that goes on the same paragraph
        resumes = (
            ended_width is not None and visible and ended_width + word > room
            and own > width - indent + 1
        )
        # after a heading's first line, a line as short as a first line is one: the heading fitted the page with its
        # indent (（一）着力深化改革扩大开放，先行先试探路富有成效), it was not cut there (where indents are kept, they
        # say which lines are first lines)
        first_again = (
            heading and not indented and width - indent - 1 <= own <= width - indent
        )
        # a section's heading that filled an indented first line (this line's first word would not have fit on it)
        # was cut there when this line is shorter than a first line and does not fill the page as one
        # (一、“十四五”时期经济社会发展 / 回顾, in a newspaper's narrow column)
        heading_cut = (
            section_open and open_width is not None and visible and open_width + word > width - 2 - indent
            and own < width - indent - 1
            and not _first_line_goes_on(n, visibles, widths, pages, width - 2 - indent, ambiguous)
        )
        if (full or resumes or heading_cut) and not first_again and not _HEADING_START.match(visible):
            out[-1] = before + space + line.lstrip(_BLANK)
            room, heading, section_open = width - 2, False, False
        else:
            out.extend([line] if held is None else [held, line])
            # a paragraph's first line, short by the indent it lost; but a section's heading (一、 第二部分) is set
            # apart, and one that ends short of the page ended there (taken for an indented line, it swallowed the
            # section's first paragraph, and the section lost its pillars)
            # (where indents were kept, they say which lines are short by one: a section's heading too)
            section = bool(_SECTION_START.match(visible))
            room = width - 2 - (indent if (starts[n] if indented else not section) else 0)
            heading = bool(indent) and bool(_HEADING_START.match(visible))
            section_open = section and bool(indent) and not indented
        last = _visible(out[-1]).rstrip(_CLOSERS) if visible else ""
        goes_on = last and (indented or last[-1] not in _GOES_ON_AFTER)
        open_width = own if goes_on else None
        ended_width = own if last and not goes_on and indent else None
        held = None
    return "\n".join(out if held is None else [*out, held])


def _first_line_goes_on(n: int, visibles: list[str], widths: list[int], pages: set[int], room: int,
                        ambiguous: int) -> bool:
    """Whether line ``n`` filled the page as a paragraph's first line (``room`` wide): the first word of the next line
    of text would not have fit on it. Such a line is a paragraph's start, not the end of a heading cut before it."""
    k = n + 1
    while k < len(visibles) and k in pages:
        k += 1
    if k >= len(visibles) or not visibles[k] or visibles[n][-1:] in _GOES_ON_AFTER:
        return False
    return widths[n] + display_width(_FIRST_WORD.match(visibles[k])[0], ambiguous) > room


def _lead(line: str) -> int:
    """The columns of blank a line starts with (an ideographic space two)."""
    return display_width(line[: len(line) - len(line.lstrip(_BLANK))].replace("\t", " "))


def _first_line_indent(line_widths: list[int], width: int) -> int:
    """The columns each paragraph's first line is indented by, counted from what the lines hold (pdftotext drops the
    indent, and -layout keeps it as spaces on a scale of its own): many lines that much short of the width, one for
    each paragraph (a fifth as many as the full ones in reports printed so); 0 where too few are (a line falls short
    by chance when its next word did not fit)."""
    widths = Counter(line_widths)
    full = widths[width] + widths[width - 1]
    # short by d, or by d + 1 (the last column left empty when the next character is a wide one)
    short = max(range(3, 9), key=lambda d: (widths[width - d] + widths[width - d - 1], -d))
    return short + 1 if widths[width - short] + widths[width - short - 1] >= WRAP_INDENT_SHARE * full else 0


def _page_breaks(lines: list[str], visibles: list[str]) -> set[int]:
    """The lines (by index) of the page breaks: form feeds (``PAGE_BREAK``), page numbers (``_page_numbers``) and the
    empty lines beside them; and the page's running lines, a header or footer printed on every page (the report's
    title, a newspaper's name and date, a browser's date and address), which would split a paragraph where the page
    breaks. A running line comes the same but for its numbers and spaces (``_running_key``) beside three page breaks
    or more and beside half of them or more, and hardly anywhere else (a line of text may come again as often, cut the
    same way); and it may be one (``_may_run``). It goes where it sits beside a page break (or beside another running
    line that does), or where the text starts or ends with it (``_at_the_edges``), with the empty lines beside it. A
    text without form feeds or page numbers keeps all its lines: nothing shows where its pages break."""
    found = _page_numbers(visibles) | {n for n, line in enumerate(lines) if line == PAGE_BREAK}
    for n in sorted(found):  # with the empty lines either side (space around the number): one page break
        _with_empty_lines_beside(found, n, visibles)
    breaks = sum(1 for n in found if n - 1 not in found)  # a page number and a form feed together are one break
    if not breaks:
        return found
    keys = [_running_key(visible) if visible and n not in found else None for n, visible in enumerate(visibles)]
    seen = Counter(key for key in keys if key)
    least = max(RUNNING_MIN_PAGES, breaks // 2)
    candidates = {key for key, count in seen.items() if count >= least and _may_run(key)}
    while candidates:
        marked = _beside_breaks(found, [n for n, key in enumerate(keys) if key in candidates], visibles)
        marked |= _at_the_edges(keys, candidates, visibles)
        at = Counter(keys[n] for n in marked if keys[n])
        kept = {key for key in candidates if at[key] >= least and at[key] >= RUNNING_SHARE * seen[key]}
        if kept == candidates:
            return found | marked
        candidates = kept
    return found


def _at_the_edges(keys: list[str | None], running: set[str], visibles: list[str]) -> set[int]:
    """The first page's header and the last page's footer (by index), which no page break is beside: the running
    lines the text starts or ends with, each once (a title printed again below its header stays), with the empty lines
    after or before them."""
    marked: set[int] = set()
    for order in (range(len(keys)), range(len(keys) - 1, -1, -1)):
        taken: set[str] = set()
        for n in order:
            if not visibles[n]:
                marked.add(n)
                continue
            if keys[n] not in running or keys[n] in taken:
                break
            taken.add(keys[n])
            marked.add(n)
    return marked


def _beside_breaks(found: set[int], running: list[int], visibles: list[str]) -> set[int]:
    """The running lines (by index) that sit beside a page break, or beside another that does (a footer above the
    next page's header), with the empty lines beside them."""
    marked: set[int] = set()

    def beside(n: int) -> bool:
        return any(0 <= k < len(visibles) and (k in found or k in marked) for k in (n - 1, n + 1))

    while running:
        next_to = [n for n in running if beside(n)]
        if not next_to:
            break
        for n in next_to:
            marked.add(n)
            _with_empty_lines_beside(marked, n, visibles, also=found)
        running = [n for n in running if n not in marked]
    return marked


def _may_run(key: str) -> bool:
    """Whether a line (its ``_running_key``) may be a page's header or footer: no heading, no end of a sentence or a
    lead-in (各位代表：), no line of text cut short of a sentence's end (，、), and more than a number with a
    word (2026年)."""
    return (
        not _HEADING_START.match(key) and key[-1] not in _GOES_ON_AFTER + "，、,"
        and sum(1 for ch in key if ch not in "# ") >= 2 + (key.count("#") > 0)
    )


def _running_key(visible: str) -> str:
    """A line as a running header or footer repeats it on every page: its numbers and spaces left out."""
    return _NUMBERS_AND_SPACES.sub(lambda m: "#" if m[0][0].isdigit() else " ", visible)


def _with_empty_lines_beside(found: set[int], n: int, visibles: list[str], also: set[int] = frozenset()) -> None:
    """Add to ``found`` the empty lines either side of line ``n``, up to a line of text or one in ``found``/``also``."""
    for step in (-1, 1):
        k = n + step
        while 0 <= k < len(visibles) and k not in found and k not in also and not visibles[k]:
            found.add(k)
            k += step


def _page_numbers(visibles: list[str]) -> set[int]:
    """The lines (by index) of the page breaks: a line holding only a page number, set off as such (— 3 —, - 3 -,
    第3页, 3/20) or a bare number in a run of three or more that count up by one (a bare number alone, such as the 2
    of an M2 set as a subscript on a line of its own, stays)."""
    found: set[int] = set()
    chain: list[int] = []  # the bare numbers counting up so far
    expected = None
    for n, visible in enumerate(visibles):
        if not visible or not _PAGE_NUMBER.fullmatch(visible):
            continue
        if _set_off_page_number(visible):
            found.add(n)
            continue
        value = int(visible)
        if expected is not None and value != expected:
            if len(chain) >= 3:
                found.update(chain)
            chain = []
        chain.append(n)
        expected = value + 1
    if len(chain) >= 3:
        found.update(chain)
    return found


_SPACE_BESIDE_WIDE = re.compile(r"(?<=[^\x00-\u10ff]) (?=\S)|(?<=\S) (?=[^\x00-\u10ff])")


def _unspaced(line: str) -> str:
    """A line set with a space between each two characters (a justified line stretched to the page's width, as a
    PDF's text gives it: 产 业 营 收 6800 亿 元) without those beside a Chinese character; any other line as it is
    (a space between two names or two phrases is kept)."""
    if " " not in line:
        return line
    spaced = len(_SPACE_BESIDE_WIDE.findall(line))
    wide = sum(1 for ch in line if display_width(ch) == 2)
    return _SPACE_BESIDE_WIDE.sub("", line) if wide >= 4 and spaced >= wide // 2 else line


def _set_off_page_number(visible: str) -> bool:
    """A page number set off as one (— 3 —, 第3页, 3/20): not a bare number, which may be part of the text."""
    return not visible.isdigit() and bool(_PAGE_NUMBER.fullmatch(visible))


def _latin_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()
