"""SHACL validation of report graphs against ontology/shapes.ttl, with a readable report.

Two engines give the same violations: the shapes compiled to SPARQL (``validate.sparql``) and run
by Oxigraph on the store itself, and pySHACL on an in-memory copy. The compiled queries are the
default (a million quads in seconds, not minutes; benchmarks/results-validation.md); pySHACL
validates shapes files that use what the compiler does not express, and is the reference the
tests compare the queries with.
"""

from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from kg_build import resources
from kg_build.errors import InputError, PolicyKGError, QueryError, ReportNotFoundError
from kg_build.model.vocab import DATA_NS, ONTOLOGY_GRAPH, PREFIXES
from kg_build.store import Reader, SelectResult, Store
from kg_build.store.results import from_oxigraph
from kg_build.sparql import check_read_only
from kg_build.validate.sparql import FOCUS, Check, Unsupported, compile_shapes, subclass_closure

ENGINES = ("sparql", "pyshacl")  # the compiled queries (pySHACL where they cannot say), or pySHACL
Select = Callable[[str], SelectResult]
Copy = Callable[[str], bytes]  # a CONSTRUCT query's answer as N-Triples
VALIDATION_THREADS = 2  # checks run at once on a published store (a two-core machine's both cores)
# Changed graphs validated together (FROM each): one at a time is cheapest, as Oxigraph scans every FROM graph
# for every triple pattern (14 bundled reports: 4.4 s of CPU one by one, 5.4 s four at a time, 12.2 s all at once).
GRAPHS_PER_PASS = 1

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


class ValidationFailed(PolicyKGError):
    """A build's changed graphs do not conform: nothing was published (exit 1, as ``validate``)."""

    exit_code = 1


def validate_graph(
    data: Dataset | Graph,
    *,
    ontology_path: Path | None = None,
    shapes_path: Path | None = None,
    max_examples: int = 5,
    consume: bool = False,
    engine: str = "sparql",
) -> ValidationResult:
    """Validate the union of all graphs in ``data`` against the shapes, with the ontology's classes.

    The ontology is merged into a copy of the data so that ``sh:targetClass`` and
    ``sh:class`` follow ``rdfs:subClassOf``; no RDFS closure is computed, because
    inferring types from ``rdfs:range`` would make every ``sh:class`` check pass.
    ``consume=True`` (a plain Graph the caller will not use again) adds the ontology to ``data``
    itself instead of a copy. ``engine``: the compiled queries on an in-memory Oxigraph store
    (pySHACL where the shapes use what they do not express), or pySHACL. Oxigraph keeps the
    derived integer types as ``xsd:integer`` (``"47"^^xsd:nonNegativeInteger`` reads back as
    ``"47"^^xsd:integer``), as a store does: a value in the report can show that form.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    ontology = load_ontology(path=ontology_path)
    shapes = load_shapes(path=shapes_path)
    if consume and type(data) is Graph:
        union = data
        for triple in ontology:
            union.add(triple)
    else:
        union = _union_with(data, ontology)
    violations = None
    if engine == "sparql":
        store = ox.Store()
        store.load(union.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        violations = _run_compiled(lambda text: _select(from_oxigraph(store.query(text))), "", shapes)
    if violations is None:
        violations = _pyshacl(union, shapes)
    return _result(violations, max_examples)


def validate_store(
    store: Store, *, report: str | None = None, shapes_path: Path | None = None, max_examples: int = 5
) -> ValidationResult:
    """Validate a store (every report, or the one ``report`` names by id or IRI) where it is, by SPARQL.

    The queries are the library's own, compiled from the shapes (a SPARQL-based constraint's text is
    checked read-only, without SERVICE, first), and run in this process, like a build's counts: a
    worker per query would open the store ninety times. A shapes file the compiled queries cannot
    express is validated by pySHACL on the store's export instead.
    """
    shapes = load_shapes(path=shapes_path)
    graphs = None if report is None else [_report_graph(store, report)]

    def direct(text: str) -> SelectResult:
        return _select(store.query(text))

    def copy(text: str) -> bytes:
        return store.query_serialized(text, "application/n-triples")[1]

    if graphs is None:
        violations = _run_compiled(direct, "", shapes, copy, threads=VALIDATION_THREADS)
    else:
        violations = _run_in_passes(direct, graphs, shapes, copy)
    if violations is None:
        from kg_build.export import export_graph

        data = Graph()  # the report graphs merged; validate_graph adds the ontology itself
        data.parse(data=export_graph(store, fmt="ntriples", report=report).decode("utf-8"), format="nt")
        return validate_graph(data, shapes_path=shapes_path, max_examples=max_examples, consume=True, engine="pyshacl")
    return _result(violations, max_examples)


def validate_graphs(
    reader: Reader, graphs: Sequence[str], *, shapes_path: Path | None = None, max_examples: int = 5
) -> ValidationResult:
    """Validate only these named graphs (reports a build changed), each with the ontology graph, by SPARQL.

    ``reader`` is a store or a build's writer (its generation, not yet published, is queried
    directly). Graphs are validated one at a time, each with the ontology graph as the
    default graph: what ``kg-build validate --report`` checks for each. Shapes the compiled
    queries cannot express are validated by pySHACL on the graphs' triples.
    """
    shapes = load_shapes(path=shapes_path)

    def direct(text: str) -> SelectResult:
        return _select(reader.query(text))

    violations = _run_in_passes(direct, list(graphs), shapes) if graphs else []
    if violations is None:
        data = Graph()
        for graph in graphs:
            rows = direct(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
            for triple in rows:
                data.add(triple)  # type: ignore[arg-type]
        return validate_graph(data, shapes_path=shapes_path, max_examples=max_examples, consume=True, engine="pyshacl")
    return _result(violations, max_examples)


def fail_on_violations(reader: Reader, sources: Mapping[str, str], *, shapes_path: Path | None = None) -> None:
    """Raise ValidationFailed unless every graph conforms: one line naming the first report that does not, by its file.

    The check a build runs on the graphs it changed (``{graph IRI: source file}``) before it publishes them;
    each graph is checked with the ontology's, as ``kg-build validate --report`` checks it.
    """
    shapes = load_shapes(path=shapes_path)

    def direct(text: str) -> SelectResult:
        return _select(reader.query(text))

    for graph, source in sources.items():
        violations = _run_compiled(direct, _scope([graph]), shapes)
        result = _result(violations, 5) if violations is not None else validate_graphs(reader, [graph], shapes_path=shapes_path)
        if result.conforms:
            continue
        first = result.violations[0]
        where = f" {_compact(first.path)}" if first.path else ""
        raise ValidationFailed(
            f"{source}: its graph does not conform to the shapes ({len(result.violations)} violation(s); first: "
            f"{_compact(first.focus)}{where}: {' '.join(first.message.split())}); nothing was published"
        )


def _report_graph(store: Store, report: str) -> str:
    wanted = report if report.startswith(("http://", "https://")) else f"{DATA_NS}report/{report}"  # as model.iri mints it
    reports = [g for g in store.named_graphs() if g != ONTOLOGY_GRAPH]
    if wanted not in reports:
        ids = ", ".join(g.rsplit("/", 1)[-1] for g in reports) or "none"
        raise ReportNotFoundError(f"no report {report!r} in the store; the reports are: {ids}")
    return wanted


def _scope(graphs: Sequence[str] | None) -> str:
    """The dataset clause: these graphs and the ontology graph merged, or (None) the store's default graph."""
    if graphs is None:
        return ""
    return " ".join(f"FROM <{g}>" for g in [*graphs, ONTOLOGY_GRAPH])


