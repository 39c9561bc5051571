"""Bytes → ``NormalizedText``: encoding, HTML text, a Word document's text (docx.py), pinyin annotations,
traditional → simplified, widths, chrome, a page's columns read one after another (columns.py), line breaks that
cut a sentence, the lines of a text cut at a fixed width among them (breaks.py).

``normalize`` never raises: any string gives a text whose lines are stripped,
non-empty and joined by single ``\\n``. Applying it twice changes nothing.
``read_text`` is the one entry point that touches the disk.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path

from kg_build.document import NormalizedText
from kg_build.errors import InputError
from kg_build.normalize.breaks import (
    join_across_invisible_lines, join_figures_cut_from_units, join_wrapped_lines, wrap_width,
)
from kg_build.normalize.chrome import drop_chrome
from kg_build.normalize.columns import split_columns
from kg_build.normalize.docx import docx_to_text, looks_like_docx
from kg_build.normalize.encoding import decode
from kg_build.normalize.files import DEFAULT_MAX_BYTES, hash_file, open_regular, read_limited
from kg_build.normalize.html import html_to_text, looks_like_html
from kg_build.normalize.pinyin import is_pinyin_syllable, strip_pinyin_annotations
from kg_build.normalize.script import simplify_line, to_simplified
from kg_build.normalize.widths import tidy_line, unify_characters, unify_line_breaks

__all__ = [
    "DEFAULT_MAX_BYTES",
    "decode",
    "hash_file",
    "html_to_text",
    "is_pinyin_syllable",
    "looks_like_html",
    "normalize",
    "open_regular",
    "read_limited",
    "read_text",
    "strip_pinyin_annotations",
]


def normalize(raw: str) -> NormalizedText:
    """Clean report text: simplified, no pinyin, consistent widths and spaces, no chrome; ``hant`` kept aligned."""
    text = split_columns(unify_line_breaks(raw))
    wrap = wrap_width(text.split("\n"))  # measured before joins across invisible lines make some lines longer
    text = join_wrapped_lines(join_across_invisible_lines(text), wrap) if wrap else join_across_invisible_lines(text)
    text = unicodedata.normalize("NFC", unify_characters(text))
    text = strip_pinyin_annotations(text)
    lines = [line for line in (tidy_line(line) for line in text.split("\n")) if line]
    lines = join_figures_cut_from_units(lines, simplified=simplify_line)
    lines = drop_chrome(lines, simplified=simplify_line)
    source = "\n".join(lines)
    simplified = to_simplified(source)
    if simplified is None:
        return NormalizedText(text=source)
    return NormalizedText(text=simplified, hant=source)


def read_text(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> NormalizedText:
    """Read a report file (text or HTML, any supported encoding, or a Word document) into normalized text."""
    path = Path(path)
    data = read_limited(path, max_bytes=max_bytes)
    if looks_like_docx(data):
        text, encoding, was_html = docx_to_text(data, source=path.name), "docx", False
    else:
        text, encoding = decode(data, source=path.name)
        was_html = looks_like_html(text, name=path.name)
    if was_html:
        text = html_to_text(text)
    result = normalize(text)
    if not result.text:
        what = (
            "the HTML page has no text" if was_html
            else "the Word document has no text" if encoding == "docx" else "it holds only web-page chrome"
        )
        raise InputError(f"{path.name}: is empty ({what}); give a report with text in it")
    return dataclasses.replace(result, encoding=encoding, was_html=was_html)
