"""What a user gets: one report's sections, entities, figures and honours, read back from the store."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Literal
from rdflib.term import Node, URIRef

from kg_build.engine import run_query
from kg_build.engine.limits import own_query_limits
from kg_build.errors import InputError, QueryError
from kg_build.evaluate.gold import ENTITY_TYPES, RELATION_PREDICATES, SECTION_KINDS
from kg_build.model.iri import report_iri
from kg_build.model.vocab import POL, POL_NS, PREFIXES
from kg_build.store import Reader as Queryable
from kg_build.store import SelectResult

HEADER = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items()))
ENTITY_CLASSES = tuple(POL[t] for t in ENTITY_TYPES)


@dataclass(frozen=True)
class Named:
    """A node with its labels: the display label (zh-Hans prefLabel) and every pref/alt label."""

    node: str
    label: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class PredictedSection:
    node: str
    label: str
    kinds: tuple[str, ...]  # local names of the section kind classes
    year: int | None
    ordinal: int


@dataclass(frozen=True)
class PredictedItem:
    """A pillar or measure: its label, its parent's label and its place among its siblings."""

    node: str
    label: str
    parent: str  # parent node
    ordinal: int


@dataclass(frozen=True)
class PredictedEntity:
    node: str
    label: str
    names: tuple[str, ...]
    types: tuple[str, ...]  # local names, in ENTITY_TYPES order
    containers: tuple[str, ...]  # labels of the sections, pillars, measures that mention it


@dataclass(frozen=True)
class PredictedFigure:
    node: str
    value: Decimal | None
    unit: str
    comparator: str | None
    modality: str | None
    kinds: tuple[str, ...]
    year: int | None
    indicator: str | None
    spans: tuple[tuple[int, int], ...]
    anchor: str
    upper: Decimal | None = None  # pol:upperBound of a range
    standard: str | None = None  # slug of the pol:standardIndicator


@dataclass(frozen=True)
class PredictedRelation:
    subject: str
    predicate: str  # local name
    object: str


@dataclass(frozen=True)
class PredictedConferral:
    node: str
    honor: str | None
    recipient: str | None
    year: int | None


@dataclass
class PredictedReport:
    """Everything evaluation compares with the gold file, as plain values."""

    iri: str
    text: str
    sections: list[PredictedSection] = field(default_factory=list)
    pillars: list[PredictedItem] = field(default_factory=list)
    measures: list[PredictedItem] = field(default_factory=list)
    entities: list[PredictedEntity] = field(default_factory=list)
    figures: list[PredictedFigure] = field(default_factory=list)
    relations: list[PredictedRelation] = field(default_factory=list)
    conferrals: list[PredictedConferral] = field(default_factory=list)
    labels: dict[str, Named] = field(default_factory=dict)

    def label_of(self, node: str) -> str:
        named = self.labels.get(node)
        return named.label if named else node



def select(store: Queryable, text: str) -> SelectResult:
    """Run one of eval's own SELECTs through the one guarded query path (a sandboxed worker, its limits)."""
    run = run_query(store, text, own_query_limits())
    if run.form != "SELECT":
        raise QueryError("the store answered a SELECT with something else; is it a SPARQL 1.1 store?")
    return SelectResult(run.variables, run.rows)


def _select(store: Queryable, body: str) -> list[tuple[Node | None, ...]]:
    return select(store, HEADER + body).rows


