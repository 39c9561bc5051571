"""Entity resolution: one entity per real thing, within a report and across reports.

Mentions merge when they have the same type and canonical label, or when one's label is another's
alias under an explicit table (``data/companies.tsv``, ``data/aliases.tsv``, the place gazetteer)
or an alias rule (quote stripping, a leading place qualifier before ·). Types and administrative
levels are never merged (海淀区 and 海淀县 stay apart). ``Entity.merged_by`` records each rule or
table that merged a name in. Everything is sorted, so the result does not depend on input order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from kg_build.document import Entity, EntityType, Mention
from kg_build.extract import places
from kg_build.extract.entities import edition_free, strip_quotes
from kg_build.extract.gazetteers import ReportContext, place_at

DATA = Path(__file__).parent / "data"
WEAK_RULES = ("quoted-term",)
QUALIFIER_MARKS = ("·", "•", "・")

# The class family of each entity class: one thing typed differently by two reports (Project here, its
# subclass Platform there) is one thing, so a family, not a class, names its IRI (model.iri) and merges
# its mentions. The family's name is its most general class; the other classes are its subclasses.
FAMILIES: dict[EntityType, str] = {
    EntityType.PROJECT: "project",
    EntityType.PLATFORM: "project",
    EntityType.ORGANIZATION: "organization",
    EntityType.COMPANY: "organization",
    EntityType.GOVERNMENT_BODY: "government-body",
    EntityType.PLACE: "place",
    EntityType.EVENT: "event",
    EntityType.INITIATIVE: "initiative",
    EntityType.HONOR: "honor",
}
# Within a family, the class a merged entity keeps when its mentions disagree: the more specific one.
FAMILY_PREFERENCE = (EntityType.PLATFORM, EntityType.PROJECT, EntityType.COMPANY, EntityType.ORGANIZATION)


@dataclass(frozen=True)
class CampaignAliases:
    """How a campaign's name may be written with or without its head word (``data/alias_rules.json``)."""

    plan_suffixes: tuple[str, ...]
    heads: tuple[str, ...]  # longest first
    min_core_length: int
    short_core: re.Pattern[str]  # 两重, 三争: an abbreviation that names its campaign in two characters


@lru_cache(maxsize=1)
def campaign_aliases() -> CampaignAliases:
    data = json.loads((DATA / "alias_rules.json").read_text(encoding="utf-8"))
    return CampaignAliases(
        tuple(data["plan_suffixes"]),
        tuple(sorted(data["campaign_heads"], key=lambda w: (-len(w), w))),
        int(data["min_core_length"]),
        re.compile(data["short_core_pattern"]),
    )


COUNT_CORE = re.compile(r"^[\d一二三四五六七八九十百千两几多]+[大个项条类]?$")


def campaign_core(label: str) -> str:
    """A campaign's name without its trailing head word: 数字乡村行动 → 数字乡村, 护苗行动计划 → 护苗行动
    → (too short a core) 护苗行动; the label itself when no head ends it or too little would be left."""
    rules = campaign_aliases()
    for suffix in rules.plan_suffixes:
        if label.endswith(suffix) and label[: -len(suffix)].endswith(rules.heads):
            label = label[: -len(suffix)]
    for head in rules.heads:
        core = label[: -len(head)]
        long_enough = len(core) >= rules.min_core_length or bool(rules.short_core.match(core))
        if label.endswith(head) and long_enough and not COUNT_CORE.match(core):
            return core
    return label


