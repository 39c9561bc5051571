"""Line breaks that cut a sentence: joined before the structure reader, which reads the remaining breaks.

Two kinds, and only these two (a heading is a line of its own, so other breaks stay):

* a line holding only invisible characters (a zero-width space, as some pages put at a page break) between two
  lines of text, where the line before it does not end its sentence: 全年 / U+200B / 降低企业税负 → 全年降低企业税负;
* a line ending in a digit followed by a line starting with a unit or magnitude word from
  ``data/unit_starts.txt``: 达到74.4 / 万亿元，增长6.7% → 达到74.4万亿元，增长6.7%.

Both are decided on the line's simplified form, so a traditional text joins where its simplified original does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib.resources import files

from kg_build.normalize.widths import INVISIBLE

__all__ = ["join_across_invisible_lines", "join_figures_cut_from_units", "unit_starts"]

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
    and is never crossed; the invisible-only lines themselves go (normalization would drop them anyway).
    """
    if not _ANY_INVISIBLE.search(text):
        return text
    out: list[str] = []
    join_next = False
    for line in text.split("\n"):
        visible = _visible(line)
        if not visible and line.strip(_BLANK):  # only invisible characters
            join_next = join_next or bool(out and _visible(out[-1]) and not _ends_sentence(out[-1]))
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
