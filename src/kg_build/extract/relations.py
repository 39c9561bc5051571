"""Relations read from how names are built and placed: a project named after a company involves it;
a project named after a place, or a place named inside another, is located in it; a measure that says it
carries out a campaign (实施“双攻坚”行动), and the projects listed under it, are part of that campaign."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg_build.document import EntityType, Mention, Relation, Span
from kg_build.extract import places
from kg_build.extract.gazetteers import ReportContext
from kg_build.extract.resolve import Resolution

PROJECT_TYPES = (EntityType.PROJECT, EntityType.PLATFORM)
LOCATED_TYPES = (EntityType.PROJECT, EntityType.PLATFORM, EntityType.ORGANIZATION, EntityType.EVENT, EntityType.COMPANY)
DASHES = "-—–－"
QUALIFIER_MARKS = ("·", "•", "・")
SUB_REGION_LEVELS = ("district", "county", "city")
LEVEL_ORDER = {"county": 0, "city": 1, "province": 2}
DATA = Path(__file__).parent / "data"
# The subject of a relation whose subject is the measure holding its span, not an entity: the model
# layer, which mints the measures, reads it as "the innermost measure around the span".
MEASURE = ("Measure", "")


@dataclass(frozen=True)
class CampaignWords:
    """Words that tie measures and projects to a campaign (``data/relation_words.json``)."""

    verbs: tuple[str, ...]  # longest first
    clause_ends: str


@lru_cache(maxsize=1)
def campaign_words() -> CampaignWords:
    data = json.loads((DATA / "relation_words.json").read_text(encoding="utf-8"))
    return CampaignWords(tuple(sorted(set(data["campaign_verbs"]), key=lambda w: (-len(w), w))), data["clause_ends"])


def carried_out(text: str, mention: Mention) -> bool:
    """True when a campaign verb stands right before a campaign's name (实施“双攻坚”行动, 深化“X”改革)."""
    begin = mention.span.begin
    if text[begin - 1 : begin] == "“":
        begin -= 1
    return text.endswith(campaign_words().verbs, 0, begin)


def _next_campaign_clause(text: str, begin: int, stop: int) -> int:
    """Where a later clause of ``text[begin:stop]`` opens with a campaign verb (，深入实施…), else ``stop``."""
    verbs = campaign_words().verbs
    for at in range(begin, stop):
        if text[at] in "，,、" and text.startswith(verbs, at + 1):
            return at
    return stop


def part_of_initiative(text: str, mentions: list[Mention], key_of: dict) -> list[Relation]:
    """The measure whose text carries out a campaign is part of it (subject ``MEASURE``), and so is every
    project listed after the campaign in the same clause (实施城市更新行动，推进A、B等项目)."""
    found = []
    ends = campaign_words().clause_ends
    ordered = sorted(mentions, key=lambda m: m.span)
    for campaign in ordered:
        if key_of[campaign][0] != EntityType.INITIATIVE.value or not carried_out(text, campaign):
            continue  # (a quoted term resolved into an event or a project is no campaign)
        found.append(Relation(MEASURE, "partOfInitiative", key_of[campaign], campaign.span, "campaign-verb"))
        stop = min((i for i in (text.find(ch, campaign.span.end) for ch in ends) if i >= 0), default=len(text))
        stop = _next_campaign_clause(text, campaign.span.end, stop)
        for later in ordered:
            if later.span.begin < campaign.span.end or later.span.end > stop:
                continue
            if carried_out(text, later):
                break  # the next campaign (or a project carried out in its own right) starts its own list
            if later.type in PROJECT_TYPES:
                found.append(Relation(key_of[later], "partOfInitiative", key_of[campaign], later.span, "listed-under-campaign"))
    return found


def _inside(mentions: list[Mention], outer: Mention, types: tuple[EntityType, ...]) -> list[Mention]:
    return [m for m in mentions if m is not outer and m.type in types and outer.span.contains(m.span) and m.span != outer.span]


