"""Typing top-level sections (plan, review, outlook, government, highlights) from keyword data."""

from __future__ import annotations

import re

from kg_build.document import SectionKind

from .config import fill_years, load

KINDS = {
    "plan": SectionKind.PLAN,
    "review": SectionKind.REVIEW,
    "outlook": SectionKind.OUTLOOK,
    "government": SectionKind.GOVERNMENT,
    "highlights": SectionKind.HIGHLIGHTS,
}


def _filled(pattern: str, *, plan_year: int | None, review_year: int | None) -> str | None:
    filled = fill_years(pattern, plan_year=plan_year, review_year=review_year)
    if filled is None:
        return None
    return filled.replace("{fyp}", "(?:" + load("section_kinds")["fyp_pattern"] + ")")


def _first(pattern: str, text: str, *, plan_year: int | None, review_year: int | None) -> int | None:
    """Where ``pattern`` (years filled in) first matches ``text``, or None."""
    filled = _filled(pattern, plan_year=plan_year, review_year=review_year)
    found = re.search(filled, text) if filled is not None else None
    return found.start() if found else None


def _present(pattern: str, text: str, *, plan_year: int | None, review_year: int | None) -> bool:
    return _first(pattern, text, plan_year=plan_year, review_year=review_year) is not None


def kind_of_heading(heading: str, *, plan_year: int | None, review_year: int | None) -> SectionKind | None:
    """The kind a section heading names by its keywords, or None when it names none."""
    years = {"plan_year": plan_year, "review_year": review_year}
    if any(re.search(p, heading) for p in load("section_kinds")["heading_exclusions"]):
        return None
    for rule in load("section_kinds")["heading_rules"]:
        if not all(_present(p, heading, **years) for p in rule.get("all_of", [])):
            continue
        if any(_present(p, heading, **years) for p in rule["any_of"]):
            return KINDS[rule["kind"]]
    return None


def kinds_named(heading: str, *, plan_year: int | None, review_year: int | None) -> list[SectionKind]:
    """Every kind a heading names, in the order the heading names them (a combined heading names two)."""
    years = {"plan_year": plan_year, "review_year": review_year}
    data = load("section_kinds")
    if any(re.search(p, heading) for p in data["heading_exclusions"]):
        return []
    where: dict[SectionKind, int] = {}
    for rule in data["heading_rules"]:
        kind = KINDS[rule["kind"]]
        if kind in where or not all(_present(p, heading, **years) for p in rule.get("all_of", [])):
            continue
        hits = [at for at in (_first(p, heading, **years) for p in rule["any_of"]) if at is not None]
        if hits:
            where[kind] = min(hits)
    return sorted(where, key=lambda kind: where[kind])


def combined_kinds(heading: str, *, plan_year: int | None, review_year: int | None) -> tuple[SectionKind, SectionKind] | None:
    """The two kinds, in heading order, of a heading that names this year's plan together with the
    five-year outlook or last year's review (“十五五”时期目标任务和2026年重点工作); None otherwise."""
    years = {"plan_year": plan_year, "review_year": review_year}
    if not any(_present(p, heading, **years) for p in load("section_kinds")["combined_plan_cues"]):
        return None
    named = [k for k in kinds_named(heading, **years) if k in (SectionKind.PLAN, SectionKind.OUTLOOK, SectionKind.REVIEW)]
    if SectionKind.PLAN not in named or len(named) < 2:
        return None
    return named[0], named[1]


def opens_part(line: str, kind: SectionKind, *, plan_year: int | None, review_year: int | None) -> bool:
    """Whether a line (its enumerator removed) opens the part of a combined section that speaks of ``kind``."""
    name = next(key for key, value in KINDS.items() if value is kind)
    anchors = load("section_kinds")["part_anchors"].get(name, [])
    return any(_present(p, line, plan_year=plan_year, review_year=review_year) for p in anchors)


def strip_part_marker(heading: str) -> int:
    """The length of a part marker (第一部分, 上篇) that opens a heading line; 0 when there is none."""
    found = re.match(load("section_kinds")["part_markers"], heading)
    return found.end() if found else 0


def intro_scores(intro: str, *, plan_year: int | None, review_year: int | None) -> dict[SectionKind, int]:
    """How many distinct cues of each kind the opening paragraphs of a section contain."""
    years = {"plan_year": plan_year, "review_year": review_year}
    cues = load("section_kinds")["intro_cues"]
    return {KINDS[k]: sum(_present(p, intro, **years) for p in cues[k]) for k in sorted(cues)}


def kind_of_intro(
    intro: str, *, plan_year: int | None, review_year: int | None, plan_seen: bool, body: str = ""
) -> SectionKind:
    """The kind told by a section's opening paragraphs.

    Before the plan, ties go to the review. After it, a section continues the plan (the State
    Council's 外交, 和平统一 and 社会事业 parts) unless its cues name the government's own conduct,
    or it speaks of the year past: a tie goes to the plan when the plan leads it, to the government
    when the government does, and otherwise to the plan when the body looks forward.
    """
    scores = intro_scores(intro, plan_year=plan_year, review_year=review_year)
    best = max(scores.values())
    leaders = [kind for kind in (SectionKind.PLAN, SectionKind.OUTLOOK, SectionKind.REVIEW, SectionKind.GOVERNMENT)
               if scores.get(kind, 0) == best]
    forward = looks_forward(body or intro, review_year=review_year)
    if best > 0 and len(leaders) == 1:
        if plan_seen and leaders[0] is SectionKind.REVIEW and best == 1 and forward:
            return SectionKind.PLAN  # one backward cue in a part after the plan that speaks of what is to be done
        return leaders[0]
    if not plan_seen:
        return SectionKind.REVIEW
    if best > 0 and SectionKind.PLAN in leaders:
        return SectionKind.PLAN
    if best > 0 and SectionKind.GOVERNMENT in leaders:
        return SectionKind.GOVERNMENT
    return SectionKind.PLAN if forward else SectionKind.GOVERNMENT


def looks_forward(body: str, *, review_year: int | None) -> bool:
    """Whether a section speaks of the year ahead (将, 要, 今年) more than of the year past."""
    cues = load("section_kinds")["tense_cues"]
    counts = {}
    for side in ("backward", "forward"):
        total = 0
        for pattern in cues[side]:
            filled = fill_years(pattern, plan_year=None, review_year=review_year)
            if filled is not None:
                total += len(re.findall(filled, body))
        counts[side] = total
    return counts["forward"] > counts["backward"]
