"""Plain value types passed between the layers: normalized text, metadata, structure, extractions.

Every offset is a 0-based, end-exclusive index in Unicode code points into
``NormalizedText.text``. Nothing here touches RDF, disks or spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of the normalized text: ``text[begin:end]``."""

    begin: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.begin <= self.end:
            raise ValueError(f"bad span {self.begin}..{self.end}")

    def contains(self, other: "Span") -> bool:
        return self.begin <= other.begin and other.end <= self.end

    def of(self, text: str) -> str:
        return text[self.begin : self.end]


@dataclass(frozen=True)
class NormalizedText:
    """The text every offset refers to, plus its traditional form when the source was traditional.

    ``hant`` is aligned code point for code point with ``text`` (same length),
    so ``hant[span.begin:span.end]`` is the traditional form of a label.
    """

    text: str
    hant: str | None = None
    encoding: str = "utf-8"
    was_html: bool = False

    def __post_init__(self) -> None:
        if self.hant is not None and len(self.hant) != len(self.text):
            raise ValueError("traditional text must be aligned with the simplified text")

    def hant_of(self, span: Span) -> str | None:
        """The traditional form of a span, when it differs from the simplified one."""
        if self.hant is None:
            return None
        form = self.hant[span.begin : span.end]
        return form if form != self.text[span.begin : span.end] else None


@dataclass(frozen=True)
class ReportMeta:
    """What is known about a report: from its sidecar, else its header lines, else its file name."""

    report_id: str  # ASCII slug, the last segment of the report IRI, e.g. "huli-2026"
    region: str | None = None  # 湖里区
    city: str | None = None
    province: str | None = None
    level: str | None = None  # province | city | district | county | ...
    plan_year: int | None = None
    review_year: int | None = None
    title: str | None = None
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None  # ISO date
    source_url: str | None = None
    meeting: str | None = None
    speaker: str | None = None
    source_file: str | None = None  # file name the report was read from
    warnings: tuple[str, ...] = ()


class SectionKind(str, Enum):
    """The five kinds of top-level section; the value is the ontology's class local name."""

    PLAN = "PlanSection"
    REVIEW = "ReviewSection"
    OUTLOOK = "OutlookSection"
    HIGHLIGHTS = "HighlightsSection"
    GOVERNMENT = "GovernmentSection"


@dataclass
class Measure:
    """A policy measure: the lead phrase (``span``) of a block of detail (``body``)."""

    label: str
    span: Span
    body: Span


@dataclass
class Pillar:
    """A top-level task area of a section, with its measures in document order."""

    label: str
    span: Span
    body: Span
    measures: list[Measure] = field(default_factory=list)


@dataclass
class HonourItem:
    """One entry of an honour list (● lines in a highlights section)."""

    label: str
    span: Span


@dataclass
class Section:
    """A top-level part of a report, typed by exactly one kind."""

    kind: SectionKind
    label: str
    span: Span  # the heading
    body: Span  # heading and everything under it
    year: int | None = None
    pillars: list[Pillar] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)  # measures directly under the section
    honours: list[HonourItem] = field(default_factory=list)


@dataclass
class Document:
    """A report read and structured: the input to extraction and to the RDF model."""

    meta: ReportMeta
    text: NormalizedText
    sections: list[Section] = field(default_factory=list)


# --- extraction results -------------------------------------------------------------


class EntityType(str, Enum):
    """Entity classes of the vocabulary; the value is the ontology's class local name."""

    PROJECT = "Project"
    PLATFORM = "Platform"
    COMPANY = "Company"
    GOVERNMENT_BODY = "GovernmentBody"
    ORGANIZATION = "Organization"
    PLACE = "Place"
    EVENT = "Event"
    INITIATIVE = "Initiative"
    HONOR = "Honor"


@dataclass(frozen=True)
class Mention:
    """One place in the text that names an entity."""

    type: EntityType
    label: str  # canonical zh-Hans label, quotes stripped
    span: Span  # the words as written in the normalized text
    rule: str  # the pattern, gazetteer or rule that found it (provenance of the decision)
    aliases: tuple[str, ...] = ()  # other names this mention vouches for (e.g. the quoted form)


@dataclass
class Entity:
    """A resolved real thing: one IRI, many mentions."""

    type: EntityType
    label: str
    alt_labels: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    merged_by: set[str] = field(default_factory=set)  # alias rules or tables that merged names into it
    admin_code: str | None = None  # GB/T 2260 code for administrative places
    parent: str | None = None  # label of the enclosing place, for places

    @property
    def key(self) -> tuple[str, str]:
        return (self.type.value, self.label)


@dataclass(frozen=True)
class Relation:
    """A typed link between two entities, read from a span of text."""

    subject: tuple[str, str]  # Entity.key
    predicate: str  # involvesOrganization | locatedIn | partOfInitiative
    object: tuple[str, str]
    span: Span
    rule: str


class Comparator(str, Enum):
    EQUAL = "Equal"
    MORE_THAN = "MoreThan"
    AT_LEAST = "AtLeast"
    ABOUT = "About"
    AT_MOST = "AtMost"
    LESS_THAN = "LessThan"
    BETWEEN = "Between"  # a range: the value is the lower end, ``upper`` the upper end


class Modality(str, Enum):
    FIRM = "Firm"
    ASPIRATIONAL = "Aspirational"


class FigureKind(str, Enum):
    TARGET = "Target"
    ACHIEVEMENT = "Achievement"
    BASELINE = "Baseline"  # the starting point of a stated change (从174万户增加到235万户: 174万户)


@dataclass(frozen=True)
class Figure:
    """One stated number, with what it counts and how firmly."""

    value: Decimal  # magnitude words expanded: 640亿元 -> 64000000000
    unit: str  # "cur:CNY", "unit:PERCENT", "pol:PercentagePoint", ... (CURIE of the unit IRI)
    comparator: Comparator
    modality: Modality
    kind: FigureKind
    indicator: str | None  # the words naming what is counted, e.g. 固定资产投资; None when none can be read
    surface: str  # the words as written, e.g. 超640亿元
    span: Span  # covers the surface form
    year: int | None = None
    upper: Decimal | None = None  # upper bound of a range (5%—5.5%)
    rule: str = ""
    period_start: int | None = None  # first year of a figure covering several years (过去五年, 年均); ``year`` is the last


@dataclass
class Extraction:
    """Everything extraction read from one document."""

    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
