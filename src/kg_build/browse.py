"""What the report page and the browse page show, as plain Python values: a report's plan as a tree, what it
names by class, and every entity with its counts of reports and mentions, faceted like Datasette.

Every query goes through the explorer's guarded path (``explore._select``); a report's own data is read
inside its graph only. The browse view's counts are read from what the store's writer recorded beside each
generation (``search.update_browse``: a few SQL aggregates, however big the store), and from the store itself
(every report's graph, through SPARQL) only where nothing was recorded: a remote store, or a generation
written before the tables existed. Nothing here imports Streamlit.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from kg_build.explore import (
    ENTITY_CLASSES,
    _chunks,
    _select,
    _values,
    iri_term,
    is_iri,
    labels,
    local_name,
    normalize_query,
    prefixed_name,
    primary_class,
    reports,
)
from kg_build.model.vocab import POL_NS
from kg_build.search import open_browse
from kg_build.store import GENERATIONS, LocalStore

PLAN_KINDS = ("PlanSection",)  # sections drawn open: what the report plans
TREE_CLASSES = ("Project", "Platform", "Initiative", "Company", "GovernmentBody", "Organization", "Event", "Honor")
BROWSE_FACETS = ("cls", "region", "year", "report")


# --- a report's plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Named:
    """A thing under a part of the plan: an entity, or a target (its words as written)."""

    iri: str
    label: str
    cls: str


@dataclass
class PlanNode:
    """A section, pillar or measure, in document order, with what it names and the targets it states."""

    iri: str
    label: str
    cls: str  # Section | Pillar | Measure
    kind: str = ""  # a section's kind (PlanSection, ReviewSection, …)
    children: list[PlanNode] = field(default_factory=list)
    named: list[Named] = field(default_factory=list)
    targets: list[Named] = field(default_factory=list)

    def count(self) -> int:
        """Things and targets under this node and its children."""
        return len(self.named) + len(self.targets) + sum(c.count() for c in self.children)


@dataclass
class ReportPlan:
    iri: str
    title: str
    region: str
    region_iri: str
    year: int | None
    main_targets: list[Named]
    sections: list[PlanNode]
    warnings: list[str]


def _report_meta(store: LocalStore, term: str) -> tuple[str, str, int | None, list[str]]:
    rows = _select(
        store,
        f"SELECT ?t ?reg ?y ?w WHERE {{ GRAPH {term} {{ {term} a pol:WorkReport . "
        f"OPTIONAL {{ {term} skos:prefLabel ?t FILTER(LANGMATCHES(LANG(?t), 'zh-Hans')) }} "
        f"OPTIONAL {{ {term} pol:region ?reg }} OPTIONAL {{ {term} pol:planYear ?y }} "
        f"OPTIONAL {{ {term} pol:buildWarning ?w }} }} }}",
    ).rows
    if not rows:
        return "", "", None, []
    title = next((str(r[0]) for r in rows if r[0] is not None), "")
    region = next((str(r[1]) for r in rows if r[1] is not None), "")
    year_text = next((str(r[2])[:4] for r in rows if r[2] is not None), "")
    warnings = sorted({str(r[3]) for r in rows if r[3] is not None})
    return title, region, int(year_text) if year_text.isdigit() else None, warnings


def report_plan(store: LocalStore, report: str, *, lang: str = "zh") -> ReportPlan | None:
    """A report's sections → pillars → measures, each with the things it names and the targets it states;
    its main targets (those its plan section states outside any pillar or measure) first. None: no such report."""
    term = iri_term(report)
    title, region, year, warnings = _report_meta(store, term)
    if not title and not region and year is None and not warnings:
        if not _select(store, f"SELECT ?x WHERE {{ GRAPH {term} {{ {term} a pol:WorkReport }} }} LIMIT 1").rows:
            return None
    structure = _select(
        store,
        f"SELECT ?parent ?child ?rel ?ord ?cls ?b WHERE {{ GRAPH {term} {{ "
        "VALUES ?rel { pol:hasSection pol:hasPillar pol:hasMeasure pol:mentions pol:hasStatement } "
        "?parent ?rel ?child . ?child a ?cls . "
        "OPTIONAL { ?child pol:ordinal ?ord } "
        "OPTIONAL { ?child prov:wasDerivedFrom ?span . ?span nif:beginIndex ?b } } }",
    ).rows
    classes: dict[str, set[str]] = defaultdict(set)
    edges: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    order: dict[str, tuple[int, int]] = {}
    for parent, child, rel, ordinal, cls, begin in structure:
        child_iri = str(child)
        classes[child_iri].add(str(cls))
        edges[str(parent)][local_name(str(rel))].add(child_iri)
        key = (int(ordinal) if ordinal is not None else 0, int(begin) if begin is not None else 1 << 40)
        order[child_iri] = min(order.get(child_iri, key), key)
    statements = sorted({c for by in edges.values() for c in by.get("hasStatement", ())})
    surfaces = _surfaces(store, term, statements, lang)
    names = labels(store, [URIRef(i) for i in classes if i not in surfaces] + ([URIRef(region)] if region else []), lang=lang)
    if lang != "zh":  # the report's title in the reader's language (its @en label), where it has one
        shown = labels(store, [URIRef(report)], lang=lang).get(report, "")
        title = shown if shown and shown != prefixed_name(report) else title

    def sort_key(iri: str) -> tuple:
        return (*order.get(iri, (0, 0)), iri)

    def named(parent: str) -> tuple[list[Named], list[Named]]:
        things = [
            Named(i, names.get(i, i), primary_class(classes[i]))
            for i in sorted(edges[parent].get("mentions", ()), key=lambda i: (order.get(i, (0, 0))[1], i))
        ]
        things = [n for n in things if n.cls in TREE_CLASSES]
        targets = [
            Named(i, surfaces.get(i, i), "Target")
            for i in sorted(edges[parent].get("hasStatement", ()), key=lambda i: (order.get(i, (0, 0))[1], i))
            if POL_NS + "Target" in classes[i]
        ]
        return things, targets

    def node(iri: str, cls: str) -> PlanNode:
        kinds = sorted(local_name(c) for c in classes[iri] if c.startswith(POL_NS) and c != POL_NS + "Section")
        things, targets = named(iri)
        children = [node(p, "Pillar") for p in sorted(edges[iri].get("hasPillar", ()), key=sort_key)]
        children += [node(m, "Measure") for m in sorted(edges[iri].get("hasMeasure", ()), key=sort_key)]
        return PlanNode(iri, names.get(iri, local_name(iri)), cls, kinds[0] if kinds and cls == "Section" else "",
                        children, things, targets)

    sections = [node(s, "Section") for s in sorted(edges[report].get("hasSection", ()), key=sort_key)]
    main = [t for s in sections if s.kind in PLAN_KINDS for t in s.targets]
    return ReportPlan(report, title, names.get(region, ""), region, year, main, sections, warnings)


def _surfaces(store: LocalStore, term: str, statements: list[str], lang: str = "zh") -> dict[str, str]:
    """Each statement as a reader sees it: its indicator and its words as written (固定资产投资增长 · 增长8%以上);
    in English a standard indicator by its English name (Regional GDP growth · 5%左右)."""
    found: dict[str, str] = {}
    standard = (
        "OPTIONAL { ?st pol:standardIndicator ?si . ?si skos:prefLabel ?sl FILTER(LANGMATCHES(LANG(?sl), 'en')) } "
        if lang == "en" else ""
    )
    for chunk in _chunks(statements):
        rows = _select(
            store,
            f"SELECT ?st ?sf ?il ?sl WHERE {{ VALUES ?st {{ {_values(chunk)} }} GRAPH {term} {{ "
            "OPTIONAL { ?st pol:surfaceForm ?sf } "
            "OPTIONAL { ?st pol:indicator ?ind . ?ind skos:prefLabel ?il FILTER(LANGMATCHES(LANG(?il), 'zh-Hans')) } "
            f"{standard}}} }}",
        ).rows
        for st, surface, indicator, english in rows:
            words = [str(x) for x in (english or indicator, surface) if x is not None]
            text = " · ".join(dict.fromkeys(words))
            if text and (str(st) not in found or text < found[str(st)]):
                found[str(st)] = text
    return found


# --- what a report names ----------------------------------------------------------------------


@dataclass(frozen=True)
class EntityRow:
    """One entity with how many reports name it and how often (mentions: the stretches of text it was read from)."""

    iri: str
    cls: str
    reports: int
    mentions: int
    label: str = ""


@dataclass
class BrowseResult:
    rows: list[EntityRow]
    total: int
    facets: dict[str, list[tuple[str, str, int]]]  # facet → (value, label, entities)


@dataclass(frozen=True)
class _Mention:
    entity: str
    cls: str
    report: str
    mentions: int


def recorded(store: LocalStore) -> sqlite3.Connection | None:
    """The browse tables the writer recorded for the store's current generation (read-only), or None: a remote
    store, or a generation written before they existed."""
    root = getattr(store, "local_root", None)
    generation = store.generation() if root is not None else None
    return open_browse(Path(root) / GENERATIONS / generation) if generation else None


def is_recorded(store: LocalStore) -> bool:
    """Whether the browse view's counts are recorded for the store's current generation (see ``recorded``)."""
    db = recorded(store)
    if db is None:
        return False
    db.close()
    return True


def facet_names(store: LocalStore, *, lang: str = "zh") -> dict[str, dict[str, str]] | None:
    """Readers' names for the browse facets' values, from the recorded tables: each region (a facet value is its
    Chinese name) and each report (by IRI) as labelled in ``lang``, a report without one by its title; None where
    nothing was recorded."""
    db = recorded(store)
    if db is None:
        return None
    language = "en" if lang == "en" else "zh"
    with closing(db):
        rows = db.execute(
            "SELECT r.report, r.title, rl.label, zl.label, tl.label FROM browse_report r "
            "LEFT JOIN browse_label zl ON zl.iri = r.region AND zl.lang = 'zh' "
            "LEFT JOIN browse_label rl ON rl.iri = r.region AND rl.lang = ? "
            "LEFT JOIN browse_label tl ON tl.iri = r.report AND tl.lang = ? ORDER BY r.report",
            (language, language),
        ).fetchall()
    regions = {zh: shown or zh for _, _, shown, zh, _ in rows if zh}
    titles = {report: (shown or title) if language == "en" else title for report, title, _, _, shown in rows}
    return {"region": regions if language == "en" else {z: z for z in regions}, "report": titles}


def entity_mentions(
    store: LocalStore, reports: Iterable[str] | None = None, *, use_recorded: bool = True
) -> list[tuple[str, str, str, int]]:
    """(entity, class, report, mentions) for every entity of every report (or of the ``reports`` given: one report's
    page need not read the other reports), sorted. From the recorded tables where the store has them
    (``use_recorded=False``: never); else read report by report (a LATERAL join per report graph)."""
    db = recorded(store) if use_recorded else None
    if db is not None:
        with closing(db):
            if reports is None:
                return list(db.execute("SELECT entity, cls, report, mentions FROM browse_mention ORDER BY 1, 2, 3"))
            found = []
            for report in sorted(set(reports)):
                found += db.execute("SELECT entity, cls, report, mentions FROM browse_mention WHERE report = ?", (report,))
            return sorted(found)
    if reports is None:
        wanted = [str(r[0]) for r in _select(store, "SELECT DISTINCT ?r WHERE { ?r a pol:WorkReport }").rows]
    else:
        wanted = list(reports)
    classes = " ".join(f"pol:{c}" for c in ENTITY_CLASSES)
    counts: Counter = Counter()
    for chunk in _chunks(sorted(w for w in wanted if is_iri(w)), 50):
        rows = _select(
            store,
            f"SELECT ?report ?e ?c ?span WHERE {{ VALUES ?report {{ {_values(chunk)} }} "
            f"LATERAL {{ SELECT ?report ?e ?c ?span WHERE {{ GRAPH ?report {{ VALUES ?c {{ {classes} }} ?e a ?c "
            "OPTIONAL { ?e prov:wasDerivedFrom ?span } } } } }",
        ).rows
        for report, entity, cls, span in rows:
            counts[(str(entity), local_name(str(cls)), str(report))] += 0 if span is None else 1
    return sorted((e, c, r, n) for (e, c, r), n in counts.items())


def browse(
    store: LocalStore,
    mentions: Iterable[tuple[str, str, str, int]] | None = None,
    *,
    filters: dict[str, str] | None = None,
    text: str = "",
    limit: int | None = 50,
    offset: int = 0,
    lang: str = "zh",
    count_facets: bool = True,
) -> BrowseResult:
    """Entities filtered by class (local name), region (label), plan year and report (IRI), and by words in their
    names (simplified or traditional); most reports first, then most mentions, then by name. Each facet counts
    the entities under every other filter.

    ``mentions`` None: counted in SQL from the tables recorded with the store's generation where it has them,
    else from ``entity_mentions(store)``; given (``entity_mentions``' rows): counted from them, as the store says.
    ``count_facets=False``: the rows and total only (facets empty), e.g. for a download of every row."""
    filters = {k: v for k, v in (filters or {}).items() if k in BROWSE_FACETS and v}
    if mentions is None:
        db = recorded(store)
        if db is not None:
            with closing(db):
                return _browse_recorded(db, filters, text, limit, offset, lang, count_facets)
        mentions = entity_mentions(store, use_recorded=False)
    meta = {r.iri: r for r in reports(store)}
    items = [_Mention(*m) for m in mentions]
    names = labels(store, sorted({URIRef(m.entity) for m in items}), lang=lang)
    needle = normalize_query(text)
    if needle:
        items = [m for m in items if needle in names.get(m.entity, "").lower()]

    def keep(entity_cls: str, report: str, skip: str) -> bool:
        r = meta.get(report)
        values = {
            "cls": entity_cls,
            "region": r.region if r else "",
            "year": str(r.plan_year) if r and r.plan_year else "",
            "report": report,
        }
        return all(values[f] == v for f, v in filters.items() if f != skip)

    facets: dict[str, list[tuple[str, str, int]]] = {}
    for facet in BROWSE_FACETS if count_facets else ():
        seen: dict[str, set[str]] = defaultdict(set)
        for m in items:
            if not keep(m.cls, m.report, facet):
                continue
            r = meta.get(m.report)
            value = {
                "cls": m.cls,
                "region": r.region if r else "",
                "year": str(r.plan_year) if r and r.plan_year else "",
                "report": m.report,
            }[facet]
            if value:
                seen[value].add(m.entity)
        shown = {"report": {i: r.title for i, r in meta.items()}}.get(facet, {})
        facets[facet] = sorted(
            ((v, shown.get(v, v), len(es)) for v, es in seen.items()), key=lambda x: (-x[2], x[1], x[0])
        )
    per_entity: dict[tuple[str, str], tuple[set[str], int]] = {}
    for m in items:
        if keep(m.cls, m.report, ""):
            got = per_entity.setdefault((m.entity, m.cls), (set(), 0))
            got[0].add(m.report)
            per_entity[(m.entity, m.cls)] = (got[0], got[1] + m.mentions)
    rows = sorted(
        (EntityRow(e, c, len(rs), n, names.get(e, e)) for (e, c), (rs, n) in per_entity.items()),
        key=lambda r: (-r.reports, -r.mentions, r.label, r.iri, r.cls),
    )
    page = rows[offset : offset + limit] if limit is not None else rows[offset:]
    return BrowseResult(page, len(rows), facets)


def _browse_recorded(
    db: sqlite3.Connection, filters: dict[str, str], text: str, limit: int | None, offset: int, lang: str,
    count_facets: bool = True,
) -> BrowseResult:
    """``browse`` as SQL aggregates over the recorded tables (search.update_browse): the same rows, totals and
    facets. Each mention row carries its facets' values (an index per facet), and labels are joined to the
    entities once grouped, so a view reads each of its rows once."""
    language = "en" if lang == "en" else "zh"
    needle = normalize_query(text)

    def where(skip: str) -> tuple[str, list]:
        clauses, args = ["1"], []
        for facet, value in sorted(filters.items()):
            if facet != skip:
                clauses.append(f"m.{facet} = ?")
                args.append(value)
        if needle:  # words in the name in the reader's language, as the reader's label shows it
            clauses.append("m.entity IN (SELECT iri FROM browse_label WHERE lang = ? AND instr(folded, ?) > 0)")
            args += [language, needle]
        return " AND ".join(clauses), args

    facets: dict[str, list[tuple[str, str, int]]] = {}
    titles = dict(db.execute("SELECT report, title FROM browse_report")) if count_facets else {}
    for facet in BROWSE_FACETS if count_facets else ():
        clause, args = where(facet)
        counted = db.execute(
            f"SELECT m.{facet}, COUNT(DISTINCT m.entity) FROM browse_mention m WHERE {clause} AND m.{facet} != '' "
            f"GROUP BY m.{facet}",
            args,
        ).fetchall()
        shown = titles if facet == "report" else {}
        facets[facet] = sorted(
            ((str(v), shown.get(v, str(v)), int(n)) for v, n in counted), key=lambda x: (-x[2], x[1], x[0])
        )
    clause, args = where("")
    grouped = (
        f"SELECT m.entity, m.cls, COUNT(*) AS nr, SUM(m.mentions) AS nm FROM browse_mention m WHERE {clause} "
        "GROUP BY m.entity, m.cls"
    )
    total = db.execute(f"SELECT COUNT(*) FROM ({grouped})", args).fetchone()[0]
    rows = db.execute(
        f"SELECT g.entity, g.cls, g.nr, g.nm, COALESCE(l.label, g.entity) AS name FROM ({grouped}) g "
        "LEFT JOIN browse_label l ON l.iri = g.entity AND l.lang = ? "
        "ORDER BY g.nr DESC, g.nm DESC, name, g.entity, g.cls LIMIT ? OFFSET ?",
        [*args, language, -1 if limit is None else max(0, int(limit)), max(0, int(offset))],
    ).fetchall()
    return BrowseResult([EntityRow(e, c, int(nr), int(nm), name) for e, c, nr, nm, name in rows], total, facets)


def report_named(store: LocalStore, report: str, mentions: Iterable[tuple[str, str, str, int]], *, lang: str = "zh") -> dict[str, list[EntityRow]]:
    """What a report names, by class: each entity with its mentions in this report (most first)."""
    iri_term(report)
    by_class: dict[str, list[EntityRow]] = defaultdict(list)
    mine = [m for m in mentions if m[2] == report]
    names = labels(store, [URIRef(m[0]) for m in mine], lang=lang)
    for entity, cls, _, n in mine:
        by_class[cls].append(EntityRow(entity, cls, 1, n, names.get(entity, entity)))
    return {
        c: sorted(rows, key=lambda r: (-r.mentions, r.label, r.iri))
        for c, rows in sorted(by_class.items(), key=lambda kv: ENTITY_CLASSES.index(kv[0]) if kv[0] in ENTITY_CLASSES else 99)
    }


def rows_csv(rows: Iterable[EntityRow], *, header: tuple[str, ...] = ("iri", "label", "class", "reports", "mentions")) -> bytes:
    """Rows as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow((r.iri, r.label, r.cls, r.reports, r.mentions))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def where_named(store: LocalStore, iris: Iterable[str]) -> dict[str, list[str]]:
    """The reports (IRIs, sorted) whose graphs describe each IRI: where a label-search hit comes from."""
    wanted = sorted({i for i in iris if is_iri(i)})
    found: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(wanted):
        rows = _select(
            store,
            f"SELECT DISTINCT ?s ?g WHERE {{ VALUES ?s {{ {_values(chunk)} }} GRAPH ?g {{ ?s a ?c }} "
            "?g a pol:WorkReport }",
        ).rows
        for s, g in rows:
            found[str(s)].add(str(g))
    return {i: sorted(found.get(i, ())) for i in wanted}
