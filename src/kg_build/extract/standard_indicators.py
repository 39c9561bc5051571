"""Which standard statistical indicator (vocabulary contract v2) a stated figure measures, if any.

地区生产总值增长 / 全省生产总值增长 / 经济增长 / 国内生产总值按可比价格计算增长 → gdp-growth;
居民消费价格涨幅 / 价格总水平上涨 → cpi-growth; 城镇调查失业率平均为… → urban-surveyed-unemployment.

The patterns are data (data/standard_indicators.json); this module only applies them:

1. the wording (the statement's indicator as read, and the words of its clause before the
   number) loses its brackets, quotes and spaces;
2. scope words at its start (全省, 全国, 地方, 2026年 …) and link words at its end (控制在,
   平均为, 拟按…安排, 比上年 …) are dropped, repeatedly; a change word at its end (增长,
   涨幅, 下降 …) is read off and says whether the figure is a growth, a reduction or a level;
3. what is left (the stem) must match one of an indicator's heads *whole*, with that
   indicator's change and one of its units. 海洋生产总值增长 (a sector), 城镇居民人均可支配收入
   (a level in yuan) or 粮食播种面积 (mu) therefore match nothing.

A bare stem (产量, 年平均浓度) counts only where a context word (粮食, PM2.5) stands shortly
before the figure: 粮食播种面积3320万亩、产量1285万吨. A scoped head (经济总量) counts only where
the wording names the region (全省经济总量). A clause that is only a growth word (…5.2万亿元、增长5.4%)
measures the growth of what the figure before it measured. A cumulative figure (累计) measures none.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "standard_indicators.json"
INDICATOR_NS = "https://w3id.org/policy-kg/id/indicator/"
CONTEXT_WINDOW = 80  # characters before a figure searched for a bare stem's context word
_BRACKETS = re.compile(r"（[^（）]*）|\([^()]*\)|【[^【】]*】")
_NOISE = re.compile(r"[“”\"‘’'「」『』《》〈〉\s]")
_CLAUSE_BREAK = re.compile(r"[，,；;。：:！？!?、\n]")
_NUMBER = re.compile(r"[0-9０-９.．%％]+")
_REPEAT = re.compile(r"(\w{2})\1")  # 城镇居民居民人均…: a word said twice where a list was distributed
_NUMERAL = re.compile(r"[0-9０-９零〇一二三四五六七八九十百千两]")


@dataclass(frozen=True)
class StandardIndicator:
    """One indicator of the contract's table: its fixed IRI slug, names and unit."""

    slug: str
    zh: str
    en: str
    unit: str | None  # CURIE of the unit its figures carry; None where it is the currency stated (fdi)
    units: tuple[str, ...]
    change: str | None  # "growth", "reduction" or None for a level or a rate
    heads: tuple[re.Pattern[str], ...]
    scoped_heads: tuple[re.Pattern[str], ...]  # count only where the wording names the region itself (全省经济总量)
    bare: frozenset[str]
    context: tuple[str, ...]

    @property
    def iri(self) -> str:
        return INDICATOR_NS + self.slug


@dataclass(frozen=True)
class _Rules:
    indicators: tuple[StandardIndicator, ...]
    region_scopes: tuple[str, ...]
    cumulative: tuple[str, ...]
    leading: re.Pattern[str]
    trailing: re.Pattern[str]
    changes: tuple[tuple[re.Pattern[str], str], ...]


