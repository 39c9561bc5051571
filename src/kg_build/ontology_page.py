"""The ontology as a reader sees it: its classes and properties with their labels, comments and alignments
(read from the shipped ``ontology/policy-kg.ttl``), how many instances of each the store holds (the counts the
build recorded, else one grouped query on the guarded path), the query that lists them, and a self-contained
HTML rendering of it all (``kg-build export --format ontology-html``). Nothing here imports Streamlit.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from kg_build.engine import run_query
from kg_build.explore import EXPLORER_LIMITS, prefixed_name
from kg_build.model.vocab import ONTOLOGY_GRAPH, POL_NS, PREFIXES
from kg_build.resources import ontology_file
from kg_build.store import Store

DCT_TITLE = URIRef(PREFIXES["dct"] + "title")
DCT_DESCRIPTION = URIRef(PREFIXES["dct"] + "description")
OWL_VERSION = OWL.versionInfo
# The kinds of term shown, in the order they are shown.
KINDS: dict[URIRef, str] = {OWL.Class: "class", OWL.ObjectProperty: "object", OWL.DatatypeProperty: "datatype"}


@dataclass(frozen=True)
class Term:
    """One class or property of the ontology."""

    iri: str
    kind: str  # "class", "object" (an object property) or "datatype" (a datatype property)
    labels: tuple[tuple[str, str], ...]  # (language tag, label), sorted
    comments: tuple[tuple[str, str], ...]
    parents: tuple[str, ...]  # rdfs:subClassOf / rdfs:subPropertyOf: its alignments
    domains: tuple[str, ...] = ()
    ranges: tuple[str, ...] = ()

    @property
    def is_class(self) -> bool:
        return self.kind == "class"

    @property
    def name(self) -> str:
        return prefixed_name(self.iri)

    def label(self, lang: str = "zh") -> str:
        return _in_language(self.labels, lang) or self.name

    def comment(self, lang: str = "zh") -> str:
        return _in_language(self.comments, lang)


@dataclass(frozen=True)
class Ontology:
    iri: str
    version: str
    titles: tuple[tuple[str, str], ...]
    description: str
    terms: tuple[Term, ...]

    def title(self, lang: str = "zh") -> str:
        return _in_language(self.titles, lang) or self.iri


def _in_language(values: tuple[tuple[str, str], ...], lang: str) -> str:
    """The value in the reader's language (zh: zh-Hans first), else English, else any."""
    order = ("zh-hans", "zh", "en") if lang != "en" else ("en", "zh-hans", "zh")
    by_tag = {tag.lower(): text for tag, text in values}
    for tag in order:
        if tag in by_tag:
            return by_tag[tag]
    return values[0][1] if values else ""


def _texts(graph: Graph, subject: URIRef, predicate: URIRef) -> tuple[tuple[str, str], ...]:
    found = graph.objects(subject, predicate)
    return tuple(sorted((o.language or "", str(o)) for o in found if isinstance(o, Literal)))


def _iris(graph: Graph, subject: URIRef, predicate: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in graph.objects(subject, predicate) if isinstance(o, URIRef)))


def read_ontology(turtle: bytes) -> Ontology:
    """The ontology's pol: classes and properties: classes, then object, then datatype properties, each by name."""
    graph = Graph()
    graph.parse(data=turtle, format="turtle")
    terms = []
    for kind_iri, kind in KINDS.items():
        parent = RDFS.subClassOf if kind == "class" else RDFS.subPropertyOf
        for subject in sorted({s for s in graph.subjects(RDF.type, kind_iri) if str(s).startswith(POL_NS)}):
            terms.append(
                Term(
                    iri=str(subject), kind=kind, labels=_texts(graph, subject, RDFS.label),
                    comments=_texts(graph, subject, RDFS.comment), parents=_iris(graph, subject, parent),
                    domains=_iris(graph, subject, RDFS.domain), ranges=_iris(graph, subject, RDFS.range),
                )
            )
    me = URIRef(ONTOLOGY_GRAPH)
    description = _in_language(_texts(graph, me, DCT_DESCRIPTION), "en")
    version = next((str(v) for v in graph.objects(me, OWL_VERSION)), "")
    return Ontology(ONTOLOGY_GRAPH, version, _texts(graph, me, DCT_TITLE), description, tuple(terms))


@lru_cache(maxsize=1)
def shipped_ontology() -> Ontology:
    """The ontology the package ships (the one every build loads into the store's ontology graph)."""
    return read_ontology(ontology_file().read_bytes())


# --- the store: instance counts and the query listing them -------------------------------------


def instance_counts(store: Store, terms: tuple[Term, ...] | list[Term]) -> dict[str, int]:
    """How many things the store holds of each class, and how many things have each property.

    Read from the counts the build recorded in the generation (``kg_build.stats.recorded_stats``) when it has them,
    so no reader counts over the store (1.5 s at ten million quads); else counted now, in one grouped query (a
    remote store, or one written without the record).
    """
    recorded = _recorded_counts(store, terms)
    if recorded is not None:
        return recorded
    return counted_instances(store, terms)


