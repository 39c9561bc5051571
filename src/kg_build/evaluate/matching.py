"""Matching gold items with what the graph holds, category by category (rules: kg_build.evaluate)."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from decimal import Decimal
from typing import Any

from kg_build.evaluate.gold import COMPARATORS, ENTITY_TYPES, FIGURE_KINDS, SECTION_KINDS, UNITS, modality_of
from kg_build.evaluate.labels import FoldedText, fold
from kg_build.evaluate.predicted import PredictedEntity, PredictedFigure, PredictedReport
from kg_build.evaluate.report import Accuracy, CategoryResult, Item, Score
from kg_build.model.vocab import POL_NS

UNIT_NAMES = {str(iri): name for name, iri in UNITS.items()}
SAME_TYPE = {"Platform": "Project"}  # a pol:Platform is a pol:Project (subclass); all other types are strict


def _local(iri: str) -> str:
    return iri[len(POL_NS):] if iri.startswith(POL_NS) else iri


def _required(item: dict[str, Any]) -> bool:
    return not item.get("optional", False)


def _number(value: float | Decimal | None) -> str:
    if value is None:
        return "?"
    text = format(Decimal(str(value)).normalize(), "f")
    return text[:-2] if text.endswith(".0") else text


def pair_by_key(gold_keys: Sequence[Hashable], predicted_keys: Sequence[Hashable]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index) of equal keys, each gold item taking the first free one."""
    free: dict[Hashable, list[int]] = {}
    for n, key in enumerate(predicted_keys):
        free.setdefault(key, []).append(n)
    pairs = []
    for n, key in enumerate(gold_keys):
        if free.get(key):
            pairs.append((n, free[key].pop(0)))
    return pairs


def _score(gold: Sequence[dict[str, Any]], predicted: int, pairs: list[tuple[int, int]]) -> Score:
    matched_gold = {g for g, _ in pairs}
    required = [n for n, item in enumerate(gold) if _required(item)]
    return Score(
        matched=len({p for _, p in pairs}),
        predicted=predicted,
        found=sum(1 for n in required if n in matched_gold),
        required=len(required),
    )


def _accuracy(checks: list[bool]) -> Accuracy:
    return Accuracy(sum(checks), len(checks))


# --- structure --------------------------------------------------------------------------


def score_sections(gold: list[dict[str, Any]], report: PredictedReport) -> CategoryResult:
    """Sections by label; on matched ones, kind and year accuracy."""
    predicted = report.sections
    pairs = pair_by_key([fold(s["label"]) for s in gold], [fold(s.label) for s in predicted])
    kinds: list[bool] = []
    years: list[bool] = []
    mismatches = []
    for g, p in pairs:
        item, section = gold[g], predicted[p]
        expected = _local(str(SECTION_KINDS[item["kind"]]))
        kinds.append(section.kinds == (expected,))
        if not kinds[-1]:
            mismatches.append(Item(item["label"], f"kind: gold {expected}, graph {'+'.join(section.kinds) or 'none'}"))
        if item.get("year") is not None:
            years.append(section.year == item["year"])
            if not years[-1]:
                mismatches.append(Item(item["label"], f"year: gold {item['year']}, graph {section.year}"))
    matched_gold, matched_pred = {g for g, _ in pairs}, {p for _, p in pairs}
    return CategoryResult(
        name="sections",
        score=_score(gold, len(predicted), pairs),
        accuracy={"kind": _accuracy(kinds), "year": _accuracy(years)},
        misses=[Item(s["label"], s["kind"]) for n, s in enumerate(gold) if n not in matched_gold and _required(s)],
        false_positives=[
            Item(s.label, "+".join(s.kinds)) for n, s in enumerate(predicted) if n not in matched_pred
        ],
        mismatches=mismatches,
    )


def _plan_pillars(report: PredictedReport) -> list[Any]:
    plan = {s.node for s in report.sections if "PlanSection" in s.kinds}
    return [p for p in report.pillars if p.parent in plan]


