"""A structured, extracted document as RDF quads in its report's named graph."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from rdflib import RDF as _RDF
from rdflib import RDFS as _RDFS
from rdflib import SKOS as _SKOS
from rdflib import XSD
from rdflib.namespace import DCTERMS as _DCTERMS
from rdflib.namespace import PROV as _PROV
from rdflib.term import URIRef

from kg_build.document import (
    Document,
    Entity,
    EntityType,
    Extraction,
    Figure,
    FigureKind,
    Measure,
    Pillar,
    Section,
    Span,
)
from kg_build.extract.english_names import (
    PINYIN,
    nation_english,
    pinyin_name,
    place_english,
    report_title_english,
)
from kg_build.extract.measure_words import unit_label
from kg_build.extract.places import Division, gazetteer, nation
from kg_build.extract.relations import MEASURE
from kg_build.extract.standard_indicators import standard_indicator
from kg_build.model import iri
from kg_build.model.nquads import Lit, Quad, Term, input_iri, literal
from kg_build.model.vocab import NIF as _NIF
from kg_build.model.vocab import POL as _POL
from kg_build.model.vocab import QUDT as _QUDT
from kg_build.model.vocab import Terms, expand_curie

RDF, RDFS, SKOS, DCTERMS, PROV = Terms(_RDF), Terms(_RDFS), Terms(_SKOS), Terms(_DCTERMS), Terms(_PROV)
NIF, POL, QUDT = Terms(_NIF), Terms(_POL), Terms(_QUDT)

HANS = "zh-Hans"
HANT = "zh-Hant"
_GYEAR, _DECIMAL, _INTEGER, _COUNT, _DATE = (
    str(XSD.gYear), str(XSD.decimal), str(XSD.integer), str(XSD.nonNegativeInteger), str(XSD.date)
)


def year_literal(year: int) -> Lit:
    return literal(f"{year:04d}", datatype=_GYEAR)


def decimal_literal(value: Decimal) -> Lit:
    """xsd:decimal in plain notation (no exponent), trailing zeros dropped."""
    return literal(format(value.normalize(), "f"), datatype=_DECIMAL)


def hans(text: str) -> Lit:
    return literal(text, lang=HANS)


def integer(value: int) -> Lit:
    return literal(str(value), datatype=_INTEGER)


def count(value: int) -> Lit:
    """An offset or length: xsd:nonNegativeInteger."""
    return literal(str(value), datatype=_COUNT)


@dataclass
class _Container:
    """A section, pillar or measure, with the stretch of text it owns."""

    node: URIRef
    body: Span
    depth: int


class ReportGraph:
    """Collects the quads of one report; every triple goes into the report's named graph."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.report_id = doc.meta.report_id
        self.graph = iri.report_iri(self.report_id)
        self.text = doc.text.text
        self.context = iri.text_iri(self.report_id)
        self.quads: list[Quad] = []
        self.spans: dict[Span, URIRef] = {}  # the nif:Strings described so far

    def add(self, s: Term, p: Term, o: Term) -> None:
        self.quads.append((s, p, o, self.graph))

    def labels(self, node: URIRef, label: str, *, span: Span | None = None) -> None:
        """One zh-Hans prefLabel mirrored to rdfs:label, plus the traditional form where the source had it."""
        label_literal = hans(label)
        self.add(node, SKOS.prefLabel, label_literal)
        self.add(node, RDFS.label, label_literal)
        if span is not None and span.of(self.text) == label:
            hant = self.doc.text.hant_of(span)
            if hant:
                self.add(node, SKOS.prefLabel, literal(hant, lang=HANT))

    def english(self, node: URIRef, label: str | None) -> None:
        """An English prefLabel mirrored to rdfs:label (only where the name is known, never guessed)."""
        if label:
            english = literal(label, lang="en")
            self.add(node, SKOS.prefLabel, english)
            self.add(node, RDFS.label, english)

    def pinyin(self, node: URIRef, label: str) -> None:
        """The name in pinyin as a skos:altLabel tagged zh-Latn-pinyin: a romanisation, not a translation."""
        romanised = pinyin_name(label)
        if romanised:
            self.add(node, SKOS.altLabel, literal(romanised, lang=PINYIN))

    def span(self, span: Span) -> URIRef:
        """A nif:String for a stretch of the normalized text (offsets round-trip by construction),
        described once however many things derive from it."""
        node = self.spans.get(span)
        if node is None:
            node = self.spans[span] = iri.span_iri(self.report_id, span)
            self.add(node, RDF.type, NIF.String)
            self.add(node, NIF.beginIndex, count(span.begin))
            self.add(node, NIF.endIndex, count(span.end))
            self.add(node, NIF.anchorOf, literal(span.of(self.text)))
            self.add(node, NIF.referenceContext, self.context)
        return node

    def derived(self, node: URIRef, span: Span, *, sentence: bool = False) -> None:
        """``node prov:wasDerivedFrom span``; with ``sentence``, the span also links its nif:Sentence."""
        span_node = self.span(span)
        self.add(node, PROV.wasDerivedFrom, span_node)
        if sentence:
            whole = sentence_around(self.text, span)
            sentence_node = self.span(whole)
            self.add(sentence_node, RDF.type, NIF.Sentence)
            self.add(span_node, NIF.sentence, sentence_node)


