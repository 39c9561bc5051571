"""English names where they can be known without guessing, and pinyin (marked as such) for other names.

* places: the nation and the 34 province-level divisions by their official English names; any other place
  whose name ends in a known administrative suffix as the pinyin of its core and the suffix's English word
  (湖里区 → Huli District, 厦门市 → Xiamen City) — all in ``data/places/english_names.json``;
* report titles from the region's English name and the plan year (Huli District Government Work Report 2026);
* every other name as toneless pinyin, one capitalised word per jieba word (东海创新研发基地 → Donghai Chuangxin
  Yanfa Jidi), to be tagged ``@zh-Latn-pinyin``: a romanisation, not a translation.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from kg_build.metadata.slug import is_province_level, split_admin_name
from kg_build.resources import permanent_module

__all__ = ["PINYIN", "place_english", "nation_english", "report_title_english", "pinyin_name"]

PINYIN = "zh-Latn-pinyin"  # BCP 47: Chinese written in Latin letters by pinyin

_DATA = Path(__file__).parent / "data" / "places" / "english_names.json"
_HAN = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KEPT = re.compile(r"[A-Za-z0-9+.&-]+")


@lru_cache(maxsize=1)
def _names() -> dict:
    return json.loads(_DATA.read_text("utf-8"))


def nation_english() -> str:
    """The nation's official English name."""
    return _names()["nation"]


def place_english(name: str) -> str | None:
    """A place's English name by the documented rule (province table, else pinyin core + level word); None
    when its name ends in no known administrative suffix (东渡片区): its pinyin is all that can be said."""
    names = _names()
    if is_province_level(name):
        return names["province_level"].get(name)
    core, suffix = split_admin_name(name)
    word = names["level_words"].get(suffix)
    if not word or not core or not _HAN.search(core):
        return None
    return f"{_syllables(core).capitalize()} {word}"


def report_title_english(
    region_english: str | None, year: int | None, *, nation: bool = False, title: str = ""
) -> str | None:
    """The English title of a report from its region and plan year (a summary, by its published ``title``, says
    so); None when either is unknown."""
    names = _names()
    if year is None or not (nation or region_english):
        return None
    english = (
        names["nation_report_title"].format(year=year)
        if nation
        else names["report_title"].format(region=region_english, year=year)
    )
    if any(word in title for word in names["summary_words"]):
        english = names["summary_title"].format(title=english)
    return english


@lru_cache(maxsize=65536)
def pinyin_name(name: str) -> str | None:
    """A name in toneless pinyin, a capitalised word per jieba word, Latin letters and digits kept as written;
    None when the name has no Han character (GE, K11: the name itself is already Latin).

    Names recur (an indicator in every report, a place in many statements) and share words: both the name
    and each word are read once per process."""
    if not _HAN.search(name):
        return None
    from kg_build.extract.segmenter import cut  # noqa: PLC0415 - the pipeline's segmenter

    words: list[str] = []
    for token in cut(name, hmm=False):
        if _HAN.search(token):
            words.append(_pinyin_word(token))
        else:
            words.extend(_KEPT.findall(token))
    return " ".join(w for w in words if w) or None


@lru_cache(maxsize=65536)
def _pinyin_word(word: str) -> str:
    """One word of a name, capitalised: its reading in the names data, else its syllables."""
    reading = _names()["pinyin_readings"].get(word)
    return (reading if reading is not None else _syllables(word)).capitalize()


def _syllables(text: str) -> str:
    """Toneless pinyin of the Han characters, joined (ü kept), other characters dropped; an apostrophe before a
    syllable that starts with a, o or e, as pinyin spelling has it (西安 → xi'an, 宝安 → bao'an)."""
    pypinyin = permanent_module("pypinyin")
    parts = [p.lower() for p in pypinyin.lazy_pinyin(text, style=pypinyin.Style.NORMAL, v_to_u=True, errors="ignore")]
    return "".join(("'" + p if i and p[:1] in ("a", "o", "e") else p) for i, p in enumerate(parts) if p)
