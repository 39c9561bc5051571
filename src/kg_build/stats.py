"""What a store holds: reports, quads, instances per class, things per property."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace

from kg_build.audit import audit_summaries
from kg_build.engine import run_query
from kg_build.engine.limits import own_query_limits
from kg_build.errors import QueryError
from kg_build.explore import PREFIX_HEADER, _chunks, report_rows, string_term
from kg_build.model.vocab import ONTOLOGY_GRAPH, POL_NS
from kg_build.store import Reader, SelectResult, Store, Writer


@dataclass(frozen=True)
class ReportStats:
    report_id: str
    iri: str
    title: str
    quads: int
    warnings: tuple[str, ...] = ()  # pol:buildWarning codes: what the report's graph may be missing
    # the coverage audit's summary (kg_build.audit), recorded by the build; None when the store has no record of it
    plan_coverage: float | None = None
    leftovers: int | None = None
    mismatches: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "warnings", tuple(self.warnings))  # a list when read back from a record


@dataclass(frozen=True)
class StoreStats:
    location: str
    generation: str | None
    quads: int
    reports: list[ReportStats]
    classes: list[tuple[str, int]]


def store_stats(store: Store) -> StoreStats:
    """Counts for `kg-build stats` and the app's overview page (read from the generation's record when it has one).

    A local store is opened and its graphs compared with the record first, so a damaged store
    raises StoreDamagedError instead of being shown healthy from the recorded counts.
    """
    store.verify_graphs()
    recorded = store.info().get("stats")
    if recorded:
        known = {f.name for f in fields(ReportStats)}
        reports = [ReportStats(**{k: v for k, v in r.items() if k in known}) for r in recorded["reports"]]
        classes = [(c, n) for c, n in recorded["classes"]]
    else:  # a store written without a build's record: counted now (graph sizes from the writer's record if any)
        sizes = store.info().get("graph_quads")
        reports, classes = _counts(lambda text, _union: _guarded(store, text), sizes)
    return StoreStats(
        location=str(store.root),
        generation=store.generation(),
        quads=store.quad_count(),
        reports=reports,
        classes=classes,
    )


def recorded_stats(store: Writer, graph_quads: dict[str, int]) -> dict:
    """The counts a build records in the generation it writes (it knows each graph's size), so readers need not scan.

    With them each report's audit summary: audited anew for the graphs this build changed, carried over from the
    previous record for the others (auditing every report of a million-quad store takes seconds).
    """
    previous, changed = store.recorded_before()
    by_change = _classes_by_change(store, previous, changed, graph_quads)
    known = {r["iri"]: r for r in (previous or {}).get("reports", []) if isinstance(r, dict) and "iri" in r}
    # the writer's default graph is the set union of the graphs: each (thing, class) is in it once, so COUNT(*)
    # counts instances (half the time of COUNT(DISTINCT) over every type triple: 0.4 s against 0.8 s at ten million
    # quads); a build that changed a few graphs counts by change instead, and the reports it did not change keep
    # their recorded titles and warnings
    reports, classes = _counts(lambda text, union: _direct(store, text, union), graph_quads, set_union=True,
                               classes=by_change is None, known={g: r for g, r in known.items() if g not in changed})
    classes = classes if by_change is None else by_change
    audited_before = {iri: r for iri, r in known.items() if r.get("leftovers") is not None}
    todo = [r.iri for r in reports if r.iri in changed or r.iri not in audited_before]
    fresh = audit_summaries(lambda text: _values(store, text), todo)  # plain text: no rdflib terms made
    audited = []
    for r in reports:
        summary = fresh.get(r.iri) or {k: audited_before.get(r.iri, {}).get(k)
                                       for k in ("plan_coverage", "leftovers", "mismatches")}
        audited.append(replace(r, **summary))
    return {"reports": [asdict(r) for r in audited], "classes": [list(c) for c in classes],
            "report_rows": _report_rows(store, previous, changed, graph_quads),
            "target_indicators": _target_indicators(store, previous, changed, graph_quads),
            **_property_counts(store, previous, changed, graph_quads)}


# --- instances of each class, counted by change ---------------------------------------------------------------------
#
# The store's default graph is the set union of its graphs, and a class's count is the (thing, class) pairs in it
# (less the ontology's own). A build that changed graphs C changes the union only by pairs its graphs stated before
# or state now that no other graph states: with O the pairs C's graphs stated (read as each was dropped), N those
# they state now and R every other graph's, the count moves by |N - O - R| - |O - N - R|. Counting the union took
# 0.4 s at ten million quads; by change, an added report costs a lookup per thing it types.


def _classes_by_change(store: Writer, previous: dict | None, changed: set[str],
                       graph_quads: dict[str, int]) -> list[tuple[str, int]] | None:
    """The record's class counts moved by this build's changes; None when they must be counted over the store (no
    record before, or more graphs changed than the writer kept). The ontology graph, written by every build, is
    one of the changed graphs; its own pairs, which the counts leave out, are taken out as they changed too."""
    before_types = getattr(store, "types_before", None)
    before = before_types() if callable(before_types) else None
    counts_before = (previous or {}).get("classes")
    if before is None or not isinstance(counts_before, list) or not all(
            isinstance(c, list) and len(c) == 2 and isinstance(c[0], str) and isinstance(c[1], int)
            for c in counts_before):
        return None
    old = {pair for pairs in before.values() for pair in pairs}
    now_by_graph: dict[str, set[tuple[str, str]]] = {}
    for chunk in _chunks(sorted(g for g in changed if g in graph_quads)):
        text = (f"SELECT ?g ?s ?c WHERE {{ VALUES ?g {{ {' '.join(f'<{g}>' for g in chunk)} }} "
                f"GRAPH ?g {{ ?s a ?c }} }}")
        for g, subject, cls in store.query(text, union_default=False).rows:
            now_by_graph.setdefault(str(g), set()).add((_nt(subject), _nt(cls)))
    now = {pair for pairs in now_by_graph.values() for pair in pairs}
    moved = [(pair, +1) for pair in now - old] + [(pair, -1) for pair in old - now]
    elsewhere = _stated_elsewhere(store, [pair for pair, _ in moved if pair[0].startswith("<")
                                          and pair[1].startswith(f"<{POL_NS}")], changed)
    steps = [(cls, step) for (subject, cls), step in moved if (subject, cls) not in elsewhere]
    ontology_old, ontology_new = before.get(ONTOLOGY_GRAPH, set()), now_by_graph.get(ONTOLOGY_GRAPH, set())
    steps += [(cls, -1) for _, cls in ontology_new - ontology_old] + [(cls, +1) for _, cls in ontology_old - ontology_new]
    counts = {c: n for c, n in counts_before}
    for cls, step in steps:
        if cls.startswith(f"<{POL_NS}"):
            name = cls[1:-1].removeprefix(POL_NS)
            counts[name] = counts.get(name, 0) + step
    return sorted(((c, n) for c, n in counts.items() if n > 0), key=lambda cn: (-cn[1], cn[0]))


def _nt(term: object) -> str:
    """A term as N-Triples writes it (``<iri>``, ``_:id``): how the writer keeps the pairs it read before."""
    return term.n3()  # type: ignore[attr-defined] - an rdflib URIRef or BNode


def _stated_elsewhere(store: Writer, pairs: list[tuple[str, str]], changed: set[str]) -> set[tuple[str, str]]:
    """The (thing, class) pairs that some graph not changed by this build states too (the ontology's included)."""
    found: set[tuple[str, str]] = set()
    skipped = ", ".join(f"<{g}>" for g in sorted(changed))
    for chunk in _chunks(sorted(set(pairs))):
        rows = " ".join(f"({s} {c})" for s, c in chunk)
        text = (f"SELECT DISTINCT ?s ?c WHERE {{ VALUES (?s ?c) {{ {rows} }} GRAPH ?g {{ ?s a ?c }} "
                f"FILTER(?g NOT IN ({skipped})) }}")
        found |= {(_nt(s), _nt(c)) for s, c in store.query(text, union_default=False).rows}
    return found


def _report_rows(store: Writer, previous: dict | None, changed: set[str], graph_quads: dict[str, int]) -> list[dict]:
    """The explorer's row of each report (``kg_build.explore.ReportRow``: region, plan year, level, counts), read anew
    for the graphs this build changed and carried over for the others, so no reader counts every report's graph."""
    known = {r["iri"]: r for r in (previous or {}).get("report_rows", []) if isinstance(r, dict) and "iri" in r}
    graphs = sorted(g for g in graph_quads if g != ONTOLOGY_GRAPH)
    todo = [g for g in graphs if g in changed or g not in known]
    fresh = {r.iri: asdict(r) for r in report_rows(lambda text: _direct(store, PREFIX_HEADER + text, True), todo)}
    rows = [fresh[g] if g in fresh else known[g] for g in graphs if g in fresh or g in known]
    return sorted(rows, key=lambda r: r["iri"])




def _target_indicators(store: Writer, previous: dict | None, changed: set[str],
                       graph_quads: dict[str, int]) -> dict[str, dict[str, list[str]]]:
    """Each report graph's targets by area: {graph: {area: [standard indicators]}} (``kg_build.outcomes.
    indicator_choices`` lists their union), read anew for the graphs this build changed and carried over for the
    others: read over the whole store it took 0.4 s at ten million quads, on the first visit to the figures page."""
    known = (previous or {}).get("target_indicators")
    known = known if isinstance(known, dict) else {}
    graphs = sorted(g for g in graph_quads if g != ONTOLOGY_GRAPH)
    kept = {g: known[g] for g in graphs if g not in changed and isinstance(known.get(g), dict)}
    todo = [g for g in graphs if g not in kept]
    fresh: dict[str, dict[str, set[str]]] = {g: {} for g in todo}
    for chunk in _chunks(todo):
        text = (f"SELECT DISTINCT ?g ?area ?std WHERE {{ VALUES ?g {{ {' '.join(f'<{g}>' for g in chunk)} }} "
                f"GRAPH ?g {{ ?t <{POL_NS}standardIndicator> ?std ; a <{POL_NS}Target> ; <{POL_NS}refArea> ?area }} }}")
        for graph, area, std in _values(store, text):
            if graph in fresh and area is not None and std is not None:
                fresh[graph].setdefault(area, set()).add(std)
    kept.update({g: {area: sorted(stds) for area, stds in sorted(areas.items())} for g, areas in fresh.items()})
    return {g: kept[g] for g in graphs}  # every graph, those with no target too: carried over as known


# --- how many things have each property (the ontology page's counts), kept per changed graph -------------------
#
# The things that have a property p are of two kinds. Those a report's graph *owns* (its own IRI, an IRI under it:
# ``…/report/x/statement/3``, or a blank node, which lives in one load) are stated in that graph only as far as p
# is concerned, so each graph's count of them is added up; a graph's count is read when the graph changes and
# carried over otherwise. The others (a place, a company, an honour …, named by many reports, or a report's thing
# named by another report) are kept by IRI: those from the previous record and those the changed graphs name are
# looked up again, so one that no graph names any more goes. Counted so, a build reads the graphs it changed and a
# few thousand shared things, never every quad (counting every property over ten million quads takes 1.5 s).


def property_terms() -> list[str]:
    """The properties counted: the ontology's (the ontology page shows each with its count)."""
    from kg_build.ontology_page import shipped_ontology  # noqa: PLC0415 - parses the ontology: only when counting

    return sorted(t.iri for t in shipped_ontology().terms if not t.is_class)


def _values(store: Reader, text: str) -> list[tuple[str | None, ...]]:
    """A SELECT's rows as plain text (the writer's ``query_values`` when it has one: no rdflib terms made)."""
    plain = getattr(store, "query_values", None)
    if plain is not None:
        return plain(text)
    return [tuple(None if v is None else str(v) for v in row) for row in _direct(store, text, True).rows]


def _owner(subject: str, graphs: set[str]) -> str | None:
    """The graph that owns a subject by its IRI (itself, or an IRI under it), if the store holds that graph."""
    if subject in graphs:
        return subject
    at = subject.rfind("/")
    while at > 0:
        if subject[:at] in graphs:
            return subject[:at]
        at = subject.rfind("/", 0, at)
    return None


def _property_counts(store: Writer, previous: dict | None, changed: set[str], graph_quads: dict[str, int]) -> dict:
    """``properties``: [[local name, things that have it]] (the store's count, exact). What the next build carries
    over: ``property_owned`` (each graph's counts of the things it owns, one per property of ``property_terms``,
    in that order) and ``property_shared`` (the other things, by property)."""
    terms = property_terms()
    names = {iri: iri.removeprefix(POL_NS) for iri in terms}
    order = [names[t] for t in terms]
    previous = previous or {}
    same_terms = previous.get("property_terms") == order
    owned_before = previous.get("property_owned") if same_terms else None
    shared_before = previous.get("property_shared") if same_terms else None
    if not _kept_shape(owned_before, shared_before):  # an older record (or none): every graph counted anew
        owned_before, shared_before, changed = {}, {}, set(graph_quads)
    graphs = set(graph_quads)
    owned = {g: counts for g, counts in owned_before.items()
             if g in graphs and g not in changed and len(counts) == len(order)}
    todo = sorted(g for g in graphs if g not in owned)
    # A thing the previous record counted as shared stays so unless this build changed what states it: a graph it
    # replaced or dropped stated it before, or a changed graph owns it now or did (its IRI lies under that graph's).
    # Only those are looked up again, with what the changed graphs state now; the rest are carried over (at ten
    # million quads of county reports the shared things are 24,000, and looking each up took 1.9 s a build).
    before = getattr(store, "subjects_before", lambda: None)()
    unsettled = None if before is None else set().union(*before.values())
    kept: dict[str, set[str]] = {name: set() for name in names.values()}
    candidates: dict[str, set[str]] = {name: set() for name in names.values()}
    for name in names.values():
        for subject in shared_before.get(name) or ():
            settled = unsettled is not None and subject not in unsettled and _owner(subject, changed) is None
            (kept if settled else candidates)[name].add(subject)
    values = " ".join(f"<{t}>" for t in terms)
    for graph in todo:
        # counted in the store, not carried out row by row (a third less time); a blank node lives in one load
        mine = f"isBLANK(?s) || ?s = <{graph}> || STRSTARTS(STR(?s), {string_term(graph + '/')})"
        counts = {prop: int(n) for prop, n in _values(
            store, f"SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?p {{ {values} }} GRAPH <{graph}> "
                   f"{{ ?s ?p ?o }} FILTER({mine}) }} GROUP BY ?p") if prop is not None and n is not None}
        owned[graph] = [counts.get(iri, 0) for iri in terms]
        for subject, prop in _values(store, f"SELECT DISTINCT ?s ?p WHERE {{ VALUES ?p {{ {values} }} "
                                            f"GRAPH <{graph}> {{ ?s ?p ?o }} FILTER(!({mine})) }}"):
            if subject is not None and prop in names:
                candidates[names[prop]].add(subject)
    shared = _still_shared(store, candidates, names, graphs)
    for name, subjects in kept.items():
        shared[name] |= subjects
    totals = {name: sum(counts[i] for counts in owned.values()) for i, name in enumerate(order)}
    for name, subjects in shared.items():
        totals[name] += len(subjects) - _owned_too(store, name, subjects, graphs)
    return {
        "properties": sorted(([n, c] for n, c in totals.items() if c > 0), key=lambda nc: (-nc[1], nc[0])),
        "property_terms": order,
        "property_owned": dict(sorted(owned.items())),
        "property_shared": {name: sorted(subjects) for name, subjects in sorted(shared.items()) if subjects},
    }


def _kept_shape(owned: object, shared: object) -> bool:
    """Whether the previous record's per-graph counts and shared things are what this code writes."""
    def counts(value: object) -> bool:
        return isinstance(value, list) and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in value)
    return (isinstance(owned, dict) and all(counts(v) for v in owned.values())
            and isinstance(shared, dict) and all(isinstance(v, list) and all(isinstance(i, str) for i in v)
                                                 for v in shared.values()))


def _still_shared(store: Writer, candidates: dict[str, set[str]], names: dict[str, str],
                  graphs: set[str]) -> dict[str, set[str]]:
    """Of the candidate (thing, property) pairs, those some graph that does not own the thing still states."""
    iris = {name: iri for iri, name in names.items()}
    shared: dict[str, set[str]] = {name: set() for name in names.values()}
    everywhere = sorted({s for subjects in candidates.values() for s in subjects})
    found: set[tuple[str, str]] = set()
    for chunk in _chunks(everywhere):
        # the things' own triples (a lookup each), their properties picked here: VALUES ?p would scan each property
        text = f"SELECT DISTINCT ?s ?p WHERE {{ VALUES ?s {{ {' '.join(f'<{s}>' for s in chunk)} }} ?s ?p ?o }}"
        found |= {(s, p) for s, p in _values(store, text) if p in names}
    maybe_owned: list[tuple[str, str, str]] = []  # (thing, property, its owner): does another graph state it?
    for name, subjects in candidates.items():
        for subject in subjects:
            if (subject, iris[name]) not in found:
                continue  # no graph states it any more
            owner = _owner(subject, graphs)
            if owner is None:
                shared[name].add(subject)
            else:
                maybe_owned.append((subject, iris[name], owner))
    for chunk in _chunks(sorted(maybe_owned)):
        rows = " ".join(f"(<{s}> <{p}> <{g}>)" for s, p, g in chunk)
        text = (f"SELECT DISTINCT ?s ?p WHERE {{ VALUES (?s ?p ?owner) {{ {rows} }} "
                f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != ?owner) }}")
        for s, p in _values(store, text):
            shared[names[p]].add(s)
    return shared


