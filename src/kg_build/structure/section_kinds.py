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


def _present(pattern: str, text: str, *, plan_year: int | None, review_year: int | None) -> bool:
    filled = fill_years(pattern, plan_year=plan_year, review_year=review_year)
    if filled is None:
        return False
    filled = filled.replace("{fyp}", "(?:" + load("section_kinds")["fyp_pattern"] + ")")
    return re.search(filled, text) is not None


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


def intro_scores(intro: str, *, plan_year: int | None, review_year: int | None) -> dict[SectionKind, int]:
    """How many distinct cues of each kind the opening paragraphs of a section contain."""
    years = {"plan_year": plan_year, "review_year": review_year}
    cues = load("section_kinds")["intro_cues"]
    return {KINDS[k]: sum(_present(p, intro, **years) for p in cues[k]) for k in sorted(cues)}


def kind_of_intro(
    intro: str, *, plan_year: int | None, review_year: int | None, plan_seen: bool
) -> SectionKind:
    """The kind told by a section's opening paragraphs; ties go to review before the plan, government after it."""
    scores = intro_scores(intro, plan_year=plan_year, review_year=review_year)
    best = max(scores.values())
    leaders = [kind for kind in (SectionKind.PLAN, SectionKind.OUTLOOK, SectionKind.REVIEW, SectionKind.GOVERNMENT)
               if scores.get(kind, 0) == best]
    if best > 0 and len(leaders) == 1:
        return leaders[0]
    return SectionKind.GOVERNMENT if plan_seen else SectionKind.REVIEW


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
