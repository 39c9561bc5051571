"""Name what a figure counts (pol:Indicator) from the words of its clause around the number."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_DATA = Path(__file__).parent / "data"
_WORDS = json.loads((_DATA / "indicator_words.json").read_text("utf-8"))
_COMPARATORS = json.loads((_DATA / "comparators.json").read_text("utf-8"))


def word_alternation(words: list[str]) -> str:
    """A regex alternation of words, longest first so 控制在 wins over 在."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=lambda w: (-len(w), w)))


_PARENTHESES = re.compile(r"（[^（）]*）|\([^()]*\)")
_QUOTE_CHARS = re.compile(r"[“”\"‘’'「」『』《》〈〉\s]")
_EDGE_PUNCT = "、，,；;：:—-–·…()（）[]【】 "
_TIME_PREFIX = re.compile(_WORDS["time_prefix"])
_TIME_SUFFIX = re.compile(_WORDS["trailing_time"])
_COMPARISON_WORDS = [word for words in _COMPARATORS["prefix"].values() for word in words]
_MODALITY_WORDS = [word for words in _COMPARATORS["modality"].values() for word in words]
_LEADING = re.compile(r"^(?:" + word_alternation(_WORDS["leading_drop"] + _MODALITY_WORDS) + ")")
_TRAILING = re.compile(
    r"(?:" + word_alternation(_WORDS["trailing_drop"] + _COMPARISON_WORDS + _MODALITY_WORDS + _COMPARATORS["links"]) + r")$"
)
_TRAILING_RANK = re.compile(r"(?:" + word_alternation(_WORDS["rank_verbs"] + _WORDS["trailing_drop"]) + r")$")
_LIST_MARKERS = [marker for marker in _WORDS["list_markers"] if marker != "等"]
_TRAILING_LIST = re.compile(r"(?:" + word_alternation(_LIST_MARKERS) + r")$")
_KEEP_VERB = re.compile(r"^(?:" + word_alternation(_WORDS["keep_verbs"]) + ")")
_GROWTH = re.compile(r"(?:" + word_alternation(_WORDS["growth_verbs"]) + r")$")
_VERBAL_START = re.compile(  # 从518家增加到731家: 增加到 is no noun (single characters like 达 may start one: 达标)
    r"^(?:"
    + word_alternation(
        [w for w in _WORDS["growth_verbs"] + _WORDS["trailing_drop"] + _COMPARISON_WORDS + _COMPARATORS["links"] if len(w) > 1]
    )
    + ")"
)
_NOUN_BREAK = re.compile(r"[，,。；;：:！？!?、\n（）()0-9０-９的等]")
_NOUN_STOP_WORD = re.compile(word_alternation(_WORDS["noun_stops"]))
_MIN_NOUN = 2  # 和美乡村: a stop word may start a noun, it only ends one after two characters
_MAX_LENGTH: int = _WORDS["max_length"]
_BREAK_CHARS = "、的并和与及"
_MIN_TAIL = 4
_CONJUNCTIONS = set(_WORDS["conjunctions"])
_LIST_MARKER_START = re.compile(_WORDS["list_marker_start"])
_FUNCTION_START = re.compile(r"^(?:" + word_alternation(_WORDS["leading_function_words"]) + ")|" + _WORDS["leading_adverbs"])
_COMPARISON_BASE = re.compile(_WORDS["comparison_base"])
_REDUNDANT_REGION = re.compile(_WORDS["redundant_region"])
_COMPARISON_INSIDE = re.compile(_WORDS["comparison_inside"])
_LEADING_ADVERB = re.compile(_WORDS["leading_adverbs"])
_MIN_LABEL: int = _WORDS["min_length"]
_RESPECTIVE = "分别"
_BARE_VERB = re.compile(
    r"(?:" + word_alternation(_WORDS["growth_verbs"] + _WORDS["leading_drop"] + _WORDS["trailing_drop"] + _COMPARISON_WORDS) + r")+"
)


@dataclass(frozen=True)
class Naming:
    """An indicator, plus what the next figure of the same sentence may inherit from it."""

    indicator: str
    subject: str  # the indicator without its growth verb or rank scope: 地区生产总值
    verb: str  # the verb kept in front of a counted noun: 新建
    rule: str


def _strip_edges(words: str) -> str:
    return words.strip(_EDGE_PUNCT)


def clean_left(words: str, *, rank: bool = False) -> str:
    """The words before a number without quotes, time phrases, lead verbs, link and comparison words."""
    trailing = _TRAILING_RANK if rank else _TRAILING
    words = _strip_edges(_QUOTE_CHARS.sub("", _PARENTHESES.sub("", words)))
    words = _COMPARISON_INSIDE.sub("", words)
    while True:
        before = words
        words = _strip_edges(_LIST_MARKER_START.sub("", words, count=1))
        words = _strip_edges(_COMPARISON_BASE.sub("", words, count=1))
        words = _REDUNDANT_REGION.sub("", words, count=1)
        words = _strip_edges(_TIME_PREFIX.sub("", words, count=1))
        words = _strip_edges(_LEADING_ADVERB.sub("", words, count=1))
        words = _strip_edges(_LEADING.sub("", words, count=1))
        words = _strip_edges(trailing.sub("", words, count=1))
        words = _strip_edges(_TIME_SUFFIX.sub("", words, count=1))
        if rank:
            words = _strip_edges(_TRAILING.sub("", words, count=1))
        if words == before:
            return words


