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
_SHORT_ITEM = 4  # an item this short may borrow the last subject's words after a modifier of its length
_MAX_BORROWED = 8  # … words before the shared head noun, at most
_SUBJECT_TRAILING = re.compile(r"(?:" + word_alternation(_SHAPES["subject_trailing_drop"]) + r")+$")


def subject_words(words: str) -> str:
    """A 分别 subject without the period or scope words that close it (城乡居民收入年均 → 城乡居民收入)."""
    return _SUBJECT_TRAILING.sub("", words)


def _joined(item: str, tail: str) -> str:
    """``item`` followed by ``tail``, the words they share said once (城镇居民 + 居民人均可支配收入)."""
    for size in range(min(len(item), len(tail)), 0, -1):
        if item.endswith(tail[:size]):
            return item + tail[size:]
    return item + tail


def _tail_for(item: str, last: str, tail: str | None) -> str:
    """What ``item`` borrows from the last subject ``last``:

    the words after ``item``'s own head word where ``last`` repeats it (城市低保、农村低保标准 → 标准;
    战略性新兴产业、高技术产业增加值 → 增加值); else the words after a modifier as long as ``item``
    (食品、药品抽检合格率 → 抽检合格率; 对非洲、拉美市场出口 → 市场出口); else the shared head noun.
    """
    for size in (3, 2):
        if len(item) > size:
            at = last.find(item[-size:])
            rest = last[at + size :] if at >= 0 else ""
            if rest and not _SEPARATORS.search(rest):
                return rest
    rest = last[len(item) :]
    if rest == tail:
        return rest
    parallel = len(item) < len(last) and not _SEPARATORS.search(last) and _word_starts_at(last, len(item))
    if parallel and (rest.endswith(tail) if tail else len(item) <= _SHORT_ITEM) and len(rest) - len(tail or "") <= _MAX_BORROWED:
        return rest
    return tail or ""


def _word_starts_at(words: str, position: int) -> bool:
    """Whether a word of ``words`` starts at ``position`` (拉美|市场|出口: at 2 and 4, not at 3)."""
    from kg_build.extract.segmenter import cut  # noqa: PLC0415 - loaded only for a 分别 list

    start = 0
    for word in cut(words):
        if start == position:
            return True
        start += len(word)
    return False


def _with_tails(items: list[str]) -> list[str]:
    last = items[-1]
    tail = next((t for t in _TAILS if last.endswith(t) and len(last) > len(t)), None)
    return [item if item is last or item.endswith(_COMPLETE) else _joined(item, _tail_for(item, last, tail)) for item in items]


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