def score_pillars(gold: list[dict[str, Any]], report: PredictedReport) -> CategoryResult:
    """Pillars of plan sections by label; on matched ones, whether they come in the gold order."""
    predicted = _plan_pillars(report)
    pairs = pair_by_key([fold(p["label"]) for p in gold], [fold(p.label) for p in predicted])
    by_predicted_order = sorted(pairs, key=lambda pair: pair[1])
    in_order = [pair == by_predicted_order[n] for n, pair in enumerate(pairs)]
    matched_gold, matched_pred = {g for g, _ in pairs}, {p for _, p in pairs}
    return CategoryResult(
        name="pillars",
        score=_score(gold, len(predicted), pairs),
        accuracy={"order": _accuracy(in_order)},
        misses=[Item(p["label"], f"pillar {n + 1}") for n, p in enumerate(gold) if n not in matched_gold],
        false_positives=[
            Item(p.label, f"pillar {p.ordinal}") for n, p in enumerate(predicted) if n not in matched_pred
        ],
        mismatches=[Item(gold[g]["label"], "out of order") for (g, _), ok in zip(pairs, in_order) if not ok],
    )


def score_measures(
    gold_pillars: list[dict[str, Any]], gold_sections: list[dict[str, Any]], report: PredictedReport
) -> CategoryResult:
    """(parent label, measure label) pairs: measures of plan pillars, and measures directly under sections."""
    gold = [{"parent": p["label"], "label": m} for p in gold_pillars for m in p.get("measures", [])]
    gold += [{"parent": s["label"], "label": m} for s in gold_sections for m in s.get("measures", [])]
    parents = {p.node: p.label for p in _plan_pillars(report)} | {s.node: s.label for s in report.sections}
    predicted = [m for m in report.measures if m.parent in parents]
    pairs = pair_by_key(
        [(fold(m["parent"]), fold(m["label"])) for m in gold],
        [(fold(parents[m.parent]), fold(m.label)) for m in predicted],
    )
    matched_gold, matched_pred = {g for g, _ in pairs}, {p for _, p in pairs}
    return CategoryResult(
        name="measures",
        score=_score(gold, len(predicted), pairs),
        misses=[Item(m["label"], m["parent"]) for n, m in enumerate(gold) if n not in matched_gold],
        false_positives=[
            Item(m.label, parents[m.parent]) for n, m in enumerate(predicted) if n not in matched_pred
        ],
    )


# --- entities ---------------------------------------------------------------------------


def gold_types(item: dict[str, Any]) -> frozenset[str]:
    return frozenset(item.get("types") or [item["type"]])


def gold_names(item: dict[str, Any]) -> frozenset[str]:
    return frozenset(fold(n) for n in [item["label"], *item.get("aliases", [])])


def entity_types(entity: PredictedEntity) -> frozenset[str]:
    return frozenset(SAME_TYPE.get(t, t) for t in entity.types)


def entity_names(entity: PredictedEntity) -> frozenset[str]:
    return frozenset(fold(n) for n in (entity.label, *entity.names))


def entity_matches(item: dict[str, Any], entity: PredictedEntity) -> bool:
    """Types agree (Platform counts as Project) and some predicted label equals the gold label or an alias."""
    return bool(gold_types(item) & entity_types(entity)) and bool(gold_names(item) & entity_names(entity))


def _main_type(entity: PredictedEntity) -> str:
    types = entity_types(entity)
    return next((t for t in ENTITY_TYPES if t in types), "?")


def _type_score(
    gold: list[dict[str, Any]],
    predicted: list[PredictedEntity],
    hits: dict[int, list[int]],
    keep: Callable[[str], bool],
) -> Score:
    gold_in = [n for n, item in enumerate(gold) if keep(item["type"])]
    predicted_in = [n for n, e in enumerate(predicted) if keep(_main_type(e))]
    matched = {p for ps in hits.values() for p in ps}
    required = [n for n in gold_in if _required(gold[n])]
    return Score(
        matched=sum(1 for n in predicted_in if n in matched),
        predicted=len(predicted_in),
        found=sum(1 for n in required if hits.get(n)),
        required=len(required),
    )


