"""Traditional → simplified with OpenCC ("t2s"), aligned code point for code point with the source.

A text counts as traditional when OpenCC changes at least ``TRADITIONAL_SHARE``
of its Han characters; a simplified report that only quotes a few traditional
forms (昇腾, 濛溪河) is left exactly as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["simplify_line", "to_simplified", "TRADITIONAL_SHARE"]

TRADITIONAL_SHARE = 0.05
_SAMPLE = 1_000_000
_HAN_RUN = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_HAN = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def to_simplified(text: str) -> str | None:
    """The simplified form of a traditional text (same length), or None when the text is not traditional."""
    converted = simplify_line(text)
    if converted == text:
        return None
    step = max(1, len(text) // _SAMPLE)
    source, target = text[::step], converted[::step]
    han = len(_HAN.findall(source))
    changed = sum(1 for a, b in zip(source, target) if a != b)
    if han == 0 or changed / han < TRADITIONAL_SHARE:
        return None
    return converted


def simplify_line(text: str) -> str:
    """OpenCC t2s; where a conversion would change the length, Han runs (then characters) are converted alone."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return _HAN_RUN.sub(lambda m: _simplify_run(m.group(0)), text)


def _simplify_run(run: str) -> str:
    """A Han run converted whole when that keeps its length, else character by character."""
    converter = _converter()
    converted = converter.convert(run)
    if len(converted) == len(run):
        return converted
    out = []
    for ch in run:
        one = converter.convert(ch)
        out.append(one if len(one) == 1 else ch)
    return "".join(out)


@lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    """The OpenCC t2s converter (loaded once)."""
    import opencc

    return opencc.OpenCC("t2s")
