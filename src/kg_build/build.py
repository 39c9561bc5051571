"""Reports in, named graphs out: read → extract → model → store, all or nothing."""

from __future__ import annotations

import functools
import gc
import hashlib
import multiprocessing
import os
import re
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from kg_build import __version__, quadfiles
from kg_build.errors import BuildError, InputError
from kg_build.metadata import check_sidecar
from kg_build.metadata.sidecar import MAX_SIDECAR_BYTES, SIDECAR_HINT, SIDECAR_SIZE_HINT
from kg_build.model.nquads import iri_problem
from kg_build.model.vocab import ONTOLOGY_GRAPH, POL_NS
from kg_build.normalize.files import hash_file
from kg_build.resources import ontology_file
from kg_build.store import Reader, SelectResult, Store

REPORT_SUFFIXES = (".txt", ".html", ".htm", ".md", ".text", ".docx")
SIDECAR_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class BuiltReport:
    """One report as its graph's N-Quads, with what the build summary shows."""

    report_iri: str
    report_id: str
    source: str
    content_hash: str
    nquads: bytes
    counts: dict[str, int]
    warnings: tuple[str, ...] = ()  # about the sidecar or header, e.g. unknown keys
    gaps: tuple[str, ...] = ()  # completeness warnings (kg_build.completeness codes), also in the graph


@dataclass
class BuildSummary:
    built: list[BuiltReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # sources unchanged since the last build
    generation: str | None = None


Progress = Callable[[str], None]
# Called with the generation being written and {graph IRI: source} of the reports it changed, before anything
# is published: raising stops the build and the store keeps what it held (``kg-build build --validate``).
Check = Callable[[Reader, dict[str, str]], None]


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name.rsplit(".", 1)[0] + SIDECAR_SUFFIX)


def discover(paths: Sequence[Path]) -> list[Path]:
    """The report files named by paths (files, or folders searched recursively), sorted, each once."""
    found: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder; give report files or folders that hold them")
        if path.is_dir():
            files = [
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and not p.name.startswith(".")
            ]
            if not files:
                raise InputError(
                    f"{path}: no reports in this folder (looked for {', '.join(REPORT_SUFFIXES)} files)"
                )
            found.update(p.resolve() for p in files)
        elif path.name.endswith(SIDECAR_SUFFIX):
            raise InputError(f"{path}: this is a metadata sidecar; give the report file beside it")
        else:
            found.add(path.resolve())
    return sorted(found)


BUILDER_SUFFIXES = (".py", ".json", ".jsonl", ".tsv", ".txt")
# What decides a report's graph and what a generation records of it: reading, structure, extraction, the model,
# the build itself, the search index and the audit summary. The app, the queries, the endpoint and the exports
# are not among them: a change there must not make every report of a big store stale.
BUILDER_PARTS = (
    "normalize", "structure", "extract", "model", "metadata", "store", "audit", "document.py", "reader.py",
    "completeness.py", "build.py", "quadfiles.py", "search.py", "labels.py", "stats.py", "__init__.py",
)