def involves_organization(text: str, mentions: list[Mention], key_of: dict) -> list[Relation]:
    """A project whose name starts with a company (after any place qualifier): 中国华能总部 → 中国华能."""
    found = []
    for project in mentions:
        if project.type not in PROJECT_TYPES:
            continue
        parts = sorted(_inside(mentions, project, (EntityType.COMPANY, EntityType.ORGANIZATION, EntityType.PLACE)), key=lambda m: m.span)
        start = project.span.begin
        for part in parts:
            if part.span.begin != start:
                break
            if part.type is EntityType.PLACE:
                start = part.span.end + (1 if text[part.span.end : part.span.end + 1] in QUALIFIER_MARKS else 0)
                continue
            found.append(Relation(key_of[project], "involvesOrganization", key_of[part], project.span, "company-in-name"))
            break
    return found


def _place_of(text: str, inner: list[Mention], context: ReportContext) -> tuple[Mention, str] | None:
    """The place a name locates its thing in, and the rule that chose it."""
    structural = [m for m in inner if not m.rule.startswith("admin-divisions")]
    if structural:
        return max(structural, key=lambda m: (m.span.end - m.span.begin, -m.span.begin)), "place-in-name"
    known = [m for m in inner if m.rule.startswith("admin-divisions")]
    if not known:
        return None
    if len(known) >= 2:
        first, second = known[0], known[1]
        between = text[first.span.end : second.span.begin]
        if between and all(ch in DASHES for ch in between):
            others = [m for m in (first, second) if m.label != context.region]
            return (others[-1] if others else second), "place-pair-partner"

    def level(mention: Mention) -> int:
        division = places.lookup(mention.label, context=context.codes)
        return LEVEL_ORDER.get(division.level, 3) if division else 3

    return min(known, key=lambda m: (level(m), m.span.begin)), "place-in-name"


def located_in(text: str, mentions: list[Mention], key_of: dict, context: ReportContext) -> list[Relation]:
    """Names that place their thing: 罗泾港区改造 → 罗泾港区; A-B协作产业园 → B, the partner of the report's A."""
    found = []
    for named in mentions:
        if named.type not in LOCATED_TYPES or named.rule.startswith("companies.tsv"):
            continue
        inner = sorted(_inside(mentions, named, (EntityType.PLACE,)), key=lambda m: m.span)
        chosen = _place_of(text, inner, context)
        if chosen and key_of[chosen[0]] != key_of[named]:
            found.append(Relation(key_of[named], "locatedIn", key_of[chosen[0]], named.span, chosen[1]))
    for place in mentions:
        if place.type is not EntityType.PLACE or place.rule.startswith("admin-divisions"):
            continue
        inner = sorted(_inside(mentions, place, (EntityType.PLACE,)), key=lambda m: m.span)
        known = [m for m in inner if m.rule.startswith("admin-divisions") and m.span.begin == place.span.begin]
        if known:
            found.append(Relation(key_of[place], "locatedIn", key_of[known[0]], place.span, "place-in-name"))
        elif context.region and context.level in SUB_REGION_LEVELS:
            found.append(Relation(key_of[place], "locatedIn", (EntityType.PLACE.value, context.region), place.span, "report-region"))
    return found


def enclosing_places(resolution: Resolution) -> list[Relation]:
    """An administrative place located in its enclosing place, when both are entities of the report."""
    keys = {e.key for e in resolution.entities}
    found = []
    for entity in resolution.entities:
        if entity.type is not EntityType.PLACE or not entity.parent or not entity.mentions:
            continue
        parent = (EntityType.PLACE.value, entity.parent)
        if parent in keys:
            found.append(Relation(entity.key, "locatedIn", parent, entity.mentions[0].span, "admin-divisions"))
    return found


def find_relations(text: str, mentions: list[Mention], resolution: Resolution, context: ReportContext) -> list[Relation]:
    """Every relation the names of a text state, deduplicated and sorted."""
    key_of = resolution.key_of
    known = [m for m in mentions if m in key_of]
    relations = involves_organization(text, known, key_of) + located_in(text, known, key_of, context) + enclosing_places(resolution)
    relations += part_of_initiative(text, known, key_of)
    keys = {e.key for e in resolution.entities} | {MEASURE}
    unique = {(r.subject, r.predicate, r.object, r.span, r.rule): r for r in relations if r.subject in keys and r.object in keys and r.subject != r.object}
    return [unique[k] for k in sorted(unique, key=lambda k: (k[3], k[0], k[1], k[2], k[4]))]
