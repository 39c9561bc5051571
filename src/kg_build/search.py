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
A sentence also belongs to a facet group (``facet_group``: the sentences of a report that share those facets), so a
search counts its matches by group and sums the facets over the groups, however many sentences it matches.

The same file records what the browse view counts (``browse_*`` tables, see ``update_browse``): each report's
entities with their mentions, each report's title, region and plan year, and the labels of the entities and
regions in Chinese and English, so /browse aggregates them in SQL instead of reading every report's graph.

Nothing here imports the store: the writer hands in anything with ``query(sparql)`` returning rows.
"""

from __future__ import annotations

import bisect
import heapq
import html
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Protocol

from kg_build.errors import InputError, StoreError
from kg_build.labels import LABEL_PREDICATES, best_label, prefixed_name

INDEX_FILE = "search.sqlite"
INDEX_VERSION = 2  # 2: the facet groups (``facet_group``, ``sentence_group``) beside the sentences
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


# a run of ASCII letters and digits, else one other letter or digit (``\w`` is ``str.isalnum`` and "_"); the rest is left out
_CHAR_TOKEN = re.compile(r"[0-9a-z]+|[^\W_]")


def chars(text: str) -> list[str]:
    """Each Chinese character a token; runs of Latin letters and digits one token each (lowercase)."""
    return _CHAR_TOKEN.findall(text.lower())


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
CREATE TABLE facet_group(
  code INTEGER PRIMARY KEY, report TEXT, report_title TEXT, region_label TEXT, year INTEGER, level TEXT, kind TEXT,
  pillar TEXT, pillar_label TEXT);
CREATE INDEX facet_group_report ON facet_group(report);
CREATE TABLE sentence_group(id INTEGER PRIMARY KEY, grp INTEGER, begin INTEGER);
INSERT INTO meta VALUES ('version', '{INDEX_VERSION}');
"""


