"""Pinyin annotations after characters, as in 擴(kuò)內(nèi)需, removed; real parentheses kept.

A parenthesis is an annotation only when it directly follows a Han character
and holds one lowercase pinyin syllable (checked against the list of real
syllables in ``data/pinyin_syllables.txt``), written with a tone mark
(kuò), a tone number (kuo4) or, in a text that also has marked annotations,
toneless (kuo). Runs of annotations after one character go together.
ASCII and full-width parentheses both count; （一）, (AI), (2025年) never match.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

__all__ = ["strip_pinyin_annotations", "is_pinyin_syllable"]

_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_LETTERS = "a-zA-Z\u00e0-\u00fc\u0101-\u01dc\u01f9\u0144\u0148\u0251\u0261\u1e3f"
_ONE = rf"[(（][{_LETTERS}]{{1,8}}[0-5]?[)）]"
_RUN = re.compile(rf"[(（](?<=[{_HAN}][(（])[{_LETTERS}]{{1,8}}[0-5]?[)）](?:{_ONE})*")
_EACH = re.compile(_ONE)
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_MARKED = re.compile(
    rf"[(（](?<=[{_HAN}][(（])(?:[{_LETTERS}]{{0,7}}[{_TONED}][{_LETTERS}]{{0,7}}|[a-zü]{{1,6}}[1-5])[)）]"
)

_TONE_MARKS = {toned: plain for toned, plain in zip(_TONED, "aaaaeeeeiiiioooouuuuüüüü")}
_SCRIPT_FORMS = {"ɑ": "a", "ɡ": "g", "v": "ü"}


def strip_pinyin_annotations(text: str) -> str:
    """Remove the pinyin syllables in parentheses that follow Han characters."""
    if "(" not in text and "（" not in text:
        return text
    allow_toneless = _MARKED.search(text) is not None
    return _RUN.sub(lambda m: _keep_after_annotations(m.group(0), allow_toneless), text)


@lru_cache(maxsize=4096)
def _keep_after_annotations(run: str, allow_toneless: bool) -> str:
    """Drop the leading annotations of a run; keep it from the first parenthesis that is not one."""
    for m in _EACH.finditer(run):
        if not is_pinyin_syllable(m.group(0)[1:-1], allow_toneless=allow_toneless):
            return run[m.start() :]
    return ""


def is_pinyin_syllable(word: str, *, allow_toneless: bool = True) -> bool:
    """One lowercase pinyin syllable, with at most one tone mark or a final tone number."""
    word = unicodedata.normalize("NFC", word)
    if not word or word != word.lower():
        return False
    marked = False
    if word[-1] in "012345":
        if word[-1] == "0":
            return False
        word, marked = word[:-1], True
        if any(ch in _TONE_MARKS for ch in word):
            return False
    marks = sum(1 for ch in word if ch in _TONE_MARKS)
    if marks > 1:
        return False
    marked = marked or marks == 1
    if not marked and (not allow_toneless or len(word) < 2):
        return False
    base = "".join(_TONE_MARKS.get(ch, _SCRIPT_FORMS.get(ch, ch)) for ch in word)
    return base in _syllables()


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """The real pinyin syllables, toneless, with ü (and the common lue/nue spellings)."""
    text = resources.files("kg_build.normalize").joinpath("data/pinyin_syllables.txt").read_text(encoding="utf-8")
    words = {line.strip() for line in text.splitlines() if line.strip()}
    words |= {"lue", "nue"}
    return frozenset(words)
