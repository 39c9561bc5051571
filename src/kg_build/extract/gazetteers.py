"""Names known in advance: companies (``data/companies.tsv``), government bodies
(``data/government_bodies.json``) and administrative places (``places.py``), found in a text."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg_build.document import EntityType, Mention, Span
from kg_build.extract import places
from kg_build.extract.lexicon import Lexicon
from kg_build.extract.tokens import TokenIndex

DATA = Path(__file__).parent / "data"
LATIN = re.compile(r"[A-Za-z0-9]")
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class ReportContext:
    """What extraction knows about the report: its region chain (innermost first) and honour lines."""

    region: str | None = None
    city: str | None = None
    province: str | None = None
    level: str | None = None
    codes: tuple[str, ...] = ()  # GB/T 2260 codes of region, city, province
    excluded: tuple[Span, ...] = ()  # honour items: read as honours, not as names

    @property
    def province_prefix(self) -> str:
        return self.codes[-1][:2] if self.codes else ""


@dataclass(frozen=True)
class CompanyTable:
    """Canonical company names and every name that refers to each."""

    lexicon: Lexicon  # any name → canonical
    aliases: dict[str, tuple[str, ...]]  # canonical → other names


@lru_cache(maxsize=1)
def company_table() -> CompanyTable:
    """The well-known companies, read once per process."""
    names: dict[str, str] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    for line in (DATA / "companies.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip() or line.startswith("#") or line.startswith("canonical\t"):
            continue
        canonical, _, rest = line.partition("\t")
        others = tuple(a for a in rest.split("|") if a)
        aliases[canonical] = others
        for name in (canonical, *others):
            names[name] = canonical
    return CompanyTable(Lexicon.of(names), aliases)


def _latin_edges_clear(text: str, begin: int, end: int) -> bool:
    """A Latin name must not continue into neighbouring letters or digits (TCL, not TCLX)."""
    before = text[begin - 1] if begin > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (LATIN.match(before) or LATIN.match(after))


def find_companies(text: str, tokens: TokenIndex) -> list[Mention]:
    """Mentions of well-known companies; short Chinese names must be whole words (中电 not in 集中电力)."""
    table = company_table()

    def accept(begin: int, end: int, name: str) -> bool:
        if LATIN.match(name[0]) or LATIN.match(name[-1]):
            if not _latin_edges_clear(text, begin, end):
                return False
        if CJK.match(name[0]) and len(name) <= 3:
            return tokens.aligned(begin, end) or (begin in tokens.starts and len(name) == 3)
        return True

    mentions = []
    for begin, end, name in table.lexicon.scan(text, accept=accept):
        canonical = table.lexicon.entries[name]
        written = () if name == canonical else (name,)
        mentions.append(Mention(EntityType.COMPANY, canonical, Span(begin, end), "companies.tsv", written))
    return mentions


@lru_cache(maxsize=1)
def _place_lexicon() -> Lexicon:
    table = places.gazetteer()
    names = {name: "full" for name in table.by_name}
    for short in table.by_short:
        names.setdefault(short, "short")
    return Lexicon.of(names)


def place_at(name: str, context: ReportContext) -> places.Division | None:
    """The division a name written in the text stands for, under the rules for short names."""
    table = places.gazetteer()
    if name in table.by_name:
        division = places.lookup(name, context=context.codes)
        if division is None:
            return None
        if not division.short and not division.code.startswith(context.province_prefix or "--"):
            return None  # 城区, 矿区: only inside the report's own province
        return division
    if name in table.common_words or name not in table.by_short:
        return None
    division = places.lookup(name, context=context.codes)
    if division is None:
        return None
    in_province = bool(context.province_prefix) and division.code.startswith(context.province_prefix)
    unique_city = division.level == "city" and len(table.by_short[name]) == 1
    if in_province or division.level == "province" or unique_city:
        return division
    return None


@dataclass(frozen=True)
class PlaceContext:
    """Words around a place name that make it part of a longer name (``data/places/name_context.json``)."""

    continued_by: tuple[str, ...]  # longest first; a one-character word must end a token (路 yes, 路网 no)
    preceded_by: tuple[str, ...]


@lru_cache(maxsize=1)
def place_context() -> PlaceContext:
    """The context words, read once per process."""
    data = json.loads((places.DATA / "name_context.json").read_text(encoding="utf-8"))
    return PlaceContext(
        continued_by=tuple(sorted(set(data["continued_by"]), key=lambda w: (-len(w), w))),
        preceded_by=tuple(sorted(set(data["preceded_by"]), key=lambda w: (-len(w), w))),
    )


def inside_longer_name(text: str, tokens: TokenIndex, begin: int, end: int) -> bool:
    """True when a place name written at ``begin..end`` is only part of a word or a longer name: it cuts
    a word of the segmentation (适应城市), a street or cluster word follows it (南京西路, 福州都市圈), or a
    word before it makes it an ordinary word (周年大庆)."""
    if tokens.crosses(begin, end):
        return True
    around = tokens.around(begin)
    if around is not None and around[0] < begin and not _word_before_place(text[around[0] : begin]):
        return True  # 沿|海城市 inside one word: 沿 is no word of its own, so 海城市 is no name here
    words = place_context()
    for word in words.continued_by:
        stop = end + len(word)
        if text.startswith(word, end) and (len(word) > 1 or stop in tokens.ends or stop == len(text)):
            return True
    return any(text.endswith(word, 0, begin) for word in words.preceded_by)


def _word_before_place(part: str) -> bool:
    """True when the start of a word before a place name inside it is a word of its own (中共 in
    中共北京市委, 上海 in 上海浦东新区), so the word is a compound holding the place."""
    if part in _place_lexicon().entries:
        return True
    from kg_build.extract.segmenter import is_word  # noqa: PLC0415 - the segmenter, loaded by the pipeline

    return len(part) >= 2 and is_word(part)


def find_places(text: str, tokens: TokenIndex, context: ReportContext) -> list[Mention]:
    """Mentions of administrative places: full names anywhere, short names only as whole words, and never
    a name that is part of a longer word or name (``inside_longer_name``)."""
    lexicon = _place_lexicon()
    common = places.gazetteer().common_words
    found: dict[tuple[int, int], places.Division] = {}

    def accept(begin: int, end: int, name: str) -> bool:
        division = place_at(name, context)
        if division is None or name in common:
            return False
        if lexicon.entries[name] == "short" or len(name) == 2:
            if not tokens.aligned(begin, end):
                return False
        if inside_longer_name(text, tokens, begin, end):
            return False
        found[(begin, end)] = division
        return True

    mentions = []
    for begin, end, name in lexicon.scan(text, accept=accept):
        division = found[(begin, end)]
        written = () if name == division.name else (name,)
        mentions.append(Mention(EntityType.PLACE, division.name, Span(begin, end), "admin-divisions", written))
    return mentions


@dataclass(frozen=True)
class BodyWords:
    """Government body words from ``data/government_bodies.json``."""

    bodies: re.Pattern[str]
    levels: dict[str, str]
    standalone: frozenset[str]
    canonical_body: dict[str, str]
    aliases: dict[str, str]


@lru_cache(maxsize=1)
def body_words() -> BodyWords:
    """The class-of-words list of government bodies, read once per process."""
    data = json.loads((DATA / "government_bodies.json").read_text(encoding="utf-8"))
    bodies = sorted(data["bodies"], key=lambda w: (-len(w), w))
    return BodyWords(
        bodies=re.compile("|".join(re.escape(b) for b in bodies)),
        levels=dict(data["levels"]),
        standalone=frozenset(data["standalone"]),
        canonical_body={"政府": "人民政府", "法院": "人民法院", "检察院": "人民检察院"},
        aliases=dict(data["aliases"]),
    )


def _level_place(level: str, context: ReportContext) -> str | None:
    """The report's own place at a level word: 区 → the district, 市 → the city, 省 → the province.

    In a municipality (北京市, a province-level 市) 市 is the municipality, in a county-level city (晋江市)
    the county-level city. None when the report has no
    place at that level (市委 in a province's report, 县政府 in the State Council's): the word then names
    a class of bodies, not one body.
    """
    chain = [places.gazetteer().by_code[c] for c in context.codes if c in places.gazetteer().by_code]
    if level == "city" and chain and chain[0].level == "county" and chain[0].name.endswith("市"):
        return chain[0].name  # a county-level city's own 市委 (晋江市委), not its prefecture's
    for division in chain:
        if division.level == level:
            return division.name
    if level == "city":
        return next((d.name for d in chain if d.level == "province" and d.name.endswith("市")), None)
    return None


def national_body(written: str, span: Span, rule: str) -> Mention:
    """A national body found by the token patterns, under its canonical name (中共中央 → 党中央)."""
    label = body_words().aliases.get(written, written)
    return Mention(EntityType.GOVERNMENT_BODY, label, span, rule, () if label == written else (written,))


def find_government_bodies(
    text: str, tokens: TokenIndex, context: ReportContext, *, taken: tuple[Span, ...] = ()
) -> list[Mention]:
    """Bodies of a place: 海淀区委; 区政协 (read as the report's own district); ``taken`` spans are skipped."""
    words = body_words()
    mentions: list[Mention] = []
    taken_spans = [(s.begin, s.end) for s in taken]
    lexicon = _place_lexicon()
    for match in words.bodies.finditer(text):
        begin, end, body = match.start(), match.end(), match.group()
        if any(b <= begin < e for b, e in taken_spans):
            continue
        if body == "委" and text[end : end + 1] in ("员", "会", "托", "屈", "婉"):
            continue
        if end not in tokens.ends and body != "委":
            continue
        body_label = words.canonical_body.get(body, body)
        mention = None
        for width in range(min(begin, 12), 1, -1):  # a place name just before the body word
            prefix = text[begin - width : begin]
            if prefix in lexicon.entries:
                division = place_at(prefix, context)
                if division is not None and (width > 2 or begin - width in tokens.starts):
                    label = division.name + body_label
                    written = text[begin - width : end]
                    mention = Mention(EntityType.GOVERNMENT_BODY, label, Span(begin - width, end), "government-bodies",
                                      () if written == label else (written,))
                    break
        if mention is None and begin > 0 and text[begin - 1] in words.levels and begin - 1 in tokens.starts:
            own = _level_place(words.levels[text[begin - 1]], context)
            if own is None:
                continue  # 市委 of no city of the report: the class of bodies (各市委), not one body
            written = text[begin - 1 : end]
            label = own + body_label
            mention = Mention(EntityType.GOVERNMENT_BODY, label, Span(begin - 1, end), "government-bodies",
                              () if written == label else (written,))
        if mention is None and body in words.standalone and begin in tokens.starts:
            own = context.region
            label = own + body if own else body
            mention = Mention(EntityType.GOVERNMENT_BODY, label, Span(begin, end), "government-bodies",
                              () if body == label else (body,))
        if mention is not None:
            mentions.append(mention)
            taken_spans.append((mention.span.begin, mention.span.end))
    return sorted(mentions, key=lambda m: (m.span, m.label))
