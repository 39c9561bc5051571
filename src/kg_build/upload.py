"""Adding a report from the browser: off unless the operator turns it on, checked before anything is written,
then built by the one atomic build the CLI uses.

The settings are the operator's, read from the environment of the app's process:

* ``KG_ALLOW_UPLOADS=1`` (or ``kg-build app --allow-uploads``) turns uploads on; anything else leaves them off;
* ``KG_UPLOAD_MAX_MB``: the largest file accepted, in MiB (default 5, at most 64).

An upload is a ``.txt``, ``.html`` or ``.htm`` file whose bytes are text the reader can decode (UTF-8, GB18030,
…) and, for an HTML name, start like an HTML page, or a ``.docx`` the reader can read (a Word body, its XML parts
within their size and declaring no entities); its metadata are a sidecar's fields, checked by the sidecar's
own schema. The user's file name never names a file: it becomes a short ``[a-z0-9-]`` stem, and the report and its
sidecar are written under that stem into a fresh temporary folder, built from there, and removed. An upload adds a
report and never replaces one already in the store (replacing is ``kg-build build``'s). Only local stores take
uploads: a SPARQL store named by URL is built into by its owner.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg_build.build import BuildSummary, build, content_hash, stored_hash
from kg_build.errors import InputError, StoreError
from kg_build.metadata.sidecar import read_sidecar
from kg_build.metadata.slug import ascii_slug
from kg_build.normalize import decode, looks_like_html
from kg_build.normalize.docx import DOCX_SUFFIX, docx_to_text, looks_like_docx
from kg_build.store import Store

__all__ = [
    "ALLOW_ENV", "DEFAULT_MAX_MB", "MAX_MB_ENV", "UPLOAD_SUFFIXES", "Upload", "UploadResult", "UploadSettings",
    "build_upload", "check_metadata", "check_upload", "safe_stem", "settings", "uploads_allowed",
]

ALLOW_ENV = "KG_ALLOW_UPLOADS"
MAX_MB_ENV = "KG_UPLOAD_MAX_MB"
DEFAULT_MAX_MB = 5
LARGEST_MAX_MB = 64  # the reader's own limit on a report file
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".docx")
HTML_SUFFIXES = (".html", ".htm")
MAX_STEM = 48
_ON = {"1", "true", "yes", "on"}
_MIB = 1024 * 1024
_NOT_SHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")

Stage = Callable[[str], None]  # "read", "built", "published": what build_upload has done so far


@dataclass(frozen=True)
class UploadSettings:
    """Whether the app takes uploads, and the largest file it takes."""

    allowed: bool
    max_bytes: int


def uploads_allowed(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the operator turned uploads on (``$KG_ALLOW_UPLOADS`` is 1, true, yes or on); off otherwise."""
    env = os.environ if environ is None else environ
    return env.get(ALLOW_ENV, "").strip().lower() in _ON


def settings(environ: Mapping[str, str] | None = None) -> UploadSettings:
    """The operator's settings (``$KG_ALLOW_UPLOADS``, ``$KG_UPLOAD_MAX_MB``); InputError for a malformed limit."""
    env = os.environ if environ is None else environ
    allowed = uploads_allowed(env)
    raw = env.get(MAX_MB_ENV, "").strip()
    if not raw:
        return UploadSettings(allowed=allowed, max_bytes=DEFAULT_MAX_MB * _MIB)
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = -1.0
    if not 0 < megabytes <= LARGEST_MAX_MB:  # also NaN
        raise InputError(
            f"{MAX_MB_ENV}={_shown(raw)}: the upload limit must be a number of MiB above 0 and at most "
            f"{LARGEST_MAX_MB} (e.g. 5); fix the setting"
        )
    return UploadSettings(allowed=allowed, max_bytes=max(1, int(megabytes * _MIB)))


@dataclass(frozen=True)
class Upload:
    """A checked upload: its bytes, the stem and suffix it is saved under, and its sidecar fields."""

    name: str  # the user's file name, one line, for messages only
    stem: str
    suffix: str
    data: bytes
    meta: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class UploadResult:
    """What an upload added: the report's id and IRI, and the store's generation after it."""

    report_id: str
    report_iri: str
    added: bool  # False when the same report (text and metadata) was in the store already
    generation: str | None
    warnings: tuple[str, ...] = ()


def safe_stem(name: str) -> str:
    """A user's file name as a file stem of ``[a-z0-9-]`` (Han in pinyin), at most 48 characters: never a path."""
    base = re.split(r"[\\/]", name)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return ascii_slug(_NOT_SHOWN.sub("", stem))[:MAX_STEM].strip("-") or "upload"