def _select(result: object) -> SelectResult:
    if not isinstance(result, SelectResult):
        raise QueryError("the store answered a SELECT with something else; is it a SPARQL 1.1 store?")
    return result


def _run_in_passes(select: Select, graphs: list[str], shapes: Graph, copy: Copy | None = None) -> list[Violation] | None:
    found: set[Violation] = set()
    for start in range(0, len(graphs), GRAPHS_PER_PASS):
        violations = _run_compiled(select, _scope(graphs[start : start + GRAPHS_PER_PASS]), shapes, copy)
        if violations is None:
            return None
        found.update(violations)
    return list(found)


def compiled_checks(select: Select, scope: str, shapes: Graph) -> list[Check]:
    """The shapes as queries, their classes followed down the data's ``rdfs:subClassOf`` (Unsupported if they cannot be)."""
    pairs = select(f"SELECT DISTINCT ?s ?o {scope} WHERE {{ ?s <{RDFS.subClassOf}> ?o }}").rows
    return compile_shapes(shapes, subclass_closure((s, o) for s, o in pairs if s is not None and o is not None))


class _LocalCopy:
    """An in-memory copy of the triples the SPARQL-based constraints read, made once, with their focus nodes marked.

    Oxigraph fetches a string literal from disk on every row that uses it, and the span checks read
    a report's whole text once per span (8 of 18 s on 200,000 quads); in memory that costs little.
    """

    def __init__(self, copy: Copy, select: Select, scope: str, checks: list[Check]) -> None:
        self.copy, self.select, self.scope = copy, select, scope
        self.predicates = {id(c): c.predicates() for c in checks if c.template}
        self.store: ox.Store | None = None
        self.marked = 0
        self.lock = threading.Lock()  # checks may run on several threads: one copy, one marker each

    def rows(self, check: Check) -> SelectResult | None:
        """The check's rows from the copy, or None when it reads something the copy cannot hold."""
        if not self.predicates.get(id(check)):
            return None
        focus = [row[0] for row in self.select(check.focus_query(self.scope)).rows if row and row[0] is not None]
        if any(isinstance(node, BNode) for node in focus):  # a copy names blank nodes anew: ask the store
            return None
        with self.lock:
            if self.store is None:
                self.store = self._make()
            self.marked += 1
            marker = f"{FOCUS}/{self.marked}"
        kind = ox.NamedNode(str(RDF.type))
        self.store.bulk_extend(ox.Quad(_to_oxigraph(node), kind, ox.NamedNode(marker)) for node in focus)
        return _select(from_oxigraph(self.store.query(check.marked_query(marker))))

    def _make(self) -> ox.Store:
        wanted = sorted(set().union(*(p for p in self.predicates.values() if p)))
        values = " ".join(f"<{p}>" for p in wanted)
        store = ox.Store()
        data = self.copy(f"CONSTRUCT {{ ?s ?p ?o }} {self.scope} WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}")
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
        return store


