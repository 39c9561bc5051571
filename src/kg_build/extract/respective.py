"""分别 lists: the subjects of 城镇和农村居民人均可支配收入分别增长4.4%、5.6%, one per number.

Subjects are split on list words (、和与及); when that gives more subjects than numbers, on 、
alone; a compound such as 城乡 stands for two subjects (城镇, 农村). The last subject lends its
head noun to the ones before it (城镇和农村居民人均可支配收入 → 城镇居民人均可支配收入), unless
they already end in a measure word (生产安全事故起数和死亡人数). Data in data/figure_shapes.json.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kg_build.extract.indicators import word_alternation

_SHAPES = json.loads((Path(__file__).parent / "data" / "figure_shapes.json").read_text("utf-8"))
RESPECTIVE = re.compile(word_alternation(_SHAPES["respective"]))
_SEPARATORS = re.compile(word_alternation(_SHAPES["item_separators"]))
_COMPOUNDS: dict[str, list[str]] = _SHAPES["compounds"]
_TAILS = sorted(_SHAPES["shared_tails"], key=len, reverse=True)
_COMPLETE = tuple(_SHAPES["complete_endings"])
_SUBJECT_TRAILING = re.compile(r"(?:" + word_alternation(_SHAPES["subject_trailing_drop"]) + r")+$")


def subject_words(words: str) -> str:
    """A 分别 subject without the period or scope words that close it (城乡居民收入年均 → 城乡居民收入)."""
    return _SUBJECT_TRAILING.sub("", words)


def _tail_for(item: str, last: str, tail: str) -> str:
    """What ``item`` borrows from ``last``: the words after a modifier as long as its own (食品、药品抽检合格率
    → 抽检合格率) when they hold no list word and end in the shared head noun, else that head noun alone."""
    rest = last[len(item) :]
    if len(item) < len(last) and rest.endswith(tail) and len(rest) - len(tail) <= 4 and not _SEPARATORS.search(rest):
        return rest
    return tail


def _with_tails(items: list[str]) -> list[str]:
    last = items[-1]
    tail = next((t for t in _TAILS if last.endswith(t) and len(last) > len(t)), None)
    if tail is None:
        return items
    return [item if item is last or item.endswith(_COMPLETE) else item + _tail_for(item, last, tail) for item in items]


def split_subjects(subject: str, count: int) -> list[str] | None:
    """``count`` subjects read from the words before 分别, or None when they do not pair with the numbers."""
    if count < 2 or not subject:
        return None
    items = [item for item in _SEPARATORS.split(subject) if item]
    if len(items) != count:
        items = [item for item in subject.split("、") if item]
    if len(items) == count:
        return _with_tails(items)
    if len(items) == 1:
        for compound, parts in _COMPOUNDS.items():
            at = subject.find(compound)
            if at >= 0 and len(parts) == count:
                return [subject[:at] + part + subject[at + len(compound) :] for part in parts]
    return None