@lru_cache(maxsize=1)
def alias_table() -> Mapping[tuple[str, str], str]:
    """Explicit aliases: (type, name) → canonical name, from ``data/aliases.tsv``; read once per process
    (every mention asks)."""
    table: dict[tuple[str, str], str] = {}
    for line in (DATA / "aliases.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("type\t"):
            continue
        kind, canonical, rest = line.split("\t")
        for alias in rest.split("|"):
            if alias:
                table[(kind, alias)] = canonical
    return MappingProxyType(table)


@dataclass
class Canonical:
    """A mention's canonical label, the names it vouches for, and the rules that produced them."""

    mention: Mention
    label: str
    aliases: set[str] = field(default_factory=set)
    rules: set[str] = field(default_factory=set)


def canonical(mention: Mention, context: ReportContext) -> Canonical:
    """The canonical label of one mention, by the alias rules."""
    label = strip_quotes(mention.label) if mention.type is not EntityType.PLACE else mention.label
    found = Canonical(mention, label, {a for a in mention.aliases if a != label})
    if label != mention.label:
        found.aliases.add(mention.label)
    if mention.rule == "companies.tsv" and mention.aliases:
        found.rules.add("companies.tsv")
    if mention.rule == "admin-divisions" and mention.aliases:
        found.rules.add("admin-divisions")
    if mention.rule == "government-bodies" and mention.aliases:
        found.rules.add("government-bodies:report-region")
    for mark in QUALIFIER_MARKS:
        head, sep, rest = label.partition(mark)
        if sep and rest and len(rest) >= 2 and place_at(head, context) is not None:
            found.aliases.update({label, head + rest})
            found.label = rest
            found.rules.add("alias:place-qualifier")
            break
    if mention.type is EntityType.EVENT:
        bare = edition_free(found.label)
        if bare != found.label:
            found.aliases.add(found.label)
            found.label = bare
            found.rules.add("alias:edition")
    explicit = alias_table().get((mention.type.value, found.label))
    if explicit and explicit != found.label:
        found.aliases.add(found.label)
        found.label = explicit
        found.rules.add("aliases.tsv")
    if mention.type is EntityType.INITIATIVE:
        core = campaign_core(found.label)
        if core != found.label:
            found.aliases.add(found.label)
            found.label = core
            found.rules.add("alias:campaign-head")
    found.aliases.discard(found.label)
    return found


@dataclass
class Resolution:
    """Resolved entities, and which entity each mention belongs to."""

    entities: list[Entity]
    key_of: dict[Mention, tuple[str, str]]


def _new_entity(item: Canonical) -> Entity:
    return Entity(type=item.mention.type, label=item.label)


def _absorb(entity: Entity, item: Canonical, *, rule: str | None = None) -> None:
    entity.mentions.append(item.mention)
    entity.alt_labels.update(a for a in item.aliases if a != entity.label)
    if item.label != entity.label:
        entity.alt_labels.add(item.label)
    entity.merged_by.update(item.rules)
    if rule:
        entity.merged_by.add(rule)


def _place_details(entity: Entity, context: ReportContext) -> None:
    """GB/T 2260 code and enclosing place of an administrative place."""
    division = places.lookup(entity.label, context=context.codes)
    if division is None or division.name != entity.label:
        return
    entity.admin_code = division.code
    chain = places.ancestors(division)
    entity.parent = chain[1].name if len(chain) > 1 else None
    if division.short and division.short != entity.label:
        entity.alt_labels.add(division.short)


def resolve(mentions: Iterable[Mention], context: ReportContext) -> Resolution:
    """Merge mentions into entities: by (type, canonical label), then by aliases, then weak quoted terms."""
    items = sorted((canonical(m, context) for m in mentions), key=lambda c: (c.mention.span, c.mention.type.value, c.label, c.mention.rule))
    strong = [c for c in items if not c.mention.rule.startswith(WEAK_RULES)]
    weak = [c for c in items if c.mention.rule.startswith(WEAK_RULES)]
    by_key: dict[tuple[str, str], Entity] = {}
    for item in strong:
        key = (item.mention.type.value, item.label)
        entity = by_key.get(key)
        if entity is None:
            entity = by_key[key] = _new_entity(item)
        _absorb(entity, item)
    _merge_family(by_key)
    _merge_by_alias(by_key)
    names = _name_index(by_key.values())
    for item in weak:
        targets = names.get(item.label, [])
        if len(targets) == 1:
            _absorb(by_key[targets[0]], item, rule="alias:quoted-term")
            continue
        key = (item.mention.type.value, item.label)
        entity = by_key.get(key)
        if entity is None:
            entity = by_key[key] = _new_entity(item)
            names.setdefault(item.label, []).append(key)
        _absorb(entity, item)
    _add_region(by_key, context)
    for entity in by_key.values():
        if entity.type is EntityType.PLACE:
            _place_details(entity, context)
        entity.mentions.sort(key=lambda m: (m.span, m.rule))
        entity.alt_labels.discard(entity.label)
    entities = sorted(by_key.values(), key=lambda e: e.key)
    key_of = {m: e.key for e in entities for m in e.mentions}
    return Resolution(entities, key_of)


def _name_index(entities: Iterable[Entity]) -> dict[str, list[tuple[str, str]]]:
    """Every label and alias (quotes stripped too) → the keys of the entities that carry it."""
    index: dict[str, list[tuple[str, str]]] = {}
    for entity in sorted(entities, key=lambda e: e.key):
        for name in sorted({entity.label, *entity.alt_labels, *(strip_quotes(a) for a in entity.alt_labels)}):
            keys = index.setdefault(name, [])
            if entity.key not in keys:
                keys.append(entity.key)
    return index


def _merge_family(by_key: dict[tuple[str, str], Entity]) -> None:
    """One entity for one label within a class family (厦门数据港 as Project and as Platform): it keeps the
    more specific class (``FAMILY_PREFERENCE``), as its one IRI does across reports."""
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key in sorted(by_key):
        groups.setdefault((FAMILIES[EntityType(key[0])], key[1]), []).append(key)
    for keys in groups.values():
        if len(keys) < 2:
            continue
        kinds = [EntityType(k[0]) for k in keys]
        kept = min(kinds, key=lambda t: FAMILY_PREFERENCE.index(t) if t in FAMILY_PREFERENCE else len(FAMILY_PREFERENCE))
        target = by_key[(kept.value, keys[0][1])]
        for key in keys:
            if key == target.key:
                continue
            other = by_key.pop(key)
            target.mentions.extend(other.mentions)
            target.alt_labels.update(other.alt_labels)
            target.merged_by.update(other.merged_by | {"class-family"})


def _merge_by_alias(by_key: dict[tuple[str, str], Entity]) -> None:
    """Fold an entity into another of the same type whose alias is its label (三多 → 三多改革)."""
    changed = True
    while changed:
        changed = False
        index = _name_index(by_key.values())
        for key in sorted(by_key):
            entity = by_key[key]
            targets = [k for k in index.get(entity.label, []) if k != key and k[0] == key[0]]
            if len(targets) != 1:
                continue
            target = by_key[targets[0]]
            if entity.label not in target.alt_labels and strip_quotes(entity.label) not in {strip_quotes(a) for a in target.alt_labels}:
                continue
            target.mentions.extend(entity.mentions)
            target.alt_labels.update(entity.alt_labels | {entity.label})
            target.merged_by.update(entity.merged_by | {"alias:quote-stripping"})
            del by_key[key]
            changed = True
            break


def _add_region(by_key: dict[tuple[str, str], Entity], context: ReportContext) -> None:
    """The report's region, city and province are places of the report, mentioned or not."""
    table = places.gazetteer().by_code
    for code in context.codes:
        division = table.get(code)
        if division is None:
            continue
        key = (EntityType.PLACE.value, division.name)
        if key not in by_key:
            by_key[key] = Entity(type=EntityType.PLACE, label=division.name, merged_by={"report-region"})
