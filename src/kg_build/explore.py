"""What the explorer app shows, as plain Python values: labels, facts, sources, neighbourhoods, search, figures.

Every function takes a LocalStore and asks it a few batched SPARQL queries (labels of many IRIs in one
``VALUES`` block, never one query per row). Nothing here imports Streamlit.
"""

from __future__ import annotations

import bisect
import html
import re
import sqlite3
import threading
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

from kg_build.document import Span
from kg_build.engine import QueryLimits, run_query
from kg_build.errors import InputError
from kg_build.labels import (  # noqa: F401 - the label rule's names, also read from here
    LABEL_PREDICATES, PINYIN_MARK, PINYIN_TAG, RDFS_LABEL, SKOS_ALT, SKOS_PREF, label_key, prefixed_name,
)
from kg_build.model.graph import sentence_around
from kg_build.model.vocab import DATA_NS, ONTOLOGY_GRAPH, POL_NS, PREFIXES
from kg_build.search import BROWSE_LANGS, open_browse
from kg_build.store import GENERATIONS, LocalStore, SelectResult

RDF_TYPE = PREFIXES["rdf"] + "type"
NIF = PREFIXES["nif"]
PROV_DERIVED = PREFIXES["prov"] + "wasDerivedFrom"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
NAME_PREDICATES = (SKOS_PREF, SKOS_ALT, RDFS_LABEL)  # what a search by name reads (a span's nif:anchorOf is not a name)

# The most telling class first: a node typed Section + PlanSection is drawn as a Section.
CLASS_ORDER: tuple[str, ...] = (
    "WorkReport", "Section", "Pillar", "Measure", "Target", "Achievement", "QuantifiedStatement",
    "Indicator", "Place", "Project", "Platform", "Initiative", "Company", "GovernmentBody",
    "Organization", "Event", "Honor", "HonorConferral",
)
ENTITY_CLASSES: tuple[str, ...] = (
    "Project", "Platform", "Initiative", "Company", "GovernmentBody", "Organization", "Place", "Event", "Honor",
)
LABEL_LANGUAGES: tuple[str, ...] = ("zh-Hans", "zh-Hant", "en", "zh-Latn-pinyin")
# Predicates that lead to text (spans, contexts), not to things: left out of neighbourhoods.
TEXT_PREDICATES: tuple[str, ...] = (
    PROV_DERIVED, POL_NS + "text", NIF + "referenceContext", NIF + "sentence",
)
# Units in English (the units.json table's IRIs): a reader of the English pages sees "yuan", not 元.
UNIT_NAMES_EN: dict[str, str] = {
    "unit:PERCENT": "%", "pol:PercentagePoint": "percentage points", "cur:CNY": "yuan", "cur:USD": "US dollars",
    "cur:EUR": "euros", "cur:HKD": "Hong Kong dollars", "pol:Mu": "mu", "pol:TEU": "TEU", "pol:PetaFLOPS": "PFLOPS",
    "pol:Rank": "rank", "unit:NUM": "count", "unit:TONNE": "t", "unit:KiloM": "km", "unit:KiloM2": "km²",
    "unit:M2": "m²", "unit:M3": "m³", "unit:HA": "ha", "unit:KiloW": "kW", "unit:MegaW": "MW", "unit:GigaW": "GW",
    "unit:KiloW-HR": "kWh", "unit:YR": "years", "unit:MicroGM-PER-M3": "μg/m³",
}
UNIT_SYMBOLS: dict[str, str] = {
    "unit:PERCENT": "%", "pol:PercentagePoint": "个百分点", "cur:CNY": "元", "cur:USD": "美元",
    "cur:EUR": "欧元", "cur:HKD": "港元", "pol:Mu": "亩", "pol:TEU": "标箱", "pol:PetaFLOPS": "PFlops",
    "pol:Rank": "位", "unit:NUM": "个", "unit:TONNE": "吨", "unit:KiloM": "公里", "unit:KiloM2": "平方公里",
    "unit:M2": "平方米", "unit:M3": "立方米", "unit:HA": "公顷", "unit:KiloW": "千瓦", "unit:MegaW": "兆瓦",
    "unit:GigaW": "吉瓦", "unit:KiloW-HR": "千瓦时", "unit:YR": "年", "unit:MicroGM-PER-M3": "微克/立方米",
}

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_IRI_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_CHUNK = 400
_PREFIX_HEADER = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items()))
PREFIX_HEADER = _PREFIX_HEADER  # the PREFIX lines every query of this module is written with


# --- terms ---------------------------------------------------------------------------------


def is_iri(text: str) -> bool:
    """Whether a string can be written as ``<text>`` in SPARQL (absolute, no forbidden characters)."""
    return bool(_IRI_SCHEME.match(text)) and not _IRI_FORBIDDEN.search(text)


def iri_term(text: str) -> str:
    """``<text>`` for SPARQL; InputError for anything that is not an absolute IRI."""
    if not is_iri(text):
        raise InputError(f"{text!r} is not an IRI; give an absolute IRI such as {DATA_NS}report/…")
    return f"<{text}>"


def string_term(text: str) -> str:
    """A SPARQL string literal for any text (escaped, on one line)."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def expand_name(text: str) -> str:
    """The IRI for a prefixed name such as ``pol:Target``; other text unchanged."""
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return text


def local_name(iri: str) -> str:
    """The part after the last ``#`` or ``/``."""
    return re.split(r"[#/]", iri)[-1]


def primary_class(classes: Iterable[str]) -> str:
    """The most telling pol: class local name of a node (CLASS_ORDER), or "" for none."""
    names = {local_name(c) for c in classes if c.startswith(POL_NS)}
    for name in CLASS_ORDER:
        if name in names:
            return name
    return min(names) if names else ""


def unit_symbol(unit_iri: str, *, lang: str = "zh") -> str:
    """How a unit is written in Chinese text (``%``, ``元``) or, with lang="en", in English (``yuan``), else its
    prefixed name."""
    name = prefixed_name(unit_iri)
    return (UNIT_NAMES_EN if lang == "en" else UNIT_SYMBOLS).get(name, name)


# The explorer's own queries take the one guarded path too (a sandboxed worker, its limits); they are
# built here from escaped terms, so the parse that checks user-typed text is skipped (check=False).
EXPLORER_LIMITS = QueryLimits(timeout_s=30.0, max_rows=None, max_query_chars=4 * 1024 * 1024, check=False)


def _select(store: LocalStore, query: str) -> SelectResult:
    run = run_query(store, _PREFIX_HEADER + query, EXPLORER_LIMITS)
    return SelectResult(run.variables, run.rows)


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _iris(values: Iterable[object]) -> list[str]:
    return sorted({str(v) for v in values if isinstance(v, URIRef) and is_iri(str(v))})


# --- labels ----------------------------------------------------------------------------------


