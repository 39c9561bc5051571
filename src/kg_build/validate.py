"""SHACL validation of report graphs against ontology/shapes.ttl, with a readable report."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg_build import resources
from kg_build.errors import InputError
from kg_build.model.vocab import PREFIXES

SHAPES_NS = "https://w3id.org/policy-kg/shapes#"
_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")

_CURIE_PREFIXES: list[tuple[str, str]] = sorted(
    [*PREFIXES.items(), ("polsh", SHAPES_NS), ("sh", str(SH))], key=lambda item: -len(item[1])
)


@dataclass(frozen=True)
class Violation:
    """One SHACL result: full IRIs of the focus node, path and shape; the offending value as short text."""

    focus: str
    path: str | None
    message: str
    severity: str
    shape: str
    value: str | None = None
    kind: str = ""  # the constraint's message template (``{?var}`` shown as ``<var>``): groups the report


@dataclass(frozen=True)
class ValidationResult:
    """Whether the data conforms, every violation (sorted), and a readable report."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    text: str = ""


def _parse_turtle(path: Path, *, what: str) -> Graph:
    """Parse a Turtle file, turning a missing or broken file into an InputError."""
    if not path.is_file():
        raise InputError(f"{what} file {path} does not exist; pass an existing Turtle file")
    try:
        return Graph().parse(path, format="turtle")
    except Exception as error:  # rdflib raises several unrelated types for bad syntax
        raise InputError(f"{what} file {path} is not valid Turtle: {error}") from error


def load_ontology(*, path: Path | None = None) -> Graph:
    """The pol: ontology as a graph (from ``ontology/policy-kg.ttl`` unless a path is given)."""
    return _parse_turtle(path or resources.ontology_file(), what="ontology")


def load_shapes(*, path: Path | None = None) -> Graph:
    """The SHACL shapes as a graph (from ``ontology/shapes.ttl`` unless a path is given)."""
    return _parse_turtle(path or resources.shapes_file(), what="shapes")


def _union_with(data: Dataset | Graph, ontology: Graph) -> Graph:
    """A fresh graph holding every triple of every graph of ``data`` plus the ontology."""
    union = Graph()
    if isinstance(data, (Dataset, ConjunctiveGraph)):
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
    else:
        for triple in data:
            union.add(triple)
    for triple in ontology:
        union.add(triple)
    return union


def validate_graph(
    data: Dataset | Graph,
    *,
    ontology_path: Path | None = None,
    shapes_path: Path | None = None,
    max_examples: int = 5,
    consume: bool = False,
) -> ValidationResult:
    """Validate the union of all graphs in ``data`` against the shapes, with the ontology's classes.

    The ontology is merged into a copy of the data so that ``sh:targetClass`` and
    ``sh:class`` follow ``rdfs:subClassOf``; no RDFS closure is computed, because
    inferring types from ``rdfs:range`` would make every ``sh:class`` check pass.
    ``consume=True`` (a plain Graph the caller will not use again) adds the ontology to ``data``
    itself instead: no copy (at a million triples, 15 s of 166 s; the peak memory is pySHACL's, not the copy's).
    """
    ontology = load_ontology(path=ontology_path)
    shapes = load_shapes(path=shapes_path)
    if consume and type(data) is Graph:
        union = data
        for triple in ontology:
            union.add(triple)
    else:
        union = _union_with(data, ontology)
    conforms, results, _ = pyshacl.validate(
        union,
        shacl_graph=shapes,
        inference="none",
        inplace=True,
        abort_on_first=False,
        allow_warnings=False,
        advanced=False,
    )
    violations = sorted(
        _violations(results, shapes),
        key=lambda v: (v.message, v.focus, v.path or "", v.value or "", v.shape),
    )
    return ValidationResult(
        conforms=bool(conforms),
        violations=violations,
        text=report_text(violations, max_examples=max_examples),
    )


