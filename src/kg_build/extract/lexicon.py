"""Dictionary scanning: every occurrence of any of many literal names in a text, leftmost-longest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Accept = Callable[[int, int, str], bool]


@dataclass(frozen=True)
class Lexicon:
    """Literal names (each to a value) indexed for scanning by first character and length."""

    entries: dict[str, str]
    first_chars: frozenset[str]
    lengths: tuple[int, ...]  # descending

    @classmethod
    def of(cls, entries: dict[str, str]) -> "Lexicon":
        """Index a name → value mapping."""
        names = {name: value for name, value in sorted(entries.items()) if name}
        return cls(
            entries=names,
            first_chars=frozenset(name[0] for name in names),
            lengths=tuple(sorted({len(name) for name in names}, reverse=True)),
        )

    def scan(self, text: str, *, accept: Accept | None = None) -> list[tuple[int, int, str]]:
        """Non-overlapping ``(begin, end, name)`` matches, leftmost-longest among the accepted ones."""
        found: list[tuple[int, int, str]] = []
        i, n = 0, len(text)
        while i < n:
            end = 0
            if text[i] in self.first_chars:
                for length in self.lengths:
                    name = text[i : i + length]
                    if len(name) == length and name in self.entries and (accept is None or accept(i, i + length, name)):
                        found.append((i, i + length, name))
                        end = i + length
                        break
            i = end if end else i + 1
        return found
