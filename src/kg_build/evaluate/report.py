"""Evaluation results as dataclasses, rendered as a compact text table or as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

CATEGORIES = ("sections", "pillars", "measures", "entities", "figures", "relations", "honours")
EXTRA_CATEGORIES = ("standard",)  # scored only where the gold file annotates them


@dataclass(frozen=True)
class Score:
    """Counts behind precision and recall: predicted items that match, and required gold items found."""

    matched: int  # predicted items that match a gold item (optional ones included)
    predicted: int
    found: int  # required gold items that some predicted item matches
    required: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.required if self.required else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "matched": self.matched,
            "predicted": self.predicted,
            "found": self.found,
            "required": self.required,
        }


@dataclass(frozen=True)
class Accuracy:
    """How many matched items also have an attribute right (kind, comparator, year ...)."""

    correct: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.correct / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        rate = self.rate
        return {"correct": self.correct, "total": self.total, "rate": None if rate is None else round(rate, 4)}


@dataclass(frozen=True)
class Item:
    """One line of a miss list: what it is, and where (measure, quote, mentioning container)."""

    label: str
    detail: str = ""

    def line(self) -> str:
        return f"{self.label}  ({self.detail})" if self.detail else self.label


@dataclass
class CategoryResult:
    name: str
    score: Score
    accuracy: dict[str, Accuracy] = field(default_factory=dict)
    by_type: dict[str, Score] = field(default_factory=dict)
    misses: list[Item] = field(default_factory=list)  # required gold items not found
    false_positives: list[Item] = field(default_factory=list)  # predicted items that match nothing
    mismatches: list[Item] = field(default_factory=list)  # matched items with an attribute wrong
    notes: list[str] = field(default_factory=list)

    def to_dict(self, *, show_misses: bool = True) -> dict[str, Any]:
        lists = {
            "misses": [vars(i) for i in self.misses],
            "false_positives": [vars(i) for i in self.false_positives],
            "mismatches": [vars(i) for i in self.mismatches],
        }
        return {
            **self.score.to_dict(),
            "accuracy": {k: v.to_dict() for k, v in self.accuracy.items()},
            "by_type": {k: v.to_dict() for k, v in self.by_type.items()},
            "notes": list(self.notes),
            **(lists if show_misses else {}),
        }


@dataclass
class EvalReport:
    """Scores of one report graph against one gold file, category by category."""

    report: str
    gold: str
    sections: CategoryResult
    pillars: CategoryResult
    measures: CategoryResult
    entities: CategoryResult
    figures: CategoryResult
    relations: CategoryResult
    honours: CategoryResult
    standard: CategoryResult | None = None  # standard indicators, where the gold file gives their slugs
    scored: tuple[str, ...] = CATEGORIES  # what the gold file annotates (a partial gold file: a few)

    def categories(self) -> list[CategoryResult]:
        return [getattr(self, name) for name in (*CATEGORIES, *EXTRA_CATEGORIES) if name in self.scored]

    def to_dict(self, *, show_misses: bool = True) -> dict[str, Any]:
        categories = {c.name: c.to_dict(show_misses=show_misses) for c in self.categories()}
        return {"report": self.report, "gold": self.gold, "categories": categories}

    def to_json(self, *, show_misses: bool = True) -> str:
        return json.dumps(self.to_dict(show_misses=show_misses), ensure_ascii=False, indent=2) + "\n"

    def to_text(self, *, show_misses: bool = True) -> str:
        lines = [f"report {self.report}", f"gold   {self.gold}", ""]
        lines.append(f"{'category':<18}{'P':>7}{'R':>7}{'F1':>7}{'matched/pred':>15}{'found/req':>12}")
        for category in self.categories():
            lines.append(_score_row(category.name, category.score))
            for type_name, score in category.by_type.items():
                lines.append(_score_row(f"  {type_name}", score))
        accuracies = [(c.name, k, a) for c in self.categories() for k, a in c.accuracy.items()]
        if accuracies:
            lines += ["", "accuracy on matched items"]
            for name, key, acc in accuracies:
                rate = "-" if acc.rate is None else f"{acc.rate:.3f}"
                lines.append(f"  {name + ' ' + key:<26}{rate:>7}{f'{acc.correct}/{acc.total}':>12}")
        notes = [f"  {c.name}: {note}" for c in self.categories() for note in c.notes]
        if notes:
            lines += ["", "notes", *notes]
        if show_misses:
            for category in self.categories():
                block = (
                    [f"  - miss   {i.line()}" for i in category.misses]
                    + [f"  + extra  {i.line()}" for i in category.false_positives]
                    + [f"  ~ wrong  {i.line()}" for i in category.mismatches]
                )
                if block:
                    counts = (
                        f"{len(category.misses)} missed, {len(category.false_positives)} extra, "
                        f"{len(category.mismatches)} wrong"
                    )
                    lines += ["", f"{category.name}: {counts}", *block]
        return "\n".join(lines) + "\n"


def _score_row(name: str, score: Score) -> str:
    return (
        f"{name:<18}{score.precision:>7.3f}{score.recall:>7.3f}{score.f1:>7.3f}"
        f"{f'{score.matched}/{score.predicted}':>15}{f'{score.found}/{score.required}':>12}"
    )