def check_rows(select: Select, scope: str, check: Check, local: _LocalCopy | None = None) -> list[tuple[Node, Node | None, str]]:
    """One check's results: (focus node, value node or None, message); a SPARQL-based one from ``local`` if given."""
    if check.template:
        check_read_only(check.prologue + check.select + " WHERE { " + check.inner + " } " + check.tail)
    result = local.rows(check) if local is not None and check.template else None
    if result is None:
        result = select(check.query(scope))
    index = {name: i for i, name in enumerate(result.variables)}
    rows = []
    for row in result.rows:
        focus = row[index["this"]] if "this" in index else None
        if focus is None:
            continue
        value = row[index["value"]] if "value" in index else None
        message = check.message
        if check.template:
            message = _PLACEHOLDER.sub(
                lambda m: str(row[index[m.group(1)]]) if m.group(1) in index and row[index[m.group(1)]] is not None else m.group(0),
                message,
            )
        rows.append((focus, value, message))
    return rows


def _to_oxigraph(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)) if node.datatype else None)
    raise TypeError(f"unexpected term {node!r}")


@contextmanager
def _quiet_literals() -> Iterator[None]:
    """rdflib logs a traceback for every ill-formed literal it reads (``"2026-13-45"^^xsd:date``): the report says it."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _run_compiled(
    select: Select, scope: str, shapes: Graph, copy: Copy | None = None, *, threads: int = 1
) -> list[Violation] | None:
    """Every check's results as Violations (deduplicated), or None when the shapes cannot be compiled.

    ``threads`` > 1 runs that many checks at once (Oxigraph evaluates a query without holding the GIL);
    only for a reader that may be queried from several threads (a published store, not a build's writer).
    """
    try:
        checks = compiled_checks(select, scope, shapes)
    except Unsupported:
        return None
    with _quiet_literals():
        return _run_checks(select, scope, shapes, checks, copy, threads)


def _run_checks(
    select: Select, scope: str, shapes: Graph, checks: list[Check], copy: Copy | None, threads: int
) -> list[Violation]:
    local = _LocalCopy(copy, select, scope, checks) if copy is not None else None

    def run(check: Check) -> list[Violation]:
        if check.details:  # a detector: its checks run only where it finds something
            if not select(check.query(scope)).rows:
                return []
            return [v for detail in check.details for v in run(detail)]
        kind = _PLACEHOLDER.sub(r"<\1>", check.message) if check.template else None
        shape = _shape_name(check.shape, shapes)
        path = _full(check.path, graph=shapes) if check.path is not None else None
        severity = _local_name(check.severity)
        return [
            Violation(
                focus=_full(focus),
                path=path,
                message=message,
                severity=severity,
                shape=shape,
                value=_show(value) if value is not None and value != focus else None,
                kind=kind or message,
            )
            for focus, value, message in check_rows(select, scope, check, local)
        ]

    if threads > 1:
        # the first SPARQL-based check makes the copy while the other thread runs the rest; the others come last
        sparql = [c for c in checks if c.template]
        checks = sparql[:1] + [c for c in checks if not c.template] + sparql[1:]
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kg-validate") as pool:
            found = {v for batch in pool.map(run, checks) for v in batch}
    else:
        found = {v for check in checks for v in run(check)}
    return list(found)


def _pyshacl(union: Graph, shapes: Graph) -> list[Violation]:
    import pyshacl  # a second or more to import: only when the queries cannot do the work

    _conforms, results, _ = pyshacl.validate(
        union,
        shacl_graph=shapes,
        inference="none",
        inplace=True,
        abort_on_first=False,
        allow_warnings=False,
        advanced=False,
    )
    return _violations(results, shapes)


def _result(violations: list[Violation], max_examples: int) -> ValidationResult:
    ordered = sorted(violations, key=lambda v: (v.message, v.focus, v.path or "", v.value or "", v.shape))
    return ValidationResult(
        conforms=not ordered,  # as pySHACL with allow_warnings=False: any result fails
        violations=ordered,
        text=report_text(ordered, max_examples=max_examples),
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
