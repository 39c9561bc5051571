"""One report's graph as a file: what `kg-build extract` writes and `kg-build load` reads back, checked.

A report file is named by the report's content hash (``<hash>.nq``, the hash a build skips an
unchanged report by) and holds one comment line, then the report's N-Quads exactly as a build
writes them into the store::

    # policy-kg report {"content_hash": "…", "report_iri": "…", "counts": {…}, …}
    <https://w3id.org/policy-kg/id/report/huli-2026> <…#contentHash> "…" <…/report/huli-2026> .
    …

N-Quads allow comment lines, so any store's bulk loader reads the files as they are. The header
says what a load needs without the report's text (its IRI, hash and the build summary's counts)
and the digest of the quads, so a file cut short or changed after it was written is refused,
not loaded. Files are written to a temporary name and renamed into place: a killed extraction
leaves no half file under a hash name (only a dot file, which is never read).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg_build.errors import InputError
from kg_build.model.vocab import POL_NS
from kg_build.normalize.files import read_limited
from kg_build.store.faults import _step

SUFFIX = ".nq"
ONTOLOGY_FILE = "ontology.nq"  # the ontology's graph, written beside the reports for a store's own bulk loader
HEADER = b"# policy-kg report "
MAX_FILE_BYTES = 1 << 30
_NAME = re.compile(r"[0-9a-f]{64}")
# what a header holds, and the type of each value
FIELDS: dict[str, type] = {
    "builder": str, "content_hash": str, "counts": dict, "gaps": list, "nquads_sha256": str,
    "report_id": str, "report_iri": str, "source": str, "warnings": list,
}  # fmt: skip
_CONTENT_HASH = f"<{POL_NS}contentHash>"


@dataclass(frozen=True)
class ReportFile:
    """A report file read and checked: its header fields and its N-Quads (the bytes after the header line)."""

    path: Path
    header: dict
    nquads: bytes


def file_name(content_hash: str) -> str:
    return f"{content_hash}{SUFFIX}"


def encode(header: dict, nquads: bytes) -> bytes:
    """A report file's bytes: the header (keys sorted, one line) with the quads' digest, then the quads."""
    fields = {**header, "nquads_sha256": hashlib.sha256(nquads).hexdigest()}
    missing = sorted(set(FIELDS) - set(fields))
    if missing:
        raise ValueError(f"a report file's header needs {', '.join(missing)}")
    line = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    return HEADER + line.encode("utf-8") + b"\n" + nquads


def write_atomically(path: Path, data: bytes, *, step: str = "write-file") -> None:
    """Write a file under a temporary dot name, on disk, then rename it into place: all of it or none.

    ``step`` names the moment between the two (``store.faults``), where tests kill an extraction.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        _step(step)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def report_files(folders: Sequence[Path]) -> list[Path]:
    """The report files in these folders, sorted by name (InputError for a folder that holds none, or a stray .nq)."""
    found: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            raise InputError(f"{folder}: not a folder; give folders written by `kg-build extract`")
        files = []
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.suffix != SUFFIX or path.name == ONTOLOGY_FILE:
                continue  # a temporary file of an extraction still running (or killed), or not ours
            if not _NAME.fullmatch(path.stem):
                raise InputError(f"{path}: not a report file of `kg-build extract` (named <content hash>{SUFFIX})")
            files.append(path)
        if not files:
            raise InputError(
                f"{folder}: no report files (<content hash>{SUFFIX}) here; run `kg-build extract -o {folder}` first"
            )
        found += files
    return sorted(found, key=lambda p: (p.name, str(p)))


def read_report_file(path: Path) -> ReportFile:
    """A report file, checked: its header, its quads' digest and count, every quad in the report's graph, its hash."""
    data = read_limited(path, max_bytes=MAX_FILE_BYTES, hint="give a file written by `kg-build extract`",
                        size_hint="it is not a report file")
    head, newline, nquads = data.partition(b"\n")
    if not head.startswith(HEADER) or not newline:
        raise _refused(path, "its first line is not the `# policy-kg report` header")
    try:
        header = json.loads(head[len(HEADER) :].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _refused(path, "its header is not JSON") from None
    if not isinstance(header, dict):
        raise _refused(path, "its header is not a JSON object")
    for key, kind in FIELDS.items():
        if not isinstance(header.get(key), kind):
            raise _refused(path, f"its header has no {kind.__name__} {key!r}")
    if header["content_hash"] != path.stem:
        raise _refused(path, "its name is not the content hash its header states")
    if hashlib.sha256(nquads).hexdigest() != header["nquads_sha256"]:
        raise _refused(path, "its quads are not the ones written (cut short or changed since)")
    graph = header["report_iri"]
    count = _checked_quads(path, nquads, graph, header["content_hash"])
    if count != header["counts"].get("quads"):
        raise _refused(path, f"it holds {count} quads, its header says {header['counts'].get('quads')}")
    return ReportFile(path=path, header=header, nquads=nquads)


def _checked_quads(path: Path, nquads: bytes, graph: str, content_hash: str) -> int:
    """The number of quads, each in ``graph``, one of them the report's content hash (InputError otherwise)."""
    name = ox.NamedNode(graph) if graph.startswith(("http://", "https://")) else None
    if name is None:
        raise _refused(path, f"its report IRI {graph!r} is not an http(s) IRI")
    count, hashed = 0, False
    try:
        for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
            if quad.graph_name != name:
                raise _refused(path, f"a quad is in {quad.graph_name}, not in the report's graph")
            if quad.subject == name and str(quad.predicate) == _CONTENT_HASH:
                hashed = isinstance(quad.object, ox.Literal) and quad.object.value == content_hash
            count += 1
    except SyntaxError as exc:
        raise _refused(path, f"invalid N-Quads: {' '.join(str(exc).split())[:200]}") from None
    if not hashed:
        raise _refused(path, "its graph does not state the content hash it is named by")
    return count


def _refused(path: Path, why: str) -> InputError:
    return InputError(f"{path}: refused, {why}; extract the report again (nothing was loaded)")