@functools.cache
def builder_fingerprint(root: Path | None = None) -> str:
    """A digest of the builder's own code and data files (patterns, gazetteers, word lists).

    The version number alone does not change when extraction does, so a store built by an
    earlier checkout would keep its old graphs (and miss new per-generation files) forever:
    any change to what builds a graph rebuilds every report once (``BUILDER_PARTS``; nothing else).
    """
    root = root or Path(__file__).resolve().parent
    h = hashlib.sha256()
    files = (p for part in BUILDER_PARTS for p in ([root / part] if part.endswith(".py") else (root / part).rglob("*")))
    for file in sorted(p for p in files if p.suffix in BUILDER_SUFFIXES and "__pycache__" not in p.parts):
        h.update(file.relative_to(root).as_posix().encode() + b"\0")
        h.update(file.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


def content_hash(path: Path) -> str:
    """What decides whether a report must be rebuilt: its text, its sidecar and the builder (version and files)."""
    h = hashlib.sha256()
    h.update(f"policy-kg {__version__} {builder_fingerprint()}\n".encode())
    hash_file(h, path)  # streamed; pipes, devices and files over the size limit refused before reading
    sidecar = sidecar_of(path)
    if sidecar.is_file():
        h.update(b"\n--sidecar--\n")
        hash_file(h, sidecar, max_bytes=MAX_SIDECAR_BYTES, hint=SIDECAR_HINT, size_hint=SIDECAR_SIZE_HINT)
    return h.hexdigest()


def unknown_region(region: str | None, *, source: str) -> tuple[str, ...]:
    """A warning when the report's region is a name no gazetteer knows (kept as given: it may be a township)."""
    from kg_build.extract.places import gazetteer, nation

    places = gazetteer()
    if not region or region in places.by_name or region in places.by_short or region in nation().names():
        return ()
    return (f"{source}: region {region!r} is not in the gazetteer of divisions (GB/T 2260); check its spelling",)


def build_report(path: Path) -> BuiltReport:
    """Build one report's graph in memory (pure apart from reading the file and its sidecar)."""
    from kg_build.completeness import report_warnings
    from kg_build.extract import extract
    from kg_build.model.graph import document_quads
    from kg_build.model.iri import report_iri
    from kg_build.model.nquads import literal, serialize
    from kg_build.model.vocab import POL
    from kg_build.reader import read_document

    digest = content_hash(path)
    doc = read_document(path)
    extraction = extract(doc)
    quads = document_quads(doc, extraction, content_hash=digest, builder_version=__version__)
    gaps = tuple(w.value for w in report_warnings(doc, extraction))
    graph = report_iri(doc.meta.report_id)
    quads += [(graph, POL.buildWarning, literal(code), graph) for code in gaps]  # a report never loses its plan silently
    counts = {
        "sections": len(doc.sections),
        "pillars": sum(len(s.pillars) for s in doc.sections),
        "measures": sum(len(s.measures) + sum(len(p.measures) for p in s.pillars) for s in doc.sections),
        "entities": len(extraction.entities),
        "figures": len(extraction.figures),
    }
    nquads = serialize(quads)
    counts["quads"] = nquads.count(b"\n")
    return BuiltReport(
        report_iri=str(graph),
        report_id=doc.meta.report_id,
        source=str(path),
        content_hash=digest,
        nquads=nquads,
        counts=counts,
        warnings=doc.meta.warnings + unknown_region(doc.meta.region, source=path.name),
        gaps=gaps,
    )


def _per_report(store: Store, prop: str, graph: str | None = None) -> dict[str, str]:
    """``{report graph: value}`` of one property the report states about itself (of one ``graph``, if given)."""
    if not store.exists():
        return {}
    if graph is not None and iri_problem(graph) is not None:
        return {}  # not an IRI a report graph can have
    bound = "" if graph is None else f"VALUES ?g {{ <{graph}> }} "
    result = store.query(f"SELECT ?g ?v WHERE {{ {bound}GRAPH ?g {{ ?g <{POL_NS}{prop}> ?v }} }}", union_default=False)
    assert isinstance(result, SelectResult)
    return {str(g): str(v) for g, v in result.rows}


def stored_hashes(store: Store) -> dict[str, str]:
    """Content hash of every report graph in the store."""
    return _per_report(store, "contentHash")


def stored_hash(store: Store, graph: str) -> str | None:
    """The content hash a report graph of the store states; None when the store has no such graph."""
    return _per_report(store, "contentHash", graph).get(graph)


_HASH = re.compile(r"[0-9a-f]{64}")  # what ``content_hash`` gives: nothing else is looked up
_HASH_CHUNK = 500


def graphs_holding(store: Store, hashes: Iterable[str]) -> dict[str, str]:
    """``{content hash: report graph}`` for those of ``hashes`` that a report graph of the store states.

    Each hash is looked up in the store's index: a build of one report into a store of thousands reads one row,
    not every report's hash (0.2 s at 1,330 reports). A hash two graphs state (none that a build wrote) maps to
    the first graph in code-point order.
    """
    wanted = sorted({h for h in hashes if _HASH.fullmatch(h)})
    if not wanted or not store.exists():
        return {}
    found: dict[str, str] = {}
    for start in range(0, len(wanted), _HASH_CHUNK):
        values = " ".join(f'"{h}"' for h in wanted[start : start + _HASH_CHUNK])
        result = store.query(
            f"SELECT ?h ?g WHERE {{ VALUES ?h {{ {values} }} GRAPH ?g {{ ?g <{POL_NS}contentHash> ?h }} }}",
            union_default=False,
        )
        assert isinstance(result, SelectResult)
        for h, g in sorted((str(h), str(g)) for h, g in result.rows):
            found.setdefault(h, g)
    return found


@lru_cache(maxsize=1)
def ontology_nquads() -> bytes:
    """The ontology as N-Quads in its own graph, blank nodes skolemized to stable IRIs.

    Stores relabel blank nodes on every load, so the owl:unionOf lists would differ
    between two builds; canonical labels (rdflib.compare) under /.well-known/genid/
    keep builds byte-identical.
    """
    from rdflib import BNode, Graph, URIRef
    from rdflib.compare import to_canonical_graph

    from kg_build.model.nquads import serialize

    graph = to_canonical_graph(Graph().parse(ontology_file(), format="turtle"))
    name = URIRef(ONTOLOGY_GRAPH)

    def skolem(term):  # noqa: ANN001, ANN202
        return URIRef(f"{ONTOLOGY_GRAPH}/.well-known/genid/{term}") if isinstance(term, BNode) else term

    return serialize((skolem(s), p, skolem(o), name) for s, p, o in graph)


def stored_regions(store: Store) -> dict[str, str]:
    """The region (Place IRI) of every report graph in the store."""
    return _per_report(store, "region")


def _region_of(report: BuiltReport) -> str | None:
    marker = f"<{report.report_iri}> <{POL_NS}region> <".encode()
    for line in report.nquads.splitlines():
        if line.startswith(marker):
            return line[len(marker) :].split(b">", 1)[0].decode()
    return None


class _Identities:
    """Never two things on one IRI: refuses reports that share an id, in this build or with the store."""

    def __init__(self, skipped: dict[str, str], stored_regions: dict[str, str], *, same_id_hint: str) -> None:
        self.sources = dict(skipped)  # report IRI → the file that holds it in this build
        self.stored_regions = stored_regions
        self.same_id_hint = same_id_hint

    def check(self, report: BuiltReport) -> None:
        other = self.sources.get(report.report_iri)
        if other is not None:
            raise InputError(f"{other} and {report.source} are both report {report.report_id}: {self.same_id_hint}")
        self.sources[report.report_iri] = report.source
        old, new = self.stored_regions.get(report.report_iri), _region_of(report)
        if old and new and old != new:
            raise InputError(
                f"{report.source}: report id {report.report_id} already names a report of another region "
                f'({old.rsplit("/", 1)[-1]}) in the store; give this report an explicit "id" in its sidecar'
            )


T = TypeVar("T")
R = TypeVar("R")


def in_order(submit: Callable[[T], Future[R]], items: Iterable[T], *, ahead: int) -> Iterator[R]:
    """The results of ``submit(item)`` in the items' order, with at most ``ahead`` submitted and not yet taken.

    ``Pool.imap`` and ``Executor.map`` hand every task out at once and keep each result until it is
    taken, so workers faster than the store's writes (many cores, one writer) would pile up built
    reports in memory; this window holds a few a worker instead, however many reports the build has.
    """
    if ahead < 1:
        raise ValueError("ahead must be at least 1")
    return _windowed(submit, items, ahead)


def _windowed(submit: Callable[[T], Future[R]], items: Iterable[T], ahead: int) -> Iterator[R]:
    window: deque[Future[R]] = deque()
    for item in items:
        if len(window) >= ahead:
            yield window.popleft().result()
        window.append(submit(item))
    while window:
        yield window.popleft().result()


def _end_with_parent(parent: int) -> None:
    """Worker initializer: the worker ends when the build's process is gone (killed), so none is left behind."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


def _build_many(files: list[Path], *, jobs: int, progress: Progress | None) -> Iterator[BuiltReport]:
    """Built reports in file order, as they are ready (from ``jobs`` worker processes when > 1)."""
    if jobs <= 1 or len(files) <= 1:
        for path in files:
            yield build_report(path)
            if progress:
                progress(path.name)
        return
    workers = min(jobs, len(files))
    # an executor, not a Pool: a worker that dies (killed, out of memory) fails its report at once
    # instead of leaving the build waiting for it forever
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
        initializer=_end_with_parent, initargs=(os.getpid(),),
    )

    def submit(path: Path) -> Future[BuiltReport]:
        try:
            return pool.submit(build_report, path)
        except (OSError, ValueError, RuntimeError) as exc:  # the pool broke while this was handed to it
            raise BrokenProcessPool(str(exc)) from exc

    done = False
    try:
        # two reports a worker: one being built, one ready for when it finishes
        for report in in_order(submit, files, ahead=2 * workers):
            yield report
            if progress:
                progress(Path(report.source).name)
        done = True
    except BrokenProcessPool as exc:
        raise BuildError(
            "a worker process stopped before its report was built (killed, or out of memory?); the store is "
            "unchanged: build again, with a smaller --jobs if memory is short"
        ) from exc
    finally:
        if not done:  # failed or stopped: the workers' reports are not wanted
            _stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)  # no worker outlives the build


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers now, not after their current report.

    Also what unblocks a broken pool: Python 3.11-3.13 can start a worker while the pool is being
    marked broken, and then wait for it for ever (seen when a worker was killed as the pool started).
    ``terminate_workers`` is Python 3.14's; before it, the pool's own table of its processes.
    """
    terminate = getattr(pool, "terminate_workers", None)
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def build(
    paths: Sequence[Path],
    *,
    store: Store,
    jobs: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    check: Check | None = None,
) -> BuildSummary:
    """Add or replace the graphs of the given reports; every other report in the store stays as it was.

    The two halves of `extract` and `load` in one process: each report is built as `extract` builds
    it (``build_report``, the same bytes `extract` writes to a file) and published as `load`
    publishes it (``publish``), with no file in between.
    """
    files = discover(paths)
    hashes = {path: content_hash(path) for path in files}
    graph_of_hash = {} if force else graphs_holding(store, hashes.values())
    todo, skipped = [], {}
    for path in files:
        graph = graph_of_hash.get(hashes[path])
        if graph is None:
            check_sidecar(path)  # a malformed sidecar stops the build before anything is written
            todo.append(path)
        elif graph in skipped:
            raise InputError(f"{skipped[graph]} and {path} are the same report; give it once")
        else:
            skipped[graph] = str(path)
    return publish(_build_many(todo, jobs=jobs, progress=progress), store=store, skipped=skipped, pending=bool(todo),
                   check=check)


# Allocations between two runs of the cyclic garbage collector's youngest generation while a build writes (Python's
# default is 700). A build allocates millions of small objects that reference counting frees (tokens, terms,
# lines), and every few hundred thousand of them the collector also walked the older generations, spaCy's
# and rdflib's modules among them: ≈ 0.2 s of a 4.5 s build of the bundled reports, ≈ 0.05 s with this.
GC_THRESHOLD = 20_000


_collections_lock = threading.Lock()
_collections_held: list[tuple[int, ...]] = []  # the thresholds before the first block still open, once per block


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often inside the block (its thresholds restored after).

    Builds in threads of one process (the app) share the collector: the first block in raises the threshold,
    the last one out restores what was there before the first.
    """
    with _collections_lock:
        before = _collections_held[0] if _collections_held else gc.get_threshold()
        _collections_held.append(before)
        gc.set_threshold(max(before[0], GC_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        with _collections_lock:
            _collections_held.pop()
            if not _collections_held:
                gc.set_threshold(*before)


def publish(
    reports: Iterable[BuiltReport],
    *,
    store: Store,
    skipped: dict[str, str],
    pending: bool = True,
    same_id_hint: str = 'give one of them an explicit "id" in its sidecar',
    check: Check | None = None,
) -> BuildSummary:
    """Write built reports into the store, each replacing its graph, published all at once (or not at all).

    What `build` and `load` share: the ontology's graph, the identity checks (never two reports on one
    IRI), the store's writer with its atomic publish and search index, the counts readers show.
    ``skipped`` maps the graphs left as they are to where they came from; with nothing ``pending``
    a store that exists is left untouched.
    """
    if not pending and store.exists():
        return BuildSummary(skipped=sorted(skipped.values()), generation=store.generation())
    with fewer_collections():  # the reports are built as they are taken (``build``'s generator), in here
        return _publish(reports, store=store, skipped=skipped, same_id_hint=same_id_hint, check=check)


def _publish(
    reports: Iterable[BuiltReport], *, store: Store, skipped: dict[str, str], same_id_hint: str, check: Check | None
) -> BuildSummary:
    from kg_build.stats import recorded_stats  # noqa: PLC0415 - imports extraction (spaCy): inside fewer_collections

    identities = _Identities(skipped, stored_regions(store), same_id_hint=same_id_hint)
    built: list[BuiltReport] = []
    with store.writer() as writer:  # all or nothing: nothing is published unless every report is written
        writer.replace_graph(ONTOLOGY_GRAPH, ontology_nquads())
        for report in reports:  # written as each is ready
            identities.check(report)
            writer.replace_graph(report.report_iri, report.nquads)
            built.append(replace(report, nquads=b""))  # keep the summary, not every report's quads
        if check is not None:  # e.g. the changed graphs validated: raising here publishes nothing
            check(writer, {report.report_iri: report.source for report in built})
        writer.keep_stats(lambda graph_quads: recorded_stats(writer, graph_quads))  # once, for every reader
    return BuildSummary(built=built, skipped=sorted(skipped.values()), generation=store.generation())


# --- extract and load: the two halves of a build, on as many machines as there are ---------------------


@dataclass
class ExtractSummary:
    written: list[BuiltReport] = field(default_factory=list)  # their quads dropped: what the summary shows
    skipped: list[str] = field(default_factory=list)  # sources whose file was already there
    folder: Path | None = None


def report_file_bytes(report: BuiltReport) -> bytes:
    """A built report as the file `extract` writes (``quadfiles``): a header line, then its N-Quads unchanged."""
    header = {
        "builder": f"policy-kg {__version__} {builder_fingerprint()}",
        "content_hash": report.content_hash,
        "counts": report.counts,
        "gaps": list(report.gaps),
        "report_id": report.report_id,
        "report_iri": report.report_iri,
        "source": Path(report.source).name,  # not where it was on the machine that extracted it
        "warnings": list(report.warnings),
    }
    return quadfiles.encode(header, report.nquads)


def report_from_file(path: Path) -> BuiltReport:
    """A report file read back (and checked) as the report `build` would have built; its source is the file."""
    read = quadfiles.read_report_file(path)
    h = read.header
    return BuiltReport(
        report_iri=h["report_iri"], report_id=h["report_id"], source=str(path), content_hash=h["content_hash"],
        nquads=read.nquads, counts=dict(h["counts"]), warnings=tuple(h["warnings"]), gaps=tuple(h["gaps"]),
    )


def extract_files(
    paths: Sequence[Path], *, output: Path, jobs: int = 1, progress: Progress | None = None
) -> ExtractSummary:
    """Build each report's graph into ``output/<content hash>.nq``, skipping those already there; no store needed.

    Each file is written whole or not at all (temporary name, then rename), so extractions on many
    machines may share a folder, and one killed part-way is simply run again.
    """
    files = discover(paths)
    if output.exists() and not output.is_dir():
        raise InputError(f"{output}: not a folder; give -o a folder for the report files")
    output.mkdir(parents=True, exist_ok=True)
    ontology = output / quadfiles.ONTOLOGY_FILE
    if not ontology.is_file() or ontology.read_bytes() != ontology_nquads():
        # for a store's own bulk loader (`load` writes the ontology it ships itself)
        quadfiles.write_atomically(ontology, ontology_nquads(), step="write-ontology-file")
    todo, skipped, seen = [], [], {}
    for path in files:
        digest = content_hash(path)
        if digest in seen:
            raise InputError(f"{seen[digest]} and {path} are the same report; give it once")
        seen[digest] = path
        if (output / quadfiles.file_name(digest)).is_file():
            skipped.append(str(path))
        else:
            check_sidecar(path)  # a malformed sidecar stops the extraction before its file is written
            todo.append(path)
    summary = ExtractSummary(skipped=skipped, folder=output)
    with fewer_collections():
        for report in _build_many(todo, jobs=jobs, progress=progress):
            target = output / quadfiles.file_name(report.content_hash)
            quadfiles.write_atomically(target, report_file_bytes(report), step="write-report-file")
            summary.written.append(replace(report, nquads=b""))
    return summary


def load(
    folders: Sequence[Path],
    *,
    store: Store,
    force: bool = False,
    progress: Progress | None = None,
    check: Check | None = None,
) -> BuildSummary:
    """Load the report files of ``extract`` into the store, as ``build`` would have written them.

    A file whose content hash the store holds is skipped; any other replaces its report's graph. A
    file that is not what `extract` wrote (cut short, changed, another graph's quads) stops the load
    with the store unchanged.
    """
    files = quadfiles.report_files(folders)
    graph_of_hash = {} if force else graphs_holding(store, (path.stem for path in files))
    todo: list[Path] = []
    skipped: dict[str, str] = {}
    first: dict[str, Path] = {}
    for path in files:
        digest = path.stem
        if digest in first:  # the same report extracted on two machines: one file is enough, if they agree
            if path.read_bytes() != first[digest].read_bytes():
                raise InputError(f"{first[digest]} and {path} differ but name one content hash; extract it again")
            continue
        first[digest] = path
        graph = graph_of_hash.get(digest)
        if graph is None:
            todo.append(path)
        else:
            skipped[graph] = str(path)

    def reports() -> Iterator[BuiltReport]:
        for path in todo:
            yield report_from_file(path)
            if progress:
                progress(path.name)

    return publish(
        reports(), store=store, skipped=skipped, pending=bool(todo), check=check,
        same_id_hint="keep one (a report changed since its last extraction leaves its old file: "
        "extract into a new folder)",
    )
