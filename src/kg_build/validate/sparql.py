"""SHACL shapes compiled to SPARQL SELECT queries that return the violations, run by the store itself.

Each constraint of each shape becomes one query whose rows are its results: ``?this`` (the
focus node) and, where SHACL reports one, ``?value``. The queries join the shape's targets
(``sh:targetClass`` with its subclasses, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``,
``sh:targetNode``) with the constraint, so a million quads are checked by Oxigraph's indexes
instead of node by node in Python. What is compiled is the Core that ``ontology/shapes.ttl``
uses, with SHACL's own semantics: value types (``sh:class``, ``sh:datatype``, ``sh:nodeKind``),
cardinality, value ranges, string tests (``sh:pattern``, ``sh:languageIn``, ``sh:uniqueLang``,
lengths), property pairs (``sh:lessThan(OrEquals)``, ``sh:disjoint``), ``sh:in``,
``sh:hasValue``, logical ones over shapes that test one node (``sh:or``, ``sh:and``,
``sh:not``, ``sh:xone``, ``sh:node``), qualified value shapes, and SPARQL-based constraints
(``sh:sparql`` with ``sh:select``: the focus node is joined, not pre-bound, which is the same
for queries that use ``$this`` only in their top-level pattern). A shapes graph that uses
anything else (a path other than an IRI or ``^IRI``, ``sh:closed``, ``sh:equals``, a shape
without ``sh:message``) raises ``Unsupported``: the caller validates with pySHACL instead.

``rdfs:subClassOf`` is read from the data (which holds the ontology) when the checks are
compiled: class targets and ``sh:class`` follow it, as SHACL says.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import count

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

SHAPES_CORE = str(SH)
FOCUS = "urn:x-policy-kg:focus"  # the class that marks focus nodes in a copy of the triples a check reads


class Unsupported(Exception):
    """The shapes use something these queries do not express exactly (the caller falls back to pySHACL)."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape as a query: its rows are ``?this`` and, where SHACL reports one, ``?value``."""

    shape: Node  # the source shape, a node of the shapes graph
    path: Node | None  # the result path (an IRI, or a blank node for ^IRI), None for a node shape
    component: str  # the constraint component's local name, e.g. MinCountConstraintComponent
    message: str  # sh:message; a template with {?var} for a SPARQL-based constraint
    severity: Node
    select: str  # the projection, e.g. "SELECT DISTINCT ?this ?value"
    where: str  # the group graph pattern, "{ … }"
    tail: str = ""  # GROUP BY / HAVING after the pattern
    prologue: str = ""  # PREFIX lines (SPARQL-based constraints)
    template: bool = False  # the message is a template to fill from the row
    target: str = ""  # the focus nodes' pattern (binds ?this)
    details: tuple[Check, ...] = ()  # a detector's checks, run only when it finds a focus node that may fail one
    inner: str = ""  # a SPARQL-based constraint's own pattern, without the target

    def query(self, scope: str = "") -> str:
        """The query text; ``scope`` is a dataset clause (``FROM <g> FROM <h>``) or empty for the default graph."""
        return f"{self.prologue}{self.select} {scope} WHERE {self.where} {self.tail}".strip()

    def focus_query(self, scope: str = "") -> str:
        """The focus nodes alone."""
        return f"SELECT ?this {scope} WHERE {self.target}"

    def marked_query(self, marker: str) -> str:
        """A SPARQL-based constraint run where its focus nodes are marked ``?this a <marker>`` (a copy of its triples)."""
        return f"{self.prologue}{self.select} WHERE {{ ?this a <{marker}> {{ {self.inner} }} }} {self.tail}".strip()

    def predicates(self) -> set[str] | None:
        """The predicates a SPARQL-based constraint reads, or None when it reads a variable one or a path."""
        from rdflib.paths import Path as PropertyPath
        from rdflib.plugins.sparql import prepareQuery
        from rdflib.term import Variable

        try:
            parsed = prepareQuery(f"{self.prologue}{self.select} WHERE {{ {self.inner} }} {self.tail}")
        except Exception:  # noqa: BLE001 - rdflib's parser raises several types; then run it on the store as it is
            return None
        found: set[str] = set()
        todo: list[object] = [parsed.algebra]
        while todo:
            node = todo.pop()
            if isinstance(node, dict):
                if getattr(node, "name", None) == "BGP":
                    for _s, p, _o in node.get("triples", []):
                        if isinstance(p, (Variable, PropertyPath)) or not isinstance(p, URIRef):
                            return None
                        found.add(str(p))
                todo.extend(node.values())
            elif isinstance(node, (list, tuple)):
                todo.extend(node)
        return found


