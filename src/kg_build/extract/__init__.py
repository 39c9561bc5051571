"""Extraction: a Document becomes entities with mentions, relations between them, and figures.

``extract(doc)`` runs the spaCy pipeline (``pipeline.py``) over the normalized text, adds the
honours the structure found, resolves mentions into entities (``resolve.py``), reads relations
(``relations.py``) and asks ``figures.py`` for the targets of plan sections and the achievements
of review, highlights and government sections (outlook sections give no figures).
"""

from __future__ import annotations

import re

from kg_build.document import Document, EntityType, Extraction, Mention, SectionKind, FigureKind
from kg_build.extract.entities import strip_quotes
from kg_build.extract.figures import FigureRegion, find_figures
from kg_build.extract.gazetteers import ReportContext
from kg_build.extract.pipeline import run
from kg_build.extract.places import context_codes
from kg_build.extract.relations import find_relations
from kg_build.extract.resolve import resolve

__all__ = ["extract", "report_context", "honour_mentions", "figure_regions"]

FIGURE_KINDS = {
    SectionKind.PLAN: FigureKind.TARGET,
    SectionKind.REVIEW: FigureKind.ACHIEVEMENT,
    SectionKind.HIGHLIGHTS: FigureKind.ACHIEVEMENT,
    SectionKind.GOVERNMENT: FigureKind.ACHIEVEMENT,
}
BATCH_PREFIX = re.compile(r"^(?:首批|第[\d一二三四五六七八九十百]+批)")


def report_context(doc: Document) -> ReportContext:
    """The report's region chain and honour lines, as extraction needs them."""
    meta = doc.meta
    excluded = tuple(item.span for section in doc.sections for item in section.honours)
    return ReportContext(
        region=meta.region,
        city=meta.city,
        province=meta.province,
        level=meta.level,
        codes=context_codes(meta.region, meta.city, meta.province),
        excluded=excluded,
    )


def honour_mentions(doc: Document) -> list[Mention]:
    """Honours from the honour lists: 首批“全国文明城市” → 全国文明城市 (verbatim kept as alias)."""
    found = []
    for section in doc.sections:
        for item in section.honours:
            written = item.label.strip()
            label = BATCH_PREFIX.sub("", strip_quotes(written)) or strip_quotes(written)
            aliases = tuple(sorted({a for a in (written, strip_quotes(written)) if a != label}))
            found.append(Mention(EntityType.HONOR, label, item.span, "honour-list", aliases))
    return found


def figure_regions(doc: Document) -> list[FigureRegion]:
    """Plan sections hold targets; review, highlights and government sections hold achievements."""
    return [
        FigureRegion(span=section.body, kind=FIGURE_KINDS[section.kind], year=section.year)
        for section in doc.sections
        if section.kind in FIGURE_KINDS
    ]


def extract(doc: Document) -> Extraction:
    """Entities, relations and figures of one document (deterministic: same document, same result)."""
    text = doc.text.text
    context = report_context(doc)
    mentions = list(run(text, context)._.policy_mentions) + honour_mentions(doc)
    resolution = resolve(mentions, context)
    relations = find_relations(text, mentions, resolution, context)
    figures = find_figures(text, regions=figure_regions(doc))
    return Extraction(entities=resolution.entities, relations=relations, figures=figures)