_STOPS = "。！？!?"
_SENTENCE_EDGE = re.compile(f"[{_STOPS}\n]")


def sentence_around(text: str, span: Span) -> Span:
    """The sentence that holds a span: back to the previous stop or line break, on to the next one."""
    begin = max(text.rfind(edge, 0, span.begin) for edge in _STOPS + "\n") + 1
    end = span.end
    if not (end > begin and text[end - 1] in _STOPS):
        edge = _SENTENCE_EDGE.search(text, end)
        end = edge.start() if edge else len(text)
        if end < len(text) and text[end] in _STOPS:
            end += 1
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    return Span(begin, end)


def document_quads(
    doc: Document, extraction: Extraction, *, content_hash: str, builder_version: str
) -> list[Quad]:
    """All quads of one report: metadata, text, structure, entities, relations, figures."""
    g = ReportGraph(doc)
    entity_nodes = _entity_nodes(extraction)
    region = _region_node(doc, extraction, entity_nodes)
    if region == _nation_node():
        _nation(g)
    elif region is not None and region not in entity_nodes.values():
        g.add(region, RDF.type, POL.Place)  # the region, when extraction did not resolve it
        g.labels(region, doc.meta.region or "")
        _place_names(g, region, doc.meta.region or "")
    _report(g, region=region, content_hash=content_hash, builder_version=builder_version)
    containers = list(_structure(g))
    _honours(g, extraction, entity_nodes, region)
    _entities(g, extraction, entity_nodes, containers, region)
    _place_hierarchy(g, extraction)
    _relations(g, extraction, entity_nodes, containers)
    _figures(g, extraction, containers, region)
    return g.quads


# --- report and text ------------------------------------------------------------------


def _report(g: ReportGraph, *, region: URIRef | None, content_hash: str, builder_version: str) -> None:
    meta = g.doc.meta
    report = g.graph
    title = meta.title or _fallback_title(g.doc)
    g.add(report, RDF.type, POL.WorkReport)
    g.labels(report, title)
    g.add(report, DCTERMS.title, hans(title))
    national = region is not None and region == _nation_node()
    english = report_title_english(
        None if national else place_english(meta.region or ""), meta.plan_year, nation=national, title=title
    )
    g.english(report, english)  # a prefLabel only: dct:title stays the title as published
    if region is not None:
        g.add(report, POL.region, region)
    if meta.plan_year is not None:
        g.add(report, POL.planYear, year_literal(meta.plan_year))
    if meta.review_year is not None:
        g.add(report, POL.reviewYear, year_literal(meta.review_year))
    if meta.publisher:
        g.add(report, DCTERMS.publisher, hans(meta.publisher))
    for author in meta.authors:
        g.add(report, DCTERMS.creator, hans(author))
    if meta.published:
        g.add(report, DCTERMS.issued, literal(meta.published, datatype=_DATE if len(meta.published) > 4 else _GYEAR))
    if meta.source_url:
        g.add(report, DCTERMS.source, input_iri(meta.source_url, field="source_url"))
    if meta.speaker:
        g.add(report, POL.speaker, hans(meta.speaker))
    if meta.meeting:
        g.add(report, POL.meeting, hans(meta.meeting))
    if meta.source_file:
        g.add(report, POL.sourceFile, literal(meta.source_file))
    g.add(report, POL.contentHash, literal(content_hash))
    g.add(report, POL.builderVersion, literal(builder_version))
    context = g.context
    g.add(report, POL.text, context)
    g.add(context, RDF.type, NIF.Context)
    g.add(context, NIF.isString, literal(g.text))
    g.add(context, NIF.beginIndex, count(0))
    g.add(context, NIF.endIndex, count(len(g.text)))