def labels(store: LocalStore, iris: Iterable[object], *, lang: str = "zh") -> dict[str, str]:
    """A label for each IRI in the reader's language (then zh-Hans, then any), else its prefixed name.

    In English: the @en label, else the name's pinyin marked as such (``Xiahang Chuangxin Yanfa Jidi (pinyin)``),
    else the Chinese. Pinyin is never chosen for a Chinese reader.

    The labels the store's writer recorded are read first (``recorded_labels``); the store is asked for the rest.
    """
    wanted = _iris(URIRef(str(i)) for i in iris)
    found = recorded_labels(store, wanted, lang=lang)
    rest = [i for i in wanted if i not in found]
    return {**found, **labels_with(lambda query: _select(store, query), rest, lang=lang)} if rest else found


def recorded_labels(store: LocalStore, iris: Sequence[str], *, lang: str = "zh") -> dict[str, str]:
    """The labels of these IRIs that a local store's writer recorded with its current generation, for the browse
    view (``search.update_browse``: every entity the browse view lists, every report and its region, in the
    readers' languages), chosen by the same rule over the same store; IRIs it did not record are left out.

    A page that names the 950 regions of its reports reads them in a few milliseconds; asking the store took 0.15 s
    at ten million quads. {} for a remote store or a generation without the tables."""
    root = getattr(store, "local_root", None)
    if root is None or lang not in BROWSE_LANGS or not iris or not hasattr(store, "generation"):
        return {}
    generation = store.generation()
    db = open_browse(Path(root) / GENERATIONS / generation) if generation else None
    if db is None:
        return {}
    found: dict[str, str] = {}
    try:
        for chunk in _chunks(list(iris), 500):
            marks = ",".join("?" * len(chunk))
            found.update(db.execute(f"SELECT iri, label FROM browse_label WHERE lang = ? AND iri IN ({marks})",
                                    [lang, *chunk]))
    except sqlite3.Error:  # gone since (an old generation removed): the store is asked
        return {}
    finally:
        db.close()
    return found


def labels_with(select: Callable[[str], SelectResult], iris: Iterable[object], *, lang: str = "zh") -> dict[str, str]:
    """``labels`` through any ``select`` (a query without its PREFIX lines → its rows): a build reads the generation it
    is writing directly."""
    wanted = _iris(URIRef(str(i)) for i in iris)
    best: dict[str, tuple[int, int, str]] = {}
    for chunk in _chunks(wanted):
        rows = select(
            # one VALUES of (subject, predicate) pairs: Oxigraph then looks each pair up in its index
            # (two separate VALUES blocks made it scan: 2.9 s against 0.02 s for 400 IRIs at a million quads)
            "SELECT ?s ?p ?l WHERE { VALUES (?s ?p) { "
            + " ".join(f"(<{s}> <{p}>)" for s in chunk for p in LABEL_PREDICATES)
            + " } ?s ?p ?l FILTER(isLiteral(?l)) }",
        ).rows
        for s, p, label in rows:
            key = label_key(str(p), str(label), (getattr(label, "language", None) or "").lower(), lang)
            if key is not None and (str(s) not in best or key < best[str(s)]):
                best[str(s)] = key
    return {i: best[i][2] if i in best else prefixed_name(i) for i in wanted}


def label_of(store: LocalStore, iri: str, *, lang: str = "zh") -> str:
    """One IRI's label (see labels)."""
    return labels(store, [URIRef(iri)], lang=lang).get(iri, prefixed_name(iri))


def classes_of(store: LocalStore, iris: Iterable[object]) -> dict[str, list[str]]:
    """The rdf:type IRIs of each IRI, sorted; one query per 400 IRIs."""
    wanted = _iris(URIRef(str(i)) for i in iris)
    found: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(wanted):
        for s, c in _select(store, f"SELECT DISTINCT ?s ?c WHERE {{ VALUES ?s {{ {_values(chunk)} }} ?s a ?c }}").rows:
            found[str(s)].add(str(c))
    return {i: sorted(found.get(i, ())) for i in wanted}


# --- the entity page -------------------------------------------------------------------------


@dataclass(frozen=True)
class EntitySummary:
    """What is said about an IRI in brief: its labels by language and its classes."""

    iri: str
    labels: dict[str, list[str]]
    alt_labels: list[str]
    classes: list[str]


@dataclass(frozen=True)
class FactGroup:
    """All values of one property of an entity; ``inverse`` for links that point at the entity."""

    property: str
    inverse: bool
    values: list[Node]


_escape_html = html.escape


@dataclass(frozen=True)
class Source:
    """One stretch of a report an entity was read from, with its sentence."""

    report: str
    span: str
    begin: int
    end: int
    anchor: str
    sentence: str
    sentence_begin: int

    @property
    def html(self) -> str:
        """The sentence, escaped, with the span wrapped in ``<mark>``."""
        return self.marked()

    def marked(self, *, escape: Callable[[str], str] = _escape_html) -> str:
        """The sentence with the span wrapped in ``<mark>``, each part passed through ``escape``."""
        return highlight(self.sentence, self.begin - self.sentence_begin, self.end - self.sentence_begin, escape=escape)


def highlight(text: str, begin: int, end: int, *, escape: Callable[[str], str] = html.escape) -> str:
    """Escape a text and wrap ``text[begin:end]`` in ``<mark>`` (offsets clamped to the text)."""
    begin = max(0, min(begin, len(text)))
    end = max(begin, min(end, len(text)))
    return escape(text[:begin]) + "<mark>" + escape(text[begin:end]) + "</mark>" + escape(text[end:])


def entity_exists(store: LocalStore, iri: str) -> bool:
    """Whether the store says anything about an IRI (as subject or object)."""
    term = iri_term(iri)
    return bool(run_query(store, f"ASK {{ {{ {term} ?p ?o }} UNION {{ ?s ?p {term} }} }}", EXPLORER_LIMITS).boolean)


def entity_summary(store: LocalStore, iri: str) -> EntitySummary | None:
    """Labels (zh-Hans, zh-Hant, en, …) and classes of an IRI; None when the store knows nothing of it."""
    if not entity_exists(store, iri):
        return None
    term = iri_term(iri)
    rows = _select(
        store,
        f"SELECT DISTINCT ?p ?l WHERE {{ VALUES ?p {{ skos:prefLabel rdfs:label skos:altLabel }} {term} ?p ?l }}",
    ).rows
    by_lang: dict[str, set[str]] = defaultdict(set)
    alts: set[str] = set()
    for p, label in rows:
        tag = getattr(label, "language", None) or ""
        if str(p) == SKOS_ALT and tag.lower() != PINYIN_TAG:  # the pinyin altLabel is the name, romanised
            alts.add(str(label))
            continue
        canonical = next((t for t in LABEL_LANGUAGES if t.lower() == tag.lower()), tag)
        by_lang[canonical].add(str(label))
    return EntitySummary(
        iri=iri,
        labels={lang: sorted(values) for lang, values in sorted(by_lang.items())},
        alt_labels=sorted(alts),
        classes=classes_of(store, [URIRef(iri)])[iri],
    )


