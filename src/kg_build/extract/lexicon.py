"""Dictionary scanning: every occurrence of any of many literal names in a text, leftmost-longest."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Accept = Callable[[int, int, str], bool]


@dataclass(frozen=True)
class Lexicon:
    """Literal names (each to a value) indexed for scanning by their opening characters."""

    entries: dict[str, str]
    first_chars: re.Pattern[str]  # any character a name starts with
    lengths: dict[str, tuple[int, ...]]  # first two characters (one for one-character names) → lengths, longest first

    @classmethod
    def of(cls, entries: dict[str, str]) -> "Lexicon":
        """Index a name → value mapping."""
        names = {name: value for name, value in sorted(entries.items()) if name}
        lengths: dict[str, set[int]] = {}
        for name in names:
            lengths.setdefault(name[:2], set()).add(len(name))
        firsts = "".join(re.escape(c) for c in sorted({name[0] for name in names}))
        return cls(
            entries=names,
            first_chars=re.compile(f"[{firsts}]" if firsts else "(?!)"),
            lengths={key: tuple(sorted(ls, reverse=True)) for key, ls in lengths.items()},
        )

    def scan(self, text: str, *, accept: Accept | None = None) -> list[tuple[int, int, str]]:
        """Non-overlapping ``(begin, end, name)`` matches, leftmost-longest among the accepted ones."""
        found: list[tuple[int, int, str]] = []
        i = 0
        while (start := self.first_chars.search(text, i)) is not None:
            i = start.start()
            opening = text[i : i + 2]
            lengths = self.lengths.get(opening, ()) if len(opening) == 2 else ()
            end = 0
            for length in lengths + self.lengths.get(text[i], ()):
                name = text[i : i + length]
                if len(name) == length and name in self.entries and (accept is None or accept(i, i + length, name)):
                    found.append((i, i + length, name))
                    end = i + length
                    break
            i = end if end else i + 1
        return found
