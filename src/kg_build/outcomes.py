"""Did the target land: the saved query ``target-vs-outcome`` read into rows, for the explorer and other callers.

The verdict logic lives in the saved query (queries/target-vs-outcome.rq), so ``kg-build query target-vs-outcome``
and this module give the same rows; this module only runs it on the guarded path and types its columns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from rdflib.term import Node

from kg_build.engine import run_query
from kg_build.explore import EXPLORER_LIMITS, is_iri
from kg_build.panel import unit_labels
from kg_build.queries import get_saved_query, needs_sparql11

__all__ = ["OutcomeRow", "IndicatorChoice", "YearsAndLevel", "target_outcomes", "indicator_choices", "years_and_levels", "VERDICTS"]

VERDICTS = ("met", "missed", "not comparable")

_NAMED = """
PREFIX pol: <https://w3id.org/policy-kg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?regionName ?slug ?name WHERE {
  PAIRS
  ?std skos:notation ?slug .
  LATERAL { OPTIONAL { ?std skos:prefLabel ?name . FILTER(LANGMATCHES(LANG(?name), "zh-Hans")) } }
  LATERAL { ?area skos:prefLabel ?regionName . FILTER(LANGMATCHES(LANG(?regionName), "zh-Hans")) }
}
ORDER BY ?regionName ?slug
"""  # each (area, standard indicator) pair in PAIRS named: its region's and indicator's names and slug
_CHOICES = _NAMED.replace(
    "PAIRS", "{ SELECT DISTINCT ?area ?std WHERE { ?t_ pol:standardIndicator ?std ; a pol:Target ; pol:refArea ?area } }"
)


@dataclass(frozen=True)
class IndicatorChoice:
    """A region and a standard indicator it set a target for."""

    region: str
    slug: str
    name: str  # the standard indicator's Chinese name


@dataclass(frozen=True)
class OutcomeRow:
    """One year's target of a region and standard indicator, the outcome a later report states, and the verdict."""

    region: str
    slug: str
    year: int | None
    comparator: str
    value: Decimal | None
    upper: Decimal | None
    unit: str
    modality: str
    reading: str  # floor | ceiling: how an Equal or About target is judged
    tolerance: Decimal | None
    target_sentence: str
    target_report: str
    outcome_comparator: str
    outcome: Decimal | None
    outcome_unit: str
    outcome_sentence: str
    outcome_report: str
    difference: Decimal | None
    verdict: str  # met | missed | not comparable
    reason: str  # why not comparable: no outcome yet | no outcome stated | different units | no figure to compare
    target: str  # the target statement's IRI
    outcome_statement: str  # the outcome statement's IRI, "" when none
    unit_label: str = ""  # what the target is counted in, as written: 人 (the counted noun), else the unit's symbol
    unit_label_en: str = ""  # the same in English: persons, else the unit's name


def _text(value: Node | None) -> str:
    return "" if value is None else str(value)


def _decimal(value: Node | None) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except InvalidOperation:
        return None


def _year(value: Node | None) -> int | None:
    text = _text(value)[:4]
    return int(text) if text.isdigit() else None


_COLUMNS = {
    "regionName": ("region", _text), "slug": ("slug", _text), "year": ("year", _year),
    "comparator": ("comparator", _text), "value": ("value", _decimal), "upper": ("upper", _decimal),
    "unit": ("unit", _text), "modality": ("modality", _text), "reading": ("reading", _text),
    "tolerance": ("tolerance", _decimal), "targetSentence": ("target_sentence", _text),
    "targetReport": ("target_report", _text), "outcomeComparator": ("outcome_comparator", _text),
    "outcome": ("outcome", _decimal), "outcomeUnit": ("outcome_unit", _text),
    "outcomeSentence": ("outcome_sentence", _text), "outcomeReport": ("outcome_report", _text),
    "difference": ("difference", _decimal), "verdict": ("verdict", _text), "reason": ("reason", _text),
    "target": ("target", _text), "outcomeStatement": ("outcome_statement", _text),
}


def _rows(variables: Sequence[str], rows: Sequence[Sequence[Node | None]]) -> list[OutcomeRow]:
    found = []
    for row in rows:
        values = dict(zip(variables, row))
        found.append(OutcomeRow(**{field: convert(values.get(var)) for var, (field, convert) in _COLUMNS.items()}))
    return found


def target_outcomes(store: object, *, region: str | None = None, indicator: str | None = None) -> list[OutcomeRow]:
    """The rows of ``target-vs-outcome`` for a region (its name) and a standard indicator (slug or Chinese name),
    either left out for every one; run in the explorer's guarded worker."""
    params = {k: v for k, v in (("region", region), ("indicator", indicator)) if v}
    run = run_query(store, get_saved_query("target-vs-outcome").bind(params, page=None, sparql11=needs_sparql11(store)), EXPLORER_LIMITS)  # every page
    rows = _rows(run.variables, run.rows)
    if not rows:
        return rows
    counted = unit_labels(store, [r.target for r in rows])  # what the targets count: 人 / persons
    return [replace(r, unit_label=counted.get(r.target, ("", ""))[0], unit_label_en=counted.get(r.target, ("", ""))[1])
            for r in rows]