_FIRST_PROPERTIES = (RDF_TYPE, SKOS_PREF, RDFS_LABEL, SKOS_ALT)


def _property_key(group: FactGroup) -> tuple[int, int, str]:
    first = _FIRST_PROPERTIES.index(group.property) if group.property in _FIRST_PROPERTIES else len(_FIRST_PROPERTIES)
    return (int(group.inverse), first, prefixed_name(group.property))


def natural_key(text: str) -> tuple:
    """Sort key that puts pillar/2 before pillar/10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def _value_key(value: Node) -> tuple:
    return (0 if isinstance(value, URIRef) else 1, natural_key(str(value)), getattr(value, "language", None) or "")


def entity_facts(store: LocalStore, iri: str) -> list[FactGroup]:
    """Every triple about an IRI grouped by property: its own values first, then the links to it."""
    term = iri_term(iri)
    rows = _select(
        store,
        f"SELECT DISTINCT ?p ?o ?inverse WHERE {{ {{ {term} ?p ?o BIND(false AS ?inverse) }} "
        f"UNION {{ ?o ?p {term} BIND(true AS ?inverse) }} }}",
    ).rows
    groups: dict[tuple[str, bool], list[Node]] = defaultdict(list)
    for p, o, inverse in rows:
        groups[(str(p), str(inverse) == "true")].append(o)
    result = [FactGroup(p, inv, sorted(vals, key=_value_key)) for (p, inv), vals in groups.items()]
    return sorted(result, key=_property_key)


def report_texts(store: LocalStore, contexts: Iterable[str]) -> dict[str, str]:
    """The normalized text of each nif:Context."""
    wanted = sorted({c for c in contexts if is_iri(c)})
    texts: dict[str, str] = {}
    for chunk in _chunks(wanted):
        for ctx, text in _select(
            store, f"SELECT ?c ?t WHERE {{ VALUES ?c {{ {_values(chunk)} }} ?c nif:isString ?t }}"
        ).rows:
            texts[str(ctx)] = str(text)
    return texts


def entity_sources(store: LocalStore, iri: str, *, limit: int = 200) -> list[Source]:
    """Each stretch of text an IRI was read from, in report and text order, with its sentence."""
    term = iri_term(iri)
    rows = _select(
        store,
        f"SELECT DISTINCT ?report ?span ?b ?e ?ctx WHERE {{ GRAPH ?report {{ {term} prov:wasDerivedFrom ?span }} "
        f"?span nif:beginIndex ?b ; nif:endIndex ?e ; nif:referenceContext ?ctx }}",
    ).rows
    found = ((str(r), str(s), int(b), int(e), str(c)) for r, s, b, e, c in rows)
    spans = sorted(found, key=lambda x: (x[0], x[2], x[3], x[1]))[:limit]
    texts = report_texts(store, (s[4] for s in spans))
    sources = []
    for report, span_iri, begin, end, ctx in spans:
        text = texts.get(ctx, "")
        if not 0 <= begin <= end <= len(text):
            continue
        sentence = sentence_around(text, Span(begin, end))
        lo, hi = min(sentence.begin, begin), max(sentence.end, end)
        sources.append(Source(report, span_iri, begin, end, text[begin:end], text[lo:hi], lo))
    return sources


# --- neighbourhoods --------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphNode:
    iri: str
    label: str
    cls: str  # primary class local name ("" when untyped)
    level: int  # hops from the focus
    sentence: str = ""  # the first sentence it was read from


@dataclass(frozen=True)
class GraphEdge:
    source: str
    target: str
    property: str


@dataclass
class Neighbourhood:
    """The nodes within ``depth`` links of a focus, capped, with what the cap left out."""

    focus: str
    depth: int
    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[GraphEdge] = field(default_factory=list)
    found: int = 0
    left_out: dict[str, int] = field(default_factory=dict)  # class local name -> nodes not shown


def _links(store: LocalStore, iris: Sequence[str]) -> list[tuple[str, str, str]]:
    """(subject, property, object) for every thing-to-thing link touching the given IRIs."""
    links: set[tuple[str, str, str]] = set()
    for chunk in _chunks(sorted(iris)):
        rows = _select(
            store,
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?n {{ {_values(chunk)} }} "
            f"{{ ?n ?p ?o BIND(?n AS ?s) }} UNION {{ ?s ?p ?n BIND(?n AS ?o) }} "
            f"FILTER(isIRI(?s) && isIRI(?o) && STRSTARTS(STR(?s), \"{DATA_NS}\") && STRSTARTS(STR(?o), \"{DATA_NS}\")) "
            f"FILTER(?p NOT IN ({', '.join(f'<{p}>' for p in TEXT_PREDICATES)})) }}",
        ).rows
        links.update((str(s), str(p), str(o)) for s, p, o in rows)
    return sorted(links)


def first_sentences(store: LocalStore, iris: Iterable[str]) -> dict[str, str]:
    """The first sentence (in report and text order) each IRI was read from."""
    wanted = sorted({i for i in iris if is_iri(i)})
    spans: dict[str, tuple[str, int, int]] = {}
    for chunk in _chunks(wanted):
        rows = _select(
            store,
            f"SELECT ?s ?ctx ?b ?e WHERE {{ VALUES ?s {{ {_values(chunk)} }} ?s prov:wasDerivedFrom ?span . "
            f"?span nif:referenceContext ?ctx ; nif:beginIndex ?b ; nif:endIndex ?e }}",
        ).rows
        for s, ctx, b, e in rows:
            key = (str(ctx), int(b), int(e))
            if str(s) not in spans or key < spans[str(s)]:
                spans[str(s)] = key
    texts = report_texts(store, (v[0] for v in spans.values()))
    result = {}
    for iri, (ctx, begin, end) in sorted(spans.items()):
        text = texts.get(ctx, "")
        if 0 <= begin <= end <= len(text):
            result[iri] = sentence_around(text, Span(begin, end)).of(text)
    return result


def neighbourhood(store: LocalStore, focus: str, *, depth: int = 1, cap: int = 300, lang: str = "zh") -> Neighbourhood:
    """Everything within ``depth`` (1–2) links of a focus IRI, at most ``cap`` nodes, the most telling kept.

    Nearer nodes come first; among equally near ones, those reached through a node with fewer links
    (a pillar's measures before a region's hundreds of figures), then by class (CLASS_ORDER), then by IRI.
    """
    iri_term(focus)
    if depth not in (1, 2):
        raise InputError(f"depth {depth} is not offered; choose 1 or 2")
    level: dict[str, int] = {focus: 0}
    fan_in: dict[str, int] = {focus: 0}  # links of the busiest-avoiding parent that reached a node
    links: set[tuple[str, str, str]] = set()
    frontier = [focus]
    for hop in range(1, depth + 1):
        found = _links(store, frontier)
        links.update(found)
        degree: dict[str, int] = defaultdict(int)
        for s, _, o in found:
            degree[s] += 1
            degree[o] += 1
        reached: dict[str, int] = {}
        for s, _, o in found:
            for parent, child in ((s, o), (o, s)):
                if parent in frontier and child not in level:
                    reached[child] = min(reached.get(child, degree[parent]), degree[parent])
        frontier = sorted(reached)
        for iri in frontier:
            level[iri] = hop
            fan_in[iri] = reached[iri]
    classes = classes_of(store, [URIRef(i) for i in level])
    primary = {i: primary_class(classes.get(i, ())) for i in level}

    def rank(iri: str) -> tuple[int, int, int, str]:
        cls = primary[iri]
        order = CLASS_ORDER.index(cls) if cls in CLASS_ORDER else len(CLASS_ORDER)
        return (level[iri], fan_in[iri], order, iri)

    ordered = sorted(level, key=rank)
    kept, dropped = ordered[:cap], ordered[cap:]
    left_out: dict[str, int] = defaultdict(int)
    for iri in dropped:
        left_out[primary[iri] or "?"] += 1
    kept_set = set(kept)
    names = labels(store, [URIRef(i) for i in kept], lang=lang)
    sentences = first_sentences(store, kept)
    nodes = [GraphNode(i, names.get(i, prefixed_name(i)), primary[i], level[i], sentences.get(i, "")) for i in kept]
    edges = [GraphEdge(s, o, p) for s, p, o in sorted(links) if s in kept_set and o in kept_set and s != o]
    return Neighbourhood(focus, depth, nodes, edges, len(level), dict(sorted(left_out.items())))


# --- search ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    iri: str
    label: str
    cls: str
    score: float


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc  # noqa: PLC0415 - only search needs it

    return opencc.OpenCC("t2s")


def normalize_query(text: str) -> str:
    """A search text as labels are stored: simplified characters, single spaces, lowercase Latin letters."""
    text = " ".join(text.split())
    if not text:
        return ""
    return _to_simplified().convert(text).lower()


def query_words(text: str) -> list[str]:
    """The words of a search text (jieba's search mode), each once, longest first; single characters dropped."""
    import jieba  # noqa: PLC0415 - heavy, only search needs it

    jieba.setLogLevel(60)
    words = {w.strip() for part in text.split() for w in jieba.lcut_for_search(part)}
    words = {w for w in words if len(w) >= 2 or (w.isascii() and w.isalnum())}
    return sorted(words, key=lambda w: (-len(w), w))


def _score(label: str, query: str, words: Sequence[str]) -> float:
    folded = label.lower()
    compact = query.replace(" ", "")
    if folded == query or folded == compact:
        return 100.0
    if query.isascii() and re.search(rf"(?<![a-z0-9]){re.escape(query)}(?![a-z0-9])", folded):
        # Latin words found whole (fujian in "Fujian Province") before a longer word that starts alike (Fujiansheng)
        return _latin_score(folded, query)
    if folded.startswith(compact):
        return 90.0 - min(len(folded) - len(compact), 30) / 3
    if compact and compact in folded:
        return 70.0 - min(len(folded) - len(compact), 30) / 3
    if not words:
        return 0.0
    covered = sum(len(w) for w in words if w in folded)
    return 50.0 * covered / sum(len(w) for w in words)


def _latin_score(folded: str, query: str) -> float:
    """A label holding the Latin query as whole words: ahead of labels holding it inside a longer word."""
    extra = min(len(folded) - len(query), 30) / 3
    return (95.0 if folded.startswith(query) else 75.0) - extra


def search(store: LocalStore, text: str, *, limit: int = 30, lang: str = "zh") -> list[SearchHit]:
    """Things whose labels hold the search text, or its words (jieba), best first; IRIs and pol:names work too.

    Every label is searched: Chinese, English (GDP, Fujian) and the pinyin altLabels (Xiahang)."""
    query = normalize_query(text)
    if not query:
        return []
    expanded = expand_name(text.strip())
    if is_iri(expanded) and expanded.startswith(("http://", "https://")):
        if entity_exists(store, expanded):
            summary_label = label_of(store, expanded, lang=lang)
            cls = primary_class(classes_of(store, [URIRef(expanded)])[expanded])
            return [SearchHit(expanded, summary_label, cls, 100.0)]
        return []
    words = query_words(query)
    needles = sorted({query.replace(" ", ""), *words}, key=lambda w: (-len(w), w))[:12]
    best = _best_labelled(store, query, words, needles, max(limit * 3, limit))
    top = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[: max(limit * 3, limit)]
    names = labels(store, [URIRef(i) for i, _ in top], lang=lang)
    classes = classes_of(store, [URIRef(i) for i, _ in top])
    hits = [SearchHit(i, names[i], primary_class(classes[i]), score) for i, score in top]
    return sorted(hits, key=lambda h: (-h.score, len(h.label), h.label, h.iri))[:limit]


class LabelTexts:
    """The store's distinct label literals (skos:prefLabel, skos:altLabel, rdfs:label), held compactly: each text
    and its lowercase form joined into one string apiece, with where each starts, so a substring is found by
    ``str.find`` over a few megabytes instead of a scan of every label triple in the store.

    The benchmark's ten-million-quad store holds 10,161 distinct labels, read in 0.8–1.3 s once per build; a search
    that read every label triple with CONTAINS took 2.5–7 s, each time. Lowercase is Python's ``str.lower``, as
    SPARQL's LCASE was.
    """

    SEPARATOR = "\x00"

    def __init__(self, literals: Iterable[tuple[str, str]]) -> None:
        texts: list[str] = []
        folded: list[str] = []
        suffixes: dict[str, int] = {}
        codes = array("I")
        for text, suffix in literals:
            texts.append(text)
            folded.append(text.lower())
            codes.append(suffixes.setdefault(suffix, len(suffixes)))
        self._texts, self._text_starts = self._joined(texts)
        self._folded, self._folded_starts = self._joined(folded)
        self._suffixes = list(suffixes)  # "@zh-hans", "" or "^^<datatype>": how each literal is written back
        self._codes = codes

    def __len__(self) -> int:
        return len(self._codes)

    def _joined(self, items: list[str]) -> tuple[str, array]:
        starts, at = array("q"), 0
        for item in items:
            starts.append(at)
            at += len(item) + 1
        starts.append(at)
        return self.SEPARATOR.join(items) + self.SEPARATOR, starts

    def text(self, i: int) -> str:
        return self._texts[self._text_starts[i] : self._text_starts[i + 1] - 1]

    def language(self, i: int) -> str:
        suffix = self._suffixes[self._codes[i]]
        return suffix[1:] if suffix.startswith("@") else ""

    def term(self, i: int) -> str:
        """The label as a SPARQL literal, escaped."""
        return string_term(self.text(i)) + self._suffixes[self._codes[i]]

    def holding(self, needles: Iterable[str]) -> list[int]:
        """The labels whose lowercase form holds any of the needles (lowercase), in order."""
        found: set[int] = set()
        haystack, starts = self._folded, self._folded_starts
        for needle in needles:
            if not needle or self.SEPARATOR in needle:
                continue
            at = haystack.find(needle)
            while at >= 0:
                i = bisect.bisect_right(starts, at) - 1
                found.add(i)
                at = haystack.find(needle, starts[i + 1])  # the next label: one match is enough
        return sorted(found)


_LABEL_TEXTS: dict[tuple, LabelTexts] = {}
_LABEL_TEXTS_LOCK = threading.Lock()  # the app searches from several threads
_LABEL_READ_LOCK = threading.Lock()  # one read of the labels at a time: a search waits for the read under way


def label_texts(store: LocalStore) -> LabelTexts | None:
    """The distinct labels of a local store's build, read once per build (the app's searches share them); None for
    any other store (a SPARQL endpoint searches its own labels)."""
    key = _build_key(store)
    if key is None:
        return None
    with _LABEL_TEXTS_LOCK:
        if key in _LABEL_TEXTS:
            return _LABEL_TEXTS[key]
    with _LABEL_READ_LOCK:  # a search that comes while the app's preload reads them waits for that read
        with _LABEL_TEXTS_LOCK:
            if key in _LABEL_TEXTS:
                return _LABEL_TEXTS[key]
        rows = _select(
            store,
            f"SELECT DISTINCT ?l WHERE {{ VALUES ?p {{ {_values(NAME_PREDICATES)} }} ?s ?p ?l FILTER(isLiteral(?l)) }}",
        ).rows
        suffixed = ((str(label), _literal_suffix(label)) for (label,) in rows)
        texts = LabelTexts(sorted((text, suffix) for text, suffix in suffixed if suffix is not None))
        with _LABEL_TEXTS_LOCK:
            while len(_LABEL_TEXTS) >= 2:  # the current build's, and the one a reader may still be on
                _LABEL_TEXTS.pop(next(iter(_LABEL_TEXTS)))
            _LABEL_TEXTS[key] = texts
    return texts


def _literal_suffix(literal: object) -> str | None:
    """What follows a literal's quoted text in SPARQL: its language tag, its datatype, or nothing; None for a
    literal that cannot be written back (a datatype that is not an IRI)."""
    language = getattr(literal, "language", None)
    if language:
        return "@" + str(language).lower() if re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", str(language)) else None
    datatype = getattr(literal, "datatype", None)
    if datatype is None or str(datatype) == XSD_STRING:
        return ""
    return f"^^<{datatype}>" if is_iri(str(datatype)) else None


def _build_key(store: LocalStore) -> tuple | None:
    """What names one build of a local store for a cache: its folder, generation and that generation's inode and
    time (a store removed and built again reuses generation names); None for any other store."""
    root = getattr(store, "local_root", None)
    if root is None or not hasattr(store, "generation"):
        return None
    generation = store.generation()
    if not generation:
        return None
    try:
        stat = (Path(root) / GENERATIONS / generation).stat()
    except OSError:
        return None
    return (str(Path(root).resolve()), generation, stat.st_ino, stat.st_mtime_ns)


def _best_labelled(store: LocalStore, query: str, words: Sequence[str], needles: Sequence[str],
                   wanted: int) -> dict[str, float]:
    """Things of this store's data with a label holding a needle → their best label's score: at least the
    ``wanted`` best, and every thing that scores as well as the last of them.

    The labels are scored first and their things looked up by label, best labels first, one score at a time, until
    ``wanted`` things are found: a thing first met at some score has no better label, and every thing not met
    scores lower than all those met.
    """
    texts = label_texts(store)
    if texts is None:  # a SPARQL endpoint: it searches its own labels (all of them read here would cross the
        return _scanned_labels(store, query, words, needles)  # network at every search)
    scored: dict[float, list[int]] = defaultdict(list)
    for i in texts.holding(needles):
        score = _label_score(texts.text(i), texts.language(i), query, words)
        if score > 0:
            scored[score].append(i)
    best: dict[str, float] = {}
    batch: list[tuple[int, float]] = []
    levels = sorted(scored, reverse=True)
    enough = 8  # labels a query: few at first (a label can name thousands of things), more as fewer are found
    for n, score in enumerate(levels):
        batch += [(i, score) for i in scored[score]]
        if len(batch) < enough and n + 1 < len(levels):
            continue  # a few scores a query, each whole
        enough = min(enough * 4, _CHUNK)
        for part in _chunks(batch):
            # (predicate, label) pairs bound together: the store looks each up in its index (with the predicates
            # in a VALUES of their own it read every label triple: 0.3 s at a million quads)
            rows = " ".join(f"(<{p}> {texts.term(i)} {k})" for k, (i, _) in enumerate(part) for p in NAME_PREDICATES)
            for s, k in _select(
                store,
                f"SELECT DISTINCT ?s ?k WHERE {{ VALUES (?p ?l ?k) {{ {rows} }} ?s ?p ?l "
                f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {string_term(DATA_NS)})) }}",
            ).rows:
                found = part[int(k)][1]
                if found > best.get(str(s), 0.0):
                    best[str(s)] = found
        batch = []
        if len(best) >= wanted:
            break
    return best


