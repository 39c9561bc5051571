"""The one result type of every store's query: SELECT rows, CONSTRUCT/DESCRIBE triples or an ASK answer, as rdflib terms."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass
class SelectResult:
    variables: list[str]
    rows: list[tuple[Node | None, ...]]


@dataclass
class GraphResult:
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)


QueryResult = SelectResult | GraphResult | bool


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph | None) -> Node | None:
    """A pyoxigraph term as the equivalent rdflib term."""
    if term is None:
        return None
    return _to_rdflib(term)


@lru_cache(maxsize=1 << 16)
def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """Cached: result rows repeat the same IRIs and literals (classes, units, labels), and terms are immutable."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected term {term!r}")


def from_oxigraph(result: object) -> QueryResult:
    """A pyoxigraph query result (or parsed SPARQL results document) as a QueryResult."""
    if isinstance(result, bool):
        return result
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        # a solution iterates its values in the order of the variables (None where unbound): no lookup by name
        rows = [tuple(None if term is None else _to_rdflib(term) for term in sol) for sol in result]
        return SelectResult(variables, rows)
    if isinstance(result, ox.QueryTriples):
        return GraphResult([(_node(t.subject), _node(t.predicate), _node(t.object)) for t in result])
    raise TypeError(f"unexpected query result {type(result)!r}")


def triples_result(triples: Iterable[ox.Triple | ox.Quad]) -> GraphResult:
    """Parsed RDF triples (pyoxigraph) as a GraphResult."""
    return GraphResult([(_node(t.subject), _node(t.predicate), _node(t.object)) for t in triples])


def _node(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    return _to_rdflib(term)