def score_entities(gold: list[dict[str, Any]], report: PredictedReport) -> CategoryResult:
    """Typed entities by label or alias; overall and per type (recall by gold type, precision by graph type)."""
    predicted = report.entities
    hits = {g: [p for p, e in enumerate(predicted) if entity_matches(item, e)] for g, item in enumerate(gold)}
    matched = {p for ps in hits.values() for p in ps}
    types = [t for t in ENTITY_TYPES if any(i["type"] == t for i in gold) or any(_main_type(e) == t for e in predicted)]
    where = lambda e: f"{_main_type(e)} · {', '.join(e.containers) or 'mentioned nowhere'}"  # noqa: E731
    return CategoryResult(
        name="entities",
        score=_type_score(gold, predicted, hits, lambda t: True),
        by_type={t: _type_score(gold, predicted, hits, lambda x, t=t: x == t) for t in types},
        misses=[
            Item(item["label"], f"{item['type']} · {item.get('measure') or '-'}")
            for g, item in enumerate(gold)
            if _required(item) and not hits[g]
        ],
        false_positives=[Item(e.label, where(e)) for n, e in enumerate(predicted) if n not in matched],
        mismatches=[
            Item(gold[g]["label"], "same thing as " + " / ".join(predicted[p].label for p in ps))
            for g, ps in hits.items()
            if len(ps) > 1
        ],
    )


# --- figures ----------------------------------------------------------------------------


def _overlap(spans: Sequence[tuple[int, int]], places: Sequence[tuple[int, int]]) -> int:
    return max((min(e, qe) - max(b, qb) for b, e in spans for qb, qe in places), default=0)


def _same_value(figure: PredictedFigure, value: float) -> bool:
    if figure.value is None:
        return False
    return math.isclose(float(figure.value), float(value), rel_tol=1e-9, abs_tol=1e-12)


def _describe(figure: PredictedFigure) -> str:
    return f"{_number(figure.value)} {UNIT_NAMES.get(figure.unit, figure.unit)}"


def in_scope(report: PredictedReport, scope: Sequence[str] | None) -> list[PredictedFigure]:
    """The report's figures, or (for a gold file that annotates only some stretches) those read from them."""
    if scope is None:
        return list(report.figures)
    text = FoldedText(report.text)
    places = [place for quote in scope for place in text.find_all(quote)]
    return [f for f in report.figures if _overlap(f.spans, places) > 0]


def pair_figures(
    gold: list[dict[str, Any]], predicted: list[PredictedFigure], places: list[list[tuple[int, int]]]
) -> dict[int, int]:
    """Gold index → predicted index: same unit and value, span overlapping the quote; required items choose first."""
    order = sorted(range(len(gold)), key=lambda n: (not _required(gold[n]), n))
    taken: dict[int, int] = {}
    for g in order:
        item = gold[g]
        unit = str(UNITS[item["unit"]])
        candidates = [
            (-_overlap(f.spans, places[g]), f.node, p)
            for p, f in enumerate(predicted)
            if p not in taken.values()
            and f.unit == unit
            and _same_value(f, item["value"])
            and _overlap(f.spans, places[g]) > 0
        ]
        if candidates:
            taken[g] = min(candidates)[2]
    return taken