def _scanned_labels(store: LocalStore, query: str, words: Sequence[str], needles: Sequence[str]) -> dict[str, float]:
    """``_best_labelled`` by a scan of every label triple of the store, with CONTAINS, in one query."""
    condition = " || ".join(f"CONTAINS(LCASE(STR(?l)), {string_term(n)})" for n in needles)
    rows = _select(
        store,
        f"SELECT DISTINCT ?s ?l WHERE {{ VALUES ?p {{ {_values(NAME_PREDICATES)} }} ?s ?p ?l "
        f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {string_term(DATA_NS)})) FILTER({condition}) }}",
    ).rows
    best: dict[str, float] = {}
    for s, label in rows:
        score = _label_score(str(label), (getattr(label, "language", None) or "").lower(), query, words)
        if score > 0 and score > best.get(str(s), 0.0):
            best[str(s)] = score
    return best


def _label_score(text: str, language: str, query: str, words: Sequence[str]) -> float:
    """How well a label (its text and lowercase language tag) answers the search; 0 or less: not at all."""
    score = _score(text, query, words)
    return score - 5.0 if language == PINYIN_TAG else score  # a romanisation after a name (Huli District first)


# --- overview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    iri: str
    title: str
    region: str
    region_iri: str
    plan_year: int | None
    counts: dict[str, int]  # sections, pillars, measures, entities, figures
    level: str = ""  # the region's administrative level, a pol: local name (ProvincialLevel …); "" when unknown


