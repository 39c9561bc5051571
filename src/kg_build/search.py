"""Full-text search over every sentence of every report: an SQLite FTS5 index written into each generation.

The index is a file (``search.sqlite``) inside the generation directory, written by the store's writer
just before the generation's record, so it is published with the generation by the same ``rename`` and a
killed build leaves no half index behind. A build copies the previous generation, index included, and
re-indexes only the report graphs it replaced or dropped (incremental: a few reports cost a few reports).

Each sentence is indexed twice: as jieba's words (``words``: a whole-word hit ranks first) and as single
characters (``chars``: a word jieba split differently in the sentence is still found, and a quoted phrase
is an exact run of characters). Queries go through the same segmentation, after traditional characters
are made simplified (OpenCC), as the reports' text is. Beside each sentence: its report, region, plan year,
level, section kind, pillar and measure (the facets), and the entities and figures read from it.

Nothing here imports the store: the writer hands in anything with ``query(sparql)`` returning rows.
"""

from __future__ import annotations

import bisect
import html
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from kg_build.errors import InputError, StoreError

INDEX_FILE = "search.sqlite"
INDEX_VERSION = 1
FACETS: tuple[str, ...] = ("region", "year", "level", "kind", "report", "pillar")  # filterable, counted
MAX_QUERY_CHARS = 500
MAX_TERMS = 16
NEAR_WORDS = 4  # an unquoted term's words may lie this many words apart
POL = "https://w3id.org/policy-kg/def#"
_PREFIXES = (
    f"PREFIX pol: <{POL}>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>\n"
    "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
)
# The classes whose things are linked from a sentence (figures are Target / Achievement, the rest entities).
LINKED_CLASSES: tuple[str, ...] = (
    "Target", "Achievement", "Project", "Platform", "Initiative", "Company", "GovernmentBody", "Organization",
    "Place", "Event", "Honor",
)
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')


class Queryable(Protocol):
    def query(self, sparql: str) -> object: ...


# --- text → tokens (the same for sentences and queries) --------------------------------------


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc  # noqa: PLC0415 - only search needs it

    return opencc.OpenCC("t2s")


def simplify(text: str) -> str:
    """Simplified characters, single spaces, lowercase: how the index and its queries see text."""
    return _to_simplified().convert(" ".join(text.split())).lower()


def _clean(token: str) -> str:
    lowered = token.lower()
    return lowered if lowered.isalnum() else "".join(c for c in lowered if c.isalnum())


def words(text: str) -> list[str]:
    """jieba's words (precise mode) of a text, punctuation dropped, lowercase."""
    from kg_build.extract.segmenter import cut  # noqa: PLC0415 - the build's segmenter (rjieba), loaded when needed

    return [w for w in map(_clean, cut(text)) if w]


def chars(text: str) -> list[str]:
    """Each Chinese character a token; runs of Latin letters and digits one token each."""
    found: list[str] = []
    run = ""
    for c in text.lower():
        if c.isascii() and c.isalnum():
            run += c
            continue
        if run:
            found.append(run)
            run = ""
        if c.isalnum():
            found.append(c)
    if run:
        found.append(run)
    return found


def sentences(text: str) -> list[tuple[int, int]]:
    """(begin, end) of each sentence: up to a full stop, ！, ？, ；, or a line break; spaces trimmed."""
    spans = []
    for match in _SENTENCE.finditer(text):
        begin, end = match.start(), match.end()
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if any(c.isalnum() for c in text[begin:end]):
            spans.append((begin, end))
    return spans


# --- building the index ----------------------------------------------------------------------

_SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE sentence(
  id INTEGER PRIMARY KEY, report TEXT, report_title TEXT, region TEXT, region_label TEXT, year INTEGER,
  level TEXT, section TEXT, kind TEXT, pillar TEXT, pillar_label TEXT, measure TEXT, measure_label TEXT,
  begin INTEGER, end INTEGER, text TEXT);
