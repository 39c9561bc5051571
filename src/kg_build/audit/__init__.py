"""Coverage audit: which numbers of a built report became statements, and whether each statement's words are its span's.

Read from a store (SPARQL through its ``query`` method), not from the extractor, so it
checks what the graph really says: for each report, every numeric expression of its text
(found with the number patterns of ``kg_build.extract.numbers``) by the kind of section it
lies in, whether a statement's span covers it, the ones left over with their sentence, and
every statement whose ``pol:surfaceForm`` is not found verbatim in its span.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from itertools import accumulate
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg_build.document import Span
from kg_build.engine import run_query
from kg_build.engine.limits import own_query_limits
from kg_build.errors import InputError, QueryError
from kg_build.extract.numbers import ARABIC_PATTERN, CHINESE_NUMERAL_CHARS
from kg_build.model.graph import sentence_around
from kg_build.model.vocab import POL_NS
from kg_build.store import Reader as Queryable
from kg_build.structure.headings import is_body_end
from kg_build.structure.lines import split_lines

__all__ = ["NumericExpression", "ReportAudit", "audit_store", "classified_numbers", "numeric_expressions"]

DATA = Path(__file__).parent / "data"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
PROV = "http://www.w3.org/ns/prov#"
SECTION_KINDS = ("PlanSection", "ReviewSection", "OutlookSection", "HighlightsSection", "GovernmentSection")
OUTSIDE = "none"  # text before the first section (title, date, address) or after the body (appendices)
NUMBER = re.compile(rf"(?:{ARABIC_PATTERN})[十百千万亿]*[%％‰]?|百分之[{CHINESE_NUMERAL_CHARS}点]+")


@dataclass(frozen=True)
class NumericExpression:
    """A number as written in a report's text, where it lies and whether a statement covers it."""

    span: Span
    text: str
    section_kind: str  # PlanSection, ReviewSection, … or "none"
    attached: bool
    sentence: str
    rule: str = ""  # for a number left out: the rule that says it is not a quantity


@dataclass(frozen=True)
class SurfaceMismatch:
    """A statement whose surface form is not found verbatim in the text of its span."""

    statement: str
    surface: str
    anchor: str


@dataclass
class ReportAudit:
    report_id: str
    iri: str
    expressions: list[NumericExpression] = field(default_factory=list)
    mismatches: list[SurfaceMismatch] = field(default_factory=list)
    statements: int = 0
    skipped: list[NumericExpression] = field(default_factory=list)  # numbers that are not quantities (years, names…)

    def counts(self, kind: str | None = None) -> tuple[int, int]:
        """(attached, all) numeric expressions, of one section kind or of the whole text."""
        chosen = [e for e in self.expressions if kind is None or e.section_kind == kind]
        return sum(e.attached for e in chosen), len(chosen)

    def coverage(self, kind: str | None = None) -> float | None:
        """The share of numeric expressions a statement covers (None when there are none)."""
        attached, total = self.counts(kind)
        return attached / total if total else None

    @property
    def leftovers(self) -> list[NumericExpression]:
        return [e for e in self.expressions if not e.attached]

    def by_kind(self) -> dict[str, tuple[int, int]]:
        kinds = Counter(e.section_kind for e in self.expressions)
        return {kind: self.counts(kind) for kind in sorted(kinds)}


@lru_cache(maxsize=1)
def _rules() -> list[dict[str, Any]]:
    with (DATA / "not_figures.json").open(encoding="utf-8") as handle:
        return json.load(handle)["rules"]


@dataclass(frozen=True)
class _Rule:
    """A rule of ``not_figures.json`` with its patterns compiled once (a build audits thousands of numbers)."""

    name: str
    expression: re.Pattern[str] | None
    previous: re.Pattern[str] | None
    next: re.Pattern[str] | None
    next_not: re.Pattern[str] | None
    line_start: bool

    def applies(self, text: str, begin: int, end: int) -> bool:
        before, after = text[max(0, begin - 16) : begin], text[end : end + 16]
        if self.expression is not None and not self.expression.fullmatch(text[begin:end]):
            return False
        if self.previous is not None and not self.previous.search(before):
            return False
        if self.next is not None and not self.next.match(after):
            return False
        if self.next_not is not None and self.next_not.match(after):
            return False
        if self.line_start and not (begin == 0 or text[begin - 1] == "\n"):
            return False
        return True


@lru_cache(maxsize=1)
def _compiled_rules() -> tuple[_Rule, ...]:
    def pattern(rule: dict[str, Any], key: str, form: str = "{}") -> re.Pattern[str] | None:
        return re.compile(form.format(rule[key])) if key in rule else None

    return tuple(
        _Rule(r["name"], pattern(r, "expression"), pattern(r, "previous", "(?:{})$"), pattern(r, "next"),
              pattern(r, "next_not"), bool(r.get("line_start")))
        for r in _rules()
    )


_DIGITS = re.compile(ARABIC_PATTERN)


def classified_numbers(text: str) -> list[tuple[Span, str | None]]:
    """Every number of a text with the name of the rule that says it is not a quantity (None: it is one)."""
    found: list[tuple[Span, str | None]] = []
    rules = _compiled_rules()
    for match in NUMBER.finditer(text):
        begin, end = match.span()
        digits = _DIGITS.match(match.group())
        core_end = begin + digits.end() if digits else end  # the rules look at the digits alone
        rule = next((r.name for r in rules if r.applies(text, begin, core_end)), None)
        found.append((Span(begin, end), rule))
    return found


def numeric_expressions(text: str) -> list[Span]:
    """The numbers of a text that state a quantity (years, dates, list numbers and model names left out)."""
    return [span for span, rule in classified_numbers(text) if rule is None]



