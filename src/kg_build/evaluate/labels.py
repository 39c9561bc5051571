"""Label folding for matching: NFKC widths, quotes and whitespace are insignificant."""

from __future__ import annotations

import unicodedata

QUOTES = frozenset("“”‘’\"'「」『』")


def fold_with_index(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each folded character the offset of the character it came from."""
    chars: list[str] = []
    index: list[int] = []
    for offset, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char):
            if folded in QUOTES or folded.isspace():
                continue
            chars.append(folded)
            index.append(offset)
    return "".join(chars), index


def fold(label: str) -> str:
    """A label as compared: NFKC, without quotes (“”"「」…) and whitespace."""
    return fold_with_index(label)[0]


class FoldedText:
    """A text searchable by folded quotes, answering with offsets into the original text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded, self.index = fold_with_index(text)

    def find_all(self, needle: str) -> list[tuple[int, int]]:
        """Every (begin, end) stretch of the original text whose folded form is the folded needle."""
        target = fold(needle)
        if not target:
            return []
        found: list[tuple[int, int]] = []
        at = self.folded.find(target)
        while at >= 0:
            last = at + len(target) - 1
            found.append((self.index[at], self.index[last] + 1))
            at = self.folded.find(target, at + 1)
        return found