def _fallback_title(doc: Document) -> str:
    meta = doc.meta
    parts = [str(meta.plan_year) + "年" if meta.plan_year else "", meta.region or "", "政府工作报告"]
    return "".join(parts) if (meta.region or meta.plan_year) else meta.report_id


# --- structure --------------------------------------------------------------------------


def _structure(g: ReportGraph) -> Iterator[_Container]:
    for s_no, section in enumerate(g.doc.sections, start=1):
        node = iri.section_iri(g.report_id, s_no)
        yield from _section(g, node, section, s_no)


def _section(g: ReportGraph, node: URIRef, section: Section, ordinal: int) -> Iterator[_Container]:
    g.add(g.graph, POL.hasSection, node)
    g.add(node, RDF.type, POL.Section)
    g.add(node, RDF.type, POL[section.kind.value])
    g.labels(node, section.label, span=section.span)
    g.add(node, POL.ordinal, integer(ordinal))
    if section.year is not None:
        g.add(node, POL.year, year_literal(section.year))
    g.derived(node, section.span)
    yield _Container(node, section.body, 0)
    for p_no, pillar in enumerate(section.pillars, start=1):
        p_node = iri.pillar_iri(node, p_no)
        g.add(node, POL.hasPillar, p_node)
        yield from _pillar(g, p_node, pillar, p_no)
    for m_no, measure in enumerate(section.measures, start=1):
        m_node = iri.measure_iri(node, m_no)
        g.add(node, POL.hasMeasure, m_node)
        yield _measure(g, m_node, measure, m_no, depth=1)


def _pillar(g: ReportGraph, node: URIRef, pillar: Pillar, ordinal: int) -> Iterator[_Container]:
    g.add(node, RDF.type, POL.Pillar)
    g.labels(node, pillar.label, span=pillar.span)
    g.add(node, POL.ordinal, integer(ordinal))
    g.derived(node, pillar.span)
    yield _Container(node, pillar.body, 1)
    for m_no, measure in enumerate(pillar.measures, start=1):
        m_node = iri.measure_iri(node, m_no)
        g.add(node, POL.hasMeasure, m_node)
        yield _measure(g, m_node, measure, m_no, depth=2)


def _measure(g: ReportGraph, node: URIRef, measure: Measure, ordinal: int, *, depth: int) -> _Container:
    g.add(node, RDF.type, POL.Measure)
    g.labels(node, measure.label, span=measure.span)
    g.add(node, POL.ordinal, integer(ordinal))
    g.derived(node, measure.span)
    return _Container(node, measure.body, depth)


class _Innermost:
    """Finds the deepest section, pillar or measure whose body holds a span."""

    def __init__(self, containers: list[_Container]) -> None:
        self.items = sorted(containers, key=lambda c: (c.body.begin, -c.depth))
        self.starts = [c.body.begin for c in self.items]

    def find(self, span: Span) -> URIRef | None:
        best: _Container | None = None
        for c in self.items[: bisect_right(self.starts, span.begin)]:
            if c.body.contains(span) and (best is None or c.depth > best.depth):
                best = c
        return best.node if best else None


# --- entities ---------------------------------------------------------------------------


def _division(entity: Entity) -> Division | None:
    """The GB/T 2260 division of a coded place."""
    if entity.type is not EntityType.PLACE or not entity.admin_code:
        return None
    return gazetteer().by_code.get(entity.admin_code)


def _place_node(division: Division) -> URIRef:
    """A coded place is named by its code and official name, whatever short form a report used."""
    return iri.entity_iri(EntityType.PLACE.value, division.name, admin_code=division.code)


def _entity_nodes(extraction: Extraction) -> dict[tuple[str, str], URIRef]:
    nodes = {}
    for e in extraction.entities:
        division = _division(e)
        nodes[e.key] = (
            _place_node(division) if division else iri.entity_iri(e.type.value, e.label, admin_code=e.admin_code)
        )
    return nodes


# The gazetteer's level words → the contract's level individuals (a municipality-level district is a county).
ADMIN_LEVELS = {"nation": POL.NationalLevel, "province": POL.ProvincialLevel, "city": POL.PrefecturalLevel,
                "county": POL.CountyLevel}


