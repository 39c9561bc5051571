"""What a report's own header and byline state: title, meeting, speaker, source, date, reporters.

Reads the first lines of the normalized text (and the last lines for a
newspaper byline such as （厦门日报 记者：陆晓凤 庄筱婧））; nothing is guessed
beyond what those lines say.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from kg_build.metadata.slug import level_of

__all__ = ["read_header", "HEADER_LINES"]

HEADER_LINES = 30
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_SUFFIX = "(?:特别行政区|自治区|自治州|自治县|自治旗|新区|地区|省|市|区|县|州|盟|旗)"
# Units of a place path (厦门市湖里区 → 厦门市, 湖里区); 州 is left out: it ends names like 广州 inside 广州市.
_UNIT = re.compile(rf"[{_HAN}]+?(?:特别行政区|自治区|自治州|自治县|自治旗|新区|地区|省|市|区|县|盟|旗)")
_TITLE = re.compile(rf"(?:(?P<year>\d{{4}})年)?(?P<region>[{_HAN}]{{0,30}}?)(?:人民)?政府工作报告(?:[（(][{_HAN}]{{1,10}}[)）])?")
_MEETING = re.compile(
    r"[—\-－–]*\s*(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*在(?P<meeting>.+?)上"
)
_MEETING_START = re.compile(r"[—\-－–]*\s*\d{4}年\d{1,2}月\d{1,2}日\s*在")
_MEETING_REGION = re.compile(r"(?P<place>.+?)第[一二三四五六七八九十百〇零\d]+届")
_OFFICES = "行政长官|主席|省长|市长|区长|县长|州长|盟长|旗长|镇长|乡长"
_SPEAKER = re.compile(
    rf"(?P<office>[{_HAN}]{{0,24}}?(?:代理|代)?(?:{_OFFICES}))\s*(?P<name>[{_HAN}·]{{1,4}}(?: [{_HAN}·]{{1,3}})?)"
)
_OFFICE_REGION = re.compile(rf"(?P<region>[{_HAN}]+?{_SUFFIX})(?:人民政府)?(?:代理|代)?(?:{_OFFICES})$")
_SOURCE = re.compile(r"(?:来源|稿源|信息来源)：\s*(?P<publisher>[^\s：]*)")
_TIME = re.compile(r"(?:时间|发布时间|日期|发布日期|发布)：\s*(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})")
_DATE_LINE = re.compile(
    r"(?P<y>\d{4})(?:年|-|/)(?P<m>\d{1,2})(?:月|-|/)(?P<d>\d{1,2})日?(?:\s*\d{1,2}[时:：]\d{2}(?:分|[:：]\d{2})?)?"
)
_BYLINE = re.compile(
    rf"[（(]\s*(?P<publisher>[{_HAN}]{{2,12}}?(?:日报|晚报|早报|时报|商报|报|新闻网|网))\s*(?:本报)?(?:记者|通讯员)[：:]?\s*"
    rf"(?P<names>[{_HAN}·]{{2,5}}(?:[\s、，,]+[{_HAN}·]{{2,5}})*)\s*[)）]$"
)
_NAME_SPLIT = re.compile(r"[\s、，,]+")


def read_header(text: str) -> dict[str, Any]:
    """The fields the header lines state (only those found): title, region, years, meeting, speaker, ..."""
    lines = text.split("\n", HEADER_LINES)[:HEADER_LINES]
    found: dict[str, Any] = {}
    meeting_date: tuple[int, int, int] | None = None
    for i, line in enumerate(lines):
        if len(line) > 80:
            continue
        if "title" not in found and (m := _TITLE.fullmatch(line)):
            found["title"] = line
            if m.group("year"):
                found["plan_year"] = int(m.group("year"))
            if _is_region(m.group("region")):
                found["region_from_title"] = m.group("region")
            continue
        if "meeting" not in found and _MEETING_START.match(line):
            joined = line
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if not line.endswith("上") and following.endswith("上") and len(following) <= 40:
                joined = line + following  # a meeting line broken in two (广东)
            if m := _MEETING.fullmatch(joined):
                found["meeting"] = m.group("meeting")
                meeting_date = (int(m.group("y")), int(m.group("m")), int(m.group("d")))
                _add_places(found, m.group("meeting"), key="region_from_meeting")
                continue
        if "speaker" not in found and (m := _SPEAKER.fullmatch(line)):
            found["speaker"] = m.group("name").replace(" ", "")
            if r := _OFFICE_REGION.search(m.group("office")):
                _add_places(found, r.group("region"), key="region_from_speaker")
            continue
        if "publisher" not in found and (m := _SOURCE.match(line)):
            publisher = m.group("publisher")
            if not publisher and i + 1 < len(lines) and _looks_like_name(lines[i + 1]):
                publisher = lines[i + 1]
            if publisher:
                found["publisher"] = publisher
        if "published" not in found and (m := _TIME.search(line)):
            _put(found, "published", _iso(int(m.group("y")), int(m.group("m")), int(m.group("d"))))
        elif "date_line" not in found and (m := _DATE_LINE.fullmatch(line)):
            _put(found, "date_line", _iso(int(m.group("y")), int(m.group("m")), int(m.group("d"))))
    for line in text[-400:].split("\n")[-3:]:
        if m := _BYLINE.search(line):
            found.setdefault("publisher", m.group("publisher"))
            found["authors"] = tuple(n for n in _NAME_SPLIT.split(m.group("names")) if n)
    return _settle(found, meeting_date)


def _settle(found: dict[str, Any], meeting_date: tuple[int, int, int] | None) -> dict[str, Any]:
    """Choose among the sources of region and date; derive the years and the level."""
    sources = [found.pop(key, None) for key in ("region_from_title", "region_from_meeting", "region_from_speaker")]
    region = next((r for r in sources if r), None)
    if region:
        found["region"] = region
        level = level_of(region)
        if level:
            found["level"] = level
    date_line = found.pop("date_line", None)
    if "published" not in found:
        _put(found, "published", date_line or (_iso(*meeting_date) if meeting_date else None))
    if "plan_year" not in found and meeting_date:
        year, month, _ = meeting_date
        found["plan_year"] = year + 1 if month >= 10 else year  # a report given late in the year plans the next
    if "plan_year" in found:
        found["review_year"] = found["plan_year"] - 1
    return found


def _put(found: dict[str, Any], key: str, value: str | None) -> None:
    """Set a field when there is a value."""
    if value is not None:
        found[key] = value


def _add_places(found: dict[str, Any], text: str, *, key: str) -> None:
    """The last administrative unit named before 第…届 (or the whole text) as a region; the ones before as city/province."""
    m = _MEETING_REGION.match(text)
    place = m.group("place") if m else text
    units = _UNIT.findall(place)
    if not units or "".join(units) != place:
        if _is_region(place):
            found.setdefault(key, place)
        return
    found.setdefault(key, units[-1])
    for unit in units[:-1]:
        level = level_of(unit)
        if level == "province":
            found.setdefault("province", unit)
        elif level == "city":
            found.setdefault("city", unit)


def _is_region(name: str) -> bool:
    """A Han name of two or more characters ending in an administrative suffix."""
    return bool(name) and len(name) >= 2 and re.fullmatch(f"[{_HAN}]+{_SUFFIX}", name) is not None


def _looks_like_name(line: str) -> bool:
    """A short line of Han characters (the value of a 来源： label put on its own line)."""
    return 2 <= len(line) <= 20 and re.fullmatch(f"[{_HAN}A-Za-z0-9·]+", line) is not None


def _iso(year: int, month: int, day: int) -> str | None:
    """An ISO date, or None for an impossible one."""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
