"""Score a store against series gold: main targets and the outcomes later reports state, over several years.

A series gold file (``"format": "policy-kg series gold v1"``) lists ``entries``, each one figure of one report:
``report`` (its id), ``year``, ``indicator`` (a standard indicator's slug), ``kind`` (target | achievement),
``comparator`` (eq gt ge approx le lt between), ``value``, ``upper`` (a range's upper end, else null), ``unit``
and ``quote`` (the text the figure is read from).

What is scored, entry by entry:

- found: the report's graph holds a statement of that kind, year, unit and value (1e-9 relative), the one read
  from a sentence holding the quote preferred;
- standard indicator: that statement carries ``pol:standardIndicator`` with the entry's slug;
- comparator: its ``pol:comparator`` is the entry's (and ``pol:upperBound`` its ``upper`` for a range);
- pairs: each target entry with the achievement entry of the same indicator and year from a later report is a
  pair a reader can judge. It is joined when the saved query ``target-vs-outcome`` gives a row for that report's
  target of that indicator and year whose outcome is the later report's figure (same report, same value); its
  verdict is right when the row's verdict is the reader's: the gold target judged against the gold outcome by the
  rules the query documents (a range is met inside its bounds; ge/gt/le/lt as they say; approx (左右) within
  0.5 percentage points for percentages, 5% of the target otherwise, eq exactly, read as a floor for most
  indicators and as a ceiling for prices, unemployment rates and the deficit ratio).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kg_build.errors import InputError
from kg_build.evaluate.gold import COMPARATORS, SERIES_FORMAT, UNITS, check_series_gold
from kg_build.evaluate.labels import fold
from kg_build.evaluate.predicted import Queryable, select
from kg_build.model.iri import report_iri
from kg_build.outcomes import target_outcomes

__all__ = ["SERIES_FORMAT", "SeriesReport", "check_series_gold", "evaluate_series", "reader_verdict"]

KINDS = {"target": "Target", "achievement": "Achievement"}
# How a person reads an Equal or About target: as a ceiling for these (a price rise, an unemployment rate, a
# deficit), as a floor for every other indicator.
CEILINGS = frozenset({"cpi-growth", "urban-surveyed-unemployment", "urban-registered-unemployment", "deficit-ratio"})

_STATEMENTS = """
PREFIX pol: <https://w3id.org/policy-kg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
SELECT ?statement ?kind ?year ?value ?unit ?cmp ?upper ?slug ?sentence WHERE {
  VALUES ?kind { pol:Target pol:Achievement }
  GRAPH <%s> { ?statement a ?kind }
  ?statement qudt:numericValue ?value ; qudt:unit ?unit .
  OPTIONAL { ?statement pol:refYear ?year }
  OPTIONAL { ?statement pol:comparator ?cmp }
  OPTIONAL { ?statement pol:upperBound ?upper }
  OPTIONAL { ?statement pol:standardIndicator ?std . ?std skos:notation ?slug }
  OPTIONAL { ?statement prov:wasDerivedFrom ?span . ?span nif:sentence ?s . ?s nif:anchorOf ?sentence }
}
ORDER BY ?statement
"""


@dataclass(frozen=True)
class EntryResult:
    entry: dict[str, Any]
    statement: str  # "" when not found
    standard: bool
    comparator: bool

    @property
    def found(self) -> bool:
        return bool(self.statement)


@dataclass(frozen=True)
class PairResult:
    indicator: str
    year: int
    target_report: str
    outcome_report: str
    reader: str  # the verdict a reader gives from the gold figures
    joined: bool
    verdict: str  # the query's verdict ("" when not joined)

    @property
    def right(self) -> bool:
        return self.joined and self.verdict == self.reader


@dataclass
class SeriesReport:
    gold: str
    entries: list[EntryResult] = field(default_factory=list)
    pairs: list[PairResult] = field(default_factory=list)

    def counts(self) -> dict[str, tuple[int, int]]:
        found = [e for e in self.entries if e.found]
        return {
            "found": (len(found), len(self.entries)),
            "standard indicator": (sum(e.standard for e in found), len(found)),
            "comparator": (sum(e.comparator for e in found), len(found)),
            "pairs joined": (sum(p.joined for p in self.pairs), len(self.pairs)),
            "verdicts right": (sum(p.right for p in self.pairs if p.joined), sum(p.joined for p in self.pairs)),
        }

    def to_dict(self, *, show_misses: bool = True) -> dict[str, Any]:
        scores = {k: {"correct": c, "total": t, "rate": round(c / t, 4) if t else None} for k, (c, t) in self.counts().items()}
        out: dict[str, Any] = {"gold": self.gold, "format": SERIES_FORMAT, "scores": scores}
        if show_misses:
            out["misses"] = [_entry_line(e) for e in self.entries if not (e.found and e.standard and e.comparator)]
            out["pairs"] = [vars(p) | {"right": p.right} for p in self.pairs]
        return out

    def to_json(self, *, show_misses: bool = True) -> str:
        return json.dumps(self.to_dict(show_misses=show_misses), ensure_ascii=False, indent=2) + "\n"

    def to_text(self, *, show_misses: bool = True) -> str:
        lines = [f"gold   {self.gold}  (series: {len(self.entries)} entries, {len(self.pairs)} target/outcome pairs)", "",
                 f"{'score':<22}{'rate':>7}{'correct/total':>16}"]
        for name, (correct, total) in self.counts().items():
            rate = f"{correct / total:.3f}" if total else "-"
            lines.append(f"{name:<22}{rate:>7}{f'{correct}/{total}':>16}")
        lines += ["", f"{'indicator':<30}{'year':>6}  {'target report':<16}{'outcome report':<16}{'reader':<16}query"]
        for p in self.pairs:
            query = p.verdict if p.joined else "(not joined)"
            mark = "" if p.right else "  ~ wrong"
            lines.append(f"{p.indicator:<30}{p.year:>6}  {p.target_report:<16}{p.outcome_report:<16}{p.reader:<16}{query}{mark}")
        if show_misses:
            misses = [_entry_line(e) for e in self.entries if not (e.found and e.standard and e.comparator)]
            if misses:
                lines += ["", f"entries: {len(misses)} not found or wrong", *misses]
        return "\n".join(lines) + "\n"


def _entry_line(e: EntryResult) -> str:
    entry = e.entry
    what = ("not found" if not e.found else
            ", ".join(w for w, ok in (("no standard indicator", e.standard), ("comparator wrong", e.comparator)) if not ok))
    return (f"  - {what}: {entry['report']} {entry['kind']} {entry['indicator']} {entry['year']} "
            f"{entry['comparator']} {entry['value']}  ({entry['quote']})")


def _local(iri: object) -> str:
    text = "" if iri is None else str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _same(a: object, b: float | int | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    x, y = float(str(a)), float(b)
    return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))


def _entry_result(entry: dict[str, Any], statements: list[dict[str, Any]]) -> EntryResult:
    unit = _local(UNITS[entry["unit"]])
    candidates = [s for s in statements
                  if _local(s["kind"]) == KINDS[entry["kind"]] and str(s["year"] or "")[:4] == str(entry["year"])
                  and _local(s["unit"]) == unit and _same(s["value"], entry["value"])]
    if not candidates:
        return EntryResult(entry, "", False, False)
    quote = fold(entry["quote"])
    # the statement read from the quoted sentence, carrying the slug, with the comparator: best first
    candidates.sort(key=lambda s: (quote not in fold(str(s["sentence"] or "")), s["slug"] != entry["indicator"],
                                   _local(s["cmp"]) != _local(COMPARATORS[entry["comparator"]]), str(s["statement"])))
    best = candidates[0]
    comparator = _local(best["cmp"]) == _local(COMPARATORS[entry["comparator"]]) and (
        entry["comparator"] != "between" or _same(best["upper"], entry.get("upper")))
    return EntryResult(entry, str(best["statement"]), best["slug"] == entry["indicator"], comparator)


def reader_verdict(target: dict[str, Any], outcome: dict[str, Any]) -> str:
    """met or missed: the gold target judged against the gold outcome as a person reading both reports would."""
    value, got = Decimal(str(target["value"])), Decimal(str(outcome["value"]))
    comparator = target["comparator"]
    if comparator == "between":
        return "met" if value <= got <= Decimal(str(target["upper"])) else "missed"
    simple = {"ge": got >= value, "gt": got > value, "le": got <= value, "lt": got < value}
    if comparator in simple:
        return "met" if simple[comparator] else "missed"
    tolerance = Decimal(0)
    if comparator == "approx":
        tolerance = Decimal("0.5") if target["unit"] in ("PERCENT", "PercentagePoint") else abs(value) * Decimal("0.05")
    if target["indicator"] in CEILINGS:
        return "met" if got - value <= tolerance else "missed"
    return "met" if got - value >= -tolerance else "missed"


def _later_outcome(target: dict[str, Any], achievements: list[dict[str, Any]]) -> dict[str, Any] | None:
    same = [a for a in achievements if a["indicator"] == target["indicator"] and a["year"] == target["year"]
            and a["report"] != target["report"]]
    return min(same, key=lambda a: a["report"]) if same else None


def evaluate_series(store: Queryable, gold: dict[str, Any], *, source: str = "") -> SeriesReport:
    """Score the store against a series gold file (checked first)."""
    check_series_gold(gold, source=source or "gold")
    entries = gold["entries"]
    result = SeriesReport(gold=source)
    by_report: dict[str, list[dict[str, Any]]] = {}
    for report in sorted({e["report"] for e in entries}):
        answer = select(store, _STATEMENTS % report_iri(report))
        names = [str(v).lstrip("?") for v in answer.variables]
        by_report[report] = [{k: (None if v is None else str(v)) for k, v in zip(names, row)} for row in answer.rows]
    result.entries = [_entry_result(e, by_report[e["report"]]) for e in entries]
    achievements = [e for e in entries if e["kind"] == "achievement"]
    rows_by_slug: dict[str, list[Any]] = {}
    for target in (e for e in entries if e["kind"] == "target"):
        outcome = _later_outcome(target, achievements)
        if outcome is None:
            continue
        slug = target["indicator"]
        if slug not in rows_by_slug:
            rows_by_slug[slug] = target_outcomes(store, indicator=slug)
        rows = [r for r in rows_by_slug[slug] if r.year == target["year"] and r.target_report == str(report_iri(target["report"]))]
        joined = [r for r in rows if r.outcome_report == str(report_iri(outcome["report"])) and r.outcome is not None
                  and _same(r.outcome, outcome["value"])]
        row = joined[0] if joined else None
        result.pairs.append(PairResult(slug, target["year"], target["report"], outcome["report"],
                                       reader_verdict(target, outcome), row is not None, row.verdict if row else ""))
    return result