def _place_hierarchy(g: ReportGraph, extraction: Extraction) -> None:
    """Every coded place linked upward to its province (湖里区 → 厦门市 → 福建省), with codes and levels."""
    table = gazetteer().by_code
    done: set[str] = set()
    for entity in sorted(extraction.entities, key=lambda e: e.key):
        division = _division(entity)
        while division is not None and division.code not in done:
            done.add(division.code)
            node = _place_node(division)
            g.add(node, RDF.type, POL.Place)
            g.add(node, POL.adminCode, literal(division.code))
            g.add(node, POL.adminLevel, ADMIN_LEVELS[division.level])
            parent = table.get(division.parent) if division.parent else None
            if division.level == "province":  # every province lies in the nation
                g.add(node, POL.locatedIn, _nation_node())
                _nation(g)
            if parent is not None:
                g.add(node, POL.locatedIn, _place_node(parent))
                if parent.code not in done and not any(_division(e) == parent for e in extraction.entities):
                    g.labels(_place_node(parent), parent.name)
                    _place_names(g, _place_node(parent), parent.name)
            division = parent


def _nation_node() -> URIRef:
    return iri.entity_iri(EntityType.PLACE.value, nation().name)


def _nation(g: ReportGraph) -> None:
    """The nation as a Place in this report's graph: its names and pol:NationalLevel (no GB/T 2260 code)."""
    if getattr(g, "nation_described", False):
        return
    g.nation_described = True
    node = _nation_node()
    g.add(node, RDF.type, POL.Place)
    g.labels(node, nation().name)
    g.english(node, nation_english())
    for alt in nation().alt_labels:
        g.add(node, SKOS.altLabel, hans(alt))
    g.add(node, POL.adminLevel, POL.NationalLevel)


def _region_node(
    doc: Document, extraction: Extraction, nodes: dict[tuple[str, str], URIRef]
) -> URIRef | None:
    """The report's region as a Place: the nation for a national report (or one naming the nation),
    the extracted one when extraction resolved it, else minted."""
    name = doc.meta.region
    if doc.meta.level == "nation" or (name and name in nation().names()):
        return _nation_node()
    if not name:
        return None
    for e in extraction.entities:
        if e.type is EntityType.PLACE and (e.label == name or name in e.alt_labels):
            return nodes[e.key]
    return iri.entity_iri(EntityType.PLACE.value, name)


def _place_names(g: ReportGraph, node: URIRef, name: str) -> None:
    """A place's English name by the rule of english_names.json, else its pinyin."""
    english = place_english(name)
    if english:
        g.english(node, english)
    else:
        g.pinyin(node, name)


def _entities(
    g: ReportGraph,
    extraction: Extraction,
    nodes: dict[tuple[str, str], URIRef],
    containers: list[_Container],
    region: URIRef | None = None,
) -> None:
    innermost = _Innermost(containers)
    for entity in sorted(extraction.entities, key=lambda e: e.key):
        node = nodes[entity.key]
        g.add(node, RDF.type, POL[entity.type.value])
        first = min((m.span for m in entity.mentions), default=None)
        division = _division(entity)
        label = division.name if division else entity.label
        g.labels(node, label, span=first)
        if division is not None or (entity.type is EntityType.PLACE and node == region):
            _place_names(g, node, label)  # a coded place, or the report's own region: its level is known
        else:
            g.pinyin(node, label)
        for alt in sorted((entity.alt_labels | {entity.label}) - {label}):
            g.add(node, SKOS.altLabel, hans(alt))
        for rule in sorted(entity.merged_by):
            g.add(node, POL.mergedBy, literal(rule))
        for mention in sorted(entity.mentions, key=lambda m: m.span):
            g.derived(node, mention.span, sentence=True)
            container = innermost.find(mention.span)
            if container is not None:
                g.add(container, POL.mentions, node)
        if entity.parent and division is None:
            parent = next(
                (
                    nodes[e.key]
                    for e in extraction.entities
                    if e.type is EntityType.PLACE and (e.label == entity.parent or entity.parent in e.alt_labels)
                ),
                None,
            )
            if parent is not None and parent != node:
                g.add(node, POL.locatedIn, parent)


def _relations(
    g: ReportGraph, extraction: Extraction, nodes: dict[tuple[str, str], URIRef], containers: list[_Container]
) -> None:
    innermost = _Innermost(containers)
    for rel in sorted(extraction.relations, key=lambda r: (r.subject, r.predicate, r.object, r.span)):
        if rel.subject == MEASURE:  # the measure whose text holds the span (实施“X”行动 → partOfInitiative X)
            measure = innermost.find(rel.span)
            if measure is not None and "/measure/" in str(measure) and rel.object in nodes:
                g.add(measure, POL[rel.predicate], nodes[rel.object])
            continue
        s, o = nodes.get(rel.subject), nodes.get(rel.object)
        if s is None or o is None or s == o:
            continue
        g.add(s, POL[rel.predicate], o)


