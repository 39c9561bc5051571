"""What a report's graph may be missing, said out loud: no plan section, no targets, main targets not read."""

from __future__ import annotations

from enum import Enum

from kg_build.document import Document, Extraction, FigureKind, SectionKind
from kg_build.structure.main_targets import main_targets_paragraphs


class BuildWarning(str, Enum):
    """A completeness warning; the value is the literal recorded as the report's ``pol:buildWarning``."""

    NO_PLAN_SECTION = "no-plan-section"
    NO_TARGETS = "no-targets"
    NO_MAIN_TARGETS_SENTENCE = "no-main-targets-sentence"
    MAIN_TARGETS_NOT_EXTRACTED = "main-targets-not-extracted"


MESSAGES = {
    BuildWarning.NO_PLAN_SECTION: "no plan section found: this year's tasks are not typed as a plan",
    BuildWarning.NO_TARGETS: "no targets extracted",
    BuildWarning.NO_MAIN_TARGETS_SENTENCE: "no main-targets sentence (主要预期目标 or equivalent) found",
    BuildWarning.MAIN_TARGETS_NOT_EXTRACTED: "the report states its main targets but no target was read from that paragraph",
}


def report_warnings(doc: Document, extraction: Extraction) -> tuple[BuildWarning, ...]:
    """The completeness warnings of one built report, in a fixed order."""
    found: list[BuildWarning] = []
    if not any(s.kind is SectionKind.PLAN for s in doc.sections):
        found.append(BuildWarning.NO_PLAN_SECTION)
    targets = [f for f in extraction.figures if f.kind is FigureKind.TARGET]
    if not targets:
        found.append(BuildWarning.NO_TARGETS)
    paragraphs = main_targets_paragraphs(doc.text.text, doc.sections, plan_year=doc.meta.plan_year)
    if not paragraphs:
        found.append(BuildWarning.NO_MAIN_TARGETS_SENTENCE)
    elif not any(p.contains(t.span) for p in paragraphs for t in targets):
        found.append(BuildWarning.MAIN_TARGETS_NOT_EXTRACTED)
    return tuple(found)


def message(code: str) -> str:
    """The sentence `build` prints for a warning code (the code itself when it is not one of ours)."""
    try:
        return MESSAGES[BuildWarning(code)]
    except ValueError:
        return code
