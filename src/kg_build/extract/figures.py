"""Quantified figures (固定资产投资超640亿元): value, unit, comparator, modality and indicator.

Figures are read only inside the regions the caller names (plan sections give
targets, review sections achievements). A number counts only with a known unit
(data/units.json) or as a rank (全国第十三); years, dates, names in quotes and
numbers glued to Latin letters or ``+`` are skipped.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from kg_build.document import Comparator, Figure, FigureKind, Modality, Span
from kg_build.errors import InputError
from kg_build.extract.indicators import (
    Naming,
    clean_left,
    name_indicator,
    noun_end,
    shorten,
    tidy_label,
    word_alternation,
)
from kg_build.extract.numbers import (
    ARABIC_PATTERN,
    CHINESE_NUMERAL_CHARS,
    DECIMAL_POINT,
    magnitude_of,
    parse_arabic,
    parse_chinese,
)
from kg_build.extract.periods import Period, figure_period, is_yearly_average, plan_years
from kg_build.extract.respective import RESPECTIVE, split_subjects, subject_words

_DATA = Path(__file__).parent / "data"
_UNITS = json.loads((_DATA / "units.json").read_text("utf-8"))
_COMPARATORS = json.loads((_DATA / "comparators.json").read_text("utf-8"))
_WORDS = json.loads((_DATA / "indicator_words.json").read_text("utf-8"))
_SHAPES = json.loads((_DATA / "figure_shapes.json").read_text("utf-8"))


@dataclass(frozen=True)
class FigureRegion:
    """A stretch of text whose figures are all targets or all achievements of one year."""

    span: Span
    kind: FigureKind
    year: int | None = None


@dataclass(frozen=True)
class _Unit:
    form: str
    unit: str
    factor: Decimal
    counter: bool
    needs_magnitude: bool
    ascii: bool
    clause_final: bool = False


def _load_units() -> dict[str, _Unit]:
    units = {
        entry["form"]: _Unit(
            form=entry["form"],
            unit=entry["unit"],
            factor=Decimal(entry.get("factor", "1")),
            counter=False,
            needs_magnitude=entry.get("needs_magnitude", False),
            ascii=entry.get("ascii", False),
            clause_final=entry.get("clause_final", False),
        )
        for entry in _UNITS["units"]
    }
    for form in _UNITS["counters"]:
        units.setdefault(form, _Unit(form, _UNITS["counter_unit"], Decimal(1), True, False, False))
    for form in _UNITS["clause_final_counters"]:
        units.setdefault(form, _Unit(form, _UNITS["counter_unit"], Decimal(1), True, False, False, clause_final=True))
    return units


_UNIT_TABLE = _load_units()
_UNIT_AT = re.compile(word_alternation(list(_UNIT_TABLE)))
_NOT_COUNTED = re.compile(word_alternation(_UNITS["not_counted_after_counter"]))
_AGE_THRESHOLD = re.compile(r"(?:" + word_alternation(_UNITS["age_thresholds"]) + r")$")
_CLASS_MARKER = re.compile(word_alternation(_UNITS["class_markers"]))

_CANDIDATE = re.compile(
    r"(?P<pct>百分之)(?P<pctnum>" + ARABIC_PATTERN + r"|[零〇一二两三四五六七八九十百]+(?:"
    + DECIMAL_POINT + r"[零〇一二三四五六七八九]+)?)"
    r"|(?P<ar>" + ARABIC_PATTERN + r")(?P<mag>[百千万亿]*)(?:(?<=[万亿])(?P<ar2>[1-9])(?P<mag3>[千百]万?))?"
    r"(?:(?P<more>[多余])(?P<mag2>[万亿]+))?"
    r"|(?P<cn>[" + CHINESE_NUMERAL_CHARS + r"]+)(?:(?P<cnmore>[多余])(?P<cnmag2>[万亿]+))?"
)
_PERCENT_UPPER = re.compile(r"(?:百分之)?(?P<num>[零〇一二两三四五六七八九十百]+(?:" + DECIMAL_POINT + r"[零〇一二三四五六七八九]+)?)")
_GLUED_BEFORE = re.compile(r"[A-Za-z0-9０-９.．+＋]")
_GLUED_AFTER = "+＋"
_LISTED_JOINS = "、和及与"
_RANGE_JOIN = re.compile(r"[—–\-－]{1,2}|[~～至到]")  # 5%—5.5%, 5%——5.5%, 5%至5.5%
_CLAUSE_BREAKS = "，,。；;：:！？!?\n（）()"
_SENTENCE_BREAKS = "。；;！？!?\n"
_NAME_ZONES = re.compile(
    r"“[^“”\n]{0,60}”|\"[^\"\n]{0,60}\"|「[^」\n]{0,60}」|『[^』\n]{0,60}』|《[^》\n]{0,80}》|‘[^‘’\n]{0,60}’"
)

_PREFIX_WORDS = {word: Comparator(name) for name, words in _COMPARATORS["prefix"].items() for word in words}
_LINKS = word_alternation(_COMPARATORS["links"])
_PREFIX = re.compile(r"(?P<cmp>" + word_alternation(list(_PREFIX_WORDS)) + r")(?:" + _LINKS + r")*$")
_BETWEEN = {word: Comparator(name) for name, words in _COMPARATORS["between"].items() for word in words}
_SUFFIX_WORDS = {word: Comparator(name) for name, words in _COMPARATORS["suffix"].items() for word in words}
_SUFFIX = re.compile(word_alternation(list(_SUFFIX_WORDS)))
_RANGE_SUFFIX = re.compile(word_alternation(_COMPARATORS["range_suffix"]))
_MODALITY = re.compile(word_alternation([w for words in _COMPARATORS["modality"].values() for w in words]))

_RANK_SCOPE = re.compile(r"(?:" + word_alternation(_WORDS["rank_scopes"]) + r")$")
_RANK_VERB = re.compile(r"(?:" + word_alternation(_WORDS["rank_verbs"]) + r")$")
_RANK_TAIL = re.compile(r"[位名]")
_LOOKBEHIND = 10
_QUALIFIED_NOUN_MAX = 6
_LEADING_CONJUNCTION = re.compile(r"^(?:" + word_alternation(_WORDS["conjunctions"]) + ")")

_BASELINE = _SHAPES["baseline"]
_FROM = re.compile(word_alternation(_BASELINE["from"]))
_NOT_FROM = re.compile(word_alternation(_BASELINE["not_from"]))
_TO = re.compile(word_alternation(_BASELINE["to"]))
_FROM_GAP: int = _BASELINE["max_gap"]
_BASELINE_YEARS: dict[str, int] = _SHAPES["baseline_years"]
_BASELINE_PLAN_END = re.compile(_SHAPES["baseline_plan_end"])
_STATED_YEAR = re.compile(r"((?:19|20)[0-9]{2})年|" + word_alternation(list(_BASELINE_YEARS)))
_LIST_JOIN = re.compile(r"(?:" + word_alternation(_SHAPES["item_separators"]) + r")?")
_GROWTH_VERB = re.compile(r"(?:" + word_alternation(_WORDS["growth_verbs"]) + r")")
_TRAILING_GROWTH = re.compile(r"(?:" + word_alternation(_WORDS["growth_verbs"]) + r")$")
_SUFFIX_COMPARATORS = frozenset(_SUFFIX_WORDS.values())
_HEADING_MAX = 40
_BARE = _SHAPES["bare_count"]
_BARE_HEAD = re.compile(r"(?:" + "|".join(_BARE["heads"]) + r")")
_BARE_REACH: int = _BARE["head_reach"]
_BARE_BEFORE = re.compile(r"(?:" + "|".join(_BARE["heads"]) + r")(?:" + word_alternation(_BARE["verbs"]) + r")?$")
_BARE_MODIFIER = re.compile(word_alternation(_BARE["modifier_marks"]))
_BARE_UNIT = _Unit("", _UNITS["counter_unit"], Decimal(1), True, False, False)
_FACTS = re.compile(word_alternation(_SHAPES["facts"]))
_PARAGRAPH_REACH = 2000  # how far back a paragraph's head (五年来，…) is looked for
_YEAR_WORDS = re.compile(r"(?:19|20)[0-9]{2}年")


@dataclass(frozen=True)
class _Quantity:
    """A number with its unit, as read at one place in the text."""

    begin: int  # start of the surface (a comparison word, or the number)
    number_begin: int
    end: int  # end of the surface (unit, comparison suffix, range end)
    value: Decimal
    upper: Decimal | None
    unit: str
    counted: bool
    comparator: Comparator | None
    chinese: bool
    rule: str
    rank_scope: str | None = None
    counted_end: int | None = None  # where the noun a bare count counts ends (6000万农村人口: after 人口)


def _numeral_options(text: str, match: re.Match[str]) -> list[tuple[Decimal, int, bool, bool]]:
    """Ways to read the numeral of a match: (value, end, magnified, more), longest numeral first."""
    if match.group("ar2") is not None:  # 2万5千公里, 1万6千多户, 1亿3千多万: one number in two groups
        value = parse_arabic(match.group("ar")) * magnitude_of(match.group("mag"))
        value += int(match.group("ar2")) * magnitude_of(match.group("mag3") + (match.group("mag2") or ""))
        return [(value, match.end(), True, match.group("more") is not None)]
    if match.group("more") or match.group("cnmore"):  # 750多万, 十余万: more than, magnitude after
        numeral = match.group("ar") or match.group("cn")
        base = parse_arabic(numeral) if match.group("ar") else parse_chinese(numeral)
        if base is None:
            return []
        mag = (match.group("mag") or "") + (match.group("mag2") or match.group("cnmag2"))
        return [(base * magnitude_of(mag), match.end(), True, True)]
    options: list[tuple[Decimal, int, bool, bool]] = []
    if match.group("ar") is not None:
        base = parse_arabic(match.group("ar"))
        mag = match.group("mag")
        for length in range(len(mag), -1, -1):
            options.append((base * magnitude_of(mag[:length]), match.end("ar") + length, length > 0, False))
        return options
    words = match.group("cn")
    for length in range(len(words), 0, -1):
        value = parse_chinese(words[:length])
        if value is not None:
            magnified = any(c in "万亿" for c in words[:length])
            options.append((value, match.start("cn") + length, magnified, False))
    return options


def _unit_at(text: str, position: int, limit: int, *, magnified: bool) -> _Unit | None:
    """The longest unit word starting at ``position``."""
    match = _UNIT_AT.match(text, position, limit)
    if match is None:
        return None
    unit = _UNIT_TABLE[match.group()]
    if unit.needs_magnitude and not magnified:
        return None
    if unit.ascii and match.end() < limit and text[match.end()].isascii() and text[match.end()].isalpha():
        return None
    return unit


def _read_amount(
    text: str, match: re.Match[str], limit: int
) -> tuple[Decimal, int, _Unit, Comparator | None, bool] | None:
    """Numeral, optional 多/余, unit: (value, end, unit, comparator, magnified); the longest reading wins."""
    best: tuple[tuple[int, int], tuple[Decimal, int, _Unit, Comparator | None, bool]] | None = None
    for value, end, magnified, more in _numeral_options(text, match):
        position, comparator = end, (Comparator.MORE_THAN if more else None)
        if not more and position < limit and text[position] in _BETWEEN:
            position, comparator = position + 1, _BETWEEN[text[position]]
        unit = _unit_at(text, position, limit, magnified=magnified)
        if unit is None and comparator is not None and not more:
            position, comparator = end, None
            unit = _unit_at(text, position, limit, magnified=magnified)
        if unit is None:
            continue
        key = (position + len(unit.form) - match.start(), len(unit.form))
        if best is None or key > best[0]:
            best = (key, (value, position + len(unit.form), unit, comparator, magnified))
    return None if best is None else best[1]


class _Scanner:
    """Reads the quantities of one region of the text."""

    def __init__(self, text: str, region: FigureRegion, zones: list[tuple[int, int]]) -> None:
        self.text = text
        self.begin = region.span.begin
        self.limit = region.span.end
        self.zones = zones
        self.zone_starts = [start for start, _ in zones]

    def in_name(self, position: int) -> bool:
        """Whether ``position`` lies inside quotes or book-title marks."""
        index = bisect.bisect_right(self.zone_starts, position) - 1
        return index >= 0 and self.zones[index][0] < position < self.zones[index][1]

    def clause_start(self, position: int, breaks: str = _CLAUSE_BREAKS) -> int:
        """Where the clause around ``position`` begins; a parenthesis before it stays in the clause."""
        text, start = self.text, position
        while start > self.begin:
            char = text[start - 1]
            if char in "）)":
                opening = text.rfind("（" if char == "）" else "(", self.begin, start - 1)
                if opening >= 0 and not any(c in _SENTENCE_BREAKS for c in text[opening:start]):
                    start = opening
                    continue
            if char in breaks:
                break
            start -= 1
        return start

    def at_clause_end(self, position: int) -> bool:
        """Whether a clause (or an enumeration item) ends at ``position``."""
        return position >= self.limit or self.text[position] in _CLAUSE_BREAKS + "、"

    def quantities(self) -> list[_Quantity]:
        """Every quantity of the region, in text order."""
        found: list[_Quantity] = []
        position = self.begin
        while True:
            match = _CANDIDATE.search(self.text, position, self.limit)
            if match is None:
                return found
            quantity = self.read(match)
            if quantity is None:
                position = match.end()
            else:
                found.append(quantity)
                position = quantity.end

    def read(self, match: re.Match[str]) -> _Quantity | None:
        """The quantity that starts with a numeral match, or None when it is no figure."""
        text, start = self.text, match.start()
        if self.in_name(start):
            return None
        if match.group("pct") is not None:
            return self.read_percent_words(match)
        before = text[start - 1] if start > self.begin else ""
        if match.group("ar") is not None and before and _GLUED_BEFORE.match(before):
            return None
        if match.group("cn") is not None and before and (before in "多余" or before.isdigit()):
            return None
        if before == "第" or (before == "前" and start - 1 > self.begin):
            return self.read_rank(match)
        amount = _read_amount(text, match, self.limit)
        if amount is None:
            return self.read_open_range(match) or self.read_listed(match) or self.read_bare_count(match)
        value, end, unit, between, magnified = amount
        if unit.counter and _NOT_COUNTED.match(text, end, self.limit):
            return None
        head = _BARE_HEAD.match(text, end - len(unit.form), self.limit)
        if unit.counter and head is not None and head.end() > end:  # 13亿人口: 人 starts the noun, it is no measure word
            return self.read_bare_count(match)
        if end < self.limit and (text[end] in _GLUED_AFTER or (text[end] == "/" and "/" not in unit.form)):
            return None
        upper, end = self.read_upper(end, unit, value, start)
        chinese = match.group("cn") is not None
        rule = "range" if upper is not None else ("chinese" if chinese else "arabic")
        quantity = self.finish(start, end, value * unit.factor, upper, unit, between, chinese, rule)
        if quantity is not None and chinese and not self.chinese_ok(quantity, unit):
            return None
        return quantity

    def starts_change(self, start: int) -> bool:
        """Whether a from-word (从, 由) opens the number at ``start``: 从3%到5% is a change, not a range."""
        return _from_word(self.text, max(self.clause_start(start), start - _FROM_GAP), start) is not None

    def read_upper(self, end: int, unit: _Unit, low: Decimal, start: int) -> tuple[Decimal | None, int]:
        """The upper bound of a range written 5%—5.5%, 5%到5.5%: (upper, new end)."""
        text = self.text
        join = _RANGE_JOIN.match(text, end, self.limit)
        if join is None or join.end() >= self.limit or self.starts_change(start):
            return None, end
        match = _CANDIDATE.match(text, join.end(), self.limit)
        if match is None or match.group("pct") is not None:
            return None, end
        amount = _read_amount(text, match, self.limit)
        if amount is None or amount[2].unit != unit.unit:
            return None, end
        high = amount[0] * amount[2].factor
        if high <= low * unit.factor:
            return None, end
        return high, amount[1]

    def read_listed(self, match: re.Match[str]) -> _Quantity | None:
        """A number whose unit comes with the next one of a list: 1409万、1305万人次; 高4.2和0.7个百分点."""
        text = self.text
        options = _numeral_options(text, match)
        if not options or match.group("ar") is None:
            return None
        value, end, magnified, more = options[0]
        if end + 1 >= self.limit or text[end] not in _LISTED_JOINS:
            return None
        following = _CANDIDATE.match(text, end + 1, self.limit)
        if following is None or following.group("ar") is None:
            return None
        amount = _read_amount(text, following, self.limit)
        if amount is None or amount[2].clause_final:
            return None
        unit = amount[2]
        if not magnified and following.group("mag"):  # 30和20万人: the magnitude, like the unit, is shared
            value = value * magnitude_of(following.group("mag"))
        comparator = Comparator.MORE_THAN if more else None
        return self.finish(match.start(), end, value * unit.factor, None, unit, comparator, False, "listed")

    def read_bare_count(self, match: re.Match[str]) -> _Quantity | None:
        """6000万农村人口, 农村贫困人口减少1000万以上: a number with 万 or 亿 and no unit word counts the
        people or things a noun right after it (or ending the words before it) names."""
        text = self.text
        options = _numeral_options(text, match)
        if not options or match.group("ar") is None:
            return None
        value, end, _, more = options[0]
        if not any(char in "万亿" for char in text[match.start() : end]):
            return None
        if end < self.limit and text[end] in "多余" and not more:  # 3亿多农村人口, 减少1亿多
            end, more = end + 1, True
        suffix = _SUFFIX.match(text, end, self.limit)
        after = suffix.end() if suffix is not None else end
        if after < self.limit and (text[after] in _GLUED_AFTER or text[after] == "/" or text[after].isdigit()):
            return None
        stop = after
        while stop < min(self.limit, after + _BARE_REACH + 4) and text[stop] not in _CLAUSE_BREAKS + "、":
            stop += 1
        head = _BARE_HEAD.search(text, after, stop)
        if head is not None and head.start() - after <= _BARE_REACH and not any(c.isdigit() for c in text[after : head.start()]):
            if _BARE_MODIFIER.match(text, head.end(), self.limit):  # …亿人的饭碗: the count describes another noun
                return None
        elif self.at_clause_end(after):
            left = text[self.clause_start(match.start()) : match.start()]
            prefix = _PREFIX.search(left[-_LOOKBEHIND:])
            if prefix is not None:
                left = left[: len(left) - len(prefix.group())]
            if _BARE_BEFORE.search(left) is None:
                return None
        else:
            return None
        comparator = Comparator.MORE_THAN if more else None
        quantity = self.finish(match.start(), end, value, None, _BARE_UNIT, comparator, False, "bare-count")
        if quantity is not None and head is not None and quantity.end <= head.start():
            quantity = replace(quantity, counted_end=head.end())
        return quantity

    def read_open_range(self, match: re.Match[str]) -> _Quantity | None:
        """A range whose first number has no unit of its own: 5—5.5%, 3—5万人, 一到两个百分点."""
        text = self.text
        options = _numeral_options(text, match)
        chinese = match.group("cn") is not None
        if not options or (match.group("ar") is None and not chinese):
            return None
        low, end, magnified, more = options[0]
        if more:
            return None
        join = _RANGE_JOIN.match(text, end, self.limit)
        if join is None or join.end() >= self.limit or self.starts_change(match.start()):
            return None
        second = _CANDIDATE.match(text, join.end(), self.limit)
        if second is None or second.group("cn" if chinese else "ar") is None:
            return None
        amount = _read_amount(text, second, self.limit)
        if amount is None:
            return None
        high, high_end, unit, _, _ = amount
        if not chinese and not magnified and second.group("mag"):
            low = low * magnitude_of(second.group("mag"))
        if low >= high:
            return None
        quantity = self.finish(match.start(), high_end, low * unit.factor, high * unit.factor, unit, None, chinese, "range")
        if quantity is not None and chinese and not self.chinese_ok(quantity, unit):
            return None
        return quantity

    def read_percent_words(self, match: re.Match[str]) -> _Quantity | None:
        """百分之五 → 5 PERCENT; 百分之五到百分之五点五 → 5 to 5.5 PERCENT."""
        value = _percent_words_value(match)
        if value is None:
            return None
        unit, end, upper = _UNIT_TABLE["%"], match.end(), None
        join = _RANGE_JOIN.match(self.text, end, self.limit)
        if join is not None and join.end() < self.limit and not self.starts_change(match.start()):
            second = _PERCENT_UPPER.match(self.text, join.end(), self.limit)  # 百分之五到(百分之)五点五
            high = parse_chinese(second.group("num")) if second is not None else None
            if second is not None and high is not None and high > value:
                upper, end = high, second.end()
        rule = "range" if upper is not None else "percent-words"
        return self.finish(match.start(), end, value, upper, unit, None, False, rule)

    def read_rank(self, match: re.Match[str]) -> _Quantity | None:
        """全国第十三, 居全国第5位, 全省前10 → pol:Rank; other ordinals (第二批, 第十六届) are skipped."""
        text, start = self.text, match.start()
        words = match.group("ar") or match.group("cn") or ""
        if match.group("ar") is not None:
            value: Decimal | None = parse_arabic(words)
        else:
            value = None
            for length in range(len(words), 0, -1):
                value = parse_chinese(words[:length])
                if value is not None and not any(c in "万亿" for c in words[:length]):
                    words = words[:length]
                    break
                value = None
        if value is None:
            return None
        end = match.start() + len(words)
        marker = start - 1
        window = text[max(self.begin, marker - _LOOKBEHIND) : marker]
        scope_match = _RANK_SCOPE.search(window)
        front = text[marker] == "前"  # 全省前10: a scope must name what it is the top of
        if scope_match is None and (front or not _RANK_VERB.search(window)):
            return None
        if end < self.limit and _RANK_TAIL.match(text, end):
            end += 1
        elif end < self.limit and not self.at_clause_end(end) and text[end] not in "、和":
            return None
        scope = scope_match.group() if scope_match else ""
        begin = marker - len(scope) if scope_match else marker
        comparator = Comparator.AT_MOST if front else Comparator.EQUAL
        return _Quantity(begin, start, end, value, None, "pol:Rank", False, comparator, False, "rank", scope)

    def finish(
        self,
        start: int,
        end: int,
        value: Decimal,
        upper: Decimal | None,
        unit: _Unit,
        between: Comparator | None,
        chinese: bool,
        rule: str,
    ) -> _Quantity | None:
        """Add the comparison words around a number and fix the surface."""
        text = self.text
        comparator = between
        if upper is not None:  # 3%—4%之间
            joined = _RANGE_SUFFIX.match(text, end, self.limit)
            end = joined.end() if joined else end
        suffix = _SUFFIX.match(text, end, self.limit)
        if suffix is not None:
            comparator = _SUFFIX_WORDS[suffix.group()]
            end = suffix.end()
        threshold = _AGE_THRESHOLD.search(text, max(self.begin, start - 2), start) is not None  # 满3岁即入园
        if unit.clause_final and not self.at_clause_end(end) and not self.starts_change(start) and not threshold:
            return None
        if _CLASS_MARKER.match(text, end, self.limit):  # 30万吨级航道, 千亿级产业
            return None
        clause = self.clause_start(start)
        begin = start
        prefix = _PREFIX.search(text[max(clause, start - _LOOKBEHIND) : start])
        if prefix is not None:
            begin = start - (len(prefix.group()))
            if comparator is None:
                comparator = _PREFIX_WORDS[prefix.group("cmp")]
        if threshold and unit.clause_final:
            rule = "age-threshold"
        return _Quantity(
            begin, start, end, value, upper, unit.unit, unit.counter, comparator, chinese, rule
        )

    def chinese_ok(self, quantity: _Quantity, unit: _Unit) -> bool:
        """Chinese numerals are idioms (一批, 两岸, 千家万户, 百亿斤工程) unless compared or ending the clause."""
        if unit.counter and quantity.value < 10:
            return False
        lone = self.text[quantity.number_begin] in "十百千万亿" and not self.text[quantity.number_begin + 1].isdigit()
        if lone and quantity.comparator is None:
            return False
        return quantity.comparator is not None or self.at_clause_end(quantity.end)


def _percent_words_value(match: re.Match[str]) -> Decimal | None:
    words = match.group("pctnum")
    return parse_chinese(words) if words[0] in CHINESE_NUMERAL_CHARS else parse_arabic(words)


def _from_word(text: str, begin: int, end: int) -> int | None:
    """Where the last from-word (从, 由) of ``text[begin:end]`` stands, when no digit follows it before ``end``."""
    found = None
    for match in _FROM.finditer(text, begin, end):
        if not any(m.start() <= match.start() < m.end() for m in _NOT_FROM.finditer(text, max(0, match.start() - 3), match.end() + 3)):
            found = match
    between = _YEAR_WORDS.sub("", text[found.end() : end]) if found is not None else ""
    if found is None or any(c.isdigit() or c in "%％" for c in between):
        return None
    return found.end()


def _name_zones(text: str) -> list[tuple[int, int]]:
    """Stretches in quotes or book-title marks, where numbers are names (“十五五”, “132”)."""
    return [(match.start(), match.end()) for match in _NAME_ZONES.finditer(text)]


def _without_qualifiers(text: str, quantities: list[_Quantity]) -> list[_Quantity]:
    """Drop amounts that only qualify the counted noun after them (超10亿元项目50个: the 10亿元)."""
    kept: list[_Quantity] = []
    for index, quantity in enumerate(quantities):
        following = quantities[index + 1] if index + 1 < len(quantities) else None
        if following is not None and following.counted and not quantity.counted:
            between = text[quantity.end : following.begin]
            if 0 < len(between) <= _QUALIFIED_NOUN_MAX and not any(c in _CLAUSE_BREAKS + "、" for c in between):
                continue
        kept.append(quantity)
    return kept


def _figures_in(text: str, region: FigureRegion, zones: list[tuple[int, int]]) -> list[Figure]:
    scanner = _Scanner(text, region, zones)
    figures: list[Figure] = []
    previous: tuple[int, int, Naming] | None = None  # (sentence start, end of what it counted, naming)
    quantities = _without_qualifiers(text, scanner.quantities())
    for index, quantity in enumerate(quantities):
        clause = scanner.clause_start(quantity.begin)
        sentence = scanner.clause_start(quantity.begin, _SENTENCE_BREAKS)
        before = previous[2] if previous is not None and previous[0] == sentence else None
        same_clause = before is not None and previous is not None and previous[1] >= clause
        left_start = clause
        if same_clause and previous is not None:
            left_start = previous[1]
            enumeration = text.find("、", left_start, quantity.begin)
            if enumeration >= 0:  # 投放50%以上号源、转诊量增长90%: 号源 belongs to the first figure
                left_start = enumeration + 1
        right_end = quantities[index + 1].begin if index + 1 < len(quantities) else scanner.limit
        for position in range(quantity.end, right_end):
            if text[position] in _CLAUSE_BREAKS:
                right_end = position
                break
        left = text[left_start : quantity.begin]
        if quantity.counted_end is not None:  # 解决6000万农村人口…: the noun phrase alone names what is counted
            right_end, left = quantity.counted_end, ""
        if quantity.rule == "age-threshold":  # …、满3岁即入园: the age belongs to its own list item
            left = left[left.rfind("、") + 1 :]
        if same_clause:  # 66个重点县和豫东平原200万亩: the 和 links the two figures
            left = _LEADING_CONJUNCTION.sub("", left)
        naming = name_indicator(
            left=left,
            right=text[quantity.end : right_end],
            counted=quantity.counted,
            percent=quantity.unit == "unit:PERCENT",
            rank_scope=quantity.rank_scope,
            previous=before,
            same_clause=same_clause,
            fallback=text[quantity.begin : quantity.end],
        )
        modal = _MODALITY.search(text, clause, quantity.number_begin)
        kind = region.kind
        if kind is FigureKind.TARGET and _FACTS.search(text, clause, quantity.number_begin):
            kind = FigureKind.ACHIEVEMENT  # 我国60岁以上人口已达2.5亿: what already is, stated in the plan
        comparator = Comparator.BETWEEN if quantity.upper is not None else quantity.comparator
        figures.append(
            Figure(
                value=quantity.value,
                unit=quantity.unit,
                comparator=comparator or Comparator.EQUAL,
                modality=Modality.ASPIRATIONAL if modal else Modality.FIRM,
                kind=kind,
                indicator=naming.indicator,
                surface=text[quantity.begin : quantity.end],
                span=Span(quantity.begin, quantity.end),
                year=region.year,
                upper=quantity.upper,
                rule=f"{quantity.rule}/{naming.rule}",
            )
        )
        reach = quantity.end
        if naming.rule == "counted-noun":
            reach += noun_end(text[quantity.end : right_end])
        previous = (sentence, reach, naming)
    return _shaped(text, scanner, region, quantities, figures)


# --- figures of several numbers or years: 分别 lists, baselines, periods -------------------


def _same_clause(text: str, begin: int, end: int) -> bool:
    return not any(c in _CLAUSE_BREAKS for c in text[begin:end])


def _listed_after(text: str, before: _Quantity, after: _Quantity) -> bool:
    """Whether ``after`` is the next item of a list that ``before`` is in (4.4%、5.6%; 96%和94%)."""
    between = text[before.end : after.begin]
    return len(between) <= 2 and _LIST_JOIN.fullmatch(between) is not None


def _runs(text: str, quantities: list[_Quantity], first: int) -> list[list[int]]:
    """The lists of numbers from ``first`` on that stay in one clause: [[771家, 481家], [1076家, 636家]]."""
    runs = [[first]]
    for index in range(first + 1, len(quantities)):
        previous = quantities[index - 1]
        if _listed_after(text, previous, quantities[index]):
            runs[-1].append(index)
        elif _same_clause(text, previous.end, quantities[index].begin):
            runs.append([index])
        else:
            break
    return runs


def _subject_start(text: str, scanner: _Scanner, quantities: list[_Quantity], index: int) -> int:
    """Where the words naming the figure at ``index`` may begin: its clause, after an earlier figure there."""
    start = scanner.clause_start(quantities[index].begin)
    if index > 0 and quantities[index - 1].end > start:
        start = quantities[index - 1].end
        enumeration = text.find("、", start, quantities[index].begin)
        if enumeration >= 0:
            start = enumeration + 1
    return start


def _baselines(
    text: str, scanner: _Scanner, region: FigureRegion, quantities: list[_Quantity], figures: list[Figure]
) -> dict[int, int]:
    """从174万户增加到235万户: the first number becomes a Baseline (of the year before, unless one is
    named), named like the result it starts; returns {baseline index: result index}."""
    pairs: dict[int, int] = {}
    index = 0
    while index < len(quantities):
        quantity = quantities[index]
        begin = _subject_start(text, scanner, quantities, index)
        opening = _from_word(text, max(begin, quantity.begin - _FROM_GAP), quantity.begin)
        if opening is None:
            index += 1
            continue
        runs = _runs(text, quantities, index)
        if len(runs) < 2 or not _TO.search(text, quantities[runs[0][-1]].end, quantities[runs[1][0]].begin):
            index += 1
            continue
        starts, results = runs[0], runs[1]
        if len(results) != len(starts) and len(results) != 1:
            index += 1
            continue
        year = _baseline_year(text, opening, quantity.begin, region.year)
        subject = tidy_label(clean_left(text[begin : opening - 1]))
        if subject is None and begin > region.span.begin and text[begin - 1] in "，,":  # X的比重，由上年的74.3%提高到…
            earlier = scanner.clause_start(begin - 1)
            if index == 0 or quantities[index - 1].end <= earlier:
                subject = tidy_label(clean_left(text[earlier : begin - 1]))
        for position, start in enumerate(starts):
            result = results[min(position, len(results) - 1)]
            pairs[start] = result
            figures[start] = replace(figures[start], kind=FigureKind.BASELINE, year=year or None)
            if subject is not None and quantity.rank_scope is None:  # a rank keeps its 全球排名 naming
                figures[start] = replace(figures[start], indicator=subject)
                figures[result] = replace(figures[result], indicator=subject)
        index = results[-1] + 1
    return pairs


def _baseline_year(text: str, opening: int, begin: int, year: int | None) -> int | None:
    """The year a change starts from: named (从2020年的, 由上年的, 从“十三五”末的), else the year before ``year``."""
    stated = _STATED_YEAR.search(text, opening, begin)
    if stated is not None and stated.group(1):
        return int(stated.group(1))
    plan = _BASELINE_PLAN_END.search(text, opening, begin)
    period = plan_years(plan.group("plan")) if plan is not None else None
    if period is not None:
        return period.last
    if year is None:
        return None
    return year + (_BASELINE_YEARS[stated.group()] if stated is not None else -1)


def _suffix_compared(text: str, quantity: _Quantity) -> bool:
    return quantity.comparator in _SUFFIX_COMPARATORS and _SUFFIX.search(text, quantity.begin, quantity.end) is not None


def _respective(text: str, scanner: _Scanner, quantities: list[_Quantity], figures: list[Figure]) -> None:
    """城镇和农村居民人均可支配收入分别增长4.4%、5.6%左右: one indicator per number, and a comparator
    written once (左右 at the end, 超过 at the start) for every number of the list."""
    remembered: tuple[int, list[str]] | None = None  # (sentence start, subjects) for a later 分别 without them
    index = 0
    while index < len(quantities):
        begin = _subject_start(text, scanner, quantities, index)
        respective = None
        for respective in RESPECTIVE.finditer(text, begin, quantities[index].begin):
            pass
        if respective is None:
            index += 1
            continue
        sentence = scanner.clause_start(quantities[index].begin, _SENTENCE_BREAKS)
        subject = subject_words(clean_left(text[begin : respective.start()]))
        runs = _runs(text, quantities, index)
        verb_from = respective.end()
        for run in runs:
            subjects = split_subjects(subject, len(run)) if subject else None
            if subjects is None and not subject and remembered is not None and remembered[0] == sentence:
                subjects = remembered[1] if len(remembered[1]) == len(run) else None
            if subjects is None and not subject:  # 国内游客4.16亿人次、入境游客936万人次，分别增长6.7%、39.6%
                subjects = _subjects_before(figures, quantities, index, len(run), sentence)
            if subjects is not None:
                remembered = (sentence, subjects)
                growth = _TRAILING_GROWTH.search(clean_left(text[verb_from : quantities[run[0]].begin]))
                verb = growth.group().removeprefix("年均").removeprefix("同比") if growth else ""  # 分别比上年增长
                for item, position in zip(subjects, run):
                    if figures[position].kind is not FigureKind.BASELINE or not verb:
                        figures[position] = replace(figures[position], indicator=shorten(item + verb))
            if len(run) > 1:
                _share_comparator(text, [quantities[k] for k in run], run, figures)
            verb_from = quantities[run[-1]].end
        index = runs[-1][-1] + 1


def _subjects_before(
    figures: list[Figure], quantities: list[_Quantity], index: int, count: int, sentence: int
) -> list[str] | None:
    """The indicators of the ``count`` figures right before ``index`` in its sentence, as 分别 subjects."""
    if index < count or quantities[index - count].begin < sentence:
        return None
    named = [figures[k].indicator for k in range(index - count, index)]
    subjects = [_TRAILING_GROWTH.sub("", name) if name else "" for name in named]
    return subjects if all(subjects) else None


def _share_comparator(text: str, listed: list[_Quantity], run: list[int], figures: list[Figure]) -> None:
    """A comparison word written once for a whole list applies to each number that has none of its own."""
    first, last = listed[0], listed[-1]
    shared = None
    if _suffix_compared(text, last):
        shared = last.comparator
    elif first.begin < first.number_begin and first.comparator is not None:
        shared = first.comparator
    if shared is None:
        return
    for quantity, position in zip(listed, run):
        if quantity.comparator is None and quantity.upper is None:
            figures[position] = replace(figures[position], comparator=shared)


def _heading(text: str, region: FigureRegion) -> str:
    """The first line of a region when it reads as a heading (short, no full stop), else ''."""
    begin = region.span.begin
    while begin < region.span.end and text[begin] in "\n \u3000":
        begin += 1
    end = text.find("\n", begin, region.span.end)
    line = text[begin : end if end >= 0 else region.span.end]
    return line if len(line) <= _HEADING_MAX and "。" not in line else ""


def _periods(
    text: str,
    scanner: _Scanner,
    region: FigureRegion,
    quantities: list[_Quantity],
    figures: list[Figure],
    pairs: dict[int, int],
) -> None:
    """过去五年, “十四五”时期, 年均, 比2020年: the figure covers several years, its year the last of them;
    a year named before it (到2027年, 1978年为) is its year."""
    heading = _heading(text, region)
    periods: dict[int, Period] = {}
    for index, quantity in enumerate(quantities):
        if figures[index].kind is FigureKind.BASELINE:
            continue
        sentence = scanner.clause_start(quantity.begin, _SENTENCE_BREAKS)
        reach = max(region.span.begin, quantity.begin - _PARAGRAPH_REACH)  # bounded: a text with no line breaks stays linear
        paragraph = max(reach, text.rfind("\n", reach, quantity.begin) + 1)
        head = min(quantity.begin, paragraph + _HEADING_MAX)
        head_end = min([head] + [p for p in (text.find(c, paragraph, head) for c in "，,。；") if p >= 0])
        before = text[sentence : quantity.number_begin]
        period = figure_period(
            sentence=before,
            paragraph_head=text[paragraph:head_end] if paragraph < sentence else "",
            heading=heading,
            year=figures[index].year if figures[index].year is not None else region.year,
            averaged=is_yearly_average(before),
        )
        if period is not None:
            several = period.first < period.last
            if several:
                periods[index] = period
            figures[index] = replace(figures[index], year=period.last, period_start=period.first if several else None)
    for start, result in pairs.items():  # a change over a period starts the year before the period
        if result in periods and not _STATED_YEAR.search(text, scanner.clause_start(quantities[start].begin), quantities[start].begin):
            figures[start] = replace(figures[start], year=periods[result].first - 1)


def _shaped(
    text: str, scanner: _Scanner, region: FigureRegion, quantities: list[_Quantity], figures: list[Figure]
) -> list[Figure]:
    """Baselines, 分别 lists and periods, then each indicator tidied (or dropped when none is left)."""
    figures = list(figures)
    pairs = _baselines(text, scanner, region, quantities, figures)
    _respective(text, scanner, quantities, figures)
    _periods(text, scanner, region, quantities, figures, pairs)
    return [replace(f, indicator=tidy_label(f.indicator) if f.indicator else None) for f in figures]


def find_figures(text: str, *, regions: list[FigureRegion]) -> list[Figure]:
    """The quantified figures inside the given plan (target) and review (achievement) regions."""
    zones = _name_zones(text)
    seen: set[Span] = set()
    figures: list[Figure] = []
    for region in sorted(regions, key=lambda r: (r.span.begin, r.span.end, r.kind.value)):
        if region.span.end > len(text):
            raise InputError(
                f"figure region {region.span.begin}..{region.span.end} lies beyond the text "
                f"({len(text)} characters): pass spans of the normalized text"
            )
        for figure in _figures_in(text, region, zones):
            if figure.span not in seen:
                seen.add(figure.span)
                figures.append(figure)
    return sorted(figures, key=lambda figure: (figure.span.begin, figure.span.end))
