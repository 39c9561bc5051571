"""Test-side scoring of Extraction objects against gold entities (the product's own scoring, over the graph, is kg_build.evaluate).

Matching: a predicted entity matches a gold item when the types agree (the gold ``type`` or any of
its ``types``; a Platform counts as the Project it is a kind of) and a name agrees: the predicted
label — or, failing that, one of its alt labels — equals the gold label or one of its aliases,
quotes and whitespace removed. Matching is one-to-one, label matches first. Required gold items
count for recall; every predicted entity matching no gold item (optional ones included) counts
against precision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kg_build.document import Entity, Relation

SUBCLASS = {"Platform": "Project"}
QUOTES = "“”\"'‘’「」"


def plain(name: str) -> str:
    """A name without quotes and whitespace, for comparison."""
    return "".join(ch for ch in name if ch not in QUOTES and not ch.isspace())


def _types(item: dict) -> set[str]:
    return set(item.get("types") or [item["type"]])


def _gold_names(item: dict) -> set[str]:
    return {plain(item["label"]), *(plain(a) for a in item.get("aliases", []))}


def _type_ok(entity: Entity, item: dict) -> bool:
    kind = entity.type.value
    return kind in _types(item) or SUBCLASS.get(kind) in _types(item)


@dataclass
class TypeScore:
    """Counts for one type: predicted, predicted that matched, required gold, required gold found."""

    predicted: int = 0
    correct: int = 0
    required: int = 0
    found: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.required if self.required else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EntityScore:
    """Overall and per-type scores, with the unmatched items for inspection."""

    overall: TypeScore
    by_type: dict[str, TypeScore]
    missed: list[dict] = field(default_factory=list)
    spurious: list[Entity] = field(default_factory=list)
    matches: dict[tuple[str, str], str] = field(default_factory=dict)  # entity key → gold label


def match_entities(entities: list[Entity], gold: list[dict]) -> dict[int, int]:
    """One-to-one matches, entity index → gold index: label matches first, then alt-label matches."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for use_alt in (False, True):
        for i, entity in enumerate(entities):
            if i in pairs:
                continue
            names = {plain(entity.label)} | ({plain(a) for a in entity.alt_labels} if use_alt else set())
            for j, item in enumerate(gold):
                if j not in used and _type_ok(entity, item) and names & _gold_names(item):
                    pairs[i] = j
                    used.add(j)
                    break
    return pairs


def score_entities(entities: Iterable[Entity], gold: list[dict]) -> EntityScore:
    """Precision, recall and F1 of entities against the gold ``entities`` list, overall and per type."""
    ordered = sorted(entities, key=lambda e: e.key)
    pairs = match_entities(ordered, gold)
    by_type: dict[str, TypeScore] = {}
    overall = TypeScore()
    for i, entity in enumerate(ordered):
        score = by_type.setdefault(entity.type.value, TypeScore())
        score.predicted += 1
        overall.predicted += 1
        if i in pairs:
            score.correct += 1
            overall.correct += 1
    matched_gold = set(pairs.values())
    missed = []
    for j, item in enumerate(gold):
        if item.get("optional"):
            continue
        score = by_type.setdefault(item["type"], TypeScore())
        score.required += 1
        overall.required += 1
        if j in matched_gold:
            score.found += 1
            overall.found += 1
        else:
            missed.append(item)
    spurious = [e for i, e in enumerate(ordered) if i not in pairs]
    matches = {ordered[i].key: gold[j]["label"] for i, j in pairs.items()}
    return EntityScore(overall, dict(sorted(by_type.items())), missed, spurious, matches)


def relation_recall(relations: Iterable[Relation], entities: Iterable[Entity], gold: list[dict]) -> tuple[float, list[dict]]:
    """Share of gold relations (subject, predicate, object by name) that some predicted relation states."""
    names: dict[tuple[str, str], set[str]] = {}
    for entity in entities:
        names[entity.key] = {plain(entity.label), *(plain(a) for a in entity.alt_labels)}
    stated = [(names.get(r.subject, set()), r.predicate, names.get(r.object, set())) for r in relations]
    missed = [
        g for g in gold
        if not any(plain(g["subject"]) in s and p == g["predicate"] and plain(g["object"]) in o for s, p, o in stated)
    ]
    return (1 - len(missed) / len(gold) if gold else 1.0), missed
