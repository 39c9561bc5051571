"""Token boundaries of the jieba segmentation, for checking that a name starts or ends on a word edge."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class TokenIndex:
    """Character offsets of the tokens of one text."""

    spans: tuple[tuple[int, int], ...]
    starts: frozenset[int]
    ends: frozenset[int]

    @classmethod
    def of(cls, spans: list[tuple[int, int]]) -> "TokenIndex":
        """Index ``(begin, end)`` token offsets (in text order)."""
        ordered = tuple(sorted(spans))
        return cls(ordered, frozenset(b for b, _ in ordered), frozenset(e for _, e in ordered))

    def aligned(self, begin: int, end: int) -> bool:
        """True when ``begin`` starts a token and ``end`` ends one."""
        return begin in self.starts and end in self.ends

    def around(self, position: int) -> tuple[int, int] | None:
        """The token that holds the character at ``position``, if any."""
        at = bisect_right(self.spans, (position, float("inf"))) - 1
        if at >= 0 and self.spans[at][0] <= position < self.spans[at][1]:
            return self.spans[at]
        return None

    def crosses(self, begin: int, end: int) -> bool:
        """True when ``begin..end`` cuts a token and reaches beyond it (适应城市: 应城市 starts inside 适应
        and ends in 城市); a stretch lying wholly inside one token (北京市 in 中共北京市委) cuts none."""
        first, last = self.around(begin), self.around(end - 1)
        if first is not None and first[0] < begin and first[1] < end:
            return True
        return last is not None and last[1] > end and last[0] > begin

    def inside(self, begin: int, end: int) -> list[tuple[int, int]]:
        """The tokens lying wholly within ``begin..end``, in order."""
        lo = bisect_left(self.spans, (begin, -1))
        hi = bisect_right(self.spans, (end, end))
        return [span for span in self.spans[lo:hi] if span[1] <= end]