def _str(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _int(term: Node | None) -> int | None:
    try:
        return int(str(term)[:4]) if isinstance(term, Literal) and str(term).isdigit() else None
    except ValueError:
        return None


def _ordinal(term: Node | None) -> int:
    try:
        return int(str(term)) if term is not None else 0
    except ValueError:
        return 0


def _decimal(term: Node | None) -> Decimal | None:
    try:
        return Decimal(str(term)) if term is not None else None
    except InvalidOperation:
        return None


def _local(term: Node | None) -> str:
    text = str(term) if term is not None else ""
    return text[len(POL_NS):] if text.startswith(POL_NS) else text


def _values(terms: tuple[URIRef, ...]) -> str:
    return " ".join(f"<{t}>" for t in terms)


# --- which report ----------------------------------------------------------------------


@dataclass(frozen=True)
class StoredReport:
    iri: str
    source_file: str | None
    plan_year: int | None
    regions: tuple[str, ...]  # every label of the report's pol:region


def stored_reports(store: Queryable) -> list[StoredReport]:
    """Every report graph in the store, with what identifies it against a gold file."""
    rows = _select(
        store,
        """SELECT ?r ?file ?year ?region WHERE { GRAPH ?r {
             ?r a pol:WorkReport .
             OPTIONAL { ?r pol:sourceFile ?file }
             OPTIONAL { ?r pol:planYear ?year }
             OPTIONAL { ?r pol:region ?place . ?place skos:prefLabel|skos:altLabel ?region }
           } }""",
    )
    files: dict[str, set[str]] = defaultdict(set)
    years: dict[str, set[int]] = defaultdict(set)
    regions: dict[str, set[str]] = defaultdict(set)
    for r, file, year, region in rows:
        key = str(r)
        files[key].update([str(file)] if file is not None else [])
        years[key].update([y for y in [_int(year)] if y is not None])
        regions[key].update([str(region)] if region is not None else [])
    return [
        StoredReport(key, min(files[key], default=None), min(years[key], default=None), tuple(sorted(regions[key])))
        for key in sorted({str(row[0]) for row in rows})
    ]


def resolve_report(store: Queryable, document: dict[str, Any], *, report_id: str | None = None) -> str:
    """The IRI of the report to score: the one named, else the one matching the gold "document"."""
    reports = stored_reports(store)
    iris = [r.iri for r in reports]
    if report_id is not None:
        wanted = report_id if report_id.startswith(("http://", "https://")) else str(report_iri(report_id))
        if wanted not in iris:
            raise InputError(f"no report {report_id} in the store; see `kg-build stats` for the reports it holds")
        return wanted
    file = document.get("file")
    stem = file.rsplit(".", 1)[0] if file else None
    by_file = [r.iri for r in reports if file and (r.source_file == file or r.iri.rsplit("/", 1)[-1] == stem)]
    by_region = [
        r.iri for r in reports if document.get("region") in r.regions and r.plan_year == document.get("plan_year")
    ]
    for candidates in (by_file, by_region):
        if len(set(candidates)) == 1:
            return candidates[0]
    described = f"{file or '?'} ({document.get('region') or '?'}, {document.get('plan_year') or '?'})"
    if not reports:
        raise InputError("the store holds no reports; run `kg-build build` on the report first")
    raise InputError(f"no single report in the store matches the gold document {described}; pass --report REPORT_ID")


# --- reading one report ----------------------------------------------------------------


def read_report(store: Queryable, iri: str) -> PredictedReport:
    """Read one report graph into plain values (every list sorted, so results are deterministic)."""
    g = f"<{iri}>"
    texts = _select(store, f"SELECT ?t WHERE {{ GRAPH {g} {{ {g} pol:text ?c . ?c nif:isString ?t }} }}")
    report = PredictedReport(iri=iri, text=min((str(t[0]) for t in texts), default=""))
    report.labels = _labels(store, g)
    _structure(store, g, report)
    _entities(store, g, report)
    _figures(store, g, report)
    _relations(store, g, report)
    _conferrals(store, g, report)
    return report


def _named(node: str, prefs: list[Literal], alts: list[Literal]) -> Named:
    hans = sorted(str(p) for p in prefs if (p.language or "zh-hans").lower() == "zh-hans")
    label = hans[0] if hans else min((str(p) for p in prefs), default=node)
    names = tuple(sorted({str(x) for x in prefs} | {str(x) for x in alts}))
    return Named(node, label, names)


def _labels(store: Queryable, g: str, *, nodes: list[str] | None = None) -> dict[str, Named]:
    if nodes is None:
        where = f"GRAPH {g} {{ ?n ?p ?l }}"
    else:
        where = f"VALUES ?n {{ {' '.join(f'<{n}>' for n in nodes)} }} GRAPH ?any {{ ?n ?p ?l }}"
    rows = _select(store, f"SELECT ?n ?p ?l WHERE {{ VALUES ?p {{ skos:prefLabel skos:altLabel }} {where} }}")
    prefs: dict[str, list[Literal]] = defaultdict(list)
    alts: dict[str, list[Literal]] = defaultdict(list)
    for n, p, label in rows:
        if not isinstance(label, Literal):
            continue
        (prefs if str(p).endswith("prefLabel") else alts)[str(n)].append(label)
    return {n: _named(n, prefs.get(n, []), alts.get(n, [])) for n in sorted(set(prefs) | set(alts))}


def _structure(store: Queryable, g: str, report: PredictedReport) -> None:
    kinds = _values(tuple(SECTION_KINDS.values()))
    rows = _select(
        store,
        f"""SELECT ?s ?kind ?ord ?year WHERE {{ GRAPH {g} {{
              {g} pol:hasSection ?s .
              OPTIONAL {{ ?s a ?kind VALUES ?kind {{ {kinds} }} }}
              OPTIONAL {{ ?s pol:ordinal ?ord }}
              OPTIONAL {{ ?s pol:year ?year }}
            }} }}""",
    )
    sections: dict[str, tuple[set[str], int | None, int]] = {}
    for s, kind, ordinal, year in rows:
        kinds_of, _, _ = sections.setdefault(str(s), (set(), _int(year), _ordinal(ordinal)))
        if kind is not None:
            kinds_of.add(_local(kind))
    report.sections = sorted(
        (
            PredictedSection(node, report.label_of(node), tuple(sorted(k)), year, ordinal)
            for node, (k, year, ordinal) in sections.items()
        ),
        key=lambda s: (s.ordinal, s.node),
    )
    rank = {s.node: (s.ordinal, s.node) for s in report.sections}
    rows = _select(
        store,
        f"""SELECT ?s ?p ?ord WHERE {{ GRAPH {g} {{
              {g} pol:hasSection ?s . ?s pol:hasPillar ?p . OPTIONAL {{ ?p pol:ordinal ?ord }}
            }} }}""",
    )
    pillars = {PredictedItem(str(p), report.label_of(str(p)), str(s), _ordinal(o)) for s, p, o in rows}
    report.pillars = sorted(pillars, key=lambda p: (rank.get(p.parent, (0, "")), p.ordinal, p.node))
    rows = _select(
        store,
        f"""SELECT ?parent ?m ?ord WHERE {{ GRAPH {g} {{
              ?parent pol:hasMeasure ?m . OPTIONAL {{ ?m pol:ordinal ?ord }}
            }} }}""",
    )
    measures = {PredictedItem(str(m), report.label_of(str(m)), str(p), _ordinal(o)) for p, m, o in rows}
    report.measures = sorted(measures, key=lambda m: (m.parent, m.ordinal, m.node))


def _entities(store: Queryable, g: str, report: PredictedReport) -> None:
    rows = _select(
        store,
        f"SELECT DISTINCT ?e ?type WHERE {{ VALUES ?type {{ {_values(ENTITY_CLASSES)} }} "
        f"GRAPH {g} {{ ?e a ?type ; prov:wasDerivedFrom ?span }} }}",
    )
    types: dict[str, set[str]] = defaultdict(set)
    for e, t in rows:
        types[str(e)].add(_local(t))
    mentions = _select(store, f"SELECT ?c ?e WHERE {{ GRAPH {g} {{ ?c pol:mentions ?e }} }}")
    containers: dict[str, set[str]] = defaultdict(set)
    for c, e in mentions:
        containers[str(e)].add(report.label_of(str(c)))
    order = {t: n for n, t in enumerate(ENTITY_TYPES)}
    report.entities = [
        PredictedEntity(
            node=node,
            label=report.label_of(node),
            names=report.labels[node].names if node in report.labels else (),
            types=tuple(sorted(types[node], key=order.__getitem__)),
            containers=tuple(sorted(containers.get(node, ()))),
        )
        for node in sorted(types)
    ]


def _figures(store: Queryable, g: str, report: PredictedReport) -> None:
    rows = _select(
        store,
        f"""SELECT ?st ?value ?unit ?cmp ?mod ?kind ?year ?ind ?b ?e ?anchor ?upper ?std WHERE {{ GRAPH {g} {{
              ?st a pol:QuantifiedStatement .
              OPTIONAL {{ ?st qudt:numericValue ?value }}
              OPTIONAL {{ ?st qudt:unit ?unit }}
              OPTIONAL {{ ?st pol:comparator ?cmp }}
              OPTIONAL {{ ?st pol:modality ?mod }}
              OPTIONAL {{ ?st a ?kind VALUES ?kind {{ pol:Target pol:Achievement }} }}
              OPTIONAL {{ ?st pol:refYear ?year }}
              OPTIONAL {{ ?st pol:indicator ?ind }}
              OPTIONAL {{ ?st pol:upperBound ?upper }}
              OPTIONAL {{ ?st pol:standardIndicator ?std }}
              OPTIONAL {{ ?st prov:wasDerivedFrom ?sp . ?sp nif:beginIndex ?b ; nif:endIndex ?e .
                          OPTIONAL {{ ?sp nif:anchorOf ?anchor }} }}
            }} }}""",
    )
    grouped: dict[str, list[tuple[Node | None, ...]]] = defaultdict(list)
    for row in rows:
        grouped[str(row[0])].append(row)
    figures = []
    for node in sorted(grouped):
        group = grouped[node]
        first = min(group, key=lambda r: tuple(str(t) for t in r))
        spans = sorted({(_ordinal(r[8]), _ordinal(r[9])) for r in group if r[8] is not None and r[9] is not None})
        indicator = _str(first[7])
        figures.append(
            PredictedFigure(
                node=node,
                value=_decimal(first[1]),
                unit=_str(first[2]) or "",
                comparator=_local(first[3]) if first[3] is not None else None,
                modality=_local(first[4]) if first[4] is not None else None,
                kinds=tuple(sorted({_local(r[5]) for r in group if r[5] is not None})),
                year=_int(first[6]),
                indicator=report.label_of(indicator) if indicator else None,
                spans=tuple(spans),
                anchor=min((str(r[10]) for r in group if r[10] is not None), default=""),
                upper=_decimal(first[11]),
                standard=_slug(first[12]),
            )
        )
    report.figures = figures


def _slug(term: Node | None) -> str | None:
    """The slug of a standard indicator IRI (…/id/indicator/gdp-growth → gdp-growth)."""
    return str(term).rsplit("/", 1)[-1] if term is not None else None


def _relations(store: Queryable, g: str, report: PredictedReport) -> None:
    entities = {e.node for e in report.entities}
    predicates = _values(tuple(POL[p] for p in RELATION_PREDICATES))
    rows = _select(store, f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {predicates} }} GRAPH {g} {{ ?s ?p ?o }} }}")
    report.relations = sorted(
        {PredictedRelation(str(s), _local(p), str(o)) for s, p, o in rows if str(s) in entities and str(o) in entities},
        key=lambda r: (r.predicate, r.subject, r.object),
    )


def _conferrals(store: Queryable, g: str, report: PredictedReport) -> None:
    rows = _select(
        store,
        f"""SELECT ?c ?h ?r ?y WHERE {{ GRAPH {g} {{
              ?c a pol:HonorConferral .
              OPTIONAL {{ ?c pol:honor ?h }} OPTIONAL {{ ?c pol:recipient ?r }} OPTIONAL {{ ?c pol:year ?y }}
            }} }}""",
    )
    conferrals = {PredictedConferral(str(c), _str(h), _str(r), _int(y)) for c, h, r, y in rows}
    report.conferrals = sorted(conferrals, key=lambda c: (c.node, c.honor or "", c.recipient or "", c.year or 0))
    unlabelled = sorted(
        {n for c in report.conferrals for n in (c.honor, c.recipient) if n and n not in report.labels}
    )
    if unlabelled:
        report.labels.update(_labels(store, g, nodes=unlabelled))
