"""A report file becomes a Document: normalized text, metadata, structure."""

from __future__ import annotations

from pathlib import Path

from kg_build.document import Document
from kg_build.metadata import read_meta
from kg_build.normalize import read_text
from kg_build.structure import parse_structure


def read_document(path: Path) -> Document:
    """Read, normalize and structure one report (raises InputError on input it cannot use)."""
    text = read_text(path)
    meta = read_meta(path, text)
    return Document(meta=meta, text=text, sections=parse_structure(text, meta))
