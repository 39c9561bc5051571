"""The sidecar ``NAME.meta.json`` next to a report: read, checked against its schema, unknown keys warned about.

The schema (every error is one line naming the file and the key):

* ``id``: lowercase ASCII words joined by hyphens, at most 64 characters (it names the report's IRI);
* ``region``, ``city``, ``province``, ``level``, ``title``, ``publisher``: one line of text each, no
  control characters, at most 500 characters; ``authors``: a list of such names;
* ``plan_year``, ``review_year``: whole years from 1900 to 2100, ``review_year`` not after ``plan_year``;
* ``published``: a full ISO date (``2026-02-02``) or a year alone (``2026``, written as ``xsd:gYear``);
* ``source_url``: an absolute ``http``/``https`` URL without spaces or characters an IRI cannot hold;
* ``notes``: anything, ignored; any other key: ignored with a warning; ``null``: as if absent.

The file must be a regular file of at most 1 MiB holding one JSON object.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from kg_build.errors import InputError
from kg_build.normalize.files import read_limited

__all__ = ["sidecar_path", "read_sidecar", "LEVELS", "MAX_SIDECAR_BYTES", "SIDECAR_HINT", "SIDECAR_SIZE_HINT", "check_years"]

LEVELS = ("nation", "province", "prefecture", "city", "district", "county", "township")
MAX_SIDECAR_BYTES = 1024 * 1024
SIDECAR_HINT = "give the sidecar as a regular JSON file"
SIDECAR_SIZE_HINT = "a sidecar holds a few fields of metadata: fix the sidecar"
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_ID = 64
MAX_TEXT = 500
MAX_AUTHORS = 50
MAX_WARNINGS = 10
_TEXT_KEYS = ("region", "city", "province", "level", "title", "publisher")
_YEAR_KEYS = ("plan_year", "review_year")
_SILENT_KEYS = ("notes",)
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"\d{4}")
# Characters no line of metadata holds: controls (C0, DEL, C1), line and paragraph separators, lone surrogates.
_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# An http(s) URL an IRI can hold: scheme, a host of letters, digits, dots, hyphens (or IPv6 brackets), an optional
# port, then only IRI characters (no space, control, <>"{}|^`\\ or surrogate), percent signs followed by two hex
# digits, and at most one '#'.
_URL = re.compile(
    r"https?://(?:[^\x00-\x20<>\"{}|^`\\\x7f-\x9f\ud800-\udfff/?#@:\[\]%]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?"
    r"(?:[/?][^\x00-\x20<>\"{}|^`\\\x7f-\x9f\ud800-\udfff#%]*(?:%[0-9A-Fa-f]{2}[^\x00-\x20<>\"{}|^`\\\x7f-\x9f\ud800-\udfff#%]*)*)?"
    r"(?:#[^\x00-\x20<>\"{}|^`\\\x7f-\x9f\ud800-\udfff#%]*(?:%[0-9A-Fa-f]{2}[^\x00-\x20<>\"{}|^`\\\x7f-\x9f\ud800-\udfff#%]*)*)?",
    re.I,
)


def sidecar_path(report: Path) -> Path | None:
    """NAME.meta.json (or NAME.ext.meta.json) beside the report, when one exists (a special file too: it is refused)."""
    for candidate in (report.with_name(report.stem + ".meta.json"), report.with_name(report.name + ".meta.json")):
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return None


def read_sidecar(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The sidecar's fields (checked, None values dropped) and warnings about keys it does not know."""
    name = path.name
    data = _load(path)
    fields: dict[str, Any] = {}
    unknown: list[str] = []
    for key in sorted(data):
        value = data[key]
        if key in _SILENT_KEYS or value is None:
            continue
        if key == "id":
            fields[key] = _report_id(name, value)
        elif key in _TEXT_KEYS:
            fields[key] = _text(name, key, value)
        elif key == "source_url":
            fields[key] = _url(name, value)
        elif key in _YEAR_KEYS:
            fields[key] = _year(name, key, value)
        elif key == "authors":
            fields[key] = _authors(name, value)
        elif key == "published":
            fields[key] = _date(name, value)
        else:
            unknown.append(key)
    warnings = [f"{name}: unknown key {_key(key)} ignored" for key in unknown[:MAX_WARNINGS]]
    if len(unknown) > MAX_WARNINGS:
        warnings.append(f"{name}: {len(unknown) - MAX_WARNINGS:,} more unknown keys ignored")
    check_years(name, fields.get("plan_year"), fields.get("review_year"))
    if "level" in fields and fields["level"] not in LEVELS:
        warnings.append(f"{name}: level {fields['level']!r} is not one of {', '.join(LEVELS)}")
    return {k: v for k, v in fields.items() if v not in ("", ())}, warnings


