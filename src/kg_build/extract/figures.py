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
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kg_build.document import Comparator, Figure, FigureKind, Modality, Span
from kg_build.errors import InputError
from kg_build.extract.indicators import Naming, name_indicator, noun_end, word_alternation
from kg_build.extract.numbers import (
    ARABIC_PATTERN,
    CHINESE_NUMERAL_CHARS,
    magnitude_of,
    parse_arabic,
    parse_chinese,
)

_DATA = Path(__file__).parent / "data"
_UNITS = json.loads((_DATA / "units.json").read_text("utf-8"))
_COMPARATORS = json.loads((_DATA / "comparators.json").read_text("utf-8"))
_WORDS = json.loads((_DATA / "indicator_words.json").read_text("utf-8"))


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
    return units


_UNIT_TABLE = _load_units()
_UNIT_AT = re.compile(word_alternation(list(_UNIT_TABLE)))
_NOT_COUNTED = re.compile(word_alternation(_UNITS["not_counted_after_counter"]))
_CLASS_MARKER = re.compile(word_alternation(_UNITS["class_markers"]))

_CANDIDATE = re.compile(
    r"(?P<pct>百分之)(?P<pctnum>" + ARABIC_PATTERN + r"|[零〇一二两三四五六七八九十百]+)"
    r"|(?P<ar>" + ARABIC_PATTERN + r")(?P<mag>[百千万亿]*)(?:(?P<more>[多余])(?P<mag2>[万亿]+))?"
    r"|(?P<cn>[" + CHINESE_NUMERAL_CHARS + r"]+)(?:(?P<cnmore>[多余])(?P<cnmag2>[万亿]+))?"
)
_GLUED_BEFORE = re.compile(r"[A-Za-z0-9０-９.．+＋]")
_GLUED_AFTER = "+＋"
_RANGE_JOINS = "—–-－~～至到"
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
_MODALITY = re.compile(word_alternation([w for words in _COMPARATORS["modality"].values() for w in words]))

_RANK_SCOPE = re.compile(r"(?:" + word_alternation(_WORDS["rank_scopes"]) + r")$")
_RANK_VERB = re.compile(r"(?:" + word_alternation(_WORDS["rank_verbs"]) + r")$")
_RANK_TAIL = re.compile(r"[位名]")
_LOOKBEHIND = 10
_QUALIFIED_NOUN_MAX = 6
_LEADING_CONJUNCTION = re.compile(r"^(?:" + word_alternation(_WORDS["conjunctions"]) + ")")


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


def _numeral_options(text: str, match: re.Match[str]) -> list[tuple[Decimal, int, bool, bool]]:
    """Ways to read the numeral of a match: (value, end, magnified, more), longest numeral first."""
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
            return self.read_open_range(match) or self.read_listed(match)
        value, end, unit, between, magnified = amount
        if unit.counter and _NOT_COUNTED.match(text, end, self.limit):
            return None
        if end < self.limit and (text[end] in _GLUED_AFTER or (text[end] == "/" and "/" not in unit.form)):
            return None
        upper, end = self.read_upper(end, unit, value)
        chinese = match.group("cn") is not None
        rule = "range" if upper is not None else ("chinese" if chinese else "arabic")
        quantity = self.finish(start, end, value * unit.factor, upper, unit, between, chinese, rule)
        if quantity is not None and chinese and not self.chinese_ok(quantity, unit):
            return None
        return quantity

    def read_upper(self, end: int, unit: _Unit, low: Decimal) -> tuple[Decimal | None, int]:
        """The upper bound of a range written 5%—5.5%, 5%到5.5%: (upper, new end)."""
        text = self.text
        if end + 1 >= self.limit or text[end] not in _RANGE_JOINS:
            return None, end
        match = _CANDIDATE.match(text, end + 1, self.limit)
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
        """A number whose unit comes with the next one of a list: 1409万、1305万人次."""
        text = self.text
        options = _numeral_options(text, match)
        if not options or match.group("ar") is None:
            return None
        value, end, _, more = options[0]
        if end + 1 >= self.limit or text[end] != "、":
            return None
        following = _CANDIDATE.match(text, end + 1, self.limit)
        if following is None or following.group("ar") is None:
            return None
        amount = _read_amount(text, following, self.limit)
        if amount is None or amount[2].clause_final:
            return None
        unit = amount[2]
        comparator = Comparator.MORE_THAN if more else None
        return self.finish(match.start(), end, value * unit.factor, None, unit, comparator, False, "listed")

    def read_open_range(self, match: re.Match[str]) -> _Quantity | None:
        """A range whose first number has no unit of its own: 5—5.5%, 3—5万人."""
        text = self.text
        options = _numeral_options(text, match)
        if not options or match.group("ar") is None:
            return None
        low, end, magnified, more = options[0]
        if more:
            return None
        if end + 1 >= self.limit or text[end] not in _RANGE_JOINS:
            return None
        second = _CANDIDATE.match(text, end + 1, self.limit)
        if second is None or second.group("ar") is None:
            return None
        amount = _read_amount(text, second, self.limit)
        if amount is None:
            return None
        high, high_end, unit, _, _ = amount
        if not magnified and second.group("mag"):
            low = low * magnitude_of(second.group("mag"))
        if low >= high:
            return None
        return self.finish(match.start(), high_end, low * unit.factor, high * unit.factor, unit, None, False, "range")

    def read_percent_words(self, match: re.Match[str]) -> _Quantity | None:
        """百分之五 → 5 PERCENT."""
        words = match.group("pctnum")
        value = parse_chinese(words) if words[0] in CHINESE_NUMERAL_CHARS else parse_arabic(words)
        if value is None:
            return None
        unit = _UNIT_TABLE["%"]
        return self.finish(match.start(), match.end(), value, None, unit, None, False, "percent-words")

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
        suffix = _SUFFIX.match(text, end, self.limit)
        if suffix is not None:
            comparator = _SUFFIX_WORDS[suffix.group()]
            end = suffix.end()
        if unit.clause_final and not self.at_clause_end(end):
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
        figures.append(
            Figure(
                value=quantity.value,
                unit=quantity.unit,
                comparator=quantity.comparator or Comparator.EQUAL,
                modality=Modality.ASPIRATIONAL if modal else Modality.FIRM,
                kind=region.kind,
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
    return figures


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


# --- spaCy component ---------------------------------------------------------------

try:  # spaCy is optional for the pure function above
    from spacy.language import Language
    from spacy.tokens import Doc
except ImportError:  # pragma: no cover - spaCy is a dependency of the package
    Language = None  # type: ignore[assignment,misc]


class PolicyFigures:
    """spaCy component: ``doc._.figures`` from ``doc._.figure_regions`` (else the whole text as one region)."""

    def __init__(self, *, kind: FigureKind, year: int | None) -> None:
        self.kind = kind
        self.year = year

    def __call__(self, doc: "Doc") -> "Doc":
        regions = doc._.figure_regions or [FigureRegion(Span(0, len(doc.text)), self.kind, self.year)]
        doc._.figures = find_figures(doc.text, regions=list(regions))
        return doc


if Language is not None:
    for _name in ("figures", "figure_regions"):
        if not Doc.has_extension(_name):
            Doc.set_extension(_name, default=None)

    @Language.factory("policy_figures", default_config={"kind": "Target", "year": None})
    def make_policy_figures(nlp: Language, name: str, kind: str, year: int | None) -> PolicyFigures:
        """Build the figure component; ``kind`` and ``year`` apply when a doc names no regions."""
        return PolicyFigures(kind=FigureKind(kind), year=year)
