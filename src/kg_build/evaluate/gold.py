"""Gold annotation files: reading, checking the format, and the names they use for graph terms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib.term import URIRef

from kg_build.errors import InputError
from kg_build.extract.standard_indicators import by_slug
from kg_build.model.vocab import CUR, POL, UNIT
from kg_build.normalize.files import read_limited

GOLD_FORMAT = "policy-kg gold annotations v1"
SERIES_FORMAT = "policy-kg series gold v1"  # several reports' main targets and outcomes (series.py)

UNITS: dict[str, URIRef] = {
    "CNY": CUR.CNY,
    "PERCENT": UNIT.PERCENT,
    "NUM": UNIT.NUM,
    "KiloM": UNIT.KiloM,
    "M2": UNIT.M2,
    "TONNE": UNIT.TONNE,
    "KiloW-HR": UNIT["KiloW-HR"],
    "PetaFLOPS": POL.PetaFLOPS,
    "RANK": POL.Rank,
    "PercentagePoint": POL.PercentagePoint,
    "Mu": POL.Mu,
    "TEU": POL.TEU,
    "MicroGM-PER-M3": UNIT["MicroGM-PER-M3"],
    "USD": CUR.USD,
}
COMPARATORS: dict[str, URIRef] = {
    "eq": POL.Equal,
    "gt": POL.MoreThan,
    "ge": POL.AtLeast,
    "approx": POL.About,
    "le": POL.AtMost,
    "lt": POL.LessThan,
    "between": POL.Between,  # a range: value is its lower end, "upper" its upper end
}
FIGURE_KINDS: dict[str, URIRef] = {"target": POL.Target, "achievement": POL.Achievement}
SERIES_KINDS = ("target", "achievement")
SECTION_KINDS: dict[str, URIRef] = {
    "plan": POL.PlanSection,
    "review": POL.ReviewSection,
    "outlook": POL.OutlookSection,
    "highlights": POL.HighlightsSection,
    "government": POL.GovernmentSection,
}
ENTITY_TYPES = (
    "Project", "Platform", "Company", "GovernmentBody", "Organization", "Place", "Event", "Initiative", "Honor",
)
RELATION_PREDICATES = ("involvesOrganization", "locatedIn")
CATEGORY_NAMES = ("sections", "pillars", "measures", "entities", "figures", "relations", "honours")


def modality_of(aspirational: bool) -> URIRef:
    return POL.Aspirational if aspirational else POL.Firm


def load_gold(path: Path | str) -> dict[str, Any]:
    """Read and check a gold annotation file; InputError says what is wrong with it."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such gold file; give the path of a gold annotation JSON file")
    data = read_limited(path, max_bytes=64 << 20, hint="give a gold annotation JSON file", size_hint="split the gold file")
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: cannot read the gold file ({exc}); check that it is UTF-8") from None
    try:
        gold = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg}); fix the gold file") from None
    except (RecursionError, ValueError) as exc:
        raise InputError(f"{path}: not valid JSON ({type(exc).__name__}); fix the gold file") from None
    if isinstance(gold, dict) and str(gold.get("format", "")).startswith("policy-kg series gold"):
        check_series_gold(gold, source=str(path))
        return gold
    check_gold(gold, source=str(path))
    return gold