def indicator_choices(store: object) -> list[IndicatorChoice]:
    """Every region and standard indicator that some report sets a target for, by region then slug.

    From the build's record of each report's targets (``stats._target_indicators``) where the store has one, with
    their names looked up; else read over the store (0.4 s at ten million quads)."""
    recorded = _recorded_pairs(store)
    if recorded is None:
        run = run_query(store, _CHOICES, EXPLORER_LIMITS)
        return [IndicatorChoice(_text(r[0]), _text(r[1]), _text(r[2])) for r in run.rows]
    # each region and each indicator named once (950 regions at ten million quads of county reports: their 6,000
    # pairs named pair by pair took a quarter of a second), then the pairs made of their names
    areas: dict[str, list[str]] = defaultdict(list)
    for area, name in _each_named(store, _AREA_NAMES, sorted({area for area, _ in recorded})):
        areas[area].append(name)
    stds: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for std, slug, name in _each_named(store, _STD_NAMES, sorted({std for _, std in recorded})):
        stds[std].append((slug, name))
    found = {
        IndicatorChoice(region, slug, name)
        for area, std in recorded for region in areas.get(area, ()) for slug, name in stds.get(std, ())
    }
    return sorted(found, key=lambda c: (c.region, c.slug, c.name))  # as SPARQL orders their text (code points)


def _each_named(store: object, template: str, iris: list[str]) -> list[tuple[str, ...]]:
    """The rows of ``template`` for ``iris`` (``VALUES ?x``), ``_IRIS_A_QUERY`` a query, as text."""
    rows: list[tuple[str, ...]] = []
    for start in range(0, len(iris), _IRIS_A_QUERY):
        values = " ".join(f"<{iri}>" for iri in iris[start : start + _IRIS_A_QUERY])
        run = run_query(store, template.replace("VALUES_X", f"VALUES ?x {{ {values} }}"), EXPLORER_LIMITS)
        rows.extend(tuple(_text(v) for v in r) for r in run.rows)
    return rows


_AREA_NAMES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?x ?regionName WHERE {
  VALUES_X
  ?x skos:prefLabel ?regionName . FILTER(LANGMATCHES(LANG(?regionName), "zh-Hans"))
}
"""  # a region's names in Chinese (one choice each)
_STD_NAMES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?x ?slug ?name WHERE {
  VALUES_X
  ?x skos:notation ?slug .
  OPTIONAL { ?x skos:prefLabel ?name . FILTER(LANGMATCHES(LANG(?name), "zh-Hans")) }
}
"""  # a standard indicator's slug and Chinese name (none: "")


_IRIS_A_QUERY = 200  # a query's text stays well under the guard's limit


def _recorded_pairs(store: object) -> list[tuple[str, str]] | None:
    """The (area, standard indicator) pairs some report's targets have, from the build's record; None without one."""
    info = getattr(store, "info", None)
    recorded = (info() if callable(info) else {}).get("stats", {}).get("target_indicators")
    if not isinstance(recorded, dict):
        return None
    pairs = {(area, std) for areas in recorded.values() if isinstance(areas, dict)
             for area, stds in areas.items() for std in stds}
    return sorted(p for p in pairs if all(isinstance(x, str) and is_iri(x) for x in p))  # written as <x>: checked


_YEARS_AND_LEVELS = """
PREFIX pol: <https://w3id.org/policy-kg/def#>
SELECT ?level ?year (COUNT(DISTINCT ?report) AS ?reports) WHERE {
  ?report a pol:WorkReport .
  OPTIONAL { ?report pol:planYear ?year }
  OPTIONAL { ?report pol:region ?region . ?region pol:adminLevel ?level }
}
GROUP BY ?level ?year
ORDER BY ?level ?year
"""


@dataclass(frozen=True)
class YearsAndLevel:
    """How many reports the store holds of one administrative level and plan year."""

    level: str  # the pol: level's IRI (pol:NationalLevel, ...), "" when the region has none
    year: int | None
    reports: int


def years_and_levels(store: object) -> list[YearsAndLevel]:
    """The plan years and levels the store's reports cover: what comparisons across years and levels can draw on."""
    run = run_query(store, _YEARS_AND_LEVELS, EXPLORER_LIMITS)
    return [YearsAndLevel(_text(r[0]), _year(r[1]), int(str(r[2]))) for r in run.rows]