def _violations(results: Graph, shapes: Graph) -> list[Violation]:
    """The sh:ValidationResult nodes of a pySHACL results graph as Violations (deduplicated)."""
    found: set[Violation] = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        message = results.value(result, SH.resultMessage)
        constraint = results.value(result, SH.sourceConstraint)
        template = shapes.value(constraint, SH.message) if constraint is not None else None
        text = str(message) if message is not None else "Constraint violated."
        focus = results.value(result, SH.focusNode)
        found.add(
            Violation(
                focus=_full(focus),
                path=_full(path, graph=results) if path is not None else None,
                message=text,
                severity=_local_name(severity) if severity is not None else "Violation",
                shape=_shape_name(results.value(result, SH.sourceShape), shapes),
                value=_show(value) if value is not None and value != focus else None,
                kind=_PLACEHOLDER.sub(r"<\1>", str(template)) if template is not None else text,
            )
        )
    return list(found)


def _shape_name(shape: Node | None, shapes: Graph) -> str:
    """A stable name for a shape: its IRI, or ``parent-IRI / path-IRI`` for an anonymous property shape."""
    if isinstance(shape, BNode):
        parents = sorted(str(p) for p in shapes.subjects(SH.property, shape) if isinstance(p, URIRef))
        path = shapes.value(shape, SH.path)
        owner = parents[0] if parents else "anonymous shape"
        return f"{owner} / {_full(path, graph=shapes)}" if path is not None else owner
    return _full(shape)


def _full(node: Node | None, *, graph: Graph | None = None) -> str:
    """An IRI as its full text; a blank node as a path in SPARQL syntax when possible, else ``[blank node]``."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, Literal):
        return _show(node)
    inverse = graph.value(node, SH.inversePath) if graph is not None else None
    if isinstance(inverse, URIRef):
        return f"^{inverse}"
    return "[blank node]"


def _compact(text: str) -> str:
    """Every full IRI in a focus, path or shape name shortened to a CURIE for the report."""
    return " / ".join(_curie(part) if "://" in part else part for part in text.split(" / "))


def _curie(iri: str) -> str:
    """``https://w3id.org/policy-kg/def#Place`` → ``pol:Place``; unknown namespaces stay in <>."""
    for prefix, namespace in _CURIE_PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def _local_name(iri: Node) -> str:
    """The part of an IRI after its last # or /."""
    text = str(iri)
    return text[max(text.rfind("#"), text.rfind("/")) + 1 :]


def _show(node: Node) -> str:
    """A value as short readable text: CURIEs for IRIs, quoted (and cut) literals."""
    if isinstance(node, URIRef):
        return _curie(str(node))
    if isinstance(node, Literal):
        text = str(node)
        shown = repr(text[:60] + "…" if len(text) > 60 else text)
        if node.language:
            return f"{shown}@{node.language}"
        if node.datatype is not None:
            return f"{shown}^^{_curie(str(node.datatype))}"
        return shown
    return "[blank node]"


def report_text(violations: list[Violation], *, max_examples: int = 5) -> str:
    """A readable report: one block per message, most frequent first, with a few examples each."""
    if not violations:
        return "Conforms: no violations."
    groups: dict[tuple[str, str], list[Violation]] = defaultdict(list)
    for violation in violations:
        groups[(violation.severity, violation.kind or violation.message)].append(violation)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    lines = [f"Does not conform: {len(violations)} results, {len(groups)} kinds of problem."]
    for (severity, kind), members in ordered:
        lines.append("")
        lines.append(f"[{severity}] x{len(members)}  {kind}")
        for example in members[:max_examples]:
            where = f" {_compact(example.path)}" if example.path else ""
            value = f" = {example.value}" if example.value else ""
            lines.append(f"    {_compact(example.focus)}{where}{value}   ({_compact(example.shape)})")
            if example.message != kind:
                lines.append(f"      {example.message}")
        if len(members) > max_examples:
            lines.append(f"    ... and {len(members) - max_examples} more")
    return "\n".join(lines)
