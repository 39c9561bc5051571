"""Structural names: projects, platforms, organizations, events, initiatives and places read from the
shape of Chinese policy prose (a head word such as 产业园 or 行动, a quoted name, an enumeration
ending in 等…项目), bounded on the left by verbs and function words.

Rules are data: ``data/patterns_names.jsonl`` (head words by entity type),
``data/name_words.json`` (boundary verbs, function words, generic words, classifiers) and
``data/category_nouns.json`` (category, level and evaluative words: what makes a name a class noun or
a slogan rather than the name of one thing).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg_build.document import EntityType, Mention, Span
from kg_build.extract.lexicon import Lexicon
from kg_build.extract.segmenter import frequent, tagged_words
from kg_build.extract.tokens import TokenIndex

DATA = Path(__file__).parent / "data"
OPEN, CLOSE = "“", "”"
NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·\-—–+＋.“”]")
LATIN = re.compile(r"[A-Za-z]")
NUMERAL = re.compile(r"^(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千万两几多数]+)$")
QUOTE_CHARS = "“”\"'‘’「」"
VERSION = re.compile(r"\d+(?:\.\d+)+")
QUOTED_STRETCH = re.compile(f"{OPEN}[^{CLOSE}\n]*[{CLOSE}\n]?")  # from an opening mark to its close or line end
COUNTED = re.compile(r"^(?:\d+|[一二三四五六七八九十百千两几多]+)(?:个|条|所|家|座|项|批|处|片|支|类|大)")
MAX_NAME = 24
MAX_QUOTED = 20

NAMED_TYPES = (EntityType.PROJECT, EntityType.PLATFORM, EntityType.ORGANIZATION, EntityType.EVENT, EntityType.COMPANY)


@dataclass(frozen=True)
class HeadRule:
    """One head word and what a name ending in it is."""

    head: str
    label: EntityType
    rule: str
    weak: bool = False  # the name needs a quote, a Latin word or a known name to count (…项目)
    distinctive: bool = False  # the head alone makes a name (产业大脑)
    unquoted_only: bool = False  # quoted forms are read by the quoted-name rule
    needs_signal: bool = False  # a broad head (中心, 学校): the name needs a proper noun to count
    standalone: bool = False  # the head is a whole name by itself (广交会)
    start_aligned: bool = False  # the head must start a word (新区, not the 新区 of 创新区)


@dataclass(frozen=True)
class NameRules:
    """Every rule table the name finder uses, read once from the data files."""

    heads: Lexicon
    head_rules: dict[str, HeadRule]
    actions: dict[str, HeadRule]
    quoted_heads: Lexicon
    quoted_types: dict[str, EntityType]
    classes: dict[str, EntityType]
    class_pattern: re.Pattern[str]
    place_suffix: re.Pattern[str]
    verbs: frozenset[str]
    function_words: frozenset[str]
    generic_words: frozenset[str]
    classifiers: frozenset[str]
    counted_words: frozenset[str]
    periods: tuple[re.Pattern[str], ...]
    not_enumeration: frozenset[str]
    nominal_verbs: frozenset[str]
    proper_max_frequency: int
    rejected_before: tuple[str, ...]
    rejected_after: tuple[str, ...]
    bare_min_length: int
    bare_rejected: tuple[re.Pattern[str], ...]
    known_names: Lexicon  # places and companies: a name containing one is a proper name
    long_verbs: tuple[str, ...]  # boundary verbs of two or more characters, longest first
    long_verb_set: frozenset[str]  # the same verbs, for lookups
    long_verb_lengths: tuple[int, ...]  # their lengths, longest first
    category_words: frozenset[str]  # generic, category and level words: none of them distinguishes a name
    evaluative: frozenset[str]  # 形象, 政绩: with a head they make a slogan (形象工程)
    attribute_suffixes: tuple[str, ...]  # “内卷式”竞争: a quoted attribute of the noun after it
    negative_verbs: tuple[str, ...]  # 整治“内卷式”, 不搞“形象工程”: something to stop, not a campaign
    common_word_min_frequency: int  # a dictionary word this frequent is an ordinary word, not a company's name
    not_a_head_before: dict[str, tuple[str, ...]]  # 高速 before 增长: an adjective, not a road
    leading_tags: frozenset[str]  # part-of-speech tags no name starts with (v: 举行, d: 妥善, i: 严厉查处)

    def ends_in_verb(self, token: str) -> bool:
        """True when a token ends in a boundary verb of two or more characters (推动建设 ends in 建设)."""
        return any(token[-length:] in self.verbs for length in range(2, len(token) + 1))

    def long_verb_at(self, text: str, position: int, limit: int) -> str | None:
        """The longest of ``long_verbs`` written at ``position`` and ending by ``limit``."""
        for length in self.long_verb_lengths:
            word = text[position : position + length]
            if position + length <= limit and word in self.long_verb_set:
                return word
        return None


@lru_cache(maxsize=1)
def name_rules() -> NameRules:
    """The rule tables, read once per process."""
    rows = [json.loads(line) for line in (DATA / "patterns_names.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    words = json.loads((DATA / "name_words.json").read_text(encoding="utf-8"))
    categories = json.loads((DATA / "category_nouns.json").read_text(encoding="utf-8"))
    head_rules: dict[str, HeadRule] = {}
    actions: dict[str, HeadRule] = {}
    quoted: dict[str, EntityType] = {}
    classes: dict[str, EntityType] = {}
    suffixes: list[str] = []
    for row in rows:
        rule = HeadRule(
            head=row["head"],
            label=EntityType(row["label"]),
            rule=row["id"],
            weak=bool(row.get("weak")),
            distinctive=bool(row.get("distinctive")),
            unquoted_only=bool(row.get("unquoted_only")),
            needs_signal=bool(row.get("needs_signal")),
            standalone=bool(row.get("standalone")),
            start_aligned=bool(row.get("start_aligned")),
        )
        if row["id"] == "name-head":
            head_rules.setdefault(rule.head, rule)
        elif row["id"] == "place-action":
            actions.setdefault(rule.head, rule)
        elif row["id"] == "quoted-head":
            quoted.setdefault(rule.head, rule.label)
        elif row["id"] == "enumeration-class":
            classes.setdefault(rule.head, rule.label)
        elif row["id"] == "place-suffix":
            suffixes.append(rule.head)
    alternation = "|".join(re.escape(c) for c in sorted(classes, key=lambda c: (-len(c), c)))
    class_pattern = re.compile(
        r"等(?:首批|第[\d一二三四五六七八九十]+批)?(?:(?:\d+|[一二三四五六七八九十百千两几多]+)"
        r"(?:个|条|所|家|座|项|批|处|片|支))?“?([\u4e00-\u9fffA-Za-z]{0,8}?)(" + alternation + r")”?"
    )
    suffix_alt = "|".join(re.escape(s) for s in sorted(suffixes, key=lambda s: (-len(s), s)))
    long_verbs = tuple(
        sorted((v for v in words["boundary_verbs"] if len(v) >= 2 and v not in words["nominal_verbs"]), key=lambda v: (-len(v), v))
    )
    return NameRules(
        heads=Lexicon.of({head: head for head in head_rules | actions}),
        head_rules=head_rules,
        actions=actions,
        quoted_heads=Lexicon.of({head: head for head in quoted}),
        quoted_types=quoted,
        classes=classes,
        class_pattern=class_pattern,
        place_suffix=re.compile(r"^([\u4e00-\u9fff]{2,5}?)(" + suffix_alt + r")"),
        verbs=frozenset(words["boundary_verbs"]),
        function_words=frozenset(words["function_words"]),
        generic_words=frozenset(words["generic_words"]),
        classifiers=frozenset(words["classifiers"]),
        counted_words=frozenset(w for w in words["function_words"] if w[:1] in "首一多若各") | {"等"},
        periods=tuple(re.compile(p) for p in words["period_terms"]),
        not_enumeration=frozenset(words["equal_not_enumeration"]),
        nominal_verbs=frozenset(words["nominal_verbs"]),
        proper_max_frequency=int(words["proper_noun_max_frequency"]),
        rejected_before=tuple(sorted(words["bare_term_rejected_before"], key=lambda w: (-len(w), w))),
        rejected_after=tuple(sorted(words["bare_term_rejected_after"], key=lambda w: (-len(w), w))),
        bare_min_length=int(words["bare_term_min_length"]),
        bare_rejected=tuple(re.compile(p) for p in words["bare_term_rejected_pattern"]),
        known_names=_known_names(),
        long_verbs=long_verbs,
        long_verb_set=frozenset(long_verbs),
        long_verb_lengths=tuple(sorted({len(v) for v in long_verbs}, reverse=True)),
        category_words=frozenset(words["generic_words"]) | frozenset(categories["category_modifiers"])
        | frozenset(categories["level_words"]),
        evaluative=frozenset(categories["evaluative"]),
        attribute_suffixes=tuple(categories["attribute_suffixes"]),
        negative_verbs=tuple(sorted(categories["negative_verbs"], key=lambda w: (-len(w), w))),
        common_word_min_frequency=int(categories["common_word_min_frequency"]),
        not_a_head_before={h: tuple(ws) for h, ws in categories["not_a_head_before"].items()},
        leading_tags=frozenset(categories["leading_tags"]),
    )


@lru_cache(maxsize=1)
def leading_words(tags: frozenset[str]) -> frozenset[str]:
    """The words of the segmenter's dictionary whose part-of-speech tag is one of ``tags`` (read from the
    dictionary file itself: only these words are kept, not the whole tag table)."""
    return tagged_words(tags)


def _known_names() -> Lexicon:
    """Place names (full and short) and company names, whose presence makes a name proper."""
    from kg_build.extract.gazetteers import company_table
    from kg_build.extract.places import gazetteer

    table = gazetteer()
    names = {n: "place" for n in table.by_name if len(n) >= 2}
    names.update({n: "place" for n in table.by_short if n not in table.common_words})
    names.update({n: "company" for n in company_table().lexicon.entries})
    for line in (DATA / "aliases.tsv").read_text(encoding="utf-8").splitlines():
        kind, _, rest = line.partition("\t")
        if kind == "Place":  # 粤港澳大湾区 and its short form 大湾区
            names.update({n: "place" for n in rest.replace("\t", "|").split("|") if len(n) >= 2})
    return Lexicon.of(names)


def strip_quotes(label: str) -> str:
    """The label without quotation marks or spaces: “三争”行动 → 三争行动."""
    return "".join(ch for ch in label if ch not in QUOTE_CHARS and not ch.isspace())


def quoted_cores(label: str) -> tuple[str, ...]:
    """The quoted part that opens a label, as a name of its own: “三争”行动 → (三争,)."""
    return tuple(m.group(1) for m in re.finditer("^“([^“”]{2,})”", label))


def _mention(kind: EntityType, text: str, begin: int, end: int, rule: str, *, label: str | None = None) -> Mention:
    """A mention whose label is the written form without quotes; the written and core forms are aliases."""
    written = text[begin:end]
    label = label if label is not None else strip_quotes(written)
    aliases = sorted({a for a in (written, strip_quotes(written), *quoted_cores(written)) if a and a != label})
    return Mention(kind, label, Span(begin, end), rule, tuple(aliases))


@dataclass(frozen=True)
class Boundary:
    """Where a name starts, and whether what precedes it marks it as a class noun rather than a name."""

    start: int
    counted: bool  # 3家…, 一批…, 等…: a class of things, not one named thing


class NameFinder:
    """Finds structural names in one text, given its jieba token boundaries."""

    def __init__(self, text: str, tokens: TokenIndex, *, excluded: tuple[Span, ...] = ()) -> None:
        self.text = text
        self.tokens = tokens
        self.rules = name_rules()
        self.excluded = excluded
        self.quote_depth = self._quote_depth(text)
        self.head_lengths = sorted({len(h) for h in self.rules.head_rules}, reverse=True)
        self.quoted_head_lengths = sorted({len(h) for h in self.rules.quoted_heads.entries}, reverse=True)
        self._covered: dict[str, bool] = {}

    @staticmethod
    def _quote_depth(text: str) -> list[int]:
        """For each character, 1 when it lies inside “…” (the marks themselves included; a quote left
        open ends with its line)."""
        depth = [0] * (len(text) + 1)
        for quote in QUOTED_STRETCH.finditer(text):
            depth[quote.start() : quote.end()] = [1] * (quote.end() - quote.start())
        return depth

    # --- boundaries ---------------------------------------------------------------

    def window_start(self, head_start: int) -> int:
        """How far left name characters reach from a head (to punctuation, at most MAX_NAME)."""
        i = head_start
        while i > 0 and head_start - i < MAX_NAME and NAME_CHAR.match(self.text[i - 1]):
            i -= 1
        numbering = re.match(r"\d+[.．]", self.text[i:head_start])  # 17.科技英才领航工程
        if numbering:
            i += numbering.end()
        return i

    def counted_token(self, token: str) -> bool:
        """A number and classifier in one token: 15个, 两届."""
        match = re.fullmatch(r"(?:\d+|[一二三四五六七八九十百千两几多数]+)(.+)", token)
        return bool(match) and (match.group(1) in self.rules.classifiers or match.group(1) == "大")

    def is_boundary(self, token: str) -> bool:
        """A verb or function word, which no name starts with."""
        rules = self.rules
        if token in rules.verbs or token in rules.function_words:
            return True
        return len(token) >= 3 and rules.ends_in_verb(token)

    def boundary(self, window: int, head_start: int, *, verbs_inside: bool = False) -> Boundary | None:
        """The rightmost sensible left edge: after the last verb, function word or count before the head.

        None when the head has no name before it (支持商圈: a verb and then the head; 产业大脑等平台: a
        class noun after 等).
        """
        edges: list[tuple[int, int, bool]] = []  # (token begin, token end, counted)
        spans = self.tokens.inside(window, head_start)
        for index, (b, e) in enumerate(spans):
            if self.quote_depth[b] and self.text[b] != OPEN:
                continue
            token = self.text[b:e]
            counted = False
            if token in self.rules.classifiers and index > 0 and NUMERAL.match(self.text[spans[index - 1][0] : spans[index - 1][1]]):
                counted = True
            elif NUMERAL.match(token) or token.isdigit():
                continue
            elif self.counted_token(token):
                counted = True
            elif not self.is_boundary(token):
                continue
            edges.append((b, e, counted or token in self.rules.counted_words))
        fitting = [edge for edge in edges if head_start - edge[1] >= 2]
        start, counted = (fitting[-1][1], fitting[-1][2]) if fitting else (window, False)
        for b, e, close_counted in edges:
            if e <= start:
                continue
            # a verb or function word right before the head leaves no name (支持商圈, 以人民为中心),
            # unless it is a verb used as a noun inside names (数字中国建设峰会)
            word = self.text[b:e]
            if close_counted or word in self.rules.function_words:
                return None
            if word not in self.rules.nominal_verbs and not verbs_inside:
                return None
        # a verb the segmenter did not cut off (建好武夷山国家公园: 建/好/武夷山)
        for position in range(head_start - 3, start - 1, -1):
            if position not in self.tokens.starts or self.quote_depth[position]:
                continue
            verb = self.rules.long_verb_at(self.text, position, head_start - 2)
            if verb is not None:
                start = position + len(verb)
                break
        # an opening quote left open before the head starts the name after it (“产业大脑”赋能…)
        opened = self.text.rfind(OPEN, start, head_start)
        if opened >= 0 and self.text.find(CLOSE, opened, head_start) < 0:
            start = opened + 1
        while start < head_start and self.text[start] == CLOSE:
            start += 1
        return Boundary(start, counted)

    def generic(self, begin: int, end: int) -> bool:
        """True when every word of ``text[begin:end]`` is a generic word (智慧, 口袋, 社区 …)."""
        if begin >= end:
            return True
        lo = max((b for b, _ in self.tokens.inside(max(0, begin - 8), begin + 1) if b <= begin), default=begin)
        words = [self.text[max(b, begin) : min(e, end)] for b, e in self.tokens.inside(lo, end + 8) if b < end and e > begin]
        if sum(len(w) for w in words) < end - begin:
            return False
        return all(w in self.rules.generic_words or NUMERAL.match(w) for w in words)

    def category_words_only(self, begin: int, end: int) -> bool:
        """True when every word of ``text[begin:end]`` is a category, level or generic word (``covered``)."""
        if begin >= end:
            return True
        lo = max((b for b, _ in self.tokens.inside(max(0, begin - 8), begin + 1) if b <= begin), default=begin)
        words = [self.text[max(b, begin) : min(e, end)] for b, e in self.tokens.inside(lo, end + 8) if b < end and e > begin]
        if sum(len(w) for w in words) < end - begin:
            return False
        return all(self.covered(w) for w in words)

    def covered(self, word: str) -> bool:
        """True when a word is a category or generic word, a number, or two such words run together
        (社区卫生 = 社区 + 卫生, 技术创新中心): nothing in it tells one thing from another."""
        known = self._covered.get(word)
        if known is None:
            categories = self.rules.category_words
            known = word in categories or bool(NUMERAL.match(word)) or any(
                word[:i] in categories and (word[i:] in categories or self.covered(word[i:])) for i in range(1, len(word))
            )
            self._covered[word] = known
        return known

    def category_only(self, begin: int, end: int) -> bool:
        """A name whose modifier ``text[begin:end]`` has nothing distinguishing: only category, level or
        generic words (中等职业学校, 县办公立中医医院), or an evaluative word (形象工程)."""
        modifier = strip_quotes(self.text[begin:end])
        if modifier in self.rules.evaluative or COUNTED.match(modifier):
            return True  # 形象工程; 15个主平台: a count of things, not one
        if re.search(r"[A-Za-z0-9“”]", self.text[begin:end]) or self.rules.known_names.scan(modifier):
            return False
        if self.text[begin] in "省市区县" and begin + 1 in self.tokens.ends:
            return False  # 区公共卫生综合楼: the report's own district's, one building (as 区政府 is one body)
        return self.category_words_only(begin, end)

    def cuts_word(self, begin: int) -> bool:
        """True when a name would start with the last character of a longer word (保障|性安居工程, 联合|国系列峰会)."""
        around = self.tokens.around(begin)
        return around is not None and around[0] < begin and around[1] - begin == 1 and self.text[begin - 1] not in QUOTE_CHARS

    def only_places(self, item: str) -> bool:
        """True when known place names make up the whole of ``item`` (杭州, 宁波杭州)."""
        found = [(b, e) for b, e, name in self.rules.known_names.scan(item) if self.rules.known_names.entries[name] == "place"]
        return sum(e - b for b, e in found) == len(item)

    def common_word(self, word: str) -> bool:
        """A word of two or more characters that is frequent in the segmenter's dictionary, a category word, or
        two such words run together (城市更新 = 城市 + 更新): it says what something does, not who it is."""
        if len(word) < 2:
            return False
        if self.covered(word) or frequent(word, self.rules.common_word_min_frequency):
            return True
        return any(self.common_word(word[:i]) and self.common_word(word[i:]) for i in range(2, len(word) - 1))

    def only_common_words(self, begin: int, end: int) -> bool:
        """True when every word of ``text[begin:end]`` is a common word (票务营销, 城市更新)."""
        words = [self.text[b:e] for b, e in self.tokens.inside(begin, end)]
        return sum(len(w) for w in words) == end - begin and all(self.common_word(w) for w in words)

    def after_leading_verbs(self, begin: int, end: int) -> int:
        """Where a name starts once the verbs and adverbs the boundary lists do not know are cut off its left
        (举行|中非合作论坛峰会, 妥善解决|融资平台), read from the segmenter's part-of-speech tags; a verb used
        as a noun inside names (建设, 服务) stays."""
        leading = leading_words(self.rules.leading_tags)
        for b, e in self.tokens.inside(begin, end):
            if b != begin or e - b < 2 or end - e < 2:
                break
            word = self.text[b:e]
            if word in self.rules.nominal_verbs or word in self.rules.known_names.entries:
                break  # 保定 is a city before it is a verb
            if word not in leading:
                break
            begin = e
        return begin

    def opens_with_function_word(self, begin: int, end: int) -> bool:
        """True when the first word of ``text[begin:end]`` is a function word (以用好铁路, 但同高速)."""
        first = next(iter(self.tokens.inside(begin, end)), None)
        return first is not None and first[0] == begin and self.text[first[0] : first[1]] in self.rules.function_words

    def negated(self, begin: int) -> bool:
        """True when a verb of stopping stands right before ``begin`` (整治“内卷式”, 不搞“形象工程”)."""
        return any(self.text.endswith(w, 0, begin) for w in self.rules.negative_verbs)

    def proper(self, begin: int, end: int) -> bool:
        """True when ``text[begin:end]`` holds a proper noun: a known place or company, a rare or
        unknown word (忠仑, 五缘), Latin letters or digits, a quote, or the report's own level (区…)."""
        part = self.text[begin:end]
        if re.search(r"[A-Za-z0-9“”]", part) or self.rules.known_names.scan(part):
            return True
        if part[:1] in "省市区县" and begin in self.tokens.starts and begin + 1 in self.tokens.ends:
            rest = [self.text[b:e] for b, e in self.tokens.inside(begin + 1, end)]
            if rest and rest[0] not in self.rules.generic_words:
                return True
        for b, e in self.tokens.inside(begin, end):
            word = self.text[b:e]
            if len(word) < 2 or self.covered(word):
                continue
            if not frequent(word, self.rules.proper_max_frequency):
                return True
        return False

    def followed_by_count(self, end: int) -> bool:
        """口袋公园4个: a class noun followed by its count."""
        return bool(re.match(r"(?:\d+|[一二三四五六七八九十百千两几]+)(?:个|条|所|家|座|项|处)", self.text[end : end + 6]))

    def in_excluded(self, begin: int, end: int) -> bool:
        return any(span.begin <= begin and end <= span.end for span in self.excluded)

    # --- rules --------------------------------------------------------------------

    def head_names(self) -> list[Mention]:
        """Names that end in a head word: 沪明临港产业园, 中国华能总部, 罗泾港区改造."""
        found: list[Mention] = []
        text, rules = self.text, self.rules
        matches = rules.heads.scan(text, accept=lambda b, e, _: e in self.tokens.ends)
        for head_start, head_end, head in matches:
            rule = rules.head_rules.get(head) or rules.actions[head]
            if rule.start_aligned and head_start not in self.tokens.starts:
                continue
            window = self.window_start(head_start)
            edge = self.boundary(window, head_start, verbs_inside=rule.label is EntityType.INITIATIVE)
            if rule.standalone and (
                edge is None or edge.counted or head_start - edge.start < 2 or self.generic(edge.start, head_start)
                or text[edge.start : head_start].endswith(rules.long_verbs)
            ):
                found.append(_mention(rule.label, text, head_start, head_end, f"{rule.rule}:{head}"))
                continue
            if edge is None:
                continue
            begin = edge.start
            if head_start - begin < 2 and not LATIN.search(text[begin:head_start]):
                continue
            if rule.label is not EntityType.INITIATIVE:
                begin = self.after_leading_verbs(begin, head_start)
                if head_start - begin < 2 and not LATIN.search(text[begin:head_start]):
                    continue
            modifier = text[begin:head_start]
            if rule.rule == "place-action":
                place = rules.place_suffix.match(modifier)
                if place is None or place.end() != len(modifier) or self.generic(begin, begin + len(place.group(1))):
                    continue
                found.append(_mention(EntityType.PROJECT, text, begin, head_end, "place-action"))
                found.append(_mention(EntityType.PLACE, text, begin, head_start, "place-action"))
                continue
            if rule.unquoted_only and (OPEN in modifier or CLOSE in modifier):
                continue
            if modifier.endswith(CLOSE) and head in rules.quoted_types:
                continue  # “X”工程: the quoted-name rule reads it
            if edge.counted or self.followed_by_count(head_end):
                continue
            signal = bool(LATIN.search(modifier)) or OPEN in modifier
            if rule.weak and not (OPEN in modifier or LATIN.match(modifier)):
                continue
            if rule.needs_signal and not self.proper(begin, head_start):
                continue
            if not rule.distinctive and not signal and self.generic(begin, head_start):
                continue
            if not rule.distinctive and rule.label is not EntityType.INITIATIVE and self.category_only(begin, head_start):
                continue  # 社区卫生服务中心, 县办公立中医医院, 形象工程: a class or a slogan, not a name
            if self.cuts_word(begin) or self.opens_with_function_word(begin, head_start):
                continue  # 保障|性安居工程, 以用好铁路: the left edge is not a word edge
            if any(text.startswith(w, head_end) for w in rules.not_a_head_before.get(head, ())):
                continue  # 中高速增长: the head is an adjective here
            end = head_end
            label = None
            if rule.label in (EntityType.PROJECT, EntityType.PLATFORM) and text[end : end + 1] == OPEN:
                close = text.find(CLOSE, end + 1, end + 1 + MAX_QUOTED)
                if close > end + 2 and (close + 1 >= len(text) or text[close + 1] in "等、，,。；;"):
                    label = text[end + 1 : close]
                    end = close + 1
            kind = rule.label
            mention = _mention(kind, text, begin, end, f"{rule.rule}:{head}", label=label)
            found.append(mention)
        return found

    def quoted_names(self) -> list[Mention]:
        """Quoted names: “天津滨海-中关村科技园”, “三争”行动, “数字一栋楼”2.0 and bare “揭榜挂帅”."""
        found: list[Mention] = []
        text, rules = self.text, self.rules
        for match in re.finditer("“([^“”\n]{1,%d})”" % MAX_QUOTED, text):
            inner_begin, inner_end = match.start(1), match.end(1)
            inner = match.group(1)
            head = next((h for n in self.head_lengths if n <= len(inner) and (h := inner[len(inner) - n :]) in rules.head_rules), None)
            if head is not None and len(inner) - len(head) >= 2 and rules.head_rules[head].label is not EntityType.INITIATIVE:
                rule = rules.head_rules[head]
                lead = inner[: len(inner) - len(head)]
                if re.match(r"[一二三四五六七八九十两百千万]+[大个类项]", lead) or self.generic(inner_begin, inner_end - len(head)):
                    continue
                if lead in rules.evaluative or self.negated(match.start()):
                    continue  # “形象工程”, 不搞“政绩工程”: a slogan, not a project
                kind = rules.quoted_types.get(head, rule.label)
                found.append(_mention(kind, text, inner_begin, inner_end, f"quoted-name:{head}"))
                continue
            after = match.end()
            tail = None
            for width in range(0, 5):
                for length in self.quoted_head_lengths:
                    end = after + width + length
                    head_text = text[after + width : end]
                    if len(head_text) == length and head_text in rules.quoted_types and end in self.tokens.ends and re.fullmatch(
                        r"[\u4e00-\u9fff]*", text[after : after + width]
                    ) and not any(h in text[after : after + width] for h in (*rules.head_rules, "等", "的")):
                        tail = (end, head_text)
                        break
                if tail:
                    break
            if tail is not None and self.negated(match.start()):
                continue
            if tail is not None:
                end, head_text = tail
                kind = rules.quoted_types[head_text]
                found.append(_mention(kind, text, match.start(), end, f"quoted-head:{head_text}"))
                continue
            version = VERSION.match(text, after)
            if version:
                found.append(_mention(EntityType.INITIATIVE, text, match.start(), version.end(), "quoted-version"))
                continue
            if self.bare_term_ok(inner, match.start(), match.end()):
                found.append(_mention(EntityType.INITIATIVE, text, inner_begin, inner_end, "quoted-term"))
        return found

    def bare_term_ok(self, inner: str, begin: int, end: int) -> bool:
        """A bare quoted term names a campaign only when it is short and plain, and not a title won
        (获评“卓越级”) or the attribute of a following word (“一盘棋”思想)."""
        if not self.rules.bare_min_length <= len(inner) <= 12 or re.search(r"[，,、。；;：:—－\s！!？?]", inner):
            return False
        if re.match(r"\d{4}", inner) or any(p.search(inner) for p in self.rules.bare_rejected):
            return False
        if any(self.text[max(0, begin - len(w)) : begin] == w for w in self.rules.rejected_before) or self.negated(begin):
            return False
        if inner.endswith(self.rules.attribute_suffixes) and re.match(r"[\u4e00-\u9fff]", self.text[end : end + 1]) and not any(
            self.text.startswith(w, end) for w in self.rules.function_words
        ):
            return False  # “内卷式”竞争: an attribute of the word after it
        if any(self.text[end : end + len(w)] == w for w in self.rules.rejected_after):
            return False
        if any(p.match(inner) for p in self.rules.periods):
            return False
        return bool(re.search(r"[\u4e00-\u9fff]", inner))

    def enumerations(self) -> list[Mention]:
        """Items of a list ending in 等 and a class noun: 胖东来、蜜雪冰城、锅圈食汇等企业 → companies."""
        found: list[Mention] = []
        text, rules = self.text, self.rules
        for match in rules.class_pattern.finditer(text):
            k = match.start()
            if text[k - 1 : k + 1] in rules.not_enumeration or text[k : k + 2] in rules.not_enumeration:
                continue
            if (match.end(2) if text[match.end() - 1] != CLOSE else match.end() - 1) not in self.tokens.ends:
                continue
            kind = rules.classes[match.group(2)]
            counted = bool(re.search(r"\d|[一二三四五六七八九十百千两几]", text[k + 1 : match.start(1)]))
            window = k
            while window > 0 and k - window < 4 * MAX_NAME and (NAME_CHAR.match(text[window - 1]) or text[window - 1] == "、"):
                window -= 1
            items: list[tuple[int, int]] = []
            end = k
            i = k
            while i > window:
                if text[i - 1] == "、":
                    items.append((i, end))
                    end = i - 1
                i -= 1
            first_edge = self.boundary(window, end)
            if first_edge is not None:
                items.append((first_edge.start, end))
            for begin, stop in reversed(items):
                found.extend(self._item(begin, stop, kind, counted=counted, single=len(items) == 1))
        return found

    def _item(self, begin: int, end: int, kind: EntityType, *, counted: bool, single: bool) -> list[Mention]:
        """One enumeration item as a mention, when it looks like a name."""
        text = self.text
        item = text[begin:end]
        if len(strip_quotes(item)) < 2 or len(item) > MAX_NAME:
            return []
        if any(item.endswith(h) for h in self.rules.head_rules):
            return []  # read by the head-name rule, with its own type
        if item.endswith(CLOSE) and OPEN in item:
            return []
        signal = bool(LATIN.search(item)) or OPEN in item
        if kind is EntityType.COMPANY:
            if self.generic(begin, end) or item.endswith(("企业", "公司", "集团", "机构")) or len(item) > 10 or re.search(r"\d", item):
                return []
            if not self.proper(begin, end) or self.only_places(item) or self.only_common_words(begin, end):
                return []  # 杭州、宁波…等企业 and 城市更新、票务营销等企业: places and fields, not companies
        elif not (signal or (counted and single)):
            return []
        if self.generic(begin, end):
            return []
        return [_mention(kind, text, begin, end, f"enumeration:{kind.value}")]

    def qualifier_places(self, mentions: list[Mention]) -> list[Mention]:
        """Places that qualify a name: 东湖社区服务中心“邻里荟” → 东湖社区."""
        found: list[Mention] = []
        for mention in mentions:
            if mention.type not in NAMED_TYPES or mention.rule.startswith("quoted"):
                continue
            written = self.text[mention.span.begin : mention.span.end]
            match = self.rules.place_suffix.match(written)
            if not match or match.end() >= len(strip_quotes(written)):
                continue
            begin = mention.span.begin
            if self.generic(begin, begin + len(match.group(1))) or begin + match.end() not in self.tokens.ends:
                continue
            if self.text[begin - 1 : begin] == OPEN:
                continue
            known = self.rules.known_names.scan(match.group())
            if known and known[-1][1] == match.end() and known[-1][1] - known[-1][0] >= len(match.group(2)):
                continue  # 平潭台湾小镇: 台湾 is a place name, not …湾; 白鹅潭大湾区艺术中心: 大湾区 is a name of its own
            found.append(_mention(EntityType.PLACE, self.text, begin, begin + match.end(), "name-qualifier"))
        return found

    def find(self) -> list[Mention]:
        """Every structural name in the text, before overlaps are settled."""
        names = [
            m for m in self.head_names() + self.quoted_names() + self.enumerations()
            if not self.in_excluded(m.span.begin, m.span.end)
        ]
        names += self.qualifier_places(names)
        return sorted(set(names), key=lambda m: (m.span, m.type.value, m.label, m.rule))


