"""Consistent widths, spaces and punctuation: ASCII letters and digits half-width, Chinese punctuation full-width."""

from __future__ import annotations

import re

__all__ = ["unify_characters", "tidy_line", "INVISIBLE", "PAGE_BREAK", "unify_line_breaks"]

_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】「」『』〔〕…—·"

# Full-width ASCII letters, digits and symbols → half-width; Chinese punctuation (，。：；！？（）) stays.
_HALF = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}
_HALF.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})
_HALF.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})
_HALF.update({ch: chr(ord(ch) - 0xFEE0) for ch in "＂＃＄％＆＇＊＋－．／＜＝＞＠＼＾＿｀｜～"})
_SPACES = dict.fromkeys("\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " ")
_DROPPED = dict.fromkeys(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), 0x00AD, 0x200B, 0x200C, 0x200D,
     0x200E, 0x200F, 0x2060, 0xFEFF, *range(0xD800, 0xE000)]
)  # fmt: skip
_TABLE = str.maketrans({**_HALF, **_SPACES, **{chr(c): None for c in _DROPPED}})
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85\x0b\x0c]")
PAGE_BREAK = "\x0c"  # a form feed: on a line of its own, where a page ends
# Characters that print nothing (zero-width spaces and joiners, BOM, controls): unify_characters drops them.
INVISIBLE = frozenset(chr(c) for c in _DROPPED)

_SPACE_RUN = re.compile(" {2,}")
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
# , ; : ! ? become full-width before a Han character or Chinese punctuation, or after a Han
# character at the end of the line or before a digit (记者:陆, 2025年,湖里, 来源:, 时间:2026).
_HALF_PUNCT = re.compile(rf"(?<![,;:!?])[,;:!?]++(?=[{_HAN}{_CJK_PUNCT}])|(?<=[{_HAN}])[,;:!?]++(?=$|[0-9])")
_HAN_CHAR = re.compile(f"[{_HAN}]")
_PAREN = re.compile(r"[()]")
# Spaces between Chinese punctuation and Han characters (or other Chinese punctuation) are noise.
_SPACE_NEAR_PUNCT = re.compile(rf"(?<=[{_CJK_PUNCT}]) (?=[{_HAN}{_CJK_PUNCT}])|(?<=[{_HAN}{_CJK_PUNCT}]) (?=[{_CJK_PUNCT}])")


def unify_characters(text: str) -> str:
    """Line breaks to \\n, invisible and control characters out, full-width ASCII and odd spaces to plain."""
    return _LINE_BREAKS.sub("\n", text).translate(_TABLE)


def unify_line_breaks(text: str) -> str:
    """\\r\\n, \\r and the other line and paragraph separators to \\n, a form feed (a PDF's page break, as pdftotext
    gives it) to a line of its own (``PAGE_BREAK``); nothing else changes."""
    return _LINE_BREAKS.sub(lambda m: "\n" + PAGE_BREAK + "\n" if m[0] == PAGE_BREAK else "\n", text)


def tidy_line(line: str) -> str:
    """One line: spaces collapsed and stripped, Chinese punctuation made full-width where Chinese is written."""
    if "  " in line:
        line = _SPACE_RUN.sub(" ", line)
    line = line.strip(" ")
    if not line:
        return line
    if "(" in line and ")" in line:
        line = _full_width_parens(line)
    line = _HALF_PUNCT.sub(lambda m: "".join(_FULL[ch] for ch in m.group(0)), line)
    if " " in line:
        line = _SPACE_NEAR_PUNCT.sub("", line)
    return line


def _full_width_parens(line: str) -> str:
    """Matching ( ) pairs around text with Han characters become （ ）: (厦门日报 记者：…) → （…）."""
    opened: list[int] = []
    turned: list[int] = []
    for m in _PAREN.finditer(line):
        if m.group(0) == "(":
            opened.append(m.start())
        elif opened:
            begin, end = opened.pop(), m.start()
            if _HAN_CHAR.search(line, begin + 1, end):
                turned += (begin, end)
    if not turned:
        return line
    pieces: list[str] = []
    last = 0
    for at in sorted(turned):
        pieces += (line[last:at], "（" if line[at] == "(" else "）")
        last = at + 1
    pieces.append(line[last:])
    return "".join(pieces)