def check_series_gold(gold: object, *, source: str = "gold") -> None:
    """Raise InputError unless ``gold`` has the shape of a series gold file."""
    def fail(where: str, what: str) -> None:
        raise InputError(f"{source}: {where} {what}; fix the gold file (format {SERIES_FORMAT!r})")

    if not isinstance(gold, dict) or gold.get("format") != SERIES_FORMAT:
        fail("format", f"must be {SERIES_FORMAT!r}")
    entries = gold.get("entries")
    if not isinstance(entries, list) or not entries:
        fail("entries", "must be a non-empty list")
    for i, entry in enumerate(entries):
        where = f"entries[{i}]"
        if not isinstance(entry, dict):
            fail(where, "must be an object")
        for key in ("report", "indicator", "quote"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                fail(f"{where}.{key}", "must be a non-empty string")
        if not isinstance(entry.get("year"), int) or isinstance(entry.get("year"), bool):
            fail(f"{where}.year", "must be a whole number")
        for key, choices in (("kind", SERIES_KINDS), ("comparator", COMPARATORS), ("unit", UNITS)):
            if entry.get(key) not in choices:
                fail(f"{where}.{key}", f"must be one of {', '.join(choices)} (got {entry.get(key)!r})")
        for key in ("value", "upper"):
            value = entry.get(key)
            if (value is not None or key == "value") and (not isinstance(value, (int, float)) or isinstance(value, bool)):
                fail(f"{where}.{key}", "must be a number" + (" or null" if key == "upper" else ""))
        if entry["comparator"] == "between" and entry.get("upper") is None:
            fail(f"{where}.upper", "must be given for a range (comparator between)")


def check_gold(gold: object, *, source: str = "gold") -> None:
    """Raise InputError unless ``gold`` has the shape of a v1 gold annotation file."""
    _Checker(source).gold(gold)


class _Checker:
    """Walks a gold dict; the first problem becomes a one-line InputError naming where it is."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, what: str) -> None:
        raise InputError(f"{self.source}: {where} {what}; fix the gold file (format {GOLD_FORMAT!r})")

    def kind(self, value: object, kind: type | tuple[type, ...], where: str, what: str) -> None:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(where, f"must be {what}")

    def text(self, item: dict, key: str, where: str, *, optional: bool = False) -> None:
        if optional and item.get(key) is None:
            return
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}.{key}", "must be a non-empty string")

    def choice(self, item: dict, key: str, where: str, choices: tuple[str, ...] | dict) -> None:
        if item.get(key) not in choices:
            self.fail(f"{where}.{key}", f"must be one of {', '.join(choices)} (got {item.get(key)!r})")

    def strings(self, item: dict, key: str, where: str) -> None:
        values = item.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            self.fail(f"{where}.{key}", "must be a list of non-empty strings")

    def flag(self, item: dict, key: str, where: str) -> None:
        if key in item and not isinstance(item[key], bool):
            self.fail(f"{where}.{key}", "must be true or false")

    def scope(self, scope: object) -> None:
        """Optional: the categories a partial gold file annotates, and the stretches of text it covers whole."""
        if scope is None:
            return
        self.kind(scope, dict, "scope", "an object with categories and quotes")
        assert isinstance(scope, dict)
        self.strings(scope, "categories", "scope")
        for name in scope.get("categories", []):
            if name not in CATEGORY_NAMES:
                self.fail("scope.categories", f"must name categories among {', '.join(CATEGORY_NAMES)} (got {name!r})")
        self.strings(scope, "quotes", "scope")

    def records(self, gold: dict, key: str) -> list[tuple[str, dict]]:
        items = gold.get(key, [])
        self.kind(items, list, key, "a list")
        for n, item in enumerate(items):
            self.kind(item, dict, f"{key}[{n}]", "an object")
        return [(f"{key}[{n}]", item) for n, item in enumerate(items)]

    def gold(self, gold: object) -> None:
        self.kind(gold, dict, "the file", "a JSON object")
        assert isinstance(gold, dict)
        if gold.get("format") != GOLD_FORMAT:
            self.fail("format", f"must be {GOLD_FORMAT!r} (got {gold.get('format')!r})")
        document = gold.get("document")
        self.kind(document, dict, "document", "an object with file, region and plan_year")
        self.text(document, "file", "document", optional=True)
        self.text(document, "region", "document", optional=True)
        if document.get("plan_year") is not None:
            self.kind(document["plan_year"], int, "document.plan_year", "a year")
        for where, section in self.records(gold, "sections"):
            self.text(section, "label", where)
            self.choice(section, "kind", where, SECTION_KINDS)
            if section.get("year") is not None:
                self.kind(section["year"], int, f"{where}.year", "a year")
            self.strings(section, "measures", where)
        for where, pillar in self.records(gold, "pillars"):
            self.text(pillar, "label", where)
            self.strings(pillar, "measures", where)
        for where, entity in self.records(gold, "entities"):
            self.choice(entity, "type", where, ENTITY_TYPES)
            for n, extra in enumerate(entity.get("types", [])):
                if extra not in ENTITY_TYPES:
                    self.fail(f"{where}.types[{n}]", f"must be one of {', '.join(ENTITY_TYPES)}")
            self.text(entity, "label", where)
            self.strings(entity, "aliases", where)
            self.text(entity, "measure", where, optional=True)
            self.flag(entity, "optional", where)
        for where, quantity in self.records(gold, "quantities"):
            self.kind(quantity.get("value"), (int, float), f"{where}.value", "a number")
            self.choice(quantity, "unit", where, UNITS)
            self.choice(quantity, "comparator", where, COMPARATORS)
            self.choice(quantity, "kind", where, FIGURE_KINDS)
            self.text(quantity, "quote", where)
            self.text(quantity, "indicator", where, optional=True)
            if quantity.get("year") is not None:
                self.kind(quantity["year"], int, f"{where}.year", "a year")
            self.flag(quantity, "aspirational", where)
            self.flag(quantity, "optional", where)
            if quantity.get("upper") is not None:
                self.kind(quantity["upper"], (int, float), f"{where}.upper", "a number (the upper end of a range)")
            if quantity.get("standard_indicator") is not None and quantity["standard_indicator"] not in by_slug():
                self.fail(f"{where}.standard_indicator", f"must be a standard indicator slug or null (got {quantity['standard_indicator']!r})")
        self.scope(gold.get("scope"))
        for where, relation in self.records(gold, "relations"):
            self.text(relation, "subject", where)
            self.choice(relation, "predicate", where, RELATION_PREDICATES)
            self.text(relation, "object", where)
            self.flag(relation, "optional", where)
        honors = gold.get("honors")
        if honors is not None:
            self.kind(honors, dict, "honors", "an object with recipient and year")
            self.text(honors, "recipient", "honors")
            if honors.get("year") is not None:
                self.kind(honors["year"], int, "honors.year", "a year")
