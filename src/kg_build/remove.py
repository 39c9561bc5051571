"""Removing reports from a store: a new generation without their graphs, published as a build's is.

The default graph stays the union of the graphs left: a fact another report also
states stays in it (``Writer.drop_graph``), and the search index forgets the
removed reports' sentences. A name the store does not hold stops the removal
before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg_build.errors import InputError, ReportNotFoundError, StoreMissingError
from kg_build.model.iri import report_iri
from kg_build.model.vocab import ONTOLOGY_GRAPH
from kg_build.stats import recorded_stats
from kg_build.store import Store


@dataclass(frozen=True)
class RemoveSummary:
    removed: list[str]  # graph IRIs, in the order given
    generation: str | None  # the store's generation after the removal


def report_graph(name: str, graphs: Sequence[str]) -> str:
    """The report graph a report id (``huli-2026``) or IRI names; ReportNotFoundError if the store has none."""
    wanted = name if name.startswith(("http://", "https://")) else str(report_iri(name))
    if wanted == ONTOLOGY_GRAPH or wanted not in graphs:
        ids = [g.rsplit("/", 1)[-1] for g in graphs if g != ONTOLOGY_GRAPH]
        listed = ", ".join(ids[:12]) + (f" and {len(ids) - 12} more" if len(ids) > 12 else "") if ids else "none"
        raise ReportNotFoundError(f"no report {name!r} in the store; the reports are: {listed}")
    return wanted


def remove_reports(store: Store, names: Sequence[str]) -> RemoveSummary:
    """Drop the named reports' graphs in one atomic publish; every other report stays as it was."""
    if not names:
        raise InputError("name at least one report to remove (its id, e.g. huli-2026, or its IRI)")
    if not store.exists():
        raise StoreMissingError(f"no store at {store.root}: there are no reports to remove")
    graphs = store.named_graphs()
    removed = list(dict.fromkeys(report_graph(name, graphs) for name in names))  # all checked before writing
    with store.writer() as writer:
        for graph in removed:
            writer.drop_graph(graph)
        writer.keep_stats(lambda graph_quads: recorded_stats(writer, graph_quads))
    return RemoveSummary(removed=removed, generation=store.generation())