def _recorded_counts(store: Store, terms: tuple[Term, ...] | list[Term]) -> dict[str, int] | None:
    info = store.info() if hasattr(store, "info") else {}
    stats = info.get("stats") if isinstance(info, dict) else None
    if not isinstance(stats, dict) or "properties" not in stats or "classes" not in stats:
        return None
    recorded = {POL_NS + name: int(n) for name, n in (*stats["classes"], *stats["properties"])}
    # the recorded class counts leave out the ontology's own individuals (pol:AtLeast a pol:Comparator): added back,
    # from the ontology's graph (a few hundred quads), so a count is what the term's listing query finds
    own = run_query(store, f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s a ?c }} }} "
                           "GROUP BY ?c", EXPLORER_LIMITS)
    individuals = {str(c): int(n) for c, n in own.rows}
    return {t.iri: recorded.get(t.iri, 0) + (individuals.get(t.iri, 0) if t.is_class else 0) for t in terms}


def counted_instances(store: Store, terms: tuple[Term, ...] | list[Term]) -> dict[str, int]:
    """``instance_counts`` counted over the store now (one grouped query), whatever the store recorded."""
    classes = " ".join(f"<{t.iri}>" for t in terms if t.is_class)
    properties = " ".join(f"<{t.iri}>" for t in terms if not t.is_class)
    parts = []
    if classes:
        parts.append(f"{{ VALUES ?t {{ {classes} }} ?s a ?t }}")
    if properties:
        parts.append(f"{{ VALUES ?t {{ {properties} }} ?s ?t ?o }}")
    if not parts:
        return {}
    query = f"SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {' UNION '.join(parts)} }} GROUP BY ?t"
    run = run_query(store, query, EXPLORER_LIMITS)
    counts = {t.iri: 0 for t in terms}
    for term, count in run.rows:
        counts[str(term)] = int(count)
    return counts


def instances_query(term: Term) -> str:
    """A SPARQL query listing a class's instances, or the things that have a property with its values."""
    head = f"PREFIX pol: <{POL_NS}>\n"
    if term.is_class:
        return head + f"SELECT DISTINCT ?s WHERE {{\n  ?s a {term.name} .\n}}\nORDER BY ?s\nLIMIT 1000\n"
    return head + f"SELECT ?s ?value WHERE {{\n  ?s {term.name} ?value .\n}}\nORDER BY ?s\nLIMIT 1000\n"


# --- the HTML rendering ------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;max-width:72rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.5}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2.5rem}
.term{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.term h3{margin:.2rem 0}.term code{background:#f4f4f4;padding:0 .2rem}
dl{display:grid;grid-template-columns:9rem 1fr;gap:.2rem .8rem;margin:.4rem 0}dt{color:#666}dd{margin:0}
nav ul{columns:3;list-style:none;padding:0}.zh{color:#555}
"""

_KIND_TITLES = {"class": "Classes", "object": "Object properties", "datatype": "Datatype properties"}


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _ref(iri: str, own: set[str]) -> str:
    """A term named in the page: a link to its entry when it is one of ours, else its IRI as a link."""
    name = _e(prefixed_name(iri))
    target = f"#{_e(prefixed_name(iri).split(':', 1)[-1])}" if iri in own else _e(iri)
    return f'<a href="{target}"><code>{name}</code></a>'


def render_html(ontology: Ontology) -> str:
    """The ontology as one self-contained HTML page (inline CSS; no scripts, fonts or images); every value escaped."""
    own = {t.iri for t in ontology.terms}
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(ontology.title('en'))}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_e(ontology.title('en'))}</h1>",
        f'<p class="zh" lang="zh-Hans">{_e(ontology.title("zh"))}</p>',
        f"<dl><dt>IRI</dt><dd><code>{_e(ontology.iri)}</code></dd>"
        f"<dt>Version</dt><dd>{_e(ontology.version)}</dd>"
        f"<dt>Namespace</dt><dd><code>pol: {_e(POL_NS)}</code></dd></dl>",
        f"<p>{_e(ontology.description)}</p>",
        "<nav><h2>Contents</h2>",
    ]
    for kind, title in _KIND_TITLES.items():
        items = "".join(
            f"<li>{_ref(t.iri, own)} {_e(t.label('en'))}</li>" for t in ontology.terms if t.kind == kind
        )
        out.append(f"<h3>{_e(title)}</h3><ul>{items}</ul>")
    out.append("</nav>")
    for kind, title in _KIND_TITLES.items():
        out.append(f'<section id="{kind}"><h2>{_e(title)}</h2>')
        for term in (t for t in ontology.terms if t.kind == kind):
            rows = [("IRI", f"<code>{_e(term.iri)}</code>")]
            zh = term.label("zh")
            rows.append(("Label (zh-Hans)", f'<span lang="zh-Hans">{_e(zh)}</span>'))
            if term.comment("en"):
                rows.append(("Comment", _e(term.comment("en"))))
            parent = "Subclass of" if term.is_class else "Subproperty of"
            if term.parents:
                rows.append((parent, ", ".join(_ref(p, own) for p in term.parents)))
            if term.domains:
                rows.append(("Domain", ", ".join(_ref(p, own) for p in term.domains)))
            if term.ranges:
                rows.append(("Range", ", ".join(_ref(p, own) for p in term.ranges)))
            children = [t.iri for t in ontology.terms if term.iri in t.parents]
            if children:
                below = "Subclasses" if term.is_class else "Subproperties"
                rows.append((below, ", ".join(_ref(c, own) for c in children)))
            anchor = _e(term.name.split(":", 1)[-1])
            body = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in rows)
            out.append(
                f'<div class="term" id="{anchor}"><h3>{_e(term.label("en"))} <code>{_e(term.name)}</code></h3>'
                f"<dl>{body}</dl></div>"
            )
        out.append("</section>")
    out.append("</body></html>\n")
    return "\n".join(out)
