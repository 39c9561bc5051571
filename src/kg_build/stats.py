"""What a store holds: reports, quads, instances per class."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace

from kg_build.audit import audit_summaries
from kg_build.engine import run_query
from kg_build.engine.limits import own_query_limits
from kg_build.errors import QueryError
from kg_build.explore import PREFIX_HEADER, report_rows
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
    # the writer's default graph is the set union of the graphs: each (thing, class) is in it once, so COUNT(*)
    # counts instances (half the time of COUNT(DISTINCT) over every type triple: 0.4 s against 0.8 s at ten million quads)
    reports, classes = _counts(lambda text, union: _direct(store, text, union), graph_quads, set_union=True)
    previous, changed = store.recorded_before()
    known = {r["iri"]: r for r in (previous or {}).get("reports", []) if r.get("leftovers") is not None}
    todo = [r.iri for r in reports if r.iri in changed or r.iri not in known]
    fresh = audit_summaries(lambda text: _direct(store, text, False).rows, todo)
    audited = []
    for r in reports:
        summary = fresh.get(r.iri) or {k: known.get(r.iri, {}).get(k) for k in ("plan_coverage", "leftovers", "mismatches")}
        audited.append(replace(r, **summary))
    return {"reports": [asdict(r) for r in audited], "classes": [list(c) for c in classes],
            "report_rows": _report_rows(store, previous, changed, graph_quads)}


def _report_rows(store: Writer, previous: dict | None, changed: set[str], graph_quads: dict[str, int]) -> list[dict]:
    """The explorer's row of each report (``kg_build.explore.ReportRow``: region, plan year, level, counts), read anew
    for the graphs this build changed and carried over for the others, so no reader counts every report's graph."""
    known = {r["iri"]: r for r in (previous or {}).get("report_rows", []) if isinstance(r, dict) and "iri" in r}
    graphs = sorted(g for g in graph_quads if g != ONTOLOGY_GRAPH)
    todo = [g for g in graphs if g in changed or g not in known]
    fresh = {r.iri: asdict(r) for r in report_rows(lambda text: _direct(store, PREFIX_HEADER + text, True), todo)}
    rows = [fresh[g] if g in fresh else known[g] for g in graphs if g in fresh or g in known]
    return sorted(rows, key=lambda r: r["iri"])



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
            set_union: bool = False) -> tuple[list[ReportStats], list[tuple[str, int]]]:
    if graph_quads is None:
        sizes = select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", False)
        graph_quads = {str(g): int(n) for g, n in sizes.rows}
    graphs = sorted(g for g in graph_quads if g != ONTOLOGY_GRAPH)
    titles: dict[str, str] = {}
    warnings: dict[str, list[str]] = {}
    if graphs:
        found = select(
            f"SELECT ?g ?title WHERE {{ VALUES ?g {{ {' '.join(f'<{g}>' for g in graphs)} }} "
            "GRAPH ?g { ?g <http://www.w3.org/2004/02/skos/core#prefLabel> ?title "
            "FILTER(LANGMATCHES(LANG(?title), 'zh-Hans')) } }",
            False,
        )
        titles = {str(g): str(t) for g, t in found.rows}
        flagged = select(
            f"SELECT ?g ?w WHERE {{ VALUES ?g {{ {' '.join(f'<{g}>' for g in graphs)} }} "
            f"GRAPH ?g {{ ?g <{POL_NS}buildWarning> ?w }} }}",
            False,
        )
        for g, w in sorted((str(g), str(w)) for g, w in flagged.rows):
            warnings.setdefault(g, []).append(w)
    # each instance once, however many reports state its type; the ontology's own individuals
    # (pol:AtLeast a pol:Comparator …) are not data. Filters on STR() would cost a string per row: filtered here.
    counted = "COUNT(*)" if set_union else "COUNT(DISTINCT ?s)"  # a remote store's default graph may be a bag
    classes = select(f"SELECT ?c ({counted} AS ?n) WHERE {{ ?s a ?c }} GROUP BY ?c", True)
    own = select(f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s a ?c }} }} GROUP BY ?c", False)
    ontology_counts = {str(c): int(n) for c, n in own.rows}
    counts = [(str(c).removeprefix(POL_NS), int(n) - ontology_counts.get(str(c), 0))
              for c, n in classes.rows if str(c).startswith(POL_NS)]
    reports = sorted(
        (ReportStats(g.rsplit("/", 1)[-1], g, titles.get(g, ""), graph_quads[g], tuple(warnings.get(g, ())))
         for g in graphs),
        key=lambda r: r.report_id,
    )
    return reports, sorted(((c, n) for c, n in counts if n > 0), key=lambda cn: (-cn[1], cn[0]))