CREATE INDEX sentence_report ON sentence(report);
CREATE TABLE link(sentence INTEGER, iri TEXT, cls TEXT, label TEXT, begin INTEGER, end INTEGER);
CREATE INDEX link_sentence ON link(sentence);
CREATE VIRTUAL TABLE fts USING fts5(words, chars, tokenize='unicode61');
INSERT INTO meta VALUES ('version', '{INDEX_VERSION}');
"""


def _rows(source: Queryable, sparql: str) -> list[tuple]:
    result = source.query(_PREFIXES + sparql)
    return [tuple(None if v is None else str(v) for v in row) for row in getattr(result, "rows", [])]


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _is_current(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with sqlite3.connect(path) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return row is not None and row[0] == str(INDEX_VERSION)
    except sqlite3.Error:
        return False


def update_index(source: Queryable, directory: Path, *, changed: Iterable[str] | None = None) -> int:
    """Bring ``directory/search.sqlite`` up to date with ``source``: re-index the ``changed`` graphs, or all of them.

    A missing, older or unreadable index is rebuilt whole. Returns the number of sentences indexed now.
    """
    path = Path(directory) / INDEX_FILE
    fresh = changed is None or not _is_current(path)
    if fresh:
        path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        if fresh:
            db.executescript(_SCHEMA)
            wanted = [r[0] for r in _rows(source, "SELECT DISTINCT ?r WHERE { GRAPH ?r { ?r a pol:WorkReport } }")]
        else:
            graphs = sorted(set(changed or ()))
            for graph in graphs:
                ids = [r[0] for r in db.execute("SELECT id FROM sentence WHERE report = ?", (graph,))]
                db.executemany("DELETE FROM fts WHERE rowid = ?", [(i,) for i in ids])
                db.executemany("DELETE FROM link WHERE sentence = ?", [(i,) for i in ids])
                db.execute("DELETE FROM sentence WHERE report = ?", (graph,))
            wanted = []
            for start in range(0, len(graphs), 200):
                chunk = [g for g in graphs[start : start + 200] if _plain_iri(g)]
                if chunk:
                    wanted += [r[0] for r in _rows(
                        source, f"SELECT ?r WHERE {{ VALUES ?r {{ {_values(chunk)} }} GRAPH ?r {{ ?r a pol:WorkReport }} }}"
                    )]
        for report in sorted(set(wanted)):
            _index_report(db, source, report)
        db.commit()
        return db.execute("SELECT COUNT(*) FROM sentence").fetchone()[0]
    finally:
        db.close()


def _plain_iri(text: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*$", text))


@dataclass
class _Part:
    iri: str
    begin: int
    label: str
    parent: str
    kind: str = ""


def _index_report(db: sqlite3.Connection, source: Queryable, report: str) -> None:
    if not _plain_iri(report):
        return
    r = f"<{report}>"
    meta = _rows(
        source,
        f"SELECT ?text ?title ?region ?year WHERE {{ GRAPH {r} {{ {r} pol:text ?ctx . ?ctx nif:isString ?text . "
        f"OPTIONAL {{ {r} skos:prefLabel ?title FILTER(LANGMATCHES(LANG(?title), 'zh-Hans')) }} "
        f"OPTIONAL {{ {r} pol:region ?region }} OPTIONAL {{ {r} pol:planYear ?year }} }} }} LIMIT 1",
    )
    if not meta:
        return
    text, title, region, year = meta[0]
    region_label, level = "", ""
    if region and _plain_iri(region):
        place = _rows(
            source,
            f"SELECT ?l ?lv WHERE {{ OPTIONAL {{ <{region}> skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), 'zh-Hans')) }} "
            f"OPTIONAL {{ <{region}> pol:adminLevel ?lv }} }} LIMIT 1",
        )
        if place:
            region_label, level = place[0][0] or "", (place[0][1] or "").rsplit("#", 1)[-1]
    parts = _structure(source, r)
    things = _rows(
        source,
        f"SELECT ?thing ?cls ?b ?e ?label ?surface WHERE {{ GRAPH {r} {{ "
        f"VALUES ?cls {{ {' '.join('pol:' + c for c in LINKED_CLASSES)} }} ?thing a ?cls ; prov:wasDerivedFrom ?sp . "
        "?sp nif:beginIndex ?b ; nif:endIndex ?e . "
        "OPTIONAL { ?thing skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), 'zh-Hans')) } "
        "OPTIONAL { ?thing pol:surfaceForm ?surface } } }",
    )
    spans = sentences(text)
    starts = [b for b, _ in spans]
    links: dict[int, dict[str, tuple]] = defaultdict(dict)
    for thing, cls, b, e, label, surface in things:
        begin, end = int(b), int(e)
        at = _sentence_at(starts, spans, begin)
        if at is None:
            continue
        name = cls.rsplit("#", 1)[-1]
        shown = surface if name in ("Target", "Achievement") and surface else (label or surface or thing)
        known = links[at].get(thing)
        if known is None or (begin, end) < known[2:]:
            links[at][thing] = (name, shown, begin, end)
    year_value = int(year[:4]) if year and year[:4].isdigit() else None
    next_id = (db.execute("SELECT MAX(id) FROM sentence").fetchone()[0] or 0) + 1
    for n, (begin, end) in enumerate(spans):
        section, pillar, measure = _place_in(parts, begin)
        sentence = text[begin:end]
        folded = simplify(sentence)
        row_id = next_id + n
        db.execute(
            "INSERT INTO sentence VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                row_id, report, title or "", region or "", region_label, year_value, level,
                section.iri if section else "", section.kind if section else "",
                pillar.iri if pillar else "", pillar.label if pillar else "",
                measure.iri if measure else "", measure.label if measure else "",
                begin, end, sentence,
            ),
        )
        db.execute(
            "INSERT INTO fts(rowid, words, chars) VALUES (?,?,?)", (row_id, " ".join(words(folded)), " ".join(chars(folded)))
        )
        for thing, (cls, label, b, e) in sorted(links.get(n, {}).items(), key=lambda kv: (kv[1][2], kv[0])):
            db.execute("INSERT INTO link VALUES (?,?,?,?,?,?)", (row_id, thing, cls, label, b, e))


def _sentence_at(starts: list[int], spans: list[tuple[int, int]], offset: int) -> int | None:
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and spans[i][0] <= offset < max(spans[i][1], spans[i][0] + 1):
        return i
    return None


def _structure(source: Queryable, r: str) -> dict[str, list[_Part]]:
    """Sections, pillars and measures of a report with where each begins, its label, parent and (sections) kind."""
    rows = _rows(
        source,
        f"SELECT ?node ?cls ?b ?label ?parent ?kind WHERE {{ GRAPH {r} {{ "
        "VALUES ?cls { pol:Section pol:Pillar pol:Measure } ?node a ?cls ; prov:wasDerivedFrom ?sp . "
        "?sp nif:beginIndex ?b . "
        "OPTIONAL { ?node skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), 'zh-Hans')) } "
        "OPTIONAL { ?parent pol:hasPillar|pol:hasMeasure ?node } "
        "OPTIONAL { ?node a ?kind FILTER(?kind != pol:Section && ?cls = pol:Section) } } }",
    )
    found: dict[str, dict[str, _Part]] = defaultdict(dict)
    for node, cls, b, label, parent, kind in rows:
        name = cls.rsplit("#", 1)[-1]
        part = found[name].get(node)
        begin = int(b)
        if part is None or begin < part.begin:
            part = _Part(node, begin, label or "", parent or "", (kind or "").rsplit("#", 1)[-1])
        elif kind and not part.kind:
            part.kind = kind.rsplit("#", 1)[-1]
        found[name][node] = part
    return {name: sorted(parts.values(), key=lambda p: (p.begin, p.iri)) for name, parts in found.items()}


def _last_before(parts: Sequence[_Part], offset: int, within: Callable[[_Part], bool]) -> _Part | None:
    best = None
    for part in parts:
        if part.begin > offset:
            break
        if within(part):
            best = part
    return best


def _place_in(parts: dict[str, list[_Part]], offset: int) -> tuple[_Part | None, _Part | None, _Part | None]:
    """The section, pillar and measure a sentence starting at ``offset`` lies in (each runs to the next one's start)."""
    section = _last_before(parts.get("Section", []), offset, lambda p: True)
    if section is None:
        return None, None, None
    pillars = [p for p in parts.get("Pillar", []) if p.begin >= section.begin]
    pillar = _last_before(pillars, offset, lambda p: p.parent == section.iri)
    owner = pillar.iri if pillar else section.iri
    measures = [m for m in parts.get("Measure", []) if m.begin >= (pillar or section).begin]
    measure = _last_before(measures, offset, lambda m: m.parent == owner or m.parent.startswith(owner + "/"))
    return section, pillar, measure


# --- searching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    iri: str
    cls: str  # pol: local name
    label: str


@dataclass(frozen=True)
class SentenceHit:
    id: int
    report: str
    report_title: str
    region: str
    region_label: str
    year: int | None
    level: str
    section: str
    kind: str
    pillar: str
    pillar_label: str
    measure: str
    measure_label: str
    begin: int
    end: int
    text: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResult:
    query: str
    terms: list[str]
    total: int
    hits: list[SentenceHit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...]  # simplified, each a word or a quoted phrase
    phrases: tuple[bool, ...]

    def match(self) -> str:
        """The FTS5 expression: every term must be found; a term is found as its run of characters, or (not
        quoted, several words) as its jieba words close together. A whole-word hit adds to the rank."""
        parts = []
        for term, phrase in zip(self.terms, self.phrases, strict=True):
            run = " ".join(chars(term))
            split = words(term)
            alternatives = [f'chars : "{run}"']
            if split:
                alternatives.append(f'words : "{" ".join(split)}"')
            if len(split) > 1 and not phrase:
                alternatives.append("words : NEAR(" + " ".join(f'"{w}"' for w in split) + f", {NEAR_WORDS})")
            parts.append("(" + " OR ".join(alternatives) + ")")
        return " AND ".join(parts)


def parse_query(text: str) -> ParsedQuery:
    """Terms: quoted phrases ("…", “…”, 「…」) and the words between spaces; traditional input simplified."""
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(f"the search text is {len(text)} characters long; give at most {MAX_QUERY_CHARS}")
    folded = simplify(text)
    terms: list[tuple[str, bool]] = []
    for match in _QUOTED.finditer(folded):
        phrase = next(g for g in match.groups() if g is not None)
        if chars(phrase):
            terms.append((phrase.strip(), True))
    rest = _QUOTED.sub(" ", folded)
    for part in rest.split():
        if chars(part):
            terms.append((part, False))
    seen: dict[str, bool] = {}
    for term, phrase in terms:
        seen[term] = seen.get(term, False) or phrase
    kept = list(seen.items())[:MAX_TERMS]
    return ParsedQuery(tuple(t for t, _ in kept), tuple(p for _, p in kept))


def open_index(directory: Path) -> sqlite3.Connection:
    """The generation's index, read-only; StoreError when this generation has none (built before it existed)."""
    path = Path(directory) / INDEX_FILE
    if not _is_current(path):
        raise StoreError(
            f"this build of the store has no search index ({path.name}): rebuild it with `kg-build build --force`"
        )
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)