def _rows(source: Queryable, sparql: str) -> list[tuple]:
    """A SELECT's rows as plain text (IRIs, lexical forms): straight from the store's values where the source gives
    them (the writer's ``query_values``: a build indexes thousands of rows a report), else from its terms."""
    plain = getattr(source, "query_values", None)
    if plain is not None:
        return plain(_PREFIXES + sparql)
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

    A missing, older or unreadable index is rebuilt whole. Returns the number of sentences indexed now. The
    browse tables are brought up to date in the same file and transaction (``update_browse``).
    """
    path = Path(directory) / INDEX_FILE
    changed = None if changed is None else set(changed)
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
                db.executemany("DELETE FROM sentence_group WHERE id = ?", [(i,) for i in ids])
                db.execute("DELETE FROM sentence WHERE report = ?", (graph,))
                db.execute("DELETE FROM facet_group WHERE report = ?", (graph,))
            wanted = _reports_among(source, graphs)
        for report in sorted(set(wanted)):
            _index_report(db, source, report)
        update_browse(db, source, changed=None if fresh else changed)
        db.commit()
        return db.execute("SELECT COUNT(*) FROM sentence").fetchone()[0]
    finally:
        db.close()


def _reports_among(source: Queryable, graphs: list[str]) -> list[str]:
    """The graphs of ``graphs`` that still hold a report (a dropped one holds nothing), 200 a query."""
    found: list[str] = []
    for start in range(0, len(graphs), 200):
        chunk = [g for g in graphs[start : start + 200] if _plain_iri(g)]
        if chunk:
            found += [r[0] for r in _rows(
                source, f"SELECT ?r WHERE {{ VALUES ?r {{ {_values(chunk)} }} GRAPH ?r {{ ?r a pol:WorkReport }} }}"
            )]
    return found


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
    next_group = (db.execute("SELECT MAX(code) FROM facet_group").fetchone()[0] or 0) + 1
    groups: dict[tuple, int] = {}
    placer = _Placer(parts)
    sentence_rows, fts_rows, link_rows, group_rows = [], [], [], []
    for n, (begin, end) in enumerate(spans):
        section, pillar, measure = placer.place(begin)
        sentence = text[begin:end]
        folded = simplify(sentence)
        row_id = next_id + n
        kind = section.kind if section else ""
        pillar_iri, pillar_label = (pillar.iri, pillar.label) if pillar else ("", "")
        sentence_rows.append((
            row_id, report, title or "", region or "", region_label, year_value, level,
            section.iri if section else "", kind, pillar_iri, pillar_label,
            measure.iri if measure else "", measure.label if measure else "",
            begin, end, sentence,
        ))
        fts_rows.append((row_id, " ".join(words(folded)), " ".join(chars(folded))))
        facets = (title or "", region_label, year_value, level, kind, pillar_iri, pillar_label)  # _GROUP_COLUMNS[1:]
        group_rows.append((row_id, groups.setdefault(facets, next_group + len(groups)), begin))
        for thing, (cls, label, b, e) in sorted(links.get(n, {}).items(), key=lambda kv: (kv[1][2], kv[0])):
            link_rows.append((row_id, thing, cls, label, b, e))
    db.executemany("INSERT INTO sentence VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", sentence_rows)
    db.executemany("INSERT INTO fts(rowid, words, chars) VALUES (?,?,?)", fts_rows)
    db.executemany("INSERT INTO link VALUES (?,?,?,?,?,?)", link_rows)
    db.executemany("INSERT INTO facet_group VALUES (?,?,?,?,?,?,?,?,?)", [(c, report, *k) for k, c in groups.items()])
    db.executemany("INSERT INTO sentence_group VALUES (?,?,?)", group_rows)


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


class _Placer:
    """The section, pillar and measure a sentence starting at an offset lies in (each runs to the next one's start):
    the parts of each section and pillar picked once, then found by bisection (a report has thousands of sentences)."""

    def __init__(self, parts: dict[str, list[_Part]]) -> None:
        self.sections = parts.get("Section", [])
        self.section_begins = [p.begin for p in self.sections]
        self.pillars, self.measures = parts.get("Pillar", []), parts.get("Measure", [])
        self._picked: dict[tuple, tuple[list[int], list[_Part]]] = {}

    def _pick(self, key: tuple, parts: Sequence[_Part], keep: Callable[[_Part], bool]) -> tuple[list[int], list[_Part]]:
        if key not in self._picked:
            kept = [p for p in parts if keep(p)]
            self._picked[key] = ([p.begin for p in kept], kept)
        return self._picked[key]

    @staticmethod
    def _last(found: tuple[list[int], list[_Part]], offset: int) -> _Part | None:
        i = bisect.bisect_right(found[0], offset) - 1
        return found[1][i] if i >= 0 else None

    def place(self, offset: int) -> tuple[_Part | None, _Part | None, _Part | None]:
        section = self._last((self.section_begins, self.sections), offset)
        if section is None:
            return None, None, None
        pillars = self._pick(
            ("pillars", section.iri, section.begin), self.pillars,
            lambda p: p.begin >= section.begin and p.parent == section.iri,
        )
        pillar = self._last(pillars, offset)
        owner, base = (pillar or section).iri, (pillar or section).begin
        measures = self._pick(
            ("measures", owner, base), self.measures,
            lambda m: m.begin >= base and (m.parent == owner or m.parent.startswith(owner + "/")),
        )
        return section, pillar, self._last(measures, offset)


# --- what the browse view counts -------------------------------------------------------------

BROWSE_VERSION = 1  # meta key 'browse': the browse tables are there and written this way
# The classes the browse view lists (kg_build.explore.ENTITY_CLASSES; a test keeps the two the same).
BROWSE_CLASSES: tuple[str, ...] = (
    "Project", "Platform", "Initiative", "Company", "GovernmentBody", "Organization", "Place", "Event", "Honor",
)
BROWSE_LANGS: tuple[str, ...] = ("zh", "en")  # the readers' languages whose labels are recorded
_LABEL_CHUNK = 400
# What is labelled: the entities, the regions and the reports themselves (their names on the facets).
_TRACKED = "SELECT entity FROM browse_mention UNION SELECT region FROM browse_report UNION SELECT report FROM browse_report"

_BROWSE_SCHEMA = f"""
DROP TABLE IF EXISTS browse_mention;
DROP TABLE IF EXISTS browse_report;
DROP TABLE IF EXISTS browse_label;
DROP TABLE IF EXISTS browse_labelled;
CREATE TABLE browse_mention(entity TEXT, cls TEXT, report TEXT, mentions INTEGER, region TEXT, year TEXT,
  PRIMARY KEY (entity, cls, report)) WITHOUT ROWID;
CREATE INDEX browse_mention_cls ON browse_mention(cls, entity);
CREATE INDEX browse_mention_region ON browse_mention(region, entity);
CREATE INDEX browse_mention_year ON browse_mention(year, entity);
CREATE INDEX browse_mention_report ON browse_mention(report, entity);
CREATE TABLE browse_report(report TEXT PRIMARY KEY, title TEXT, region TEXT, year TEXT) WITHOUT ROWID;
CREATE INDEX browse_report_region ON browse_report(region);
CREATE TABLE browse_label(iri TEXT, lang TEXT, label TEXT, folded TEXT, PRIMARY KEY (iri, lang)) WITHOUT ROWID;
CREATE TABLE browse_labelled(graph TEXT, iri TEXT, PRIMARY KEY (graph, iri)) WITHOUT ROWID;
CREATE INDEX browse_labelled_iri ON browse_labelled(iri);
INSERT OR REPLACE INTO meta VALUES ('browse', '{BROWSE_VERSION}');
"""
# The reports of a region (what a relabelled region changes), looked up by a build; readers do not need it.
_BROWSE_REGION_INDEX = "CREATE INDEX IF NOT EXISTS browse_report_region ON browse_report(region)"


def _browse_is_current(db: sqlite3.Connection) -> bool:
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'browse'").fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == str(BROWSE_VERSION)


def update_browse(db: sqlite3.Connection, source: Queryable, *, changed: Iterable[str] | None = None) -> None:
    """Record what the browse view counts for the ``changed`` graphs (all of them: ``None``, or tables missing).

    Per report graph: (entity, class, report, mentions) for each entity of the browsed classes (mentions: its
    prov:wasDerivedFrom spans in that graph), and the report's title, region and plan year. Per entity, region
    and report: its label in each reader's language, chosen over the whole store, and the graphs that label it
    (``browse_labelled``), so that a changed graph relabels what it labelled before and what it labels now, and
    nothing else.
    """
    fresh = changed is None or not _browse_is_current(db)
    before: set[str] = set()
    graphs: list[str] = []
    if fresh:
        db.executescript(_BROWSE_SCHEMA)
        wanted = [r[0] for r in _rows(source, "SELECT DISTINCT ?r WHERE { GRAPH ?r { ?r a pol:WorkReport } }")]
    else:
        db.execute(_BROWSE_REGION_INDEX)  # tables written before it had it
        graphs = sorted(set(changed or ()))
        for graph in graphs:
            before.update(r[0] for r in db.execute("SELECT entity FROM browse_mention WHERE report = ?", (graph,)))
            before.update(r[0] for r in db.execute("SELECT region FROM browse_report WHERE report = ?", (graph,)))
            before.update(r[0] for r in db.execute("SELECT iri FROM browse_labelled WHERE graph = ?", (graph,)))
            before.add(graph)
            db.execute("DELETE FROM browse_mention WHERE report = ?", (graph,))
            db.execute("DELETE FROM browse_report WHERE report = ?", (graph,))
            db.execute("DELETE FROM browse_labelled WHERE graph = ?", (graph,))
        wanted = _reports_among(source, graphs)
    wanted = sorted({w for w in wanted if _plain_iri(w)})
    now = _record_reports(db, source, wanted)
    # What is tracked (labelled) changes only for what the changed graphs named, before or now: those are looked
    # up, not every tracked IRI of the store (a build of one report into a store of 1,330 read all 26,000 of them)
    if fresh:
        tracked, labelled = {r[0] for r in db.execute(_TRACKED)}, set()
    else:
        tracked, labelled = _tracked_among(db, before | now), _labelled_among(db, before | now)
    # browse_labelled holds, for every graph, the tracked IRIs it labels: the graphs of an IRI newly tracked are
    # looked up over the store; a changed graph's are read from that graph alone
    new = sorted(tracked - labelled)
    _record_labelled(db, source, new)
    labelled_now: set[str] = set()
    for graph in (g for g in graphs if _plain_iri(g)):
        said = _tracked_among(db, {r[0] for r in _rows(
            source,
            f"SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ VALUES ?p {{ {_values(LABEL_PREDICATES)} }} ?s ?p ?l }} }}",
        )})
        db.executemany("INSERT OR IGNORE INTO browse_labelled VALUES (?,?)", [(graph, i) for i in sorted(said)])
        labelled_now |= said
    gone = sorted(labelled - tracked)
    for start in range(0, len(gone), 500):
        chunk = [(i,) for i in gone[start : start + 500]]
        db.executemany("DELETE FROM browse_label WHERE iri = ?", chunk)
        db.executemany("DELETE FROM browse_labelled WHERE iri = ?", chunk)
    affected = ((before | now) & tracked) | labelled_now | set(new)
    _relabel(db, source, sorted(affected))
    # each mention row carries its report's region label (a facet counted without a join): set for the reports
    # written now and for those whose region was relabelled
    relabelled = sorted(affected)
    reports_now = set(wanted)
    for start in range(0, len(relabelled), 500):
        chunk = relabelled[start : start + 500]
        marks = ",".join("?" * len(chunk))
        reports_now.update(r[0] for r in db.execute(f"SELECT report FROM browse_report WHERE region IN ({marks})", chunk))
    db.executemany(
        "UPDATE browse_mention SET region = COALESCE((SELECT l.label FROM browse_report r JOIN browse_label l "
        "ON l.iri = r.region AND l.lang = 'zh' WHERE r.report = ?), '') WHERE report = ?",
        [(r, r) for r in sorted(reports_now)],
    )


def _among(db: sqlite3.Connection, iris: Iterable[str], queries: Sequence[str]) -> set[str]:
    """Those of ``iris`` that any of these queries (each ``… IN ({marks})``, an indexed column) finds."""
    wanted, found = sorted(set(iris)), set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for query in queries:
            found.update(r[0] for r in db.execute(query.format(marks=marks), chunk))
    return found


def _tracked_among(db: sqlite3.Connection, iris: Iterable[str]) -> set[str]:
    """Those of ``iris`` that are tracked now (``_TRACKED``): an entity mentioned, a report's region, a report."""
    return _among(db, iris, (
        "SELECT DISTINCT entity FROM browse_mention WHERE entity IN ({marks})",
        "SELECT DISTINCT region FROM browse_report WHERE region IN ({marks})",
        "SELECT report FROM browse_report WHERE report IN ({marks})",
    ))


def _labelled_among(db: sqlite3.Connection, iris: Iterable[str]) -> set[str]:
    """Those of ``iris`` that have labels recorded: tracked when the tables were last brought up to date."""
    return _among(db, iris, ("SELECT DISTINCT iri FROM browse_label WHERE iri IN ({marks})",))


def _label_pairs(iris: Sequence[str]) -> str:
    """One VALUES of (subject, predicate) pairs: the store looks each pair up in its index."""
    return " ".join(f"(<{s}> <{p}>)" for s in iris for p in LABEL_PREDICATES)


def _record_labelled(db: sqlite3.Connection, source: Queryable, iris: list[str]) -> None:
    """The graphs that label each of these IRIs, looked up over the whole store."""
    wanted = [i for i in iris if _plain_iri(i)]
    for start in range(0, len(wanted), _LABEL_CHUNK):
        chunk = wanted[start : start + _LABEL_CHUNK]
        rows = _rows(
            source,
            f"SELECT DISTINCT ?g ?s WHERE {{ VALUES (?s ?p) {{ {_label_pairs(chunk)} }} GRAPH ?g {{ ?s ?p ?l }} }}",
        )
        db.executemany("INSERT OR IGNORE INTO browse_labelled VALUES (?,?)", sorted(rows))


def _record_reports(db: sqlite3.Connection, source: Queryable, reports: list[str]) -> set[str]:
    """The mentions and the facts of these reports into the tables; returns the entities and regions they name."""
    named: set[str] = set()
    classes = " ".join(f"pol:{c}" for c in BROWSE_CLASSES)
    for start in range(0, len(reports), 50):
        chunk = reports[start : start + 50]
        meta = _rows(
            source,
            f"SELECT ?r (SAMPLE(?t) AS ?title) (SAMPLE(?reg) AS ?region) (SAMPLE(?y) AS ?year) WHERE {{ "
            f"VALUES ?r {{ {_values(chunk)} }} ?r a pol:WorkReport . "
            "OPTIONAL { ?r skos:prefLabel ?t FILTER(LANGMATCHES(LANG(?t), 'zh-Hans')) } "
            "OPTIONAL { ?r pol:region ?reg } OPTIONAL { ?r pol:planYear ?y } } GROUP BY ?r",
        )
        years: dict[str, str] = {}
        for report, title, region, year in meta:
            year_text = str(int(year[:4])) if year and year[:4].isdigit() and int(year[:4]) else ""
            years[report] = year_text
            region_iri = region if region and _plain_iri(region) else ""
            db.execute(
                "INSERT OR REPLACE INTO browse_report VALUES (?,?,?,?)",
                (report, title if title is not None else re.split(r"[#/]", report)[-1], region_iri, year_text),
            )
            named.add(report)
            if region_iri:
                named.add(region_iri)
        counts: dict[tuple[str, str, str], int] = defaultdict(int)
        for report, entity, cls, span in _rows(
            source,
            f"SELECT ?report ?e ?c ?span WHERE {{ VALUES ?report {{ {_values(chunk)} }} "
            f"LATERAL {{ SELECT ?report ?e ?c ?span WHERE {{ GRAPH ?report {{ VALUES ?c {{ {classes} }} ?e a ?c "
            "OPTIONAL { ?e prov:wasDerivedFrom ?span } } } } }",
        ):
            counts[(entity, cls.rsplit("#", 1)[-1], report)] += 0 if span is None else 1
        db.executemany(
            "INSERT INTO browse_mention VALUES (?,?,?,?,'',?)",
            [(*k, n, years.get(k[2], "")) for k, n in sorted(counts.items())],
        )
        named.update(e for e, _, _ in counts)
    return named


def _relabel(db: sqlite3.Connection, source: Queryable, iris: list[str]) -> None:
    """Choose again the labels of these IRIs in each reader's language, over the whole store (its default graph,
    the union of its graphs), as ``kg_build.explore.labels`` chooses them."""
    for start in range(0, len(iris), 500):
        db.executemany("DELETE FROM browse_label WHERE iri = ?", [(i,) for i in iris[start : start + 500]])
    wanted = [i for i in iris if _plain_iri(i)]
    for start in range(0, len(wanted), _LABEL_CHUNK):
        chunk = wanted[start : start + _LABEL_CHUNK]
        said: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
        for s, p, text, tag in _rows(
            source,
            f"SELECT ?s ?p ?l (LANG(?l) AS ?tag) WHERE {{ VALUES (?s ?p) {{ {_label_pairs(chunk)} }} "
            "?s ?p ?l FILTER(isLiteral(?l)) }",
        ):
            said[s].add((p, text, (tag or "").lower()))
        rows = []
        for iri in chunk:
            for lang in BROWSE_LANGS:
                label = best_label(said.get(iri, ()), lang)
                label = prefixed_name(iri) if label is None else label
                rows.append((iri, lang, label, label.lower()))
        db.executemany("INSERT INTO browse_label VALUES (?,?,?,?)", rows)


def open_browse(directory: Path) -> sqlite3.Connection | None:
    """The generation's recorded browse tables, read-only; None when this generation has none (the caller then
    reads the store)."""
    path = Path(directory) / INDEX_FILE
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    except sqlite3.Error:
        return None
    if _is_current(path) and _browse_is_current(db):
        return db
    db.close()
    return None


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
_GROUP_COLUMNS = ("report", "report_title", "region_label", "year", "level", "kind", "pillar", "pillar_label")
_PER_REPORT = 5  # the first five are the report's own: the same on all its sentences
_RANK = "bm25(fts, 10.0, 1.0)"  # a whole-word hit (column ``words``) weighs ten times a run of characters


def _filter_value(facet: str, value: str) -> object:
    """A filter's value as the index holds it: a year a number, the rest text."""
    return int(value) if facet == "year" and str(value).isdigit() else str(value)


def _least(a: object, b: object) -> object:
    """SQL's MIN of two values: a NULL is passed over."""
    if a is None or b is None:
        return b if a is None else a
    return min(a, b, key=_sql_order)


def _sql_order(value: object) -> tuple:
    """SQLite's order of values: NULL, then numbers, then text (by its UTF-8 bytes: Python's order of code points)."""
    if value is None:
        return (0, 0)
    if isinstance(value, (int, float)):
        return (1, value)
    return (2, str(value))


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
    facet counts the hits under every other filter, so its other values stay in sight. The total and every count are
    exact: each match is counted, none sampled.
    """
    filters = {k: v for k, v in (filters or {}).items() if k in FACETS and v not in ("", None)}
    parsed = parse_query(text)
    result = SearchResult(text, list(parsed.terms), 0)
    if not parsed.terms:
        return result
    match = parsed.match()
    limit, offset, facet_size = max(0, int(limit)), max(0, int(offset)), max(0, int(facet_size))
    wanted = {facet: _filter_value(facet, value) for facet, value in filters.items()}
    db = open_index(directory)
    try:
        # Counting: the matches counted by facet group in one pass over the full-text index that reads no text and
        # ranks nothing, then the total and each facet summed over the groups. A facet group is the sentences of a
        # report that share region, year, level, section kind and pillar (``_facet_groups``). At ten million quads a
        # common word (经济) matches 62,000 sentences in 20,000 groups; reading each match's rank and facet columns
        # and counting them took half a second.
        try:
            counted = db.execute(
                "SELECT sg.grp, COUNT(*) FROM fts CROSS JOIN sentence_group sg ON sg.id = fts.rowid "
                "WHERE fts MATCH ? GROUP BY sg.grp",
                [match],
            ).fetchall()
        except sqlite3.OperationalError as exc:  # an expression FTS5 cannot read: say so in one line
            raise InputError(f"cannot search for {text!r}: {exc}") from None
        groups = _facet_groups(db, directory)
        if any(code not in groups for code, _ in counted):  # an index changed in place (none published is): again
            groups = _facet_groups(db, directory, again=True)
        matched = [(n, groups[code]) for code, n in counted]
        at = {facet: _GROUP_COLUMNS.index(column) for facet, column in _FACET_COLUMNS.items()}

        def holding(rows: list[tuple[int, tuple]], facets: list[str]) -> list[tuple[int, tuple]]:
            return [r for r in rows if all(r[1][at[f]] == wanted[f] for f in facets)] if facets else rows

        shown = holding(matched, list(wanted))
        by_report = None  # the shown hits summed by report (its title, region, year, level): what four facets count
        for facet in FACETS:  # each facet counts the hits under every other filter, so its other values stay in sight
            rows = shown if facet not in wanted else holding(matched, [f for f in wanted if f != facet])
            if rows is shown and at[facet] < _PER_REPORT:
                by_report = _summed(shown, range(_PER_REPORT)) if by_report is None else by_report
                rows = by_report
            label = _GROUP_COLUMNS.index(_FACET_LABELS.get(facet, _FACET_COLUMNS[facet]))
            result.facets[facet] = _facet(_summed(rows, (at[facet], label)), facet_size)
        result.total = sum(n for n, _ in shown)
        if limit and offset < result.total:
            result.hits = _page(db, {"match": match, **wanted}, limit, offset)
    finally:
        db.close()
    return result


def _summed(rows: list[tuple[int, tuple]], columns: Iterable[int]) -> list[tuple[int, tuple]]:
    """(hits, group) pairs summed by some of the group's columns: (hits, those columns)."""
    pick, sums = itemgetter(*columns), {}
    for n, group in rows:
        key = pick(group)
        sums[key] = sums.get(key, 0) + n
    return [(n, key) for key, n in sums.items()]


def _facet(pairs: list[tuple[int, tuple]], size: int) -> list[FacetValue]:
    """A facet's ``size`` values with the most hits (then by value, as SQL orders them: ``_sql_order``), each shown by
    its label (SQL's MIN over its hits: the same on each); no value (NULL, '') left out. ``pairs``: (hits, (value,
    label))."""
    counted: dict[object, int] = {}
    for n, (value, _) in pairs:
        counted[value] = counted.get(value, 0) + n
    counted.pop(None, None)
    counted.pop("", None)
    if not counted or not size:
        return []
    least = heapq.nlargest(size, counted.values())[-1]  # only values counted as often as the last kept can be kept
    top = sorted(((v, n) for v, n in counted.items() if n >= least), key=lambda kv: (-kv[1], _sql_order(kv[0])))[:size]
    shown_as: dict[object, object] = {v: None for v, _ in top}
    for _, (value, label) in pairs:
        if value in shown_as:
            shown_as[value] = _least(shown_as[value], label)
    return [FacetValue(str(v), str(shown_as[v]), int(n)) for v, n in top]


def _facet_groups(db: sqlite3.Connection, directory: Path, *, again: bool = False) -> dict[int, tuple]:
    """Each facet group's code → its columns (``_GROUP_COLUMNS``), read once per index file: a published index
    never changes (it is opened ``immutable``), and at ten million quads its 30,000 groups take a tenth of a second
    to read."""
    path = (Path(directory) / INDEX_FILE).resolve()
    stat = path.stat()
    key = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    if again:
        with _GROUPS_LOCK:
            _GROUPS_READ.pop(key, None)
    return _read_groups(db, key)


def warm(directory: Path) -> bool:
    """Read a generation's facet groups into memory now (a tenth of a second or two at ten million quads), so the
    first search of a server does not wait for them; False when the generation has no current index."""
    try:
        if not _is_current(Path(directory) / INDEX_FILE):
            return False
        db = open_index(directory)
        try:
            _facet_groups(db, directory)
        finally:
            db.close()
    except (OSError, sqlite3.Error, StoreError):  # gone since (an old build removed): the first search reads them
        return False
    return True


_GROUPS_READ: dict[tuple, dict[int, tuple]] = {}
_GROUPS_LOCK = threading.Lock()  # the app searches from several threads


def _read_groups(db: sqlite3.Connection, key: tuple) -> dict[int, tuple]:
    with _GROUPS_LOCK:
        if key not in _GROUPS_READ:
            while len(_GROUPS_READ) >= 4:  # a few generations' indexes at most (an app reads the current one)
                _GROUPS_READ.pop(next(iter(_GROUPS_READ)))
            texts: dict[object, object] = {}  # one string for each value, however many groups share it
            _GROUPS_READ[key] = {
                row[0]: tuple(texts.setdefault(v, v) for v in row[1:])
                for row in db.execute(f"SELECT code, {', '.join(_GROUP_COLUMNS)} FROM facet_group")
            }
        return _GROUPS_READ[key]


def _where(filters: list[str]) -> str:
    """The SQL condition on a facet group (``g``) that it holds every filter's value."""
    return "".join(f" AND g.{_FACET_COLUMNS[f]} = :{f}" for f in filters)


PAGE_SLACK = 200  # ranked past the page, so that sentences ranked alike at its end are ordered exactly
_MAX_RANKED = 5000  # pages deeper than this are ordered whole in SQL


def _page(db: sqlite3.Connection, args: dict[str, object], limit: int, offset: int) -> list[SentenceHit]:
    """The hits from ``offset`` on, best first (``_best``), with what was read from each."""
    ids = _best(db, args, limit, offset)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = {r[0]: r for r in db.execute(f"SELECT * FROM sentence WHERE id IN ({marks})", ids)}
    links: dict[int, list[Link]] = defaultdict(list)
    for sid, iri, cls, label in db.execute(
        f"SELECT sentence, iri, cls, label FROM link WHERE sentence IN ({marks}) ORDER BY sentence, begin, iri", ids
    ):
        links[sid].append(Link(iri, cls, label))
    return [SentenceHit(*rows[i], links=tuple(links.get(i, ()))) for i in ids]


def _best(db: sqlite3.Connection, args: dict[str, object], limit: int, offset: int) -> list[int]:
    """The ids of the hits from ``offset`` on, best first: by rank, then by report and place in it (sentences ranked
    alike are common: a sentence repeated in many reports). A second pass over the full-text index ranks the matches:
    first by rank alone, ``PAGE_SLACK`` past the page, which is exact unless sentences ranked like the page's last
    one run past them all; then, if they do (or the page lies deep), in SQL by rank, report and place."""
    filters = [f for f in FACETS if f in args]
    groups = " CROSS JOIN sentence_group sg ON sg.id = fts.rowid CROSS JOIN facet_group g ON g.code = sg.grp"
    wanted, ranked_to = offset + limit, offset + limit + PAGE_SLACK
    if ranked_to <= _MAX_RANKED:
        ranked = db.execute(
            f"SELECT fts.rowid, {_RANK} AS r FROM fts{groups if filters else ''} "
            f"WHERE fts MATCH :match{_where(filters)} ORDER BY r LIMIT :n",
            {**args, "n": ranked_to},
        ).fetchall()
        if len(ranked) < ranked_to or ranked[wanted - 1][1] < ranked[-1][1]:
            rank = dict(ranked)
            placed = db.execute(
                "SELECT sg.id, g.report, sg.begin FROM sentence_group sg JOIN facet_group g ON g.code = sg.grp "
                f"WHERE sg.id IN ({','.join('?' * len(rank))})",
                list(rank),
            ).fetchall()
            placed.sort(key=lambda r: (rank[r[0]], _sql_order(r[1]), _sql_order(r[2])))
            return [r[0] for r in placed[offset:wanted]]
    return [r[0] for r in db.execute(
        f"SELECT fts.rowid FROM fts{groups} WHERE fts MATCH :match{_where(filters)} "
        f"ORDER BY {_RANK}, g.report, sg.begin LIMIT :limit OFFSET :offset",
        {**args, "limit": limit, "offset": offset},
    )]


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
