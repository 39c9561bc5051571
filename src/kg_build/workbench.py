"""The workbench's side of a user's query: its limits, and its results as CSV, JSON and Turtle downloads.

Queries run through ``kg_build.engine.run_query`` (the one guarded path: canonical text checked and
run in a sandboxed worker that a time limit kills). Nothing here imports Streamlit.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg_build.engine import QueryLimits, QueryRun, WorkerPool, default_pool, timeout_ceiling_s
from kg_build.engine import run_query as run_engine_query
from kg_build.engine.limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S
from kg_build.model.vocab import PREFIXES

SHOWN_ROWS = 10_000  # rows the app shows
MAX_ROWS = DEFAULT_MAX_ROWS  # rows a download holds at most

__all__ = [
    "DEFAULT_TIMEOUT_S", "MAX_ROWS", "SHOWN_ROWS", "QueryRun", "WorkerPool", "default_pool", "max_timeout_s",
    "run_query", "to_csv", "to_json", "to_turtle",
]


def max_timeout_s() -> int:
    """The longest time limit the workbench offers: the operator's ceiling ($KG_QUERY_TIMEOUT_CEILING_S)."""
    return max(1, int(timeout_ceiling_s()))


def run_query(
    store_path: Path,
    text: str,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_rows: int = MAX_ROWS,
    pool: WorkerPool | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> QueryRun:
    """A user's query under the workbench's limits (QueryError, a subclass per kind, when refused or stopped)."""
    limits = QueryLimits(timeout_s=timeout_s, max_rows=max_rows)
    return run_engine_query(store_path, text, limits, pool=pool, on_wait=on_wait)


# --- downloads -------------------------------------------------------------------------------


def _csv_cell(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_csv(run: QueryRun) -> bytes:
    """SPARQL 1.1 CSV results: IRIs and lexical forms, every row read (not only the rows shown)."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if run.form == "ASK":
        writer.writerow(["boolean"])
        writer.writerow(["true" if run.boolean else "false"])
    elif run.form == "SELECT":
        writer.writerow(run.variables)
        writer.writerows([_csv_cell(t) for t in row] for row in run.rows)
    else:
        writer.writerow(["subject", "predicate", "object"])
        writer.writerows([_csv_cell(t) for t in triple] for triple in run.triples)
    return buffer.getvalue().encode("utf-8")


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    cell = {"type": "literal", "value": str(term)}
    if term.language:
        cell["xml:lang"] = term.language
    elif term.datatype is not None:
        cell["datatype"] = str(term.datatype)
    return cell


def to_json(run: QueryRun) -> bytes:
    """SPARQL 1.1 JSON results (SELECT, ASK); for graphs, a list of {subject, predicate, object}."""
    if run.form == "ASK":
        data: object = {"head": {}, "boolean": bool(run.boolean)}
    elif run.form == "SELECT":
        data = {
            "head": {"vars": run.variables},
            "results": {
                "bindings": [
                    {v: _json_term(t) for v, t in zip(run.variables, row) if t is not None} for row in run.rows
                ]
            },
        }
    else:
        data = [
            {"subject": _json_term(s), "predicate": _json_term(p), "object": _json_term(o)} for s, p, o in run.triples
        ]
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def to_turtle(run: QueryRun) -> bytes:
    """The triples of a CONSTRUCT or DESCRIBE as Turtle with the project's prefixes."""
    graph = Graph()
    for prefix, ns in sorted(PREFIXES.items()):
        graph.bind(prefix, ns, override=True)
    for triple in run.triples:
        graph.add(triple)
    return graph.serialize(format="turtle").encode("utf-8")