def check_metadata(fields: Mapping[str, object]) -> tuple[dict[str, object], list[str]]:
    """Sidecar fields checked by the sidecar's own schema (InputError, one line), blanks dropped; and its warnings."""
    given = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    given = {k: v for k, v in given.items() if v not in (None, "")}
    if not given:
        return {}, []
    with tempfile.TemporaryDirectory(prefix="kg-upload-") as tmp:
        path = Path(tmp) / "metadata"  # the name the schema's messages start with
        path.write_text(json.dumps(given, ensure_ascii=False), encoding="utf-8")
        checked, warnings = read_sidecar(path)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in checked.items()}, warnings


def check_upload(name: str, data: bytes, fields: Mapping[str, object], *, max_bytes: int) -> Upload:
    """The upload, checked: type by name and by content, size, metadata (InputError, one line, on the first fault)."""
    base = re.split(r"[\\/]", name)[-1]  # the name without any folder a browser sent with it
    shown = _shown(base or "upload")
    suffix = "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""
    if suffix not in UPLOAD_SUFFIXES:
        raise InputError(
            f"{shown}: only {', '.join(UPLOAD_SUFFIXES)} files can be added, "
            f"not {_shown(suffix) if suffix else 'a name without a suffix'}; "
            f"save the report as text or as its web page"
        )
    if len(data) > max_bytes:
        raise InputError(
            f"{shown}: too large ({_size(len(data))}, the limit is {_size(max_bytes)}); split the report, "
            f"or ask the operator to raise {MAX_MB_ENV}"
        )
    if suffix == DOCX_SUFFIX:  # the reader's own reading: no Word body, XML that declares entities, parts too large
        if not looks_like_docx(data):
            raise InputError(f"{shown}: named .docx but is no Word document; upload the .docx Word saved, or the text")
        docx_to_text(data, source=shown)
        text = ""
    else:
        text, _ = decode(data, source=shown)  # the reader's own test of text: binary, empty, unknown encodings refused
    if suffix in HTML_SUFFIXES and not looks_like_html(text):
        raise InputError(
            f"{shown}: named {suffix} but does not start like an HTML page (<!DOCTYPE html> or <html>); "
            f"upload the whole page, or the text as .txt"
        )
    meta, _ = check_metadata(fields)
    return Upload(name=shown, stem=safe_stem(name), suffix=suffix, data=data, meta=meta)


def build_upload(upload: Upload, *, store: Store, progress: Stage | None = None) -> UploadResult:
    """Build a checked upload into a local store as a new report: one atomic build, the store unchanged on failure.

    Raises InputError for a report the reader cannot use or one whose id the store already holds with other
    content, StoreBusyError while another build writes, StoreError for a store named by URL.
    """
    from kg_build.model.iri import report_iri
    from kg_build.reader import read_document

    if store.local_root is None:
        raise StoreError(
            f"uploads are added to a local store only, not to the SPARQL store at {store.root}: "
            f"build into it with `kg-build build --store {store.root}`"
        )
    step = progress or (lambda _stage: None)
    with tempfile.TemporaryDirectory(prefix="kg-upload-") as tmp:
        path = Path(tmp) / f"{upload.stem}{upload.suffix}"
        path.write_bytes(upload.data)
        if upload.meta:
            sidecar = Path(tmp) / f"{upload.stem}.meta.json"
            sidecar.write_text(json.dumps(upload.meta, ensure_ascii=False), encoding="utf-8")
        try:
            doc = read_document(path)
        except InputError as exc:
            raise InputError(str(exc).replace(path.name, upload.name, 1)) from None
        iri = str(report_iri(doc.meta.report_id))
        held = stored_hash(store, iri)
        if held is not None and held != content_hash(path):
            raise InputError(
                f"{upload.name}: the store already holds report {doc.meta.report_id}, and an upload adds a report "
                f"without replacing one; give it another id (or region and plan year) in its metadata"
            )
        step("read")
        summary: BuildSummary = build([path], store=store, progress=lambda _name: step("built"))
    step("published")
    return UploadResult(
        report_id=doc.meta.report_id,
        report_iri=iri,
        added=bool(summary.built),
        generation=summary.generation,
        warnings=tuple(w for r in summary.built for w in r.warnings) or doc.meta.warnings,
    )


def _shown(text: str) -> str:
    """A user's text on one line, short, for a message."""
    one = _NOT_SHOWN.sub("?", text)
    return one if len(one) <= 80 else one[:77] + "..."


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    unit, scale = ("MiB", _MIB) if size >= _MIB else ("KiB", 1024)
    value = size / scale
    return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