_FACET_COLUMNS = {
    "region": "region_label", "year": "year", "level": "level", "kind": "kind", "report": "report", "pillar": "pillar",
}
_FACET_LABELS = {"pillar": "pillar_label", "report": "report_title"}  # the column a value is shown by


def _where(filters: dict[str, str], skip: str = "") -> tuple[str, list]:
    clauses, args = [], []
    for facet, value in sorted(filters.items()):
        if facet == skip or facet not in _FACET_COLUMNS or value in ("", None):
            continue
        clauses.append(f"s.{_FACET_COLUMNS[facet]} = ?")
        args.append(int(value) if facet == "year" and str(value).isdigit() else str(value))
    return ("".join(f" AND {c}" for c in clauses), args)


def search(
    directory: Path,
    text: str,
    *,
    filters: dict[str, str] | None = None,
    limit: int = 20,
    offset: int = 0,
    facet_size: int = 30,
) -> SearchResult:
    """Sentences holding every term of ``text`` (best first), the facets' counts, and the page asked for.

    ``filters``: facet → value (region label, year, level and section kind local names, report and pillar IRIs). Each
    facet counts the hits under every other filter, so its other values stay in sight.
    """
    filters = {k: v for k, v in (filters or {}).items() if k in FACETS and v not in ("", None)}
    parsed = parse_query(text)
    result = SearchResult(text, list(parsed.terms), 0)
    if not parsed.terms:
        return result
    match = parsed.match()
    db = open_index(directory)
    try:
        matched = "SELECT rowid AS id, bm25(fts, 10.0, 1.0) AS rank FROM fts WHERE fts MATCH ?"
        where, args = _where(filters)
        try:
            result.total = db.execute(
                f"SELECT COUNT(*) FROM ({matched}) m JOIN sentence s ON s.id = m.id WHERE 1{where}", [match, *args]
            ).fetchone()[0]
        except sqlite3.OperationalError as exc:  # an expression FTS5 cannot read: say so in one line
            raise InputError(f"cannot search for {text!r}: {exc}") from None
        rows = db.execute(
            f"SELECT s.* FROM ({matched}) m JOIN sentence s ON s.id = m.id WHERE 1{where} "
            "ORDER BY m.rank, s.report, s.begin LIMIT ? OFFSET ?",
            [match, *args, max(0, int(limit)), max(0, int(offset))],
        ).fetchall()
        ids = [r[0] for r in rows]
        links: dict[int, list[Link]] = defaultdict(list)
        if ids:
            marks = ",".join("?" * len(ids))
            for sid, iri, cls, label in db.execute(
                f"SELECT sentence, iri, cls, label FROM link WHERE sentence IN ({marks}) ORDER BY sentence, begin, iri",
                ids,
            ):
                links[sid].append(Link(iri, cls, label))
        result.hits = [SentenceHit(*r, links=tuple(links.get(r[0], ()))) for r in rows]
        for facet in FACETS:
            column = _FACET_COLUMNS[facet]
            label_column = _FACET_LABELS.get(facet, column)
            fwhere, fargs = _where(filters, skip=facet)
            counted = db.execute(
                f"SELECT s.{column}, MIN(s.{label_column}), COUNT(*) AS n FROM ({matched}) m "
                f"JOIN sentence s ON s.id = m.id WHERE s.{column} IS NOT NULL AND s.{column} != ''{fwhere} "
                f"GROUP BY s.{column} ORDER BY n DESC, s.{column} LIMIT ?",
                [match, *fargs, facet_size],
            ).fetchall()
            result.facets[facet] = [FacetValue(str(v), str(label), int(n)) for v, label, n in counted]
    finally:
        db.close()
    return result


def highlight(text: str, terms: Iterable[str], *, escape: Callable[[str], str] = html.escape) -> str:
    """A sentence escaped, with every occurrence of the terms (simplified, any case) wrapped in ``<mark>``."""
    folded = simplify_aligned(text)
    marks = [False] * len(text)
    for term in terms:
        needle = term.replace(" ", "")
        if not needle:
            continue
        start = folded.find(needle)
        while start != -1:
            for i in range(start, start + len(needle)):
                marks[i] = True
            start = folded.find(needle, start + 1)
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and marks[j] == marks[i]:
            j += 1
        piece = escape(text[i:j])
        out.append(f"<mark>{piece}</mark>" if marks[i] else piece)
        i = j
    return "".join(out)


def simplify_aligned(text: str) -> str:
    """The text as simplified lowercase characters, one for one (so offsets match the original)."""
    converted = _to_simplified().convert(text).lower()
    return converted if len(converted) == len(text) else text.lower()
