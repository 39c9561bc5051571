"""What a store holds: reports, quads, instances per class."""

from __future__ import annotations

from dataclasses import dataclass

from kg_build.model.vocab import ONTOLOGY_GRAPH, POL_NS
from kg_build.store import LocalStore, SelectResult


@dataclass(frozen=True)
class ReportStats:
    report_id: str
    iri: str
    title: str
    quads: int


@dataclass(frozen=True)
class StoreStats:
    location: str
    generation: str | None
    quads: int
    reports: list[ReportStats]
    classes: list[tuple[str, int]]


def store_stats(store: LocalStore) -> StoreStats:
    """Counts for `kg-build stats` and the app's overview page."""
    per_graph = store.query(
        "SELECT ?g ?n ?title WHERE { { SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g } "
        "OPTIONAL { GRAPH ?g { ?g <http://www.w3.org/2004/02/skos/core#prefLabel> ?title "
        "FILTER(LANGMATCHES(LANG(?title), 'zh-Hans')) } } }",
        union_default=False,
    )
    classes = store.query(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?c }} FILTER(?g != <{ONTOLOGY_GRAPH}>) "
        f"FILTER(STRSTARTS(STR(?c), '{POL_NS}')) }} GROUP BY ?c ORDER BY DESC(?n) ?c",
        union_default=False,
    )
    assert isinstance(per_graph, SelectResult) and isinstance(classes, SelectResult)
    reports = sorted(
        (
            ReportStats(str(g).rsplit("/", 1)[-1], str(g), str(t) if t is not None else "", int(n))
            for g, n, t in per_graph.rows
            if str(g) != ONTOLOGY_GRAPH
        ),
        key=lambda r: r.report_id,
    )
    return StoreStats(
        location=str(store.root),
        generation=store.generation(),
        quads=store.quad_count(),
        reports=reports,
        classes=[(str(c).removeprefix(POL_NS), int(n)) for c, n in classes.rows],
    )