def _owned_too(store: Writer, name: str, subjects: set[str], graphs: set[str]) -> int:
    """How many of these shared things their owner's graph states too (counted there already)."""
    pairs = sorted((s, owner) for s in subjects if (owner := _owner(s, graphs)) is not None)
    counted = 0
    for chunk in _chunks(pairs):
        rows = " ".join(f"(<{s}> <{g}>)" for s, g in chunk)
        text = (f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES (?s ?g) {{ {rows} }} "
                f"GRAPH ?g {{ ?s <{POL_NS}{name}> ?o }} }}")
        counted += sum(int(n) for (n,) in _values(store, text) if n is not None)
    return counted


def _guarded(store: Store, text: str) -> SelectResult:
    """A reader's count through the one guarded query path (a sandboxed worker, its limits), local or remote."""
    run = run_query(store, text, own_query_limits())
    if run.form != "SELECT":
        raise QueryError("the store answered a SELECT with something else; is it a SPARQL 1.1 store?")
    return SelectResult(run.variables, run.rows)


def _direct(store: Reader, text: str, union_default: bool) -> SelectResult:
    """A build's count of the generation it is writing (not yet published, so no worker can open it)."""
    result = store.query(text, union_default=union_default)
    assert isinstance(result, SelectResult)
    return result