def find_names(text: str, tokens: TokenIndex, *, excluded: tuple[Span, ...] = ()) -> list[Mention]:
    """Structural name mentions of a text (overlapping candidates included; see ``settle``)."""
    return NameFinder(text, tokens, excluded=excluded).find()


def edition_free(label: str) -> str:
    """An event label without its edition or year: 第八届数字中国建设峰会 → 数字中国建设峰会."""
    return re.sub(r"^(?:第[\d一二三四五六七八九十百]+届|\d{4}年?)", "", label) or label


# --- settling overlaps ---------------------------------------------------------------

COMPONENT_RULES = ("admin-divisions", "companies.tsv", "government-bodies", "national-body", "place-action", "name-qualifier")
RULE_PRIORITY = ("honour", "quoted-name", "name-head", "place-action", "quoted-head", "quoted-version", "enumeration", "quoted-term")


def _priority(mention: Mention) -> int:
    """Lower is stronger, for names of equal length."""
    for index, prefix in enumerate(RULE_PRIORITY):
        if mention.rule.startswith(prefix):
            return index
    return len(RULE_PRIORITY)


def is_component(mention: Mention) -> bool:
    """Gazetteer and qualifier mentions may sit inside a longer name (TCL in TCL面板, 福州 in 福州地铁滨海快线)."""
    return mention.rule.startswith(COMPONENT_RULES) and not (mention.type is EntityType.PROJECT)


