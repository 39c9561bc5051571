"""Which year a section speaks of: the plan year, the review year, or none (the five-year outlook)."""

from __future__ import annotations

from dataclasses import dataclass

from kg_build.document import ReportMeta, SectionKind

from .section_kinds import looks_forward


@dataclass(frozen=True)
class Years:
    """The report's plan year and review year, each inferred from the other when missing."""

    plan: int | None
    review: int | None

    @classmethod
    def of(cls, meta: ReportMeta) -> "Years":
        plan = meta.plan_year if meta.plan_year is not None else (meta.review_year + 1 if meta.review_year else None)
        review = meta.review_year if meta.review_year is not None else (plan - 1 if plan else None)
        return cls(plan, review)


def section_year(kind: SectionKind, body: str, years: Years) -> int | None:
    """The plan year for plans, the review year for reviews and highlights, none for outlooks.

    A government section takes the plan year when it speaks of the year ahead
    (full reports: 我们将…) and the review year when it reports on the past one.
    """
    if kind is SectionKind.PLAN:
        return years.plan
    if kind in (SectionKind.REVIEW, SectionKind.HIGHLIGHTS):
        return years.review
    if kind is SectionKind.GOVERNMENT:
        return years.plan if looks_forward(body, review_year=years.review) else years.review
    return None
