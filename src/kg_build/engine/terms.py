"""Terms as they travel from a worker: an IRI as its string, a literal or blank node as a short tuple.

Pickling rdflib terms costs several times more than pickling strings, and a page's answer repeats
the same IRIs and labels; so the worker sends plain values and the caller builds each distinct
rdflib term once (cached).
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Encoded = str | tuple


def encode(term: object) -> Encoded:
    """A pyoxigraph term: IRI -> "iri"; literal -> (value,) | (value, "@lang") | (value, datatype); blank -> ("_:", id, "")."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        if term.language:
            return (term.value, "@" + term.language)
        datatype = term.datatype.value
        return (term.value,) if datatype == XSD_STRING else (term.value, datatype)
    if isinstance(term, ox.BlankNode):
        return ("_:", term.value, "")
    raise TypeError(f"unexpected term {term!r}")


@lru_cache(maxsize=1 << 16)
def decode(encoded: Encoded) -> Node:
    """The rdflib term of an encoded one (cached: terms are immutable and repeat across rows)."""
    if isinstance(encoded, str):
        return URIRef(encoded)
    if len(encoded) == 1:
        return Literal(encoded[0])
    if len(encoded) == 3:
        return BNode(encoded[1])
    first, second = encoded
    if second.startswith("@"):
        return Literal(first, lang=second[1:])
    return Literal(first, datatype=URIRef(second))
