"""Canonical N-Quads lines for rdflib terms: the byte form a report graph is stored and compared in."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.term import BNode, Literal, Node, URIRef

Quad = tuple[Node, Node, Node, URIRef]

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def term_nt(term: Node) -> str:
    """One term in N-Triples syntax (strings escaped on one line, never triple-quoted)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        body = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{body}^^<{term.datatype}>"
        return body
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def quad_line(quad: Quad) -> str:
    s, p, o, g = quad
    return f"{term_nt(s)} {term_nt(p)} {term_nt(o)} {term_nt(g)} .\n"


def serialize(quads: Iterable[Quad]) -> bytes:
    """Sorted, de-duplicated N-Quads: the same quads always give the same bytes."""
    return "".join(sorted({quad_line(q) for q in quads})).encode("utf-8")
