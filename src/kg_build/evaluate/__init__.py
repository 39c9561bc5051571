"""Score the graph in the store against a gold annotation file: what users get, not Python objects.

Everything predicted is read back with SPARQL from the report's named graph.
Labels are compared *folded*: NFKC, quotes (“”‘’"'「」『』) and whitespace removed.
``optional: true`` gold items are not required for recall, and a predicted item
that matches one counts as correct for precision (so it never counts against it).
Precision with nothing predicted is 1.0; recall with nothing required is 1.0.

Categories and how they match:

- sections: gold ``sections[].label`` = a ``pol:hasSection`` node's prefLabel (one-to-one);
  on matched sections, kind accuracy (exactly the gold kind class) and year accuracy (``pol:year``).
- pillars: the ``pol:hasPillar`` nodes of ``pol:PlanSection`` sections vs gold ``pillars`` by label;
  ``order`` accuracy: matched pillars sit at the same rank in both orders.
- measures: (parent label, measure label) pairs: measures of plan pillars, plus measures directly
  under any section (gold ``sections[].measures``).
- entities: the nodes typed with an entity class (pol:Project … pol:Honor; not pol:Indicator or
  pol:HonorConferral) in the report graph that were read from it (have a prov:wasDerivedFrom
  span): places added only as background knowledge (a province above a mentioned district) are
  not predictions. One matches a gold item when the types agree (gold ``type`` or any of ``types``;
  pol:Platform counts as Project, every other type is strict: a gold Organization does not match a
  pol:Company) and its prefLabel or an altLabel equals the gold label or an alias. Precision:
  predicted entities matching any gold item / all predicted; recall: required gold items matched /
  required. Per type: recall by the gold ``type``, precision by the predicted type. Several
  predicted entities matching one gold item are all correct, and listed as "wrong" (duplicates).
- figures: a ``pol:QuantifiedStatement`` matches a gold quantity when its unit (CNY → cur:CNY,
  RANK → pol:Rank, …) and value agree (1e-9 relative) and one of its ``prov:wasDerivedFrom`` spans
  overlaps an occurrence of the gold quote in the report's ``nif:isString`` (found after folding);
  one-to-one, required gold items choosing first. On matched figures: comparator, modality
  (aspirational ↔ pol:Aspirational), kind (target ↔ pol:Target), year (``pol:refYear``) and
  indicator (folded prefLabel equality, informational) accuracy.
  Gold items may give ``upper`` (comparator ``between``: the upper end of a range) and
  ``standard_indicator`` (a slug of the vocabulary's standard indicators, or null for none); their
  accuracies (``upper``, ``standard``) are scored only where the gold file gives them.
- standard (only where gold figures give ``standard_indicator``): a gold figure with a slug is found
  when its figure is matched by a statement whose ``pol:standardIndicator`` has that slug; precision
  is over the statements carrying a standard indicator; per slug as for entity types.
- scope (optional, for partial gold files such as tests/gold/provinces): ``scope.categories`` names
  the categories the file annotates (the others are not scored) and ``scope.quotes`` the stretches of
  text it annotates whole: only statements read from them are predictions.
- relations: gold ``relations`` vs ``pol:involvesOrganization`` / ``pol:locatedIn`` triples between
  the report's entities: same predicate, subject and object labels matching as for entities (the
  gold label plus the aliases of the gold entity of that label; types not compared). Recall is the
  score; precision over all such triples is informational.
- series gold (``"format": "policy-kg series gold v1"``, several reports' main targets and outcomes): found,
  standard indicator, comparator, and target/outcome pairs joined by ``target-vs-outcome`` with the reader's
  verdict; see series.py.
- honours: each gold Honor entity needs a ``pol:HonorConferral`` whose ``pol:honor`` goes by its
  label, whose ``pol:recipient`` goes by gold ``honors.recipient`` and whose ``pol:year`` is
  ``honors.year``; precision over all conferrals in the report graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg_build.evaluate.gold import check_gold, load_gold
from kg_build.evaluate.matching import (
    score_entities,
    score_figures,
    score_honours,
    score_measures,
    score_pillars,
    score_relations,
    score_sections,
    score_standard,
)
from kg_build.evaluate.predicted import Queryable, read_report, resolve_report
from kg_build.evaluate.series import SERIES_FORMAT, evaluate_series
from kg_build.evaluate.report import CATEGORIES, Accuracy, CategoryResult, EvalReport, Item, Score
from kg_build.errors import InputError

__all__ = [
    "Accuracy",
    "CategoryResult",
    "EvalReport",
    "Item",
    "Score",
    "eval_command_output",
    "evaluate",
    "load_gold",
]

FORMATS = ("text", "json")


def evaluate(store: Queryable, gold: dict[str, Any], *, report_iri: str | None = None) -> EvalReport:
    """Score one report graph (``report_iri``: an IRI or a report id; default: the one matching the gold document)."""
    check_gold(gold)
    document = gold.get("document", {})
    iri = resolve_report(store, document, report_id=report_iri)
    report = read_report(store, iri)
    entities = gold.get("entities", [])
    quantities = gold.get("quantities", [])
    scope = gold.get("scope")
    quotes = scope.get("quotes") if scope else None
    scored = tuple(c for c in CATEGORIES if c in scope.get("categories", ())) if scope else CATEGORIES
    with_standard = any("standard_indicator" in q for q in quantities)
    return EvalReport(
        report=iri,
        gold=document.get("file") or "",
        sections=score_sections(gold.get("sections", []), report),
        pillars=score_pillars(gold.get("pillars", []), report),
        measures=score_measures(gold.get("pillars", []), gold.get("sections", []), report),
        entities=score_entities(entities, report),
        figures=score_figures(quantities, report, scope=quotes),
        relations=score_relations(gold.get("relations", []), entities, report),
        honours=score_honours(gold.get("honors"), entities, report),
        standard=score_standard(quantities, report, scope=quotes) if with_standard else None,
        scored=scored + (("standard",) if with_standard else ()),
    )


def eval_command_output(
    store: Queryable,
    gold_path: Path | str,
    *,
    report_id: str | None = None,
    fmt: str = "text",
    show_misses: bool = True,
) -> str:
    """What ``kg-build eval`` prints: the report for a gold file, as text or JSON."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    gold = load_gold(gold_path)
    if gold.get("format") == SERIES_FORMAT:  # several reports at once: --report does not apply
        if report_id is not None:
            raise InputError("--report does not apply to a series gold file: it names the reports of each entry")
        series = evaluate_series(store, gold, source=Path(gold_path).name)
        return series.to_json(show_misses=show_misses) if fmt == "json" else series.to_text(show_misses=show_misses)
    result = evaluate(store, gold, report_iri=report_id)
    return result.to_json(show_misses=show_misses) if fmt == "json" else result.to_text(show_misses=show_misses)