def score_figures(
    gold: list[dict[str, Any]], report: PredictedReport, *, scope: Sequence[str] | None = None
) -> CategoryResult:
    """Statements whose unit and value agree and whose span overlaps the gold quote; attribute accuracies.

    ``scope``: the quotes a partial gold file covers whole; only statements read from them are predictions.
    Upper-bound and standard-indicator accuracy are scored where gold items give ``upper`` / ``standard_indicator``.
    """
    text = FoldedText(report.text)
    predicted = in_scope(report, scope)
    places = [text.find_all(q["quote"]) for q in gold]
    taken = pair_figures(gold, predicted, places)
    pairs = sorted(taken.items())
    keys = ["comparator", "modality", "kind", "year", "indicator"]
    keys += [k for k, field in (("upper", "upper"), ("standard", "standard_indicator")) if any(field in q for q in gold)]
    checks: dict[str, list[bool]] = {k: [] for k in keys}
    mismatches = []
    for g, p in pairs:
        item, figure = gold[g], predicted[p]
        expected = {
            "comparator": _local(str(COMPARATORS[item["comparator"]])),
            "modality": _local(str(modality_of(bool(item.get("aspirational"))))),
            "kind": _local(str(FIGURE_KINDS[item["kind"]])),
            "year": item.get("year"),
            "indicator": item.get("indicator"),
        }
        got = {
            "comparator": figure.comparator,
            "modality": figure.modality,
            "kind": "+".join(figure.kinds) or None,
            "year": figure.year,
            "indicator": figure.indicator,
        }
        if "upper" in checks and item.get("upper") is not None:
            ok = figure.upper is not None and math.isclose(float(figure.upper), float(item["upper"]), rel_tol=1e-9)
            checks["upper"].append(ok)
            if not ok:
                mismatches.append(Item(_describe(figure), f"upper: gold {_number(item['upper'])}, graph {_number(figure.upper)} · {item['quote']}"))
        if "standard_indicator" in item:
            ok = item["standard_indicator"] == figure.standard
            checks["standard"].append(ok)
            if not ok:
                mismatches.append(Item(
                    _describe(figure),
                    f"standard: gold {item['standard_indicator'] or 'none'}, graph {figure.standard or 'none'} · {item['quote']}",
                ))
        for key, want in expected.items():
            if want is None:
                continue
            ok = fold(want) == fold(got[key] or "") if key == "indicator" else want == got[key]
            checks[key].append(ok)
            if not ok:
                mismatches.append(Item(_describe(figure), f"{key}: gold {want}, graph {got[key]} · {item['quote']}"))
    misses = []
    for g, item in enumerate(gold):
        if g in taken or not _required(item):
            continue
        here = [_describe(f) for f in predicted if _overlap(f.spans, places[g]) > 0]
        where = "quote not found in the text" if not places[g] else (
            f"graph has {', '.join(here)} here" if here else "nothing extracted here"
        )
        label = f"{_number(item['value'])} {item['unit']}"
        misses.append(Item(label, f"{item.get('indicator') or '?'} · {item['quote']} · {where}"))
    unplaced = sum(1 for g, item in enumerate(gold) if not places[g])
    matched_pred = set(taken.values())
    return CategoryResult(
        name="figures",
        score=_score(gold, len(predicted), pairs),
        accuracy={k: _accuracy(v) for k, v in checks.items()},
        misses=misses,
        false_positives=[
            Item(_describe(f), f"{f.indicator or '?'} · {f.anchor}")
            for n, f in enumerate(predicted)
            if n not in matched_pred
        ],
        mismatches=mismatches,
        notes=[f"{unplaced} gold quote(s) not found in the report text"] if unplaced else [],
    )


def score_standard(
    gold: list[dict[str, Any]], report: PredictedReport, *, scope: Sequence[str] | None = None
) -> CategoryResult:
    """Standard indicators: gold figures with a ``standard_indicator`` slug vs statements with pol:standardIndicator.

    A gold item is found when its figure is matched (as for figures) by a statement of the same slug;
    precision is over the statements (in scope) that carry a standard indicator. Per slug: recall by the
    gold slug, precision by the graph's.
    """
    text = FoldedText(report.text)
    predicted = in_scope(report, scope)
    places = [text.find_all(q["quote"]) for q in gold]
    taken = pair_figures(gold, predicted, places)
    wanted = [n for n, q in enumerate(gold) if q.get("standard_indicator")]
    stated = [p for p, f in enumerate(predicted) if f.standard]
    good = {g: p for g, p in taken.items() if g in wanted and gold[g]["standard_indicator"] == predicted[p].standard}

    def score(slug: str | None) -> Score:
        gold_in = [g for g in wanted if slug is None or gold[g]["standard_indicator"] == slug]
        pred_in = [p for p in stated if slug is None or predicted[p].standard == slug]
        required = [g for g in gold_in if _required(gold[g])]
        return Score(
            matched=sum(1 for p in pred_in if p in good.values()),
            predicted=len(pred_in),
            found=sum(1 for g in required if g in good),
            required=len(required),
        )

    slugs = sorted({gold[g]["standard_indicator"] for g in wanted} | {predicted[p].standard or "" for p in stated})
    return CategoryResult(
        name="standard",
        score=score(None),
        by_type={slug: score(slug) for slug in slugs},
        misses=[
            Item(gold[g]["standard_indicator"], f"{_number(gold[g]['value'])} {gold[g]['unit']} · {gold[g]['quote']}"
                 + ("" if g in taken else " · figure not found"))
            for g in wanted
            if g not in good and _required(gold[g])
        ],
        false_positives=[
            Item(predicted[p].standard or "?", f"{_describe(predicted[p])} · {predicted[p].indicator or '?'} · {predicted[p].anchor}")
            for p in stated
            if p not in good.values()
        ],
    )