REPORT_COUNTS = ("Section", "Pillar", "Measure", "QuantifiedStatement", *ENTITY_CLASSES)


def reports(store: LocalStore) -> list[ReportRow]:
    """Every report with its region, plan year and how many sections, pillars, measures, entities and figures it holds.

    Read from the rows the build recorded in the generation (``kg_build.stats.recorded_stats``) when it has them — a
    reader then reads no graph, however many reports the store holds — else counted through the store's queries.
    """
    info = store.info() if hasattr(store, "info") else {}
    recorded = (info.get("stats") or {}).get("report_rows") if isinstance(info, dict) else None
    if recorded is not None:
        return sorted((ReportRow(**row) for row in recorded), key=lambda r: (r.region, r.plan_year or 0, r.iri))
    return report_rows(lambda query: _select(store, query))


def report_rows(select: Callable[[str], SelectResult], graphs: Sequence[str] | None = None) -> list[ReportRow]:
    """``reports`` through any ``select`` (a query without its PREFIX lines → its rows), of every report or only of
    the report ``graphs`` given (a build records the rows of the graphs it changed)."""
    if graphs is not None:
        wanted = sorted(g for g in graphs if is_iri(g))
        rows = [row for chunk in _chunks(wanted) for row in _report_rows(select, chunk)]
        return sorted(rows, key=lambda r: (r.region, r.plan_year or 0, r.iri))
    return _report_rows(select, None)


