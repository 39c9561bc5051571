"""Region names → readable ASCII slugs for report ids: 湖里区 → huli, 北京市 → beijing, 陕西省 → shaanxi.

The scheme, collision-free by construction across levels:

* a name splits into a core and its longest administrative suffix (``data/admin.json``:
  省, 自治区, 特别行政区, 市, 区, 新区, 县, 自治县, 旗, 州, 盟, 地区, 镇, 乡, 街道, ...);
  autonomous names drop their ethnic-group words (广西壮族自治区 → 广西);
* the core is written in toneless lowercase pinyin, no separators, ü as ``v``;
  cores listed in ``data/pinyin_exceptions.json`` take their official romanization
  instead (陕西 → shaanxi, so 山西省 ≠ 陕西省);
* the suffix is left out for the 34 province-level names (北京市 → beijing,
  广东省 → guangdong) and for districts (区) whose core is not a province core
  (湖里区 → huli); every other suffix is kept as its pinyin right after the core
  (湖里县 → hulixian, 厦门市 → xiamenshi, 吉林市 → jilinshi, 海南区 → hainanqu);
* a name without a known suffix is taken as the same place as its district form
  (湖里 → huli); ASCII letters and digits are kept lowercased, everything else dropped.

So two names of different levels never share a slug, and the same name always
gives the same slug. Homophone cores (different characters, same toneless
pinyin) are the one remaining source of clashes; each one found goes into the
exceptions file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kg_build.resources import permanent_module

__all__ = ["slugify_name", "ascii_slug", "split_admin_name", "level_of", "is_province_level"]

_HAN_RUN = re.compile("([\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class _Admin:
    suffixes: tuple[tuple[str, str, str], ...]  # (suffix, level, tag), longest first
    province_level: frozenset[str]
    province_cores: frozenset[str]
    ethnic_groups: tuple[str, ...]  # longest first
    exceptions: dict[str, str]


def slugify_name(name: str) -> str:
    """A region name as a readable ASCII slug ([a-z0-9], no hyphens); "" when nothing is left."""
    name = name.strip()
    admin = _admin()
    core, suffix = split_admin_name(name)
    slug = _romanize(core, admin)
    if suffix and not _suffix_dropped(name, core, suffix, admin):
        slug += _tag(suffix, admin)
    return slug


def ascii_slug(text: str) -> str:
    """Any text (a file-name stem) as [a-z0-9-]: Han runs in pinyin, other runs lowercased, hyphens between."""
    parts: list[str] = []
    for i, run in enumerate(_HAN_RUN.split(text)):
        if not run:
            continue
        parts.append(_pinyin(run) if i % 2 else _NOT_SLUG.sub("-", run.lower()))
    return re.sub(r"-{2,}", "-", "-".join(parts)).strip("-")


def split_admin_name(name: str) -> tuple[str, str]:
    """(core, suffix): 湖里区 → (湖里, 区), 广西壮族自治区 → (广西, 自治区); suffix "" when none is known."""
    return _split_with(name, _admin())


def level_of(name: str) -> str | None:
    """The level a region name states: province, prefecture, city, district, county or township."""
    admin = _admin()
    if name in admin.province_level:
        return "province"
    _, suffix = split_admin_name(name)
    for known, level, _ in admin.suffixes:
        if known == suffix:
            return level
    return None


def is_province_level(name: str) -> bool:
    """One of the 34 province-level divisions, by its full name."""
    return name in _admin().province_level


def _suffix_dropped(name: str, core: str, suffix: str, admin: _Admin) -> bool:
    """Province-level names and plain districts go without their suffix."""
    if name in admin.province_level:
        return True
    return suffix == "区" and core not in admin.province_cores


def _tag(suffix: str, admin: _Admin) -> str:
    """The kept suffix, in pinyin."""
    for known, _, tag in admin.suffixes:
        if known == suffix:
            return tag
    return _pinyin(suffix)


def _strip_ethnic_groups(core: str, admin: _Admin) -> str:
    """广西壮族 → 广西, 湘西土家族苗族 → 湘西 (never down to nothing)."""
    changed = True
    while changed:
        changed = False
        for group in admin.ethnic_groups:
            if core.endswith(group) and len(core) > len(group):
                core, changed = core[: -len(group)], True
                break
    return core


def _romanize(core: str, admin: _Admin) -> str:
    """The core in toneless pinyin (or its listed romanization), ASCII letters and digits kept."""
    if core in admin.exceptions:
        return admin.exceptions[core]
    return _NOT_SLUG.sub("", _pinyin(core).lower())


def _pinyin(text: str) -> str:
    """Toneless pinyin of Han characters, joined; other characters passed through."""
    pypinyin = permanent_module("pypinyin")
    return "".join(pypinyin.lazy_pinyin(text, style=pypinyin.Style.NORMAL, v_to_u=False, errors="default")).lower()


@lru_cache(maxsize=1)
def _admin() -> _Admin:
    """Suffixes, province-level names, ethnic groups and exceptions from the data files."""
    folder = resources.files("kg_build.metadata").joinpath("data")
    raw = json.loads(folder.joinpath("admin.json").read_text(encoding="utf-8"))
    exceptions = json.loads(folder.joinpath("pinyin_exceptions.json").read_text(encoding="utf-8"))["cores"]
    suffixes = tuple(
        sorted(((s["suffix"], s["level"], s["tag"]) for s in raw["suffixes"]), key=lambda s: (-len(s[0]), s[0]))
    )
    province_level = frozenset(raw["province_level"])
    admin = _Admin(
        suffixes=suffixes,
        province_level=province_level,
        province_cores=frozenset(),
        ethnic_groups=tuple(sorted(raw["ethnic_groups"], key=lambda g: (-len(g), g))),
        exceptions=dict(sorted(exceptions.items())),
    )
    cores = frozenset(_split_with(name, admin)[0] for name in sorted(province_level))
    return _Admin(**{**admin.__dict__, "province_cores": cores})


def _split_with(name: str, admin: _Admin) -> tuple[str, str]:
    """split_admin_name against a given table (used while the table is being built)."""
    for suffix, _, _ in admin.suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            core = name[: -len(suffix)]
            return (_strip_ethnic_groups(core, admin) if suffix.startswith("自治") else core), suffix
    return name, ""