# --- relations and honours -----------------------------------------------------------------


def names_for(label: str, entities: list[dict[str, Any]]) -> frozenset[str]:
    """A gold label with the aliases of every gold entity that goes by it."""
    key = fold(label)
    names = {key}
    for item in entities:
        if key in gold_names(item):
            names |= gold_names(item)
    return frozenset(names)


def score_relations(
    gold: list[dict[str, Any]], entities: list[dict[str, Any]], report: PredictedReport
) -> CategoryResult:
    """involvesOrganization / locatedIn triples whose subject and object go by the gold labels."""
    by_node = {e.node: e for e in report.entities}
    predicted = report.relations
    wanted = [(names_for(r["subject"], entities), r["predicate"], names_for(r["object"], entities)) for r in gold]

    def matches(want: tuple[frozenset[str], str, frozenset[str]], n: int) -> bool:
        rel = predicted[n]
        return (
            rel.predicate == want[1]
            and bool(want[0] & entity_names(by_node[rel.subject]))
            and bool(want[2] & entity_names(by_node[rel.object]))
        )

    hits = {g: [n for n in range(len(predicted)) if matches(w, n)] for g, w in enumerate(wanted)}
    matched = {n for ns in hits.values() for n in ns}
    required = [g for g, r in enumerate(gold) if _required(r)]
    label = lambda node: by_node[node].label  # noqa: E731
    return CategoryResult(
        name="relations",
        score=Score(len(matched), len(predicted), sum(1 for g in required if hits[g]), len(required)),
        misses=[
            Item(f"{r['subject']} {r['predicate']} {r['object']}")
            for g, r in enumerate(gold)
            if _required(r) and not hits[g]
        ],
        false_positives=[
            Item(f"{label(r.subject)} {r.predicate} {label(r.object)}")
            for n, r in enumerate(predicted)
            if n not in matched
        ],
    )


def score_honours(
    honors: dict[str, Any] | None, entities: list[dict[str, Any]], report: PredictedReport
) -> CategoryResult:
    """Gold Honor entities each conferred (pol:HonorConferral) on the gold recipient in the gold year."""
    gold = [e for e in entities if "Honor" in gold_types(e)]
    recipient = names_for(honors["recipient"], entities) if honors else frozenset()
    year = honors.get("year") if honors else None
    predicted = report.conferrals

    def names(node: str | None) -> frozenset[str]:
        named = report.labels.get(node or "")
        return frozenset(fold(n) for n in (named.label, *named.names)) if named else frozenset()

    def right(n: int, item: dict[str, Any]) -> bool:
        c = predicted[n]
        same_year = year is None or c.year == year
        return bool(gold_names(item) & names(c.honor)) and bool(recipient & names(c.recipient)) and same_year

    hits = {g: [n for n in range(len(predicted)) if right(n, item)] for g, item in enumerate(gold)}
    matched = {n for ns in hits.values() for n in ns}
    misses = []
    for g, item in enumerate(gold):
        if hits[g] or not _required(item):
            continue
        near = [c for c in predicted if gold_names(item) & names(c.honor)]
        detail = "; ".join(f"conferred on {report.label_of(c.recipient or '?')} in {c.year}" for c in near)
        misses.append(Item(item["label"], detail or "no conferral"))
    required = [g for g, item in enumerate(gold) if _required(item)]
    return CategoryResult(
        name="honours",
        score=Score(len(matched), len(predicted), sum(1 for g in required if hits[g]), len(required)),
        misses=misses,
        false_positives=[
            Item(report.label_of(c.honor or "?"), f"conferred on {report.label_of(c.recipient or '?')} in {c.year}")
            for n, c in enumerate(predicted)
            if n not in matched
        ],
    )
