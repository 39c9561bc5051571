"""The place gazetteer: GB/T 2260 administrative divisions, looked up by full or short name.

Data: ``data/places/admin_divisions.tsv`` (generated once by ``data/make_admin_divisions.py``)
and ``data/places/common_words.txt`` (short names that are ordinary words, e.g. 和平, 安定).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "places"
LEVEL_RANK = {"province": 0, "city": 1, "county": 2}


@dataclass(frozen=True, order=True)
class Division:
    """One administrative division: 6-digit GB/T 2260 code, full name, level, parent code, short name."""

    code: str
    name: str
    level: str  # province | city | county
    parent: str  # code of the enclosing division, "" for provinces
    short: str  # 海淀区 → 海淀; "" when the short form would be one character

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


@dataclass(frozen=True)
class Gazetteer:
    """All divisions, indexed by code, full name and short name."""

    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]
    by_short: dict[str, tuple[Division, ...]]
    common_words: frozenset[str]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The division table, read once per process."""
    rows: list[Division] = []
    lines = (DATA / "admin_divisions.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        code, name, level, parent, short = line.split("\t")
        rows.append(Division(code, name, level, parent, short))
    by_name: dict[str, list[Division]] = {}
    by_short: dict[str, list[Division]] = {}
    for row in sorted(rows):
        by_name.setdefault(row.name, []).append(row)
        if row.short:
            by_short.setdefault(row.short, []).append(row)
    words: set[str] = set()
    for line in (DATA / "common_words.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    return Gazetteer(
        by_code={row.code: row for row in rows},
        by_name={k: tuple(v) for k, v in by_name.items()},
        by_short={k: tuple(v) for k, v in by_short.items()},
        common_words=frozenset(words),
    )


@dataclass(frozen=True)
class Nation:
    """The nation (``data/places/nation.json``): above every province, with no GB/T 2260 code."""

    name: str
    alt_labels: tuple[str, ...]

    def names(self) -> frozenset[str]:
        return frozenset((self.name, *self.alt_labels))


@lru_cache(maxsize=1)
def nation() -> Nation:
    """The nation's names, read once per process."""
    data = json.loads((DATA / "nation.json").read_text(encoding="utf-8"))
    return Nation(data["name"], tuple(data["alt_labels"]))


def ancestors(division: Division) -> list[Division]:
    """The division and every division that encloses it, innermost first."""
    table = gazetteer().by_code
    chain = [division]
    while chain[-1].parent and chain[-1].parent in table:
        chain.append(table[chain[-1].parent])
    return chain


def _pick(candidates: tuple[Division, ...], *, context: tuple[str, ...], prefer_province: bool) -> Division | None:
    """One division among homonyms: the one inside the report's chain, else the only one."""
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    for code in context:  # innermost context first
        inside = [c for c in candidates if c.code == code or any(a.code == code for a in ancestors(c))]
        if len(inside) == 1:
            return inside[0]
    if prefer_province:
        provinces = [c for c in candidates if c.level == "province"]
        if len(provinces) == 1:
            return provinces[0]
    return None


def context_codes(*names: str | None) -> tuple[str, ...]:
    """Codes of the report's region chain (region, city, province), innermost first, for disambiguation."""
    codes: list[str] = []
    for name in names:
        found = lookup(name, context=tuple(codes)) if name else None
        if found is not None:
            for division in ancestors(found):
                if division.code not in codes:
                    codes.append(division.code)
    return tuple(codes)


def lookup(name: str, *, context: tuple[str, ...] = ()) -> Division | None:
    """The division named by a full name (海淀区) or a short name (海淀), or None when unknown or ambiguous.

    A full name whose suffix gives a level never maps to another level (海淀县 is not 海淀区); a
    short name maps to the division inside the report's ``context`` chain, else to the only
    division with that short name, else to the only province with it (河北 → 河北省, not 河北区).
    """
    table = gazetteer()
    name = name.strip()
    if name in table.by_name:
        return _pick(table.by_name[name], context=context, prefer_province=False)
    if name in table.by_short:
        return _pick(table.by_short[name], context=context, prefer_province=True)
    return None