Select = Callable[[str], list[tuple[Any, ...]]]  # a SELECT's rows: guarded on a store, direct on a build's writer


def _guarded(store: Queryable) -> Select:
    """The audit's SELECTs (each names its graphs) through the one guarded query path."""

    def select(sparql: str) -> list[tuple[Any, ...]]:
        run = run_query(store, sparql, own_query_limits())
        if run.form != "SELECT":
            raise QueryError("the store answered a SELECT with something else; is it a SPARQL 1.1 store?")
        return run.rows

    return select


def _reports(select: Select, report: str | None, graphs: list[str] | None = None) -> list[tuple[str, str]]:
    chosen_graphs = "" if graphs is None else f"VALUES ?g {{ {' '.join(f'<{g}>' for g in graphs)} }}"
    rows = select(f"""
        SELECT ?g ?text WHERE {{ {chosen_graphs} GRAPH ?g {{ ?g a <{POL_NS}WorkReport> ; <{POL_NS}text> ?c . ?c <{NIF}isString> ?text }} }}
        ORDER BY ?g""")
    reports = [(str(g), str(text)) for g, text in rows]
    if report is None:
        return reports
    chosen = [(g, t) for g, t in reports if g == report or g.rsplit("/", 1)[-1] == report]
    if not chosen:
        known = ", ".join(g.rsplit("/", 1)[-1] for g, _ in reports) or "none"
        raise InputError(f"no report {report!r} in the store (reports: {known})")
    return chosen


def _sections(select: Select, graph: str) -> list[tuple[int, str]]:
    kinds = " ".join(f"<{POL_NS}{k}>" for k in SECTION_KINDS)
    rows = select(f"""
        SELECT ?begin ?kind WHERE {{ GRAPH <{graph}> {{
          <{graph}> <{POL_NS}hasSection> ?s . ?s a ?kind ; <{PROV}wasDerivedFrom> ?span . ?span <{NIF}beginIndex> ?begin
          VALUES ?kind {{ {kinds} }} }} }}""")
    return sorted((int(begin), str(kind).removeprefix(POL_NS)) for begin, kind in rows)


def _statements(select: Select, graph: str) -> list[tuple[str, str, int, int, str]]:
    rows = select(f"""
        SELECT ?st ?surface ?begin ?end ?anchor WHERE {{ GRAPH <{graph}> {{
          ?st a <{POL_NS}QuantifiedStatement> ; <{POL_NS}surfaceForm> ?surface ; <{PROV}wasDerivedFrom> ?span .
          ?span <{NIF}beginIndex> ?begin ; <{NIF}endIndex> ?end ; <{NIF}anchorOf> ?anchor }} }}""")
    return sorted((str(st), str(surface), int(begin), int(end), str(anchor)) for st, surface, begin, end, anchor in rows)


def audit_report(store: Queryable, graph: str, text: str) -> ReportAudit:
    """The audit of one report graph whose normalized text is ``text``."""
    return _audit(_guarded(store), graph, text)


def _audit(select: Select, graph: str, text: str, *, sentences: bool = True) -> ReportAudit:
    """``sentences``: each number's sentence (what the audit page shows; a build's summary counts without them)."""
    audit = ReportAudit(graph.rsplit("/", 1)[-1], graph)
    sections = _sections(select, graph)
    body_end = next((line.begin for line in split_lines(text) if sections and line.begin > sections[-1][0]
                     and is_body_end(line)), len(text))  # an appendix or glossary after the last section
    sections.append((body_end, OUTSIDE))
    starts = [begin for begin, _ in sections]
    statements = _statements(select, graph)
    audit.statements = len({st for st, *_ in statements})
    spans = sorted({(begin, end) for _, _, begin, end, _ in statements})
    for st, surface, begin, end, anchor in statements:
        if surface not in text[begin:end]:
            audit.mismatches.append(SurfaceMismatch(st, surface, text[begin:end] or anchor))
    span_starts = [b for b, _ in spans]
    furthest = list(accumulate((e for _, e in spans), max))  # the furthest end of the spans up to each one
    for number, rule in classified_numbers(text):
        at = bisect_right(starts, number.begin) - 1
        kind = sections[at][1] if at >= 0 else OUTSIDE
        # a statement covers the number when its span starts at or before it and ends at or after it
        reach = bisect_right(span_starts, number.begin)
        attached = reach > 0 and furthest[reach - 1] >= number.end
        sentence = sentence_around(text, number) if sentences else None
        found = NumericExpression(
            number, text[number.begin : number.end], kind, attached,
            text[sentence.begin : sentence.end] if sentence else "", rule or "",
        )
        (audit.expressions if rule is None else audit.skipped).append(found)
    return audit


def audit_store(store: Queryable, *, report: str | None = None) -> list[ReportAudit]:
    """The audit of every report in the store (or of one, by id or IRI), in report order."""
    select = _guarded(store)
    return [_audit(select, graph, text) for graph, text in _reports(select, report)]


def audit_summaries(select: Select, graphs: list[str]) -> dict[str, dict[str, Any]]:
    """{report IRI: its plan coverage, leftovers and surface-form mismatches} for these report graphs.

    What a build records for the overview (``kg_build.stats.recorded_stats``), read with ``select`` from the
    generation it is writing, so readers do not re-audit every report of a big store on each new build.
    """
    summaries = {}
    for graph, text in _reports(select, None, graphs) if graphs else []:
        audit = _audit(select, graph, text, sentences=False)
        summaries[graph] = {"plan_coverage": audit.coverage("PlanSection"), "leftovers": len(audit.leftovers),
                            "mismatches": len(audit.mismatches)}
    return summaries