def iri(node: Node) -> str:
    """A term in SPARQL syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        text = str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if node.language:
            return f'"{text}"@{node.language}'
        if node.datatype is not None and node.datatype != XSD.string:
            return f'"{text}"^^<{node.datatype}>'
        return f'"{text}"'
    raise Unsupported("a blank node where a constant is expected")


def subclass_closure(pairs: Iterable[tuple[Node, Node]]) -> dict[str, set[str]]:
    """``{class: every class that is it or below it}`` from ``(subclass, superclass)`` pairs."""
    below: dict[str, set[str]] = defaultdict(set)
    for sub, sup in pairs:
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            below[str(sup)].add(str(sub))
    closure: dict[str, set[str]] = {}
    for cls in list(below):
        seen, todo = {cls}, [cls]
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        closure[cls] = seen
    return closure


class Compiler:
    """Shapes graph + the data's class hierarchy → checks."""

    VALUE_KEYS = {
        SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.languageIn, SH.pattern, SH.flags,
        SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength,
        SH["or"], SH["and"], SH["not"], SH.xone, SH.node, SH.hasValue,
    }
    IGNORED = {
        RDF.type, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
        SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property, SH.path,
        SH.deactivated, SH.sparql, SH.declare, SH.prefixes,
    }
    PROPERTY_KEYS = {
        SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals, SH.disjoint,
        SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint,
    }

    def __init__(self, shapes: Graph, classes: dict[str, set[str]]) -> None:
        self.g = shapes
        self.classes = classes
        self._names = count()

    def var(self) -> str:
        return f"?_v{next(self._names)}"

    # which shapes, and their targets

    def compile(self) -> list[Check]:
        checks: list[Check] = []
        node_shapes = {s for s in self.g.subjects(RDF.type, SH.NodeShape)}
        for key in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property):
            node_shapes |= {s for s in self.g.subjects(key, None) if (s, SH.path, None) not in self.g}
        for shape in sorted(node_shapes, key=str):
            if self._deactivated(shape):
                continue
            if (shape, RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")) in self.g or (
                shape, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")
            ) in self.g:
                raise Unsupported(f"implicit class target on {shape}")
            if (shape, SH.target, None) in self.g:
                raise Unsupported("sh:target (SHACL-AF targets)")
            target = self.target(shape)
            if target is None:
                continue  # no targets: only used from other shapes (sh:xone, sh:node, …)
            checks += self.node_checks(shape, target)
            for prop in sorted(self.g.objects(shape, SH.property), key=str):
                if not self._deactivated(prop):
                    checks += self.property_checks(prop, target)
        return merge_detectors(checks)

    def keys(self, shape: Node) -> set[Node]:
        """The SHACL predicates of a shape (rdfs:comment and other annotations are not constraints)."""
        return {p for p in self.g.predicates(shape, None) if str(p).startswith(SHAPES_CORE)}

    def _deactivated(self, shape: Node) -> bool:
        return any(bool(v.toPython()) for v in self.g.objects(shape, SH.deactivated) if isinstance(v, Literal))

    def class_values(self, cls: Node) -> str:
        if not isinstance(cls, URIRef):
            raise Unsupported("a class that is not an IRI")
        return " ".join(f"<{c}>" for c in sorted(self.classes.get(str(cls), set()) | {str(cls)}))

    def target(self, shape: Node) -> str | None:
        parts = []
        classes = list(self.g.objects(shape, SH.targetClass))
        if classes:
            values = " ".join(sorted({v for c in classes for v in self.class_values(c).split(" ")}))
            t = self.var()
            parts.append(f"{{ VALUES {t} {{ {values} }} ?this a {t} }}")
        for node in sorted(self.g.objects(shape, SH.targetNode), key=str):
            parts.append(f"{{ VALUES ?this {{ {iri(node)} }} }}")
        for prop in sorted(self.g.objects(shape, SH.targetSubjectsOf), key=str):
            parts.append(f"{{ ?this {iri(prop)} {self.var()} }}")
        for prop in sorted(self.g.objects(shape, SH.targetObjectsOf), key=str):
            parts.append(f"{{ {self.var()} {iri(prop)} ?this }}")
        if not parts:
            return None
        return f"{{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(parts)} }} }}"

    # messages and severities

    def message(self, node: Node, fallback: Node | None = None) -> str:
        for where in (node, fallback):
            if where is None:
                continue
            messages = list(self.g.objects(where, SH.message))
            if len(messages) > 1:
                raise Unsupported(f"more than one sh:message on {where}")
            if messages:
                return str(messages[0])
        raise Unsupported(f"no sh:message on {node}")  # pySHACL's own wording is not reproduced

    def severity(self, shape: Node) -> Node:
        return self.g.value(shape, SH.severity) or SH.Violation

    # constraints that test one node at a time

    def node_expr(self, shape: Node, v: str) -> str:
        """A SPARQL expression: ``v`` conforms to ``shape`` (a shape that tests one node, with no properties)."""
        keys = self.keys(shape) - {SH.message, SH.severity, SH.name, SH.description}
        if keys - self.VALUE_KEYS - {SH.deactivated}:
            raise Unsupported(f"shape {shape} tests more than its node: {sorted(map(str, keys - self.VALUE_KEYS))}")
        if self._deactivated(shape):
            return "true"
        exprs = [self.value_expr(shape, key, v) for key in sorted(keys & self.VALUE_KEYS, key=str) if key != SH.flags]
        return "(" + " && ".join(exprs) + ")" if exprs else "true"

    def value_expr(self, shape: Node, key: Node, v: str) -> str:
        """The expression of one value constraint of ``shape`` on the node in ``v`` (true = conforms)."""
        g = self.g
        arg = g.value(shape, key)
        if key == SH["class"]:
            parts = []
            for cls in sorted(g.objects(shape, key), key=str):
                t = self.var()
                parts.append(f"EXISTS {{ VALUES {t} {{ {self.class_values(cls)} }} {v} a {t} }}")
            return "(" + " && ".join(parts) + ")"
        if key == SH.datatype:
            return f"(isLiteral({v}) && sameTerm(DATATYPE({v}), {iri(arg)}){self.well_formed(arg, v)})"
        if key == SH.nodeKind:
            tests = {
                SH.IRI: f"isIRI({v})", SH.BlankNode: f"isBlank({v})", SH.Literal: f"isLiteral({v})",
                SH.BlankNodeOrIRI: f"(isBlank({v}) || isIRI({v}))", SH.BlankNodeOrLiteral: f"(isBlank({v}) || isLiteral({v}))",
                SH.IRIOrLiteral: f"(isIRI({v}) || isLiteral({v}))",
            }
            if arg not in tests:
                raise Unsupported(f"sh:nodeKind {arg}")
            return tests[arg]
        if key == SH["in"]:
            members = list(Collection(g, arg))
            return "(" + (" || ".join(f"sameTerm({v}, {iri(m)})" for m in members) or "false") + ")"
        if key == SH.hasValue:
            return f"sameTerm({v}, {iri(arg)})"
        if key == SH.languageIn:
            ranges = [str(r) for r in Collection(g, arg)]
            tests = " || ".join(f"langMatches(LANG({v}), {iri(Literal(r))})" for r in ranges) or "false"
            return f"(isLiteral({v}) && ({tests}))"
        if key == SH.pattern:
            flags = g.value(shape, SH.flags)
            extra = f", {iri(Literal(str(flags)))}" if flags is not None else ""
            return f"(!isBlank({v}) && REGEX(STR({v}), {iri(Literal(str(arg)))}{extra}))"
        comparisons = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
        if key in comparisons:
            return f"COALESCE({v} {comparisons[key]} {iri(arg)}, false)"
        if key in (SH.minLength, SH.maxLength):
            op = ">=" if key == SH.minLength else "<="
            return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(arg)})"
        if key == SH.node:
            return self.node_expr(arg, v)
        if key == SH["not"]:
            return f"!{self.node_expr(arg, v)}"
        if key in (SH["or"], SH["and"], SH.xone):
            members = [self.node_expr(m, v) for m in Collection(g, arg)]
            if key == SH["or"]:
                return "(" + (" || ".join(members) or "false") + ")"
            if key == SH["and"]:
                return "(" + (" && ".join(members) or "true") + ")"
            return "((" + " + ".join(f"IF({m}, 1, 0)" for m in members) + ") = 1)" if members else "false"
        raise Unsupported(f"constraint {key}")

    @staticmethod
    def well_formed(datatype: Node, v: str) -> str:
        """For the XSD types a cast checks: the literal's lexical form is valid (SHACL counts an ill-formed one as a violation).

        Not xsd:gYear, though Oxigraph casts it: rdflib (so pySHACL) takes ``"20x6"^^xsd:gYear`` as well-formed,
        and the two engines are to give the same report.
        """
        casts = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.date, XSD.dateTime, XSD.time}
        if datatype in casts:
            return f" && COALESCE(BOUND({v}) && !sameTerm(<{datatype}>(STR({v})), <urn:x-none>), false)"
        return ""

    def component(self, key: Node) -> str:
        names = {
            SH["class"]: "Class", SH.datatype: "Datatype", SH.nodeKind: "NodeKind", SH["in"]: "In",
            SH.hasValue: "HasValue", SH.languageIn: "LanguageIn", SH.pattern: "Pattern",
            SH.minInclusive: "MinInclusive", SH.maxInclusive: "MaxInclusive", SH.minExclusive: "MinExclusive",
            SH.maxExclusive: "MaxExclusive", SH.minLength: "MinLength", SH.maxLength: "MaxLength", SH.node: "Node",
            SH["not"]: "Not", SH["or"]: "Or", SH["and"]: "And", SH.xone: "Xone",
        }
        return names[key] + "ConstraintComponent"

    def node_checks(self, shape: Node, target: str) -> list[Check]:
        """A node shape's own constraints (on the focus node itself) and its SPARQL-based constraints."""
        keys = self.keys(shape) - self.IGNORED
        unknown = keys - self.VALUE_KEYS
        if unknown:
            raise Unsupported(f"node shape {shape}: {sorted(map(str, unknown))}")
        checks = []
        for key in sorted(keys - {SH.flags}, key=str):
            if key == SH.hasValue:
                test = f"FILTER NOT EXISTS {{ VALUES ?this {{ {iri(self.g.value(shape, key))} }} }}"
            else:
                test = f"FILTER (!{self.value_expr(shape, key, '?this')})"
            checks.append(Check(shape, None, self.component(key), self.message(shape), self.severity(shape),
                                "SELECT DISTINCT ?this", f"{{ {target} {test} }}"))
        for constraint in sorted(self.g.objects(shape, SH.sparql), key=str):
            if not self._deactivated(constraint):
                checks.append(self.sparql_check(shape, constraint, target))
        return checks

    # property shapes

    def path_pattern(self, path: Node | None, value: str) -> str:
        if isinstance(path, URIRef):
            return f"?this <{path}> {value}"
        inverse = self.g.value(path, SH.inversePath) if isinstance(path, BNode) else None
        if isinstance(inverse, URIRef) and len(list(self.g.predicate_objects(path))) == 1:
            return f"{value} <{inverse}> ?this"
        raise Unsupported(f"sh:path {path!r}: only an IRI or [ sh:inversePath IRI ]")

    def property_checks(self, prop: Node, target: str) -> list[Check]:
        g = self.g
        path = g.value(prop, SH.path)
        keys = self.keys(prop) - self.IGNORED
        unknown = keys - self.VALUE_KEYS - self.PROPERTY_KEYS
        if unknown:
            raise Unsupported(f"property shape {prop}: {sorted(map(str, unknown))}")
        if g.value(prop, SH.sparql) is not None:
            raise Unsupported("sh:sparql on a property shape")
        message, severity = self.message(prop), self.severity(prop)
        values = self.path_pattern(path, "?value")
        checks: list[Check] = []

        def add(component: str, select: str, where: str, tail: str = "") -> None:
            checks.append(Check(prop, path, component, message, severity, select, where, tail))

        for key in sorted(keys & self.VALUE_KEYS - {SH.flags}, key=str):
            if key == SH.hasValue:
                add("HasValueConstraintComponent", "SELECT DISTINCT ?this",
                    f"{{ {target} FILTER NOT EXISTS {{ {self.path_pattern(path, iri(g.value(prop, key)))} }} }}")
                continue
            add(self.component(key), "SELECT DISTINCT ?this ?value",
                f"{{ {target} {values} FILTER (!{self.value_expr(prop, key, '?value')}) }}")
        for low in g.objects(prop, SH.minCount):
            n = int(low)
            if n == 1:
                add("MinCountConstraintComponent", "SELECT DISTINCT ?this", f"{{ {target} FILTER NOT EXISTS {{ {values} }} }}")
            elif n > 1:
                add("MinCountConstraintComponent", "SELECT ?this", f"{{ {target} OPTIONAL {{ {values} }} }}",
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})")
        for high in g.objects(prop, SH.maxCount):
            add("MaxCountConstraintComponent", "SELECT ?this", f"{{ {target} {values} }}",
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {int(high)})")
        if any(bool(v.toPython()) for v in g.objects(prop, SH.uniqueLang)):
            other = self.var()
            add("UniqueLangConstraintComponent", "SELECT DISTINCT ?this",
                f"{{ {target} {values} . {self.path_pattern(path, other)} "
                f"FILTER (isLiteral(?value) && isLiteral({other}) && !sameTerm(?value, {other}) && LANG(?value) != \"\" "
                f"&& LCASE(LANG(?value)) = LCASE(LANG({other}))) }}")
        for key, test in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
            for other_prop in g.objects(prop, key):
                other = self.var()
                add(f"{'LessThan' if key == SH.lessThan else 'LessThanOrEquals'}ConstraintComponent",
                    "SELECT DISTINCT ?this ?value",
                    f"{{ {target} {values} . ?this {iri(other_prop)} {other} "
                    f"FILTER (!COALESCE(?value {test} {other}, false)) }}")
        for other_prop in g.objects(prop, SH.disjoint):
            add("DisjointConstraintComponent", "SELECT DISTINCT ?this ?value",
                f"{{ {target} {values} . ?this {iri(other_prop)} ?value }}")
        qualified = g.value(prop, SH.qualifiedValueShape)
        if qualified is not None:
            if any(bool(v.toPython()) for v in g.objects(prop, SH.qualifiedValueShapesDisjoint)):
                raise Unsupported("sh:qualifiedValueShapesDisjoint")
            conforms = self.node_expr(qualified, "?value")
            counted = f"{{ {target} OPTIONAL {{ {values} FILTER ({conforms}) }} }}"
            for key, op, name in ((SH.qualifiedMinCount, "<", "QualifiedMinCount"), (SH.qualifiedMaxCount, ">", "QualifiedMaxCount")):
                for bound in g.objects(prop, key):
                    add(f"{name}ConstraintComponent", "SELECT ?this", counted,
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {int(bound)})")
        return self.detected(prop, target, values, keys, checks)

    DETECTED = {
        "MinCountConstraintComponent", "MaxCountConstraintComponent", "UniqueLangConstraintComponent",
        "QualifiedMinCountConstraintComponent", "QualifiedMaxCountConstraintComponent",
    }

    def detected(self, prop: Node, target: str, values: str, keys: set[Node], checks: list[Check]) -> list[Check]:
        """The property shape's checks that one grouped pass over its values can find, behind that pass.

        A healthy store is read once per property shape instead of once per constraint (the
        per-constraint queries, which say which value fails, run only where the pass finds a
        focus node that may fail one): half the time of ``validate`` on a million quads.
        """
        g = self.g
        value_keys = keys & self.VALUE_KEYS - {SH.flags, SH.hasValue}
        grouped = [c for c in checks if c.component in self.DETECTED
                   or c.component in {self.component(k) for k in value_keys}]
        if len(grouped) < 2:
            return checks
        u = self.var()  # never bound: an IF that yields it is not counted
        conditions = [f"COUNT(DISTINCT ?value) < {int(n)}" for n in g.objects(prop, SH.minCount)]
        conditions += [f"COUNT(DISTINCT ?value) > {int(n)}" for n in g.objects(prop, SH.maxCount)]
        if value_keys:
            exprs = " && ".join(self.value_expr(prop, k, "?value") for k in sorted(value_keys, key=str))
            conditions.append(f"COUNT(IF(BOUND(?value) && COALESCE(!({exprs}), true), 1, {u})) > 0")
        if any(bool(v.toPython()) for v in g.objects(prop, SH.uniqueLang)):
            tagged = 'isLiteral(?value) && LANG(?value) != ""'
            conditions.append(f"COUNT(DISTINCT IF({tagged}, ?value, {u})) > COUNT(DISTINCT IF({tagged}, LCASE(LANG(?value)), {u}))")
        qualified = g.value(prop, SH.qualifiedValueShape)
        if qualified is not None:
            conforms = f"COUNT(DISTINCT IF(BOUND(?value) && COALESCE({self.node_expr(qualified, '?value')}, false), ?value, {u}))"
            conditions += [f"{conforms} < {int(n)}" for n in g.objects(prop, SH.qualifiedMinCount)]
            conditions += [f"{conforms} > {int(n)}" for n in g.objects(prop, SH.qualifiedMaxCount)]
        detector = replace(
            grouped[0], component="detector", select="SELECT ?this", where=f"{{ {target} OPTIONAL {{ {values} }} }}",
            tail=f"GROUP BY ?this HAVING ({' || '.join(conditions)})", details=tuple(grouped),
        )
        return [detector, *(c for c in checks if c not in grouped)]

    # SPARQL-based constraints

    def prefixes(self, constraint: Node) -> str:
        lines = []
        for ontology in self.g.objects(constraint, SH.prefixes):
            for declaration in self.g.objects(ontology, SH.declare):
                prefix, namespace = self.g.value(declaration, SH.prefix), self.g.value(declaration, SH.namespace)
                if prefix is not None and namespace is not None:
                    lines.append(f"PREFIX {prefix}: <{namespace}>\n")
        return "".join(sorted(set(lines)))

    def sparql_check(self, shape: Node, constraint: Node, target: str) -> Check:
        text = self.g.value(constraint, SH.select)
        if text is None:
            raise Unsupported("a SPARQL constraint without sh:select")
        text = str(text)
        if re.search(r"[$?](PATH|currentShape|shapesGraph)\b", text):
            raise Unsupported("$PATH, $currentShape or $shapesGraph in a SPARQL constraint")
        brace = text.find("{")
        head = text[:brace]
        where = re.search(r"\bWHERE\s*$", head, re.IGNORECASE)
        select = head[: where.start()] if where else head
        if not re.match(r"\s*SELECT\b", select, re.IGNORECASE):
            raise Unsupported("a SPARQL constraint that is not one SELECT")
        body = text[brace + 1 :]
        close = body.rfind("}")
        tail = body[close + 1 :]
        body = body[:close]
        return Check(
            shape, None, "SPARQLConstraintComponent", self.message(constraint, shape), self.severity(shape),
            select.strip(), f"{{ {target} {{ {body} }} }}", tail.strip(), self.prefixes(constraint), template=True,
            target=target, inner=body,
        )


def merge_detectors(checks: list[Check]) -> list[Check]:
    """Detectors of one path on one target (two property shapes of ``skos:prefLabel``) as one pass over its values."""
    merged: dict[str, Check] = {}
    out: list[Check] = []
    prefix = "GROUP BY ?this HAVING ("
    for check in checks:
        if not check.details or not check.tail.startswith(prefix):
            out.append(check)
            continue
        first = merged.get(check.where)
        if first is None:
            merged[check.where] = check
            out.append(check)
            continue
        both = replace(first, tail=f"{first.tail[:-1]} || {check.tail[len(prefix):]}", details=first.details + check.details)
        merged[check.where] = both
        out[out.index(first)] = both
    return out


def compile_shapes(shapes: Graph, classes: dict[str, set[str]]) -> list[Check]:
    """Every active shape's constraints as checks (Unsupported when the shapes use more than these express)."""
    return Compiler(shapes, classes).compile()