def _report_rows(select: Callable[[str], SelectResult], chunk: Sequence[str] | None) -> list[ReportRow]:
    reports_in = "" if chunk is None else f"VALUES ?r {{ {_values(chunk)} }} "
    graphs_in = "" if chunk is None else f"VALUES ?g {{ {_values(chunk)} }} "
    meta = select(
        "SELECT ?r (SAMPLE(?t) AS ?title) (SAMPLE(?reg) AS ?region) (SAMPLE(?y) AS ?year) (SAMPLE(?lv) AS ?level) "
        f"WHERE {{ {reports_in}?r a pol:WorkReport . OPTIONAL {{ ?r skos:prefLabel ?t FILTER(LANGMATCHES(LANG(?t), 'zh-Hans')) }} "
        "OPTIONAL { ?r pol:region ?reg OPTIONAL { ?reg pol:adminLevel ?lv } } OPTIONAL { ?r pol:planYear ?y } } "
        "GROUP BY ?r",
    ).rows
    # the counted classes named in VALUES (an index lookup each), not every type filtered by its IRI's text
    # (0.09 s against 0.6 s at a million quads); a triple is once in its graph, so COUNT(*) counts instances
    counts = select(
        f"SELECT ?g ?c (COUNT(*) AS ?n) WHERE {{ {graphs_in}VALUES ?c {{ "
        + " ".join(f"pol:{c}" for c in REPORT_COUNTS)
        + " } GRAPH ?g { ?s a ?c } } GROUP BY ?g ?c",
    ).rows
    per_graph: dict[str, dict[str, int]] = defaultdict(dict)
    for g, c, n in counts:
        per_graph[str(g)][local_name(str(c))] = int(n)
    regions = labels_with(select, [r[2] for r in meta if r[2] is not None])
    rows = []
    for r, title, region, year, level in meta:
        c = per_graph.get(str(r), {})
        year_value = int(str(year)[:4]) if year is not None and str(year)[:4].isdigit() else None
        rows.append(
            ReportRow(
                iri=str(r),
                title=str(title) if title is not None else local_name(str(r)),
                region=regions.get(str(region), "") if region is not None else "",
                region_iri=str(region) if region is not None else "",
                plan_year=year_value,
                counts={
                    "sections": c.get("Section", 0),
                    "pillars": c.get("Pillar", 0),
                    "measures": c.get("Measure", 0),
                    "entities": sum(c.get(k, 0) for k in ENTITY_CLASSES),
                    "figures": c.get("QuantifiedStatement", 0),
                },
                level=local_name(str(level)) if level is not None else "",
            )
        )
    return sorted(rows, key=lambda r: (r.region, r.plan_year or 0, r.iri))


def chosen_reports(rows: Iterable[ReportRow], *, regions: Iterable[str] = (), years: Iterable[int] = (),
                   levels: Iterable[str] = ()) -> list[str]:
    """The IRIs of the reports of the given regions (labels), plan years and levels (pol: local names); nothing
    given for one of them: all of it."""
    regions, years, levels = set(regions), set(years), set(levels)
    return [r.iri for r in rows if (not regions or r.region in regions) and (not years or r.plan_year in years)
            and (not levels or r.level in levels)]


@dataclass(frozen=True)
class PillarRow:
    report: str
    iri: str
    label: str
    section: int
    ordinal: int


def pillars(store: LocalStore, report: str | None = None) -> list[PillarRow]:
    """Every pillar of every report, or of the one ``report`` (its graph alone: a store of a thousand reports holds
    sixty thousand pillars), in report and document order."""
    graph = "?r" if report is None else iri_term(report)
    rows = _select(
        store,
        f"SELECT ?p ?l ?sn ?pn{' ?r' if report is None else ''} WHERE {{ GRAPH {graph} {{ ?sec pol:hasPillar ?p . "
        "?sec pol:ordinal ?sn . ?p pol:ordinal ?pn . "
        "OPTIONAL { ?p skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), 'zh-Hans')) } } }",
    ).rows
    result = []
    for row in rows:
        p, label, sn, pn = row[:4]
        result.append(PillarRow(str(row[4]) if report is None else report, str(p),
                                str(label) if label is not None else local_name(str(p)), int(sn), int(pn)))
    return sorted(result, key=lambda x: (x.report, x.section, x.ordinal, x.iri))


def pillar_report(store: LocalStore, iri: str) -> str | None:
    """The report whose plan holds the pillar ``iri``; None when ``iri`` is no pillar (or no IRI)."""
    if not is_iri(iri):
        return None
    rows = _select(store, f"SELECT ?r WHERE {{ GRAPH ?r {{ {iri_term(iri)} a pol:Pillar }} }} ORDER BY ?r LIMIT 1").rows
    return str(rows[0][0]) if rows else None


# --- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    """One stated number (a pol:Target or pol:Achievement) with what it counts, where and when."""

    statement: str
    kind: str  # Target | Achievement
    indicator: str
    indicator_iri: str
    value: Decimal
    upper: Decimal | None
    unit: str  # prefixed name, e.g. unit:PERCENT
    comparator: str  # local name, e.g. AtLeast
    modality: str  # Firm | Aspirational
    year: int | None
    region: str
    region_iri: str
    surface: str
    report: str
    unit_label: str = ""  # what a count counts (pol:unitLabel) in the reader's language: 人 / persons
    unit_label_zh: str = ""  # the same as written (人), whatever the reader's language: a key the URL can hold


