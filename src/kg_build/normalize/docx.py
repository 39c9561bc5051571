"""Word documents (.docx) → their text: a line for each paragraph, in the order the document holds them (table cells
among them), with the numbers Word puts before numbered paragraphs (一、 （一） 1.) written out, as a reader sees them.

A work report's headings are often numbered by Word, not typed: left out, the pillars and measures they start would
not be found. Deleted revisions, field codes and text boxes are left out. The file is untrusted: its parts are read
only up to a size, and XML with a document type declaration (entities) is refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from kg_build.errors import InputError

__all__ = ["DOCX_SUFFIX", "docx_to_text", "looks_like_docx"]

DOCX_SUFFIX = ".docx"
MAX_PART_BYTES = 64 * 2**20  # a document's XML part, unpacked, at the most (a zip can unpack to far more than it holds)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"  # a second copy of its Choice
_LEFT_OUT = {f"{_W}del", f"{_W}delText", f"{_W}instrText", f"{_W}txbxContent", f"{_W}pPr", f"{_W}rPr", _FALLBACK}
_PLACEHOLDER = re.compile(r"%([1-9])")


def looks_like_docx(data: bytes) -> bool:
    """A ZIP archive holding a Word document's body (``word/document.xml``)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def docx_to_text(data: bytes, *, source: str = "input") -> str:
    """The document's paragraphs, one a line (InputError, one line, for a file that is no readable Word document)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            body = _part(archive, "word/document.xml", source)
            if body is None:
                raise InputError(f"{source}: a ZIP archive with no Word document in it; give a .docx, text or HTML file")
            numbering = _Numbering(_part(archive, "word/numbering.xml", source), _part(archive, "word/styles.xml", source))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"{source}: not a readable Word document ({exc}); save it again as .docx, or as text") from None
    lines: list[str] = []
    found = body.find(f"{_W}body")
    for paragraph in _paragraphs(found if found is not None else body):
        lines.append(numbering.label(paragraph) + _text(paragraph))
    return "\n".join(lines)


def _part(archive: zipfile.ZipFile, name: str, source: str) -> ElementTree.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    xml = b""
    if info.file_size <= MAX_PART_BYTES:  # the size the archive states, then the bytes it gives (it may state less)
        with archive.open(info) as handle:
            xml = handle.read(MAX_PART_BYTES + 1)
    if info.file_size > MAX_PART_BYTES or len(xml) > MAX_PART_BYTES:
        raise InputError(f"{source}: its {name} unpacks to over {MAX_PART_BYTES // 2**20} MB; save it as text instead")
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:  # no Word document declares one: entities could expand without end
        raise InputError(f"{source}: its {name} declares a document type, which no Word document does; save it as text")
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise InputError(f"{source}: its {name} is not well-formed XML ({exc}); save it again as .docx, or as text") from None


def _paragraphs(element: ElementTree.Element):
    """The paragraphs under ``element`` in document order: those in tables and content controls too."""
    for child in element:
        if child.tag == f"{_W}p":
            yield child
        elif child.tag not in _LEFT_OUT:
            yield from _paragraphs(child)


def _text(paragraph: ElementTree.Element) -> str:
    parts: list[str] = []

    def walk(element: ElementTree.Element) -> None:
        for child in element:
            tag = child.tag
            if tag in _LEFT_OUT:
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                parts.append(" ")
            elif tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            else:
                walk(child)

    walk(paragraph)
    return "".join(parts)


@dataclass(frozen=True)
class _Level:
    start: int
    format: str
    text: str
    legal: bool  # every number of the label written as a decimal (1.1, not 一.1)
    after: str  # what follows the label: a space for a tab or a space, nothing else


class _Numbering:
    """The numbers Word writes before numbered paragraphs, counted as it counts them: each list (abstract numbering)
    keeps one count a level; a number at a level starts the levels below it again; a list instance that restarts it
    (a start override) starts it again where it is first used."""

    def __init__(self, numbering: ElementTree.Element | None, styles: ElementTree.Element | None) -> None:
        self.levels: dict[tuple[str, int], _Level] = {}
        self.links: dict[str, str] = {}  # abstract numbering → the numbering style whose list it is
        self.lists: dict[str, str] = {}  # list instance (numId) → its abstract numbering
        self.restarts: dict[str, dict[int, int]] = {}  # numId → level → start
        self.styles: dict[str, tuple[str | None, int | None, str | None]] = {}  # style → numId, level, based on
        self.counts: dict[str, dict[int, int]] = {}
        self.used: set[str] = set()
        if numbering is not None:
            for abstract in numbering.iter(f"{_W}abstractNum"):
                key = _val(abstract, "abstractNumId")
                link = _child_val(abstract, "numStyleLink")  # its levels are those of a numbering style's list
                if link is not None:
                    self.links[key or ""] = link
                for level in abstract.iter(f"{_W}lvl"):
                    self.levels[key, _int(_val(level, "ilvl"), 0)] = _Level(
                        start=_int(_child_val(level, "start"), 1),
                        format=_child_val(level, "numFmt") or "decimal",
                        text=_child_val(level, "lvlText") or "",
                        legal=level.find(f"{_W}isLgl") is not None,
                        after={"nothing": ""}.get(_child_val(level, "suff") or "tab", " "),
                    )
            for instance in numbering.iter(f"{_W}num"):
                num = _val(instance, "numId")
                self.lists[num] = _child_val(instance, "abstractNumId") or ""
                for override in instance.iter(f"{_W}lvlOverride"):
                    start = _child_val(override, "startOverride")
                    if start is not None:
                        self.restarts.setdefault(num, {})[_int(_val(override, "ilvl"), 0)] = _int(start, 1)
        if styles is not None:
            for style in styles.iter(f"{_W}style"):
                props = style.find(f"{_W}pPr/{_W}numPr")
                num = _child_val(props, "numId") if props is not None else None
                level = _child_val(props, "ilvl") if props is not None else None
                self.styles[_val(style, "styleId") or ""] = (
                    num, _int(level, 0) if level is not None else None, _child_val(style, "basedOn")
                )

    def label(self, paragraph: ElementTree.Element) -> str:
        """The number Word writes before the paragraph ("" for none), counted."""
        num, level = self._numbered(paragraph)
        if not num or num == "0" or num not in self.lists:
            return ""
        key = self.lists[num]
        if key in self.links:  # a list that takes its levels from a numbering style
            linked = self.styles.get(self.links[key], (None, None, None))[0]
            key = self.lists.get(linked or "", key)
        counts = self.counts.setdefault(key, {})
        if num not in self.used:
            self.used.add(num)
            for at, start in self.restarts.get(num, {}).items():
                counts[at] = start - 1
        own = self.levels.get((key, level))
        if own is None:
            return ""
        counts[level] = counts.get(level, own.start - 1) + 1
        for deeper in [at for at in counts if at > level]:
            del counts[deeper]
        if own.format in ("bullet", "none"):
            return ""

        def number(match: re.Match) -> str:
            at = int(match[1]) - 1
            shown = self.levels.get((key, at))
            count = counts.get(at, shown.start if shown else 1)
            return _formatted(count, "decimal" if own.legal or shown is None else shown.format)

        return _PLACEHOLDER.sub(number, own.text) + own.after

    def _numbered(self, paragraph: ElementTree.Element) -> tuple[str | None, int]:
        props = paragraph.find(f"{_W}pPr")
        num = level = None
        if props is not None:
            numbered = props.find(f"{_W}numPr")
            if numbered is not None:
                num, level = _child_val(numbered, "numId"), _child_val(numbered, "ilvl")
            style = _child_val(props, "pStyle")
            seen: set[str] = set()
            while (num is None or level is None) and style and style not in seen:  # a heading style's numbering
                seen.add(style)
                style_num, style_level, style = self.styles.get(style, (None, None, None))
                num = num if num is not None else style_num
                level = level if level is not None else (str(style_level) if style_level is not None else None)
        return num, _int(level, 0)


_DIGITS = "〇一二三四五六七八九"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _formatted(count: int, form: str) -> str:
    """A count as a numbering format writes it (the formats Chinese documents use; any other as a decimal)."""
    if form in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
                "japaneseCounting", "ideographDigital") and 0 < count < 100:
        if form == "ideographDigital":
            return "".join(_DIGITS[int(d)] for d in str(count))
        tens, ones = divmod(count, 10)
        return (("" if tens == 1 else _DIGITS[tens]) + "十" if tens else "") + (_DIGITS[ones] if ones else "")
    if form == "ideographTraditional" and 0 < count <= len(_HEAVENLY):
        return _HEAVENLY[count - 1]
    if form in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < count <= len(_CIRCLED):
        return _CIRCLED[count - 1]
    if form in ("upperLetter", "lowerLetter") and 0 < count <= 26:
        letter = chr(ord("A") + count - 1)
        return letter if form == "upperLetter" else letter.lower()
    if form in ("upperRoman", "lowerRoman") and 0 < count < 40:
        roman = "X" * (count // 10) + ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")[count % 10]
        return roman if form == "upperRoman" else roman.lower()
    if form == "decimalZero":
        return f"{count:02d}"
    return str(count)


def _val(element: ElementTree.Element, name: str) -> str | None:
    return element.get(f"{_W}{name}")


def _child_val(element: ElementTree.Element | None, name: str) -> str | None:
    child = element.find(f"{_W}{name}") if element is not None else None
    return child.get(f"{_W}val") if child is not None else None


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