def _counts(select: Callable[[str, bool], SelectResult], graph_quads: dict[str, int] | None = None, *,
            set_union: bool = False, classes: bool = True,
            known: dict[str, dict] | None = None) -> tuple[list[ReportStats], list[tuple[str, int]]]:
    """Each report's title, size and warnings, and the instances of each pol: class (when ``classes``). ``known``:
    reports recorded before whose graphs did not change (their titles and warnings are not read again)."""
    if graph_quads is None:
        sizes = select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", False)
        graph_quads = {str(g): int(n) for g, n in sizes.rows}
    graphs = sorted(g for g in graph_quads if g != ONTOLOGY_GRAPH)
    known = {g: r for g, r in (known or {}).items() if isinstance(r.get("title"), str)
             and isinstance(r.get("warnings", []), list)}
    titles: dict[str, str] = {g: known[g]["title"] for g in graphs if g in known and known[g]["title"]}
    warnings: dict[str, list[str]] = {g: list(known[g].get("warnings") or []) for g in graphs if g in known}
    warnings = {g: w for g, w in warnings.items() if w}
    read = [g for g in graphs if g not in known]
    if read:
        found = select(
            f"SELECT ?g ?title WHERE {{ VALUES ?g {{ {' '.join(f'<{g}>' for g in read)} }} "
            "GRAPH ?g { ?g <http://www.w3.org/2004/02/skos/core#prefLabel> ?title "
            "FILTER(LANGMATCHES(LANG(?title), 'zh-Hans')) } }",
            False,
        )
        titles.update({str(g): str(t) for g, t in found.rows})
        flagged = select(
            f"SELECT ?g ?w WHERE {{ VALUES ?g {{ {' '.join(f'<{g}>' for g in read)} }} "
            f"GRAPH ?g {{ ?g <{POL_NS}buildWarning> ?w }} }}",
            False,
        )
        for g, w in sorted((str(g), str(w)) for g, w in flagged.rows):
            warnings.setdefault(g, []).append(w)
    # each instance once, however many reports state its type; the ontology's own individuals
    # (pol:AtLeast a pol:Comparator …) are not data. Filters on STR() would cost a string per row: filtered here.
    counts: list[tuple[str, int]] = []
    if classes:
        counted = "COUNT(*)" if set_union else "COUNT(DISTINCT ?s)"  # a remote store's default graph may be a bag
        found = select(f"SELECT ?c ({counted} AS ?n) WHERE {{ ?s a ?c }} GROUP BY ?c", True)
        own = select(f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s a ?c }} }} "
                     "GROUP BY ?c", False)
        ontology_counts = {str(c): int(n) for c, n in own.rows}
        counts = [(str(c).removeprefix(POL_NS), int(n) - ontology_counts.get(str(c), 0))
                  for c, n in found.rows if str(c).startswith(POL_NS)]
    reports = sorted(
        (ReportStats(g.rsplit("/", 1)[-1], g, titles.get(g, ""), graph_quads[g], tuple(warnings.get(g, ())))
         for g in graphs),
        key=lambda r: r.report_id,
    )
    return reports, sorted(((c, n) for c, n in counts if n > 0), key=lambda cn: (-cn[1], cn[0]))