def _decimal(term: Node | None) -> Decimal | None:
    if term is None:
        return None
    try:
        return Decimal(str(term))
    except InvalidOperation:
        return None


def _text(term: Node | None) -> str:
    return "" if term is None else str(term)


def figures(store: LocalStore, reports: Iterable[str] | None = None, *, lang: str = "zh") -> list[FigureRow]:
    """The targets and achievements of the given reports (default: every report), sorted by region, year, indicator.

    Regions and what a count counts (``unit_label``) are in the reader's language (``lang``: zh or en).

    Report by report: each report's graph is read on its own (a LATERAL join per report IRI), so a few
    reports cost a few reports' figures, not a scan of the store (0.17 s for 9 of 126 reports at a million quads,
    where joining VALUES ?report with GRAPH ?report took 1.8 s).
    """
    if reports is None:
        wanted = [str(r[0]) for r in _select(store, "SELECT DISTINCT ?r WHERE { ?r a pol:WorkReport }").rows]
    else:
        wanted = sorted({r for r in reports if is_iri(r)})
    rows = []
    for chunk in _chunks(sorted(wanted)):
        rows += _select(
            store,
            # all inside the report's graph: the union default graph repeats shared labels once per report
            f"SELECT ?st ?kind ?ind ?il ?v ?up ?unit ?cmp ?mod ?y ?area ?surface ?report ?ul ?ulen WHERE {{ "
            f"VALUES ?report {{ {_values(chunk)} }} "
            "LATERAL { SELECT ?report ?st ?kind ?ind ?il ?v ?up ?unit ?cmp ?mod ?y ?area ?surface ?ul ?ulen WHERE { "
            "GRAPH ?report { "
            "?st a ?kind . VALUES ?kind { pol:Target pol:Achievement } "
            "?st qudt:numericValue ?v . "  # a statement whose indicator could not be read has none
            "OPTIONAL { ?st pol:indicator ?ind OPTIONAL { ?ind skos:prefLabel ?il FILTER(LANGMATCHES(LANG(?il), 'zh-Hans')) } } "
            "OPTIONAL { ?st pol:upperBound ?up } OPTIONAL { ?st qudt:unit ?unit } "
            "OPTIONAL { ?st pol:comparator ?cmp } OPTIONAL { ?st pol:modality ?mod } "
            "OPTIONAL { ?st pol:refYear ?y } OPTIONAL { ?st pol:refArea ?area } "
            "OPTIONAL { ?st pol:surfaceForm ?surface } "
            "OPTIONAL { ?st pol:unitLabel ?ul FILTER(LANGMATCHES(LANG(?ul), 'zh-Hans')) } "
            # the English one only for an English reader (a second OPTIONAL costs 0.2 s on 9 reports of a million quads)
            + ("OPTIONAL { ?st pol:unitLabel ?ulen FILTER(LANGMATCHES(LANG(?ulen), 'en')) } " if lang == "en" else "")
            + "} } } }",
        ).rows
    regions = labels(store, [r[10] for r in rows if r[10] is not None], lang=lang)
    seen: set[tuple[str, str]] = set()
    result = []
    # a few dozen units, kinds and comparators among thousands of figures: each named once
    short, local = cache(prefixed_name), cache(local_name)
    for st, kind, ind, il, v, up, unit, cmp, mod, y, area, surface, report, unit_zh, unit_en in rows:
        if (str(st), str(kind)) in seen:
            continue
        seen.add((str(st), str(kind)))
        year = str(y)[:4] if y is not None else ""
        result.append(
            FigureRow(
                statement=str(st),
                kind=local(str(kind)),
                indicator=str(il) if il is not None else (local_name(str(ind)) if ind is not None else ""),
                indicator_iri=str(ind) if ind is not None else "",
                value=_decimal(v) or Decimal(0),
                upper=_decimal(up),
                unit=short(str(unit)) if unit is not None else "",
                comparator=local(str(cmp)) if cmp is not None else "",
                modality=local(str(mod)) if mod is not None else "",
                year=int(year) if year.isdigit() else None,
                region=regions.get(str(area), "") if area is not None else "",
                region_iri=str(area) if area is not None else "",
                surface=str(surface) if surface is not None else "",
                report=str(report),
                unit_label=_text(unit_en if lang == "en" else unit_zh),
                unit_label_zh=_text(unit_zh),
            )
        )
    return sorted(result, key=lambda f: (f.region, f.year or 0, f.indicator, f.statement))


# --- figures shown: units, comparators, filters in the URL, facet counts, chart marks -------------------------

# How a comparator shows beside a number on a chart and in a table (左右 ≈, 以上 ≥, 以下/以内 ≤ …); Equal: nothing.
COMPARATOR_SIGNS: dict[str, str] = {
    "Equal": "", "About": "≈", "AtLeast": "≥", "MoreThan": ">", "AtMost": "≤", "LessThan": "<", "Between": "–",
}


def unit_key(row: FigureRow) -> str:
    """What a figure is counted in, the same in either language (the URL's ``units=`` holds it): the counted noun
    as written (人, 家), else the unit's Chinese symbol (%, 元), else its prefixed name; "" for none."""
    if row.unit_label_zh:
        return row.unit_label_zh
    return unit_symbol(expand_name(row.unit)) if row.unit else ""


def unit_text(row: FigureRow, *, lang: str = "zh") -> str:
    """What a figure is counted in, for the reader: the counted noun (pol:unitLabel: 人 / persons) in their language,
    else the unit's symbol or English name (%, 元 / yuan)."""
    if row.unit_label:
        return row.unit_label
    return unit_symbol(expand_name(row.unit), lang=lang) if row.unit else ""


def axis_title(indicator: str, unit: str) -> str:
    """A chart axis title carrying the unit: ``城镇新增就业 (人)``; the indicator alone when there is no unit."""
    return f"{indicator} ({unit})" if unit else indicator