def _honours(
    g: ReportGraph, extraction: Extraction, nodes: dict[tuple[str, str], URIRef], region: URIRef | None
) -> None:
    """Each honour-list item: an Honor, conferred on the report's region in the section's year."""
    if region is None:
        return
    honours = [e for e in extraction.entities if e.type is EntityType.HONOR]
    for section in g.doc.sections:
        for item in section.honours:
            honour = next(
                (e for e in honours if any(item.span.contains(m.span) for m in e.mentions)), None
            )
            if honour is None:
                continue
            honour_node = nodes[honour.key]
            year = section.year or g.doc.meta.review_year
            node = iri.honor_conferral_iri(honour_node, region, year)
            g.add(node, RDF.type, POL.HonorConferral)
            g.labels(node, f"{g.doc.meta.region}：{honour.label}" + (f"（{year}）" if year else ""))
            g.add(node, POL.honor, honour_node)
            g.add(node, POL.recipient, region)
            if year is not None:
                g.add(node, POL.year, year_literal(year))
            g.derived(node, item.span)


# --- figures ----------------------------------------------------------------------------


def _figures(
    g: ReportGraph, extraction: Extraction, containers: list[_Container], region: URIRef | None
) -> None:
    innermost = _Innermost(containers)
    for figure in sorted(extraction.figures, key=lambda f: f.span):
        node = iri.statement_iri(g.report_id, figure.span)
        _figure(g, node, figure, region)
        owner = innermost.find(figure.span) or g.graph
        g.add(owner, POL.hasStatement, node)


def _figure(g: ReportGraph, node: URIRef, figure: Figure, region: URIRef | None) -> None:
    g.add(node, RDF.type, POL.QuantifiedStatement)
    g.add(node, RDF.type, POL[figure.kind.value])
    g.labels(node, f"{figure.indicator}：{figure.surface}" if figure.indicator else figure.surface)
    g.add(node, QUDT.numericValue, decimal_literal(figure.value))
    if figure.upper is not None:
        g.add(node, POL.upperBound, decimal_literal(figure.upper))
    g.add(node, QUDT.unit, expand_curie(figure.unit))
    g.add(node, POL.comparator, POL[figure.comparator.value])
    g.add(node, POL.modality, POL[figure.modality.value])
    meta = g.doc.meta
    year = figure.year or (meta.plan_year if figure.kind is FigureKind.TARGET else meta.review_year)
    if year is not None:
        g.add(node, POL.refYear, year_literal(year))
        if figure.period_start is not None and figure.period_start < year:  # 过去五年, 年均: several years
            g.add(node, POL.periodStart, year_literal(figure.period_start))
    if region is not None:
        g.add(node, POL.refArea, region)
    g.add(node, POL.surfaceForm, hans(figure.surface))
    counted = unit_label(figure.surface) if figure.unit == "unit:NUM" else None
    if counted is not None:  # what the count counts: 50万人 → 人 / persons
        g.add(node, POL.unitLabel, hans(counted[0]))
        g.add(node, POL.unitLabel, literal(counted[1], lang="en"))
    _standard_indicator(g, node, figure)
    g.derived(node, figure.span, sentence=True)
    if not figure.indicator:  # no indicator could be read: say nothing rather than invent one
        return
    indicator = iri.indicator_iri(figure.indicator)  # the report's own wording; pol:standardIndicator compares
    g.add(node, POL.indicator, indicator)
    g.add(indicator, RDF.type, POL.Indicator)
    g.labels(indicator, figure.indicator)
    g.pinyin(indicator, figure.indicator)


def _standard_indicator(g: ReportGraph, node: URIRef, figure: Figure) -> None:
    """``pol:standardIndicator`` where the figure measures one, and that indicator described in this
    report's graph (type, zh-Hans and English names, unit): a report graph stays whole on its own."""
    standard = standard_indicator(figure.indicator or "", figure.unit, surface=figure.surface, text=g.text, begin=figure.span.begin)
    if standard is None:
        return
    target = URIRef(standard.iri)
    g.add(node, POL.standardIndicator, target)
    g.add(target, RDF.type, POL.StandardIndicator)
    g.add(target, RDF.type, POL.Indicator)
    g.add(target, SKOS.notation, literal(standard.slug))
    g.labels(target, standard.zh)
    english = literal(standard.en, lang="en")
    g.add(target, SKOS.prefLabel, english)
    g.add(target, RDFS.label, english)
    for unit in (standard.unit,) if standard.unit else standard.units:
        g.add(target, QUDT.unit, expand_curie(unit))
