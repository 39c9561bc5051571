"""Bytes → ``NormalizedText``: encoding, HTML text, pinyin annotations, traditional → simplified, widths, chrome.

``normalize`` never raises: any string gives a text whose lines are stripped,
non-empty and joined by single ``\\n``. Applying it twice changes nothing.
``read_text`` is the one entry point that touches the disk.
"""

from __future__ import annotations

import dataclasses
import stat
import unicodedata
from pathlib import Path

from kg_build.document import NormalizedText
from kg_build.errors import InputError
from kg_build.normalize.chrome import drop_chrome
from kg_build.normalize.encoding import decode
from kg_build.normalize.html import html_to_text, looks_like_html
from kg_build.normalize.pinyin import is_pinyin_syllable, strip_pinyin_annotations
from kg_build.normalize.script import simplify_line, to_simplified
from kg_build.normalize.widths import tidy_line, unify_characters

__all__ = [
    "DEFAULT_MAX_BYTES",
    "decode",
    "html_to_text",
    "is_pinyin_syllable",
    "looks_like_html",
    "normalize",
    "read_text",
    "strip_pinyin_annotations",
]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def normalize(raw: str) -> NormalizedText:
    """Clean report text: simplified, no pinyin, consistent widths and spaces, no chrome; ``hant`` kept aligned."""
    text = unicodedata.normalize("NFC", unify_characters(raw))
    text = strip_pinyin_annotations(text)
    lines = [line for line in (tidy_line(line) for line in text.split("\n")) if line]
    lines = drop_chrome(lines, simplified=simplify_line)
    source = "\n".join(lines)
    simplified = to_simplified(source)
    if simplified is None:
        return NormalizedText(text=source)
    return NormalizedText(text=simplified, hant=source)


def read_text(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> NormalizedText:
    """Read a report file (text or HTML, any supported encoding) into normalized text."""
    path = Path(path)
    data = _read_bytes(path, max_bytes=max_bytes)
    text, encoding = decode(data, source=path.name)
    was_html = looks_like_html(text)
    if was_html:
        text = html_to_text(text)
    result = normalize(text)
    if not result.text:
        what = "the HTML page has no text" if was_html else "it holds only web-page chrome"
        raise InputError(f"{path.name}: is empty ({what}); give a report with text in it")
    return dataclasses.replace(result, encoding=encoding, was_html=was_html)


def _read_bytes(path: Path, *, max_bytes: int) -> bytes:
    """The file's bytes, refusing missing paths, directories, special files and files over the limit."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or err}); check the path and its permissions") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a directory; give a report file (.txt or .html)")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: not a regular file; give a report file (.txt or .html)")
    limit = _mib(max_bytes)
    if info.st_size > max_bytes:
        raise InputError(
            f"{path}: too large ({_mib(info.st_size)} MiB, the limit is {limit} MiB); "
            f"split the report or raise the size limit"
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or err}); check its permissions") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: too large (over {limit} MiB); split the report or raise the size limit")
    return data


def _mib(size: int) -> str:
    """A byte count in MiB, without a needless decimal."""
    mib = size / (1024 * 1024)
    return f"{mib:.0f}" if mib == int(mib) else f"{mib:.1f}"