def _number_text(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def figure_text(row: FigureRow) -> str:
    """The figure as a short text with its comparator: ``≥8``, ``≈5``, ``4.5–5`` (a range), ``120``."""
    if row.comparator == "Between" and row.upper is not None:
        return f"{_number_text(row.value)}–{_number_text(row.upper)}"
    return f"{COMPARATOR_SIGNS.get(row.comparator, '')}{_number_text(row.value)}"


# The /figures filters as URL parameters (repeated for several values: ?regions=福建省&regions=浙江省).
FIGURE_FILTERS = ("regions", "plans", "levels", "years", "kinds", "units")
ALL = "all"  # ?plans=all: every plan year (no plans= at all: the latest, the default); ?reports=all: see below

# /figures reads the figures of the chosen reports, the first of them (by level, region and plan year) as far as
# they hold this many figures together, unless the reader asks for all of them (?reports=all): a store of many
# regions holds thousands of figures a year (8,886 in the latest year of the ten-million-quad benchmark).
FIRST_FIGURES = 2000
# The most /figures reads even when asked for every chosen report: 20,000 figures take about 2 s to read and 5 MB
# to send at ten million quads; every year of that store holds 600,000, which would stall the page and the
# browser. The research panel download holds every figure.
MAX_FIGURES = 20_000
LEVEL_ORDER = {"NationalLevel": 0, "ProvincialLevel": 1, "PrefecturalLevel": 2, "CountyLevel": 3}


def first_reports(rows: Iterable[ReportRow], chosen: Iterable[str], *, figures: int = FIRST_FIGURES) -> list[str]:
    """Of the ``chosen`` report IRIs, those /figures shows first: the nation's, then the provinces', prefectures' and
    counties' (each level by region, the latest plan year first), as many as hold ``figures`` figures together by the
    counts the build recorded (at least one report)."""
    wanted = set(chosen)
    ordered = sorted((r for r in rows if r.iri in wanted),
                     key=lambda r: (LEVEL_ORDER.get(r.level, 9), r.region, -(r.plan_year or 0), r.iri))
    first, held = [], 0
    for row in ordered:
        held += row.counts.get("figures", 0)
        if first and held > figures:
            break
        first.append(row.iri)
    return first


def figure_reports(rows: Iterable[ReportRow], chosen: Iterable[str]) -> tuple[str, ...]:
    """The reports /figures reads for those ``chosen``: all of them when they hold a few thousand figures together,
    else the first of them (``first_reports``)."""
    rows, chosen = list(rows), tuple(chosen)
    first = tuple(first_reports(rows, chosen))
    return chosen if len(first) == len(chosen) else first


def default_figure_reports(rows: Iterable[ReportRow]) -> tuple[str, ...]:
    """What /figures reads when it opens with no filter: the reports of the latest plan year (``figure_reports``)."""
    rows = list(rows)
    years = sorted({r.plan_year for r in rows if r.plan_year is not None})
    return figure_reports(rows, chosen_reports(rows, years=years[-1:]))


def _ints(values: Iterable[str]) -> tuple[int, ...]:
    return tuple(sorted({int(v) for v in values if v.strip().isdigit()}))


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v.strip()))


@dataclass(frozen=True)
class FigureFilters:
    """What /figures shows: the reports (regions, plan years, levels; ``every``: all of them, not only the first),
    the figures (years, kinds, units) and the indicator charted. Empty means every one; ``plans`` None means the
    default (the latest plan year)."""

    regions: tuple[str, ...] = ()
    plans: tuple[int, ...] | None = None
    levels: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    chart: str = ""
    every: bool = False  # the figures of every chosen report, not only the first ones (``first_reports``)

    @classmethod
    def from_params(cls, params: Callable[[str], list[str]]) -> FigureFilters:
        """From the URL: ``params(name)`` gives every value of a parameter (``st.query_params.get_all``).
        Values that cannot be years are dropped; the page drops those it has no option for."""
        plans = params("plans")
        chart = params("chart")
        return cls(
            regions=_texts(params("regions")),
            plans=None if not plans else () if ALL in plans else _ints(plans),
            levels=_texts(params("levels")),
            years=_ints(params("years")),
            kinds=_texts(params("kinds")),
            units=_texts(params("units")),
            chart=chart[-1].strip() if chart else "",
            every=ALL in params("reports"),
        )

    def params(self) -> dict[str, list[str]]:
        """The URL parameters that give these filters back (``from_params``); defaults are left out."""
        result: dict[str, list[str]] = {}
        for name in ("regions", "levels", "years", "kinds", "units"):
            values = getattr(self, name)
            if values:
                result[name] = [str(v) for v in values]
        if self.plans is not None:
            result["plans"] = [str(v) for v in self.plans] or [ALL]
        if self.chart:
            result["chart"] = [self.chart]
        if self.every:
            result["reports"] = [ALL]
        return result


def facet_counts(records: Sequence[dict[str, object]], chosen: dict[str, Iterable[object]],
                 facets: Iterable[str]) -> dict[str, dict[object, int]]:
    """Datasette's facet counts: for each facet, how many records hold each value among the records that every
    *other* facet's choice lets through (so a facet's own choice never hides its other options). A choice of
    nothing lets everything through."""
    chosen_sets = {name: set(values) for name, values in chosen.items() if values}
    facets = list(facets)
    counts: dict[str, dict[object, int]] = {name: defaultdict(int) for name in facets}
    for record in records:
        misses = [name for name, values in chosen_sets.items() if record.get(name) not in values]
        if len(misses) > 1:
            continue
        for name in facets:
            if not misses or misses == [name]:
                counts[name][record.get(name)] += 1
    return {name: dict(values) for name, values in counts.items()}


def matching(records: Sequence[dict[str, object]], chosen: dict[str, Iterable[object]]) -> list[int]:
    """The positions of the records every facet's choice lets through (a choice of nothing lets everything)."""
    chosen_sets = {name: set(values) for name, values in chosen.items() if values}
    return [i for i, record in enumerate(records) if all(record.get(n) in v for n, v in chosen_sets.items())]


@dataclass(frozen=True)
class ChartMark:
    """One figure on the /figures chart: a bar (value), or a band (a range, from ``low`` to ``high``), with the
    sign of its comparator (≈ 左右, ≥ 以上, ≤ 以下) drawn above it and named in its tooltip."""

    where: str  # the x position: region and year
    series: str  # Target 0, Target 1 …: side by side, never stacked
    kind: str
    low: float  # the value; a range's lower end
    high: float  # the value; a range's upper end
    band: bool
    sign: str
    comparator: str
    text: str  # the figure as written with its comparator: ≥8, 4.5–5
    region: str
    year: int | None
    surface: str


def chart_marks(rows: Sequence[FigureRow]) -> list[ChartMark]:
    """The chart's marks for the figures of one indicator and unit, in the rows' order: one per statement, side by
    side at its region and year; a range (pol:Between with an upper end) is a band."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    marks = []
    for row in rows:
        where = f"{row.region} {row.year if row.year is not None else ''}".strip()
        n = seen[(where, row.kind)]
        seen[(where, row.kind)] += 1
        band = row.comparator == "Between" and row.upper is not None
        marks.append(ChartMark(
            where=where, series=f"{row.kind} {n}", kind=row.kind, low=float(row.value),
            high=float(row.upper) if band else float(row.value), band=band,
            sign="" if band else COMPARATOR_SIGNS.get(row.comparator, ""), comparator=row.comparator,
            text=figure_text(row), region=row.region, year=row.year, surface=row.surface,
        ))
    return marks