def noun_end(words: str) -> int:
    """How far the noun phrase right after a number reaches into ``words`` (quotes included)."""
    end = len(words)
    brk = _NOUN_BREAK.search(words)
    if brk is not None:
        end = brk.start()
    stop = _NOUN_STOP_WORD.search(words, _MIN_NOUN, end)
    if stop is not None:
        end = stop.start()
    return end


def noun_after(words: str) -> str:
    """The noun phrase right after a counter (个项目的建设 → 项目), or '' when a clause break follows."""
    words = _QUOTE_CHARS.sub("", words)
    noun = words[: noun_end(words)][:_MAX_LENGTH]
    return "" if _VERBAL_START.match(noun) or noun in _CONJUNCTIONS else noun


def shorten(indicator: str) -> str:
    """Keep an indicator a short noun phrase: the longest tail after a break word, else the last words."""
    if len(indicator) <= _MAX_LENGTH:
        return indicator
    for index, char in enumerate(indicator):
        tail = indicator[index + 1 :]
        if char in _BREAK_CHARS and _MIN_TAIL <= len(tail) <= _MAX_LENGTH:
            return tail
    return indicator[-_MAX_LENGTH:]


def name_indicator(
    *,
    left: str,
    right: str,
    counted: bool,
    percent: bool,
    rank_scope: str | None,
    previous: Naming | None,
    same_clause: bool,
    fallback: str,
) -> Naming:
    """Name the indicator of one figure from the words before (``left``) and after (``right``) it.

    ``previous`` is the naming of the figure before it in the same sentence; ``same_clause``
    says no clause break lies between them (新建1个A、16个B: B inherits 新建).
    """
    if rank_scope is not None:
        subject = clean_left(left, rank=True) or (clean_left(previous.subject, rank=True) if previous else "")
        return Naming(shorten(subject + rank_scope + "排名"), subject, "", "rank")
    raw = clean_left(left)
    if raw in _CONJUNCTIONS:
        raw = ""
    listed = False
    trimmed = _strip_edges(_TRAILING_LIST.sub("", raw))
    if trimmed.endswith("等"):
        listed = True
        keep = _KEEP_VERB.match(trimmed)
        raw = keep.group() if keep else ""
    else:
        raw = trimmed
    noun = noun_after(right)
    growth = _GROWTH.search(raw)
    if growth and previous is not None and growth.start() == 0:
        subject = previous.subject
        return Naming(shorten(subject + raw), subject, previous.verb, "inherited-growth")
    subject = raw[: growth.start()] if growth and growth.start() > 0 else raw
    inherit = previous is not None and same_clause and not listed
    if counted and noun:
        verb = previous.verb if (inherit and previous and not raw) else raw
        return Naming(shorten(verb + noun), verb + noun, verb, "counted-noun")
    if noun and not listed and len(raw) <= 2 and not _GROWTH.search(raw):  # 建设8万亩高标准农田
        return Naming(shorten(raw + noun), raw + noun, raw, "noun-after")
    if raw:
        whole = noun == _QUOTE_CHARS.sub("", right).strip(_EDGE_PUNCT)
        verbal = _TRAILING.search(noun) or _GROWTH.search(noun)
        tail = noun if percent and whole and not verbal and 2 <= len(noun) <= 4 else ""
        keep = _KEEP_VERB.match(raw)
        return Naming(shorten(raw + tail), subject, keep.group() if keep else "", "noun-before")
    if percent and not noun and right.startswith("的"):  # 推动60%以上的县级机构…
        noun = noun_after(right[1:])
    if noun and not listed:
        return Naming(shorten(noun), noun, "", "noun-after")
    if previous is not None and same_clause:
        return Naming(previous.indicator, previous.subject, previous.verb, "inherited")
    last_resort = clean_left(left)  # the number's own words are no indicator (``fallback`` is kept for callers)
    return Naming(shorten(last_resort), last_resort, "", "fallback")


def tidy_label(label: str) -> str | None:
    """An indicator label as a noun phrase naming what is measured, or None when none is left.

    List markers (三是) and a leading function word (将, 为) go, and so does 分别, whose items
    figures.py names one by one; what stays must be at least two characters (改造 is a label, 为 none).
    """
    words = _strip_edges(label.replace(_RESPECTIVE, ""))
    while True:
        before = words
        words = _strip_edges(_LIST_MARKER_START.sub("", words, count=1))
        stripped = _FUNCTION_START.sub("", words, count=1)
        if len(stripped) >= _MIN_LABEL and stripped != words:  # 再完成棚户区住房改造: then 完成 goes too
            words = clean_left(stripped) if len(clean_left(stripped)) >= _MIN_LABEL else _strip_edges(stripped)
        if words == before:
            break
    if len(words) < _MIN_LABEL or _BARE_VERB.fullmatch(words):  # 增长 alone names nothing
        return None
    return words