def _alternation(words: list[str]) -> str:
    """Longest first, so 平均值为 wins over 为; entries of the data file are regexes already."""
    return "|".join(sorted(set(words), key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    edges = data["edge_words"]
    leading = _alternation(data["scope_prefixes"] + [re.escape(w) for w in edges["leading"]])
    trailing = _alternation([re.escape(w) for w in edges["trailing"]] + edges["trailing_patterns"])
    changes = tuple(
        (re.compile(f"(?:{_alternation([re.escape(w) for w in words])})$"), kind)
        for kind, words in data["change_words"].items()
    )
    indicators = tuple(
        StandardIndicator(
            slug=item["slug"],
            zh=item["zh"],
            en=item["en"],
            unit=item["unit"],
            units=tuple(item["units"]),
            change=item["change"],
            heads=tuple(re.compile(head) for head in item["heads"]),
            scoped_heads=tuple(re.compile(head) for head in item.get("scoped_heads", ())),
            bare=frozenset(item.get("bare", ())),
            context=tuple(item.get("context", ())),
        )
        for item in data["indicators"]
    )
    return _Rules(indicators, tuple(data["region_scopes"]), tuple(data["cumulative_words"]), re.compile(f"^(?:{leading})"), re.compile(f"(?:{trailing})$"), changes)


def standard_indicators() -> tuple[StandardIndicator, ...]:
    """Every standard indicator, in the order of the data file."""
    return _rules().indicators


@lru_cache(maxsize=None)
def by_slug() -> dict[str, StandardIndicator]:
    return {item.slug: item for item in standard_indicators()}


def _strip_edges(words: str, rules: _Rules) -> str:
    while True:
        before = words
        words = rules.leading.sub("", words, count=1)
        words = rules.trailing.sub("", words, count=1)
        if words == before or not words:
            return words


@lru_cache(maxsize=65536)
def stem_of(wording: str) -> tuple[str, str | None]:
    """The wording reduced to (stem, change): 全省地区生产总值按可比价格计算增长 → (地区生产总值, growth)."""
    rules = _rules()
    words = _REPEAT.sub(r"\1", _NOISE.sub("", _BRACKETS.sub("", wording)))
    words = _strip_edges(words, rules)
    change = None
    for pattern, kind in rules.changes:
        cut = pattern.sub("", words, count=1)
        if cut != words:
            words, change = cut, kind
            break
    if change is not None:
        words = _strip_edges(words, rules)
    return words, change


def _clause_before(left: str) -> str:
    """The words of a figure's clause before its number (back to the previous comma or figure)."""
    cut = max((m.end() for m in _CLAUSE_BREAK.finditer(left)), default=0)
    clause = left[cut:]
    numbers = list(_NUMBER.finditer(clause))
    return clause[numbers[-1].end():] if numbers else clause


def _subject_before(left: str) -> str:
    """The words of the clause before the figure's own one, up to its number: 地区生产总值5.2万亿元、 → 地区生产总值."""
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(left)]
    if not breaks:
        return ""
    start = breaks[-2] if len(breaks) > 1 else 0
    previous = left[start:breaks[-1] - 1]
    number = _NUMBER.search(previous)
    return previous[:number.start()] if number else ""


def match_wording(wording: str, unit: str, *, before: str = "") -> StandardIndicator | None:
    """The standard indicator a wording names for a figure in ``unit`` (a CURIE), or None.

    ``before`` is the text shortly before the figure, where a bare stem looks for its context word.
    """
    stem, change = stem_of(wording)
    if not stem:
        return None
    for item in standard_indicators():
        if unit not in item.units or change != item.change:
            continue
        if any(head.fullmatch(stem) for head in item.heads):
            return item
        if any(head.fullmatch(stem) for head in item.scoped_heads) and any(w in wording for w in _rules().region_scopes):
            return item
        if stem in item.bare and any(word in before for word in item.context):
            return item
    return None


def standard_indicator(
    indicator: str | None, unit: str, *, surface: str = "", text: str = "", begin: int | None = None
) -> StandardIndicator | None:
    """The standard indicator of a figure: its indicator wording first, then the words of its clause.

    ``indicator`` is None where no indicator could be read: the clause alone may still name one.

    ``surface`` is the figure as written (增长5%左右: its lead words join the wording);
    ``text`` and ``begin`` place the figure in the report, for the clause and a bare stem's context.
    """
    lead = _NUMERAL.split(surface, maxsplit=1)[0] if surface else ""
    left = text[max(0, begin - CONTEXT_WINDOW):begin] if text and begin is not None else ""
    context = _NOISE.sub("", left)  # PM\n2.5\n年平均浓度: a line break inside the name is no break of it
    candidates = [indicator + lead] if indicator else []
    if left:
        clause = _clause_before(left)
        if any(word in clause + lead for word in _rules().cumulative):  # 外商直接投资累计达到…: several years' total
            return None
        candidates.append(clause + lead)
        if stem_of(clause + lead) == ("", "growth"):  # 地区生产总值5.2万亿元、增长5.4%: growth of the figure before
            candidates.append(_subject_before(left) + clause + lead)
    for wording in candidates:
        found = match_wording(wording, unit, before=context)
        if found is not None:
            return found
    return None