def _crosses(a: Span, b: Span) -> bool:
    """Overlapping without either containing the other."""
    return a.begin < b.end and b.begin < a.end and not (a.contains(b) or b.contains(a))


class _Kept:
    """Mentions kept while settling, looked up by position: only those that start at most the longest
    kept length before a span, and no later than its end, can overlap, equal or contain it."""

    def __init__(self) -> None:
        self.mentions: list[Mention] = []  # in the order they were kept
        self.begins: list[int] = []  # sorted, with ``by_begin``
        self.by_begin: list[Mention] = []
        self.longest = 0

    def add(self, mention: Mention) -> None:
        self.mentions.append(mention)
        at = bisect_right(self.begins, mention.span.begin)
        self.begins.insert(at, mention.span.begin)
        self.by_begin.insert(at, mention)
        self.longest = max(self.longest, mention.span.end - mention.span.begin)

    def near(self, span: Span) -> list[Mention]:
        lo = bisect_left(self.begins, span.begin - self.longest)
        return self.by_begin[lo : bisect_right(self.begins, span.end)]


def settle(mentions: list[Mention]) -> list[Mention]:
    """One reading per stretch of text: the longest name wins; known names may sit inside names."""
    names = [m for m in mentions if not is_component(m)]
    parts = [m for m in mentions if is_component(m)]
    kept_names = _Kept()
    for mention in sorted(names, key=lambda m: (-(m.span.end - m.span.begin), _priority(m), m.span, m.label)):
        if any(k.span.begin < mention.span.end and mention.span.begin < k.span.end for k in kept_names.near(mention.span)):
            continue
        kept_names.add(mention)
    kept_parts = _Kept()
    for mention in sorted(parts, key=lambda m: (-(m.span.end - m.span.begin), _priority(m), m.span, m.label)):
        if any(_crosses(mention.span, k.span) for k in kept_names.near(mention.span)):
            continue
        near = kept_parts.near(mention.span)
        if any(_crosses(mention.span, k.span) or (k.span == mention.span and k.type is mention.type) for k in near):
            continue
        if mention.type is EntityType.PLACE and any(
            k.type is EntityType.COMPANY and k.span.contains(mention.span) for k in near
        ):
            continue
        kept_parts.add(mention)
    # a structural company that a gazetteer company already covers is the same company
    companies = {k.span for k in kept_parts.mentions if k.type is EntityType.COMPANY}
    names_kept = [m for m in kept_names.mentions if not (m.type is EntityType.COMPANY and m.span in companies)]
    return sorted(names_kept + kept_parts.mentions, key=lambda m: (m.span, m.type.value, m.label, m.rule))
