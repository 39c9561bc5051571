"""A report file becomes a Document: normalized text, metadata, structure."""

from __future__ import annotations

from pathlib import Path

from kg_build.document import Document
from kg_build.errors import InputError
from kg_build.metadata import read_meta
from kg_build.normalize import read_text
from kg_build.structure import parse_structure

# The longest real report (a full provincial report) is about 35,000 characters; a text thirty times
# that is not one report, and would make the tokenizer hold it all at once.
MAX_REPORT_CHARS = 1_000_000


def read_document(path: Path) -> Document:
    """Read, normalize and structure one report (raises InputError on input it cannot use)."""
    text = read_text(path)
    if len(text.text) > MAX_REPORT_CHARS:
        raise InputError(
            f"{path.name}: {len(text.text):,} characters after normalizing is more than one report "
            f"(the limit is {MAX_REPORT_CHARS:,}); split it into one file per report"
        )
    meta = read_meta(path, text)
    return Document(meta=meta, text=text, sections=parse_structure(text, meta))
