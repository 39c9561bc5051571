"""One pol:Indicator per measure: indicator names reduced to a canonical label, with the alias kept.

地区生产总值增长 / 全省生产总值增长 / 经济增长 → 地区生产总值增长, by an explicit
table of standard statistical indicators (data/indicator_aliases.json) and one
rule: a leading region word (全省, 全市, 我市 …) does not change what is measured.
Names the table does not know stay as they are: nothing is merged by similarity.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "indicator_aliases.json"


@dataclass(frozen=True)
class IndicatorName:
    label: str  # the canonical label
    alias: str | None  # the name as read, when it differs
    rule: str | None  # what made the merge: "region-prefix", "indicator-aliases" or both


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    lookup = {}
    for canonical, aliases in data["aliases"].items():
        lookup[canonical] = canonical
        for alias in aliases:
            lookup[alias] = canonical
    return tuple(data["region_prefixes"]), tuple(data["keep_prefix_for"]), lookup


@lru_cache(maxsize=16384)
def canonical_indicator(name: str) -> IndicatorName:
    """The canonical indicator for a name as read from a report."""
    prefixes, keep, lookup = _table()
    rules = []
    stem = name
    if not stem.startswith(keep):
        for prefix in prefixes:
            if stem.startswith(prefix) and len(stem) > len(prefix) + 1:
                stem = stem[len(prefix) :]
                rules.append("region-prefix")
                break
    canonical = lookup.get(stem, lookup.get(name, stem))
    if canonical != stem:
        rules.append("indicator-aliases")
    if canonical == name:
        return IndicatorName(name, None, None)
    return IndicatorName(canonical, name, "+".join(rules) or None)
