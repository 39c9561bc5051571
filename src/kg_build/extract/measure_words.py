"""What a count counts: the measure word a unit:NUM figure was written with, and the English noun it counts.

50万人 → ("人", "persons"), 超6000家 → ("家", "companies"), 30个以上 → ("个", "items"); the measure words are
``units.json``'s counters and their English nouns a glossary in ``data/measure_words.json``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

__all__ = ["measure_word", "unit_label"]

_DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
    """(counters longest first, trailing words longest first, counter → English noun)."""
    counters = json.loads((_DATA / "units.json").read_text("utf-8"))["counters"]
    words = json.loads((_DATA / "measure_words.json").read_text("utf-8"))
    english = dict(words["english"])
    missing = sorted(set(counters) - set(english))
    if missing:  # a counter without its English noun is a data error, found at the first figure
        raise ValueError(f"measure_words.json has no English noun for {', '.join(missing)}")
    by_length = lambda w: (-len(w), w)  # noqa: E731
    return tuple(sorted(counters, key=by_length)), tuple(sorted(words["trailing_words"], key=by_length)), english


def measure_word(surface: str) -> str | None:
    """The measure word a count ends with (人次 before 次), trailing 以上/左右/多… set aside; None when it has none."""
    counters, trailing, _ = _table()
    text = surface.strip()
    stripped = True
    while stripped:
        stripped = False
        for word in trailing:
            if text.endswith(word) and len(text) > len(word):
                text, stripped = text[: -len(word)], True
                break
    return next((c for c in counters if text.endswith(c)), None)


def unit_label(surface: str) -> tuple[str, str] | None:
    """(measure word, English noun) of a count as written (50万人 → ("人", "persons")), None without one."""
    word = measure_word(surface)
    return (word, _table()[2][word]) if word else None