def check_years(name: str, plan_year: int | None, review_year: int | None) -> None:
    """A report reviews a year before (or the year of) the one it plans: review_year <= plan_year."""
    if plan_year is not None and review_year is not None and review_year > plan_year:
        raise InputError(
            f"{name}: 'review_year' {review_year} is after 'plan_year' {plan_year}; "
            f"a report reviews the past year and plans the next: fix the sidecar"
        )


def _load(path: Path) -> dict[str, Any]:
    """The sidecar's JSON object; InputError for a special, oversized, non-UTF-8, invalid or too deeply nested file."""
    name = path.name
    raw = read_limited(path, max_bytes=MAX_SIDECAR_BYTES, hint=SIDECAR_HINT, size_hint=SIDECAR_SIZE_HINT)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8; save the sidecar as UTF-8 JSON") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{name}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg}); fix the sidecar") from None
    except RecursionError:
        raise InputError(f"{name}: JSON nested too deeply; a sidecar is one flat object of report fields") from None
    except ValueError as err:  # e.g. an integer of more than 4300 digits
        raise InputError(f"{name}: not valid JSON ({_one_line(str(err))}); fix the sidecar") from None
    if not isinstance(data, dict):
        raise InputError(f"{name}: must hold a JSON object of report fields (region, plan_year, ...); fix the sidecar")
    return data


def _report_id(name: str, value: object) -> str:
    """An explicit report id: what names the report's IRI when region and year are not enough."""
    text = _text(name, "id", value)
    if len(text) > MAX_ID or not _ID.fullmatch(text):
        raise InputError(
            f"{name}: 'id' must be lowercase ASCII words joined by hyphens, at most {MAX_ID} characters "
            f"(e.g. chaoyang-beijing-2026), not {_shown(value)}; fix the sidecar"
        )
    return text


def _text(name: str, key: str, value: object) -> str:
    """A string field, stripped: one line, no control characters, not overly long."""
    if not isinstance(value, str):
        raise InputError(f"{name}: {key!r} must be a string, not {_shown(value)}; fix the sidecar")
    text = value.strip()
    if bad := _NOT_ONE_LINE.search(text):
        raise InputError(
            f"{name}: {key!r} must be one line of text without control characters, "
            f"but holds {json.dumps(bad.group())}; fix the sidecar"
        )
    if len(text) > MAX_TEXT:
        raise InputError(f"{name}: {key!r} is {len(text):,} characters long (at most {MAX_TEXT}); fix the sidecar")
    return text


def _url(name: str, value: object) -> str:
    """An absolute http(s) URL that an IRI can hold as it is."""
    if not isinstance(value, str) or not _URL.fullmatch(value.strip()) or len(value) > 2000 or not _is_iri(value.strip()):
        raise InputError(
            f"{name}: 'source_url' must be an absolute http(s) URL without spaces or <>\"{{}}|^`\\ "
            f"(e.g. https://www.gov.cn/zhengce/2026.htm), not {_shown(value)}; fix the sidecar"
        )
    return value.strip()


def _is_iri(text: str) -> bool:
    """The store's own IRI rules (RFC 3987): what it accepts here it never refuses at load time."""
    import pyoxigraph as ox

    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _year(name: str, key: str, value: object) -> int:
    """A year like 2026 (a number, or digits in a string)."""
    if isinstance(value, str) and _YEAR.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= LAST_YEAR:
        raise InputError(
            f"{name}: {key!r} must be a year from {FIRST_YEAR} to {LAST_YEAR} like 2026, not {_shown(value)}; fix the sidecar"
        )
    return value


def _authors(name: str, value: object) -> tuple[str, ...]:
    """A list of author names."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) > MAX_AUTHORS:
        raise InputError(
            f"{name}: 'authors' must be a list of at most {MAX_AUTHORS} names like [\"陆晓凤\"], not {_shown(value)}; "
            f"fix the sidecar"
        )
    names = (_text(name, "authors", v) for v in value)
    return tuple(n for n in names if n)


def _date(name: str, value: object) -> str:
    """A full ISO date (2026-02-02), or a year alone (2026, as a string or a number)."""
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if _FULL_DATE.fullmatch(text):
        try:
            dt.date.fromisoformat(text)
            return text
        except ValueError:
            pass
    elif _YEAR.fullmatch(text) and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return text
    raise InputError(
        f"{name}: 'published' must be a full ISO date like 2026-02-02 or a year like 2026, not {_shown(value)}; "
        f"fix the sidecar"
    )


def _key(key: str) -> str:
    """A key as Python writes it ('colour'), shortened and kept on one line."""
    text = _one_line(repr(key))
    return text if len(text) <= 40 else text[:37] + "..."


def _shown(value: object) -> str:
    """A short, one-line rendering of a bad value for a message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (RecursionError, ValueError, TypeError):
        text = type(value).__name__
    text = _one_line(text)
    return text if len(text) <= 40 else text[:37] + "..."


def _one_line(text: str) -> str:
    """Characters that would break a message's line shown as escapes."""
    return _NOT_ONE_LINE.sub(lambda m: json.dumps(m.group())[1:-1], text)
