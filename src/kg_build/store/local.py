"""The local store: an on-disk Oxigraph store with atomically published generations.

A local store is a directory of *generations*::

    STORE/
      current -> generations/000007     (symlink, replaced atomically)
      generations/000006/               (previous: still readable by open readers)
      generations/000007/               (an Oxigraph/RocksDB directory, never written once published)
      writer.lock

A build copies the current generation (hard links for RocksDB's immutable .sst
files, so it is cheap), writes its changes into the copy, and switches
``current`` with one ``rename``. A build that fails or is killed leaves only an
unpublished copy behind, which the next build removes: the store keeps what it
held. Readers open the generation ``current`` points to read-only, which is
safe because nobody writes a published generation.

Every file-system step of a build and of its publish is safe to be killed at
(``_step`` names each; a test kills a real build at every one): what a stopped
build leaves behind is recognised by the next one and removed before it starts
— a copy still being written (``NNNNNN.partial``), a generation renamed into
place but never published (numbered above ``current``), an old generation half
removed (``NNNNNN.removing``), the new link not yet switched — and a new
generation is numbered above every name on disk, so numbers never collide.
``kg-build check`` opens every generation kept and compares it with its record.

Every report (and the ontology) is a named graph. The writer keeps the
*default graph* equal to the set union of the named graphs, so a query without
``GRAPH`` sees each fact once however many reports state it (Oxigraph's own
``use_default_graph_as_union`` is a bag: a label held by 100 report graphs
would match 100 times). A generation records this, and other facts about
itself, in ``policy-kg.json`` beside RocksDB's files; a published generation
without it (written by a 0.1 build before the record, or damaged) is refused
with a one-line error: rebuild it.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg_build.errors import QueryError, ReportNotFoundError, StoreBusyError, StoreDamagedError, StoreError, StoreMissingError
from kg_build.search import INDEX_FILE, update_index
from kg_build.store.faults import _step
from kg_build.store.results import QueryResult, from_oxigraph

GENERATIONS = "generations"
CURRENT = "current"
KEEP_GENERATIONS = 2
PARTIAL = ".partial"  # suffix of a generation being written
RETIRED = ".removing"  # suffix of an old generation being removed
INFO_FILE = "policy-kg.json"  # facts about one generation, beside RocksDB's files
DEFAULT_GRAPH_IS_UNION = "set-union"  # INFO_FILE's "default_graph" when the writer maintains it


def default_store_path() -> Path:
    """``$KG_STORE``, else ``$XDG_DATA_HOME/policy-kg/store`` (``~/.local/share/policy-kg/store``)."""
    env = os.environ.get("KG_STORE")
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "policy-kg" / "store"


# --- the local, on-disk store -----------------------------------------------------------


class LocalStore:
    """An on-disk Oxigraph store with atomically published generations."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._handle: tuple[str, ox.Store] | None = None
        self._info: tuple[str, dict] | None = None

    @property
    def local_root(self) -> Path:
        """The folder whose generations sandboxed query workers open themselves."""
        return self.root

    # reading

    def exists(self) -> bool:
        return (self.root / CURRENT).exists()

    def generation(self) -> str | None:
        """The published generation's name (changes with every build), or None if never built."""
        link = self.root / CURRENT
        try:
            return os.readlink(link).rsplit("/", 1)[-1]
        except OSError:
            return None

    def generation_time(self) -> float | None:
        gen = self.generation()
        return (self.root / GENERATIONS / gen).stat().st_mtime if gen else None

    def open_read(self) -> ox.Store:
        """The current generation, read-only; raises StoreError when nothing was built yet."""
        gen = self.generation()
        if gen is None:
            raise StoreMissingError(
                f"no store at {self.root}: run `kg-build build` first (or point --store / KG_STORE elsewhere)"
            )
        if self._handle is not None and self._handle[0] == gen:
            return self._handle[1]
        self.info()  # a generation without its record (a 0.1 build's) or with a malformed one is refused here
        try:
            store = ox.Store.read_only(str(self.root / GENERATIONS / gen))
        except RuntimeError as exc:  # RocksDB's Corruption (a truncated file, a garbled MANIFEST or CURRENT)
            raise damaged(self.root, gen, _one_line(exc)) from exc
        except OSError as exc:
            if _is_corruption(exc):
                raise damaged(self.root, gen, _one_line(exc)) from exc
            raise StoreError(f"cannot open the store at {self.root}: {exc}") from exc
        self._handle = (gen, store)
        return store

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """RocksDB's Corruption met while reading the current generation becomes StoreDamagedError."""
        try:
            yield
        except (RuntimeError, OSError) as exc:
            if not _is_corruption(exc):
                raise
            raise damaged(self.root, self.generation() or "?", _one_line(exc)) from exc

    def info(self) -> dict:
        """What the current generation's writer recorded about it (``{}`` for a store not built yet).

        Raises StoreDamagedError when the record is missing or malformed.
        """
        gen = self.generation()
        if gen is None:
            return {}
        if self._info is None or self._info[0] != gen:
            self._info = (gen, read_info(self.root / GENERATIONS / gen))
        return self._info[1]

    def verify_graphs(self) -> None:
        """Open the current generation and check that it holds the graphs its record names (StoreDamagedError if not).

        Cheap (no quad is read): what ``stats`` does before it shows the recorded counts; ``check`` counts every quad.
        """
        gen = self.generation()
        recorded = self.info().get("graph_quads")
        with self._reading():
            found = {g.value for g in self.open_read().named_graphs()}
        if recorded is not None and set(recorded) != found:
            missing, extra = sorted(set(recorded) - found), sorted(found - set(recorded))
            detail = "; ".join(
                part for part in (
                    f"{_count(missing, 'recorded graph')} missing ({_names(missing)})" if missing else "",
                    f"{_count(extra, 'graph')} not recorded ({_names(extra)})" if extra else "",
                ) if part
            )
            raise damaged(self.root, gen or "?", f"{INFO_FILE} does not match its graphs: {detail}")

    def compact(self) -> dict:
        """Publish the current generation with its files merged (``Store.optimize``), as a build does by itself once a
        quarter of the store has been written since the last time: the same graphs, search index and counts, and
        the fastest lookups. Returns the record of the generation compacted (what it had left unmerged)."""
        if not self.exists():
            raise StoreMissingError(f"no store at {self.root}: there is nothing to compact")
        record = self.info()
        with self.writer() as writer:
            writer.compact()
        return record

    def check(self) -> list["GenerationCheck"]:
        """Open every generation kept on disk, count its quads per graph and compare them with its record.

        What ``kg-build check`` shows; leftovers of a stopped build are listed as ``unpublished``.
        """
        current = self.generation()
        if current is None:
            raise StoreMissingError(
                f"no store at {self.root}: run `kg-build build` first (or point --store / KG_STORE elsewhere)"
            )
        found = []
        for path in sorted((self.root / GENERATIONS).iterdir(), key=lambda p: p.name):
            published = path.name.isdigit() and (not current.isdigit() or int(path.name) <= int(current))
            if published or path.name == current:
                status, detail = _check_generation(path)
            else:
                status, detail = "unpublished", "left by a build that was stopped; the next build removes it"
            found.append(GenerationCheck(path.name, status, detail, current=path.name == current))
        if not any(c.current for c in found):
            found.append(GenerationCheck(current, "damaged", "the generation `current` names is missing", current=True))
        return found

    def query(self, sparql: str, *, union_default: bool = True) -> QueryResult:
        """Run a SPARQL query against the current generation; its default graph is the union of the named graphs.

        ``union_default=False`` is for queries that name their graphs (``GRAPH ?g {…}``) only.
        """
        store = self.open_read()
        try:
            with self._reading():
                result = store.query(sparql)  # the stored default graph is the union already
                return from_oxigraph(result)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {_one_line(exc)}") from exc
        except OSError as exc:
            raise QueryError(f"query failed: {_one_line(exc)}") from exc

    def query_serialized(self, sparql: str, media_type: str, *, union_default: bool = True) -> tuple[str, bytes]:
        """Run a query and serialize its answer in ``media_type``: (that media type, bytes)."""
        store = self.open_read()
        try:
            with self._reading():
                result = store.query(sparql)  # the stored default graph is the union already
                if isinstance(result, ox.QueryTriples):
                    return media_type, result.serialize(format=ox.RdfFormat.from_media_type(media_type)) or b""
                return media_type, result.serialize(format=ox.QueryResultsFormat.from_media_type(media_type)) or b""
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {_one_line(exc)}") from exc
        except (OSError, ValueError) as exc:
            raise QueryError(f"query failed: {_one_line(exc)}") from exc

    def named_graphs(self) -> list[str]:
        store = self.open_read()
        with self._reading():
            return sorted(g.value for g in store.named_graphs())

    def dump(self, *, fmt: ox.RdfFormat, graph: str | None = None) -> bytes:
        """One named graph, or every named graph (the default graph is derived from them and left out).

        One graph in a dataset format (N-Quads, TriG) keeps its name; a triples format has no place for it.
        """
        store = self.open_read()
        with self._reading():
            if graph is not None:
                name = ox.NamedNode(graph)
                if not store.contains_named_graph(name):
                    raise ReportNotFoundError(f"no report graph {graph} in the store: see `kg-build stats` for the reports")
                if fmt.supports_datasets:  # Oxigraph's dump(from_graph=…) writes the graph's triples without its name
                    return ox.serialize(store.quads_for_pattern(None, None, None, name), format=fmt) or b""
                return store.dump(format=fmt, from_graph=name)
            graphs = sorted(store.named_graphs(), key=lambda g: g.value)
            quads = (q for g in graphs for q in store.quads_for_pattern(None, None, None, g))
            return ox.serialize(quads, format=fmt) or b""

    def graph_ntriples(self, graph: str) -> bytes:
        """One named graph's triples as N-Triples; StoreError when there is no such graph."""
        store = self.open_read()
        with self._reading():
            name = ox.NamedNode(graph)
            if not store.contains_named_graph(name):
                raise ReportNotFoundError(f"no report graph {graph} in the store: see `kg-build stats` for the reports")
            return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)

    def quad_count(self) -> int:
        """Quads in the named graphs (the derived default graph is not counted)."""
        info = self.info()
        if "quads" in info:  # every generation that keeps the union records its count
            return int(info["quads"])
        store = self.open_read()
        with self._reading():
            return len(store)  # written before: named graphs only

    # writing

    @contextmanager
    def writer(self) -> Iterator["GenerationWriter"]:
        """Lock the store, hand out a private copy of the current generation, publish it on success.

        Safe to be killed at any step: the store keeps its published generation, and the next
        writer removes what this one left (see the module docstring).
        """
        _step("make-directories")
        self.root.mkdir(parents=True, exist_ok=True)
        gens = self.root / GENERATIONS
        gens.mkdir(exist_ok=True)
        with open(self.root / "writer.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreBusyError(f"another build is writing to {self.root}; wait for it to finish") from exc
            current = self.generation()
            number = self._next_number(current)  # counted before leftovers go: no number is given twice
            _step("remove-leftovers")
            self._remove_leftovers(current)
            work = gens / f"{number:06d}{PARTIAL}"
            _step("copy-generation")
            if current:
                _link_copy(gens / current, work, leave=INDEX_FILE)  # the search index: copied beside the build
            else:
                work.mkdir()
            _step("open-generation")
            try:
                info = read_info(gens / current) if current else {}
                writer = GenerationWriter(ox.Store(str(work)), info=info)
                if current:
                    writer.copy_index(gens / current / INDEX_FILE, work / INDEX_FILE)
            except BaseException as exc:
                _step("discard")
                shutil.rmtree(work, ignore_errors=True)
                if isinstance(exc, (RuntimeError, OSError)) and _is_corruption(exc):
                    raise damaged(self.root, current or "?", _one_line(exc)) from exc
                raise
            try:
                yield writer
                writer.finish(work)
            except BaseException as exc:
                writer.close()
                _step("discard")
                shutil.rmtree(work, ignore_errors=True)
                if isinstance(exc, (RuntimeError, OSError)) and _is_corruption(exc):
                    raise damaged(self.root, current or "?", _one_line(exc)) from exc
                raise
            _step("close-generation")
            writer.close()  # closes RocksDB before the directory is published
            final = gens / f"{number:06d}"
            _step("rename-generation")
            os.rename(work, final)
            _fsync_dir(gens)
            tmp_link = self.root / f".{CURRENT}.tmp"
            _step("link-current")
            if tmp_link.is_symlink():
                tmp_link.unlink()
            os.symlink(f"{GENERATIONS}/{final.name}", tmp_link)
            _step("switch-current")
            os.replace(tmp_link, self.root / CURRENT)
            _fsync_dir(self.root)
            _step("prune")
            self._prune(final.name)

    def _remove_leftovers(self, current: str | None) -> None:
        """Remove what a stopped writer left: copies being written, generations renamed into place but never
        published (numbered above ``current``), old generations half removed, and the link not yet switched."""
        for path in (self.root / GENERATIONS).iterdir():
            numbered = path.name.isdigit()
            unpublished = numbered and (current is None or (current.isdigit() and int(path.name) > int(current)))
            if path.name.endswith((PARTIAL, RETIRED)) or unpublished:
                shutil.rmtree(path, ignore_errors=True)
        tmp_link = self.root / f".{CURRENT}.tmp"
        if tmp_link.is_symlink():
            tmp_link.unlink()

    def _next_number(self, current: str | None) -> int:
        """One above every generation number on disk (and the current one): a generation name is never given twice."""
        numbers = [int(current)] if current and current.isdigit() else []
        for path in (self.root / GENERATIONS).iterdir():
            prefix = path.name.split(".", 1)[0]
            if prefix.isdigit():
                numbers.append(int(prefix))
        return max(numbers, default=0) + 1

    def _prune(self, current: str) -> None:
        """Keep the published generation and the one before it (readers may still use it); remove the older ones.

        Each is renamed first, so one half removed when the process stops is recognised as a leftover.
        """
        published = sorted(
            (p for p in (self.root / GENERATIONS).iterdir() if p.name.isdigit() and int(p.name) <= int(current)),
            key=lambda p: int(p.name),
        )
        for path in published[:-KEEP_GENERATIONS]:
            retired = path.with_name(path.name + RETIRED)
            _step("retire-generation")
            try:
                os.rename(path, retired)
            except OSError:
                continue  # left for the next build's prune
            _step("remove-generation")
            shutil.rmtree(retired, ignore_errors=True)

@dataclass(frozen=True)
class GenerationCheck:
    """One generation as ``kg-build check`` found it: ok, mismatch (its counts differ from its record), damaged."""

    name: str
    status: str
    detail: str
    current: bool = False

    @property
    def problem(self) -> bool:
        return self.status in ("mismatch", "damaged")

    def line(self) -> str:
        return f"{self.name:<8} {self.status:<11} {self.detail}{'  (current)' if self.current else ''}"


def _check_generation(path: Path) -> tuple[str, str]:
    """(status, detail) of one generation directory: opened read-only, every named graph counted."""
    try:
        record = read_record(path)
    except RecordError as exc:
        return "damaged", str(exc)
    try:
        store = ox.Store.read_only(str(path))
        # counted by iterating, not with SPARQL's COUNT: on a damaged file Oxigraph's GROUP BY keeps
        # collecting the same read error and grows without bound; an iterator raises it at once
        counts = {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in store.named_graphs()}
        default_size = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    except (RuntimeError, OSError) as exc:
        return "damaged", _one_line(exc)[:300]
    total = sum(counts.values())
    summary = f"{total} quads in {len(counts)} graphs"
    if not record:
        return "damaged", f"{summary}; no record ({INFO_FILE}): a 0.1 build wrote it, or it was damaged"
    recorded: dict[str, int] = record["graph_quads"]
    differ = sorted(g for g in set(recorded) | set(counts) if recorded.get(g) != counts.get(g))
    if differ:
        shown = "; ".join(
            f"{g.rsplit('/', 1)[-1]}: {recorded.get(g, 'none')} recorded, {counts.get(g, 'none')} found"
            for g in differ[:3]
        )
        more = f" and {len(differ) - 3} more" if len(differ) > 3 else ""
        differs = "1 graph differs" if len(differ) == 1 else f"{len(differ)} graphs differ"
        return "mismatch", f"{summary}, {differs} from {INFO_FILE}: {shown}{more}"
    reports = {r["iri"]: r["quads"] for r in (record.get("stats") or {}).get("reports", [])}
    stale = sorted(iri for iri, n in reports.items() if counts.get(iri) != n)
    if stale:
        return "mismatch", f"{summary}, but the recorded stats differ for {_names(stale)}"
    if record["default_graph"] == DEFAULT_GRAPH_IS_UNION and (default_size > total or (total and not default_size)):
        return "mismatch", f"{summary}, but its default graph ({default_size} triples) is not their union"
    return "ok", f"{summary}, as recorded"


class GenerationWriter:
    """Changes to an unpublished generation: replace whole named graphs, keeping the default graph their union.

    The generation is private until ``LocalStore.writer`` publishes it, so graphs are
    bulk-loaded (not transactional: a failure discards the whole generation). Loads run
    on one background thread, in the order given: pyoxigraph releases the GIL while it
    loads, so a build extracts the next report while the last one is written. Anything
    that reads the generation, and ``finish``, first waits for the loads (and raises a
    load's error).
    """

    IN_FLIGHT = 2  # loads queued at most: a caller that outruns the disk waits, its data is not piled up
    BATCH_BYTES = 8 << 20  # graphs gathered into one load: each load writes new RocksDB files, to be merged later
    # When a generation is compacted at finish (Store.optimize), which rewrites the whole store: about 1 s per
    # million quads, 40-50 s at ten million. Each load writes files that overlap the others', and a read-only
    # reader looks in every one RocksDB has not merged yet (126 loads in one build made lookups 2-5x slower at a
    # million quads). Builds that add a report or two leave few such files, which RocksDB merges into its levels as
    # the next build writes: at ten million quads, lookups were 1.1-1.4x slower than just after a compaction after
    # 2 added reports and stayed so after 30 (benchmarks/NOTES.md, run 14). So a generation is
    # compacted once COMPACT_AFTER_LOADS loads are left unmerged *and* the quads written since the last compaction
    # (loaded or dropped) come to COMPACT_SHARE of the store: its cost is then spread over a quarter of the
    # store's worth of writes, not paid every eighth added report.
    COMPACT_AFTER_LOADS = 16
    COMPACT_SHARE = 0.25

    def __init__(self, store: ox.Store, info: dict | None = None) -> None:
        self.store = store
        self.info = dict(info or {})
        self._recorded_before = self.info.pop("stats", None)  # the previous generation's; a build records this one's
        self._graph_quads: dict[str, int] = dict(self.info.get("graph_quads") or {})
        self._pending: list[ox.NamedNode] = []  # loaded graphs not yet copied into the default graph
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-load")
        self._loads: deque[tuple[frozenset[str], Future]] = deque()
        self._batch: dict[str, bytes] = {}  # N-Quads (with their default-graph copy) not yet queued
        self._loads_made = 0
        self._changed: set[str] = set()  # graphs replaced or dropped: what the search index re-reads
        self._index_copy: Future | None = None
        self._stats: Callable[[dict[str, int]], dict] | None = None  # what keep_stats asked to record
        # each changed graph's (thing, class) pairs as the previous generation had them, read before it is dropped,
        # for counting instances by change (kg_build.stats); None once more graphs changed than are worth it
        self._types_before: dict[str, set[tuple[str, str]]] | None = {}
        # and the IRIs it stated things of (kg_build.stats rechecks only those of the things other graphs own)
        self._subjects_before: dict[str, set[str]] = {}
        self._compact_asked = False

    def compact(self) -> None:
        """Compact this generation at finish whatever it left unmerged (``kg-build compact``)."""
        self._compact_asked = True

    def copy_index(self, source: Path, target: Path) -> None:
        """Copy the previous generation's search index into this one on a thread of its own, and flush it to disk,
        while the build reads its reports: at ten million quads a 1 GB copy and its flush took 0.8 s of an added
        report's 6 s, and ``finish`` then changed a few of its pages. ``finish`` waits for it."""
        copier = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-index-copy")
        self._index_copy = copier.submit(_copy_durably, source, target)
        copier.shutdown(wait=False)

    def close(self) -> None:
        """Stop loading and drop the store handle (RocksDB closes when its last reference goes)."""
        if self._index_copy is not None:  # a discarded generation is removed only once nothing writes into it
            self._index_copy.cancel()
            try:
                self._index_copy.result()
            except Exception:  # noqa: BLE001 - discarded with the generation; a failed build says why it failed
                pass
        self._loader.shutdown(wait=True, cancel_futures=True)
        self._loads.clear()
        self.store = None  # type: ignore[assignment]

    def _settle(self) -> None:
        """Load what is gathered and wait for every queued load; a load's error is raised here."""
        self._queue_batch()
        while self._loads:
            self._loads.popleft()[1].result()

    def graph_names(self) -> list[str]:
        self._flush_union()
        return sorted(g.value for g in self.store.named_graphs())

    @property
    def graph_quads(self) -> dict[str, int]:
        """Quads per named graph in this generation."""
        self._flush_union()  # which counts the graphs loaded since
        return dict(sorted(self._graph_quads.items()))

    def replace_graph(self, graph: str, nquads: bytes) -> None:
        """Drop a named graph and load its new quads (N-Quads whose graph is ``graph``), on the loader thread."""
        self.drop_graph(graph)
        lines = [line for line in nquads.split(b"\n") if line.strip()]
        suffix = f" <{graph}> .".encode()
        data = nquads
        if all(line.endswith(suffix) for line in lines):
            # the same statements without their graph name are the default graph's copy, loaded together
            # (blank node labels in one load name the same nodes); N-Quads escape newlines in literals,
            # so a line's last term is its graph
            data += b"".join(line[: -len(suffix)] + b" .\n" for line in lines)
            self._graph_quads[graph] = len(set(lines))
        else:  # written some other way: copied from the store once loaded
            self._pending.append(ox.NamedNode(graph))
        self._batch[graph] = data
        idle = all(load.done() for _, load in self._loads)
        if idle or sum(map(len, self._batch.values())) >= self.BATCH_BYTES:
            self._queue_batch()  # an idle loader takes what is there: the build's last wait is one graph's load

    def replace_graph_turtle(self, graph: str, turtle: bytes) -> None:
        self.drop_graph(graph)
        self._pending.append(ox.NamedNode(graph))
        self._queue(frozenset([graph]), lambda: self._load([graph], turtle, ox.RdfFormat.TURTLE))

    def _queue_batch(self) -> None:
        batch, self._batch = self._batch, {}
        if batch:
            self._queue(frozenset(batch), lambda: self._load(list(batch), b"".join(batch.values())))

    def _queue(self, graphs: frozenset[str], load: Callable[[], None]) -> None:
        self._loads_made += 1
        while len(self._loads) >= self.IN_FLIGHT:
            self._loads.popleft()[1].result()
        self._loads.append((graphs, self._loader.submit(load)))

    def _load(self, graphs: list[str], data: bytes, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        if data:
            to_graph = ox.NamedNode(graphs[0]) if fmt is ox.RdfFormat.TURTLE else None
            _step("load")
            self.store.bulk_load(data, format=fmt, to_graph=to_graph)
        for graph in graphs:
            name = ox.NamedNode(graph)
            if not self.store.contains_named_graph(name):
                self.store.add_graph(name)

    TYPES_KEPT_FOR = 64  # changed graphs whose previous types are kept; past that, instances are counted anew

    def _keep_types_before(self, graph: str, name: ox.NamedNode) -> None:
        """The graph's (thing, class) pairs as the previous generation had them (called when it is first dropped)."""
        if self._types_before is None:
            return
        if len(self._types_before) >= self.TYPES_KEPT_FOR:
            self._types_before = None
            return
        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        self._types_before[graph] = {(str(q.subject), str(q.object))
                                     for q in self.store.quads_for_pattern(None, rdf_type, None, name)}
        self._subjects_before[graph] = {q.subject.value for q in self.store.quads_for_pattern(None, None, None, name)
                                        if isinstance(q.subject, ox.NamedNode)}

    def types_before(self) -> dict[str, set[tuple[str, str]]] | None:
        """Each graph this writer dropped or replaced: its (thing, class) pairs in the previous generation, in
        N-Triples form (``<iri>``, ``_:blank``); None when too many changed to keep them (count instances anew)."""
        return None if self._types_before is None else {g: set(p) for g, p in self._types_before.items()}

    def subjects_before(self) -> dict[str, set[str]] | None:
        """Each graph this writer dropped or replaced: the IRIs it stated anything of in the previous generation; None
        when too many changed to keep them (as ``types_before``)."""
        return None if self._types_before is None else {g: set(s) for g, s in self._subjects_before.items()}

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph, and from the default graph what no other named graph states."""
        name = ox.NamedNode(graph)
        first = graph not in self._changed  # as the previous generation had it (not written by this writer)
        self._changed.add(graph)
        self._batch.pop(graph, None)  # written in this build but not loaded yet: never loaded
        self._graph_quads.pop(graph, None)
        self._pending = [g for g in self._pending if g != name]
        if any(graph in queued for queued, _ in self._loads):
            self._settle()
        if not self.store.contains_named_graph(name):
            return
        self._settle()  # the check below must see every graph written so far
        if first:
            self._keep_types_before(graph, name)
        _step("drop-graph")
        self.store.update(
            f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != <{graph}>) }} }}"
        )
        self.store.remove_graph(name)

    def _flush_union(self) -> None:
        """Finish the loads, then copy the graphs not loaded with their copy into the default graph."""
        self._settle()
        pending, self._pending = self._pending, []
        counts = dict.fromkeys((g.value for g in pending), 0)

        def triples() -> Iterator[ox.Quad]:
            for graph in pending:
                for quad in self.store.quads_for_pattern(None, None, None, graph):
                    counts[graph.value] += 1
                    yield ox.Quad(quad.subject, quad.predicate, quad.object)

        if pending:
            _step("load")
            self.store.bulk_extend(triples())
            self._loads_made += 1
        self._graph_quads.update(counts)

    def keep_stats(self, stats: Callable[[dict[str, int]], dict]) -> None:
        """Record the counts readers show (``stats(graph_quads)``), once, in this generation's record: worked out by
        ``finish``, once every write is in, beside the search index."""
        self._stats = stats

    def recorded_before(self) -> tuple[dict | None, set[str]]:
        """The previous generation's record for readers and the graphs replaced or dropped since."""
        return self._recorded_before, set(self._changed)

    def query(self, sparql: str, *, union_default: bool = True) -> QueryResult:  # noqa: ARG002 - the default graph is the union
        """A query on the generation being written (its loads finished and its default graph made the union first)."""
        self._flush_union()
        return from_oxigraph(self.store.query(sparql))

    def query_values(self, sparql: str) -> list[tuple[str | None, ...]]:
        """A SELECT on the generation being written, each value as plain text (an IRI, a literal's lexical form, a
        blank node's id; None where unbound): what the writer's own indexes store, without making rdflib terms."""
        self._flush_union()
        return [tuple(None if term is None else term.value for term in solution) for solution in self.store.query(sparql)]

    def finish(self, directory: Path) -> None:
        """Complete the loads and the union, flush RocksDB and record what readers should know about this generation."""
        self._flush_union()
        _step("flush")
        self.store.flush()
        graph_quads, before = self.graph_quads, self.info.get("graph_quads") or {}  # the record is still the last's
        unmerged = int(self.info.get("loads_since_compaction", 0)) + self._loads_made
        written = int(self.info.get("quads_written_since_compaction", 0)) + sum(
            before.get(g, 0) + graph_quads.get(g, 0) for g in self._changed
        )
        due = unmerged >= self.COMPACT_AFTER_LOADS and written >= self.COMPACT_SHARE * sum(graph_quads.values())
        compacting = due or self._compact_asked
        if compacting:
            unmerged = written = 0
        self.info["loads_since_compaction"] = unmerged
        self.info["quads_written_since_compaction"] = written
        # The compaction, the counts and the search index run side by side. The counts and the index only read the
        # generation, whose statements no longer change (a compaction rewrites its files, not what they hold), and
        # Oxigraph compacts and reads without holding the GIL. With the compaction first, one core sat idle while it
        # ran: the end of a fresh 140-report build took 9.7 s, and 8.2-8.6 s with the three side by side.
        beside = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kg-finish")  # its threads start with their work
        try:
            compaction = counting = None
            if compacting:
                _step("compact")
                compaction = beside.submit(self.store.optimize)
            if self._stats:
                counting = beside.submit(self._stats, graph_quads)
            _step("write-index")  # inside the unpublished directory: published with it, or removed with it
            if self._index_copy is not None:
                self._index_copy.result()  # the copy's error, if it failed
            self.info["search_sentences"] = update_index(self, directory, changed=self._changed)
            if counting is not None:
                self.info["stats"] = counting.result()  # the counts' error, if they failed
            if compaction is not None:
                compaction.result()  # the compaction's error, if it failed
        finally:  # a failure waits for the others: nothing reads or compacts a generation being removed
            beside.shutdown(wait=True, cancel_futures=True)
        if "stats" not in self.info and not self._changed and self._recorded_before is not None:
            self.info["stats"] = self._recorded_before  # no graph changed (a compaction): the counts stand
        self.info["default_graph"] = DEFAULT_GRAPH_IS_UNION
        self.info["graph_quads"] = graph_quads
        self.info["quads"] = sum(graph_quads.values())
        tmp = directory / f".{INFO_FILE}.tmp"
        _step("write-record")
        with open(tmp, "w", encoding="utf-8") as out:  # on disk before the generation is published
            # compact: written by json's C encoder (an indented record took 0.1 s more at ten million quads)
            out.write(json.dumps(self.info, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
            out.flush()
            os.fsync(out.fileno())
        _step("replace-record")
        os.replace(tmp, directory / INFO_FILE)


def damaged(root: Path | str, generation: str, detail: str) -> StoreDamagedError:
    """The one-line error for a store whose files or record are damaged: what is wrong and how to get a good store."""
    if len(detail) > 300:
        detail = detail[:300] + "…"
    return StoreDamagedError(
        f"the store at {root} is damaged (generation {generation}: {detail}): rebuild it with "
        f"`kg-build build --store {root}` and your reports, after moving the damaged folder aside"
    )


def read_info(directory: Path) -> dict:
    """The record the writer left in a published generation; StoreDamagedError when it is missing or malformed."""
    root = directory.parent.parent if directory.parent.name == GENERATIONS else directory
    try:
        record = read_record(directory)
    except RecordError as exc:
        raise damaged(root, directory.name, str(exc)) from None
    if not record:
        raise damaged(root, directory.name, f"no {INFO_FILE}: a 0.1 build wrote it, or it was damaged")
    return record


class RecordError(ValueError):
    """A generation's ``policy-kg.json`` is there but is not a record this writer could have written."""


_RECORD_REQUIRED = ("default_graph", "graph_quads", "quads")  # written by every version that writes the record


def read_record(directory: Path) -> dict:
    """The record a writer left in a generation directory (``{}`` when it has none); RecordError if malformed."""
    path = directory / INFO_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError(f"{INFO_FILE} cannot be read: {_one_line(exc)}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise RecordError(f"{INFO_FILE} is not JSON: {_one_line(exc)}") from None
    if not isinstance(data, dict):
        raise RecordError(f"{INFO_FILE} is not a JSON object")
    missing = [key for key in _RECORD_REQUIRED if key not in data]
    if missing:
        raise RecordError(f"{INFO_FILE} lacks {', '.join(missing)}")
    if not isinstance(data["default_graph"], str):
        raise RecordError(f"{INFO_FILE}: default_graph is not a string")
    graph_quads = data["graph_quads"]
    if not isinstance(graph_quads, dict) or not all(_is_count(n) for n in graph_quads.values()):
        raise RecordError(f"{INFO_FILE}: graph_quads is not an object of graph names and counts")
    if not _is_count(data["quads"]) or data["quads"] != sum(graph_quads.values()):
        raise RecordError(f"{INFO_FILE}: quads {data['quads']!r} is not the sum of graph_quads")
    if "loads_since_compaction" in data and not _is_count(data["loads_since_compaction"]):
        raise RecordError(f"{INFO_FILE}: loads_since_compaction is not a count")
    if "stats" in data:
        _check_recorded_stats(data["stats"])
    return data


def _check_recorded_stats(stats: object) -> None:
    """The counts a build recorded for readers (``kg_build.stats.recorded_stats``) have the shape readers expect."""
    fields = {"report_id": str, "iri": str, "title": str, "quads": int}
    lists = isinstance(stats, dict) and isinstance(stats.get("reports"), list) and isinstance(stats.get("classes"), list)
    if not lists:
        raise RecordError(f"{INFO_FILE}: stats is not an object with lists of reports and classes")
    for report in stats["reports"]:
        if not isinstance(report, dict) or not set(fields) <= set(report) or not all(
            _is_count(report[k]) if t is int else isinstance(report[k], t) for k, t in fields.items()
        ):
            raise RecordError(f"{INFO_FILE}: stats has a report without {', '.join(fields)}")
    for entry in stats["classes"]:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str) and _is_count(entry[1])):
            raise RecordError(f"{INFO_FILE}: stats has a class count that is not [name, count]")
    if "report_rows" in stats:
        _check_report_rows(stats["report_rows"])
    properties = stats.get("properties", [])  # kg_build.stats: how many things have each property
    if not isinstance(properties, list) or not all(
        isinstance(e, list) and len(e) == 2 and isinstance(e[0], str) and _is_count(e[1]) for e in properties
    ):
        raise RecordError(f"{INFO_FILE}: stats has a property count that is not [name, count]")


_REPORT_ROW = {"iri": str, "title": str, "region": str, "region_iri": str, "level": str}  # kg_build.explore.ReportRow


def _check_report_rows(rows: object) -> None:
    """The explorer's rows of the reports (``kg_build.explore.ReportRow`` as a dict each) have the shape it reads."""
    if not isinstance(rows, list):
        raise RecordError(f"{INFO_FILE}: stats' report_rows is not a list")
    for row in rows:
        good = (
            isinstance(row, dict) and set(row) == {*_REPORT_ROW, "plan_year", "counts"}
            and all(isinstance(row[k], t) for k, t in _REPORT_ROW.items())
            and (row["plan_year"] is None or _is_count(row["plan_year"]))
            and isinstance(row["counts"], dict) and all(isinstance(k, str) and _is_count(n) for k, n in row["counts"].items())
        )
        if not good:
            raise RecordError(f"{INFO_FILE}: stats' report_rows has a row that is not a report's row")


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_corruption(exc: BaseException) -> bool:
    """RocksDB reports damaged files (checksums, sizes, a garbled MANIFEST) as ``Corruption: …``."""
    return "Corruption" in str(exc)


def _count(items: list[str], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _names(graphs: list[str], shown: int = 3) -> str:
    names = [g.rsplit("/", 1)[-1] for g in graphs[:shown]]
    return ", ".join(names) + (f" and {len(graphs) - shown} more" if len(graphs) > shown else "")


def _link_copy(src: Path, dst: Path, *, leave: str = "") -> None:
    """Copy a RocksDB directory: immutable .sst files hard-linked, the rest copied (but the file named ``leave``)."""
    dst.mkdir()
    for entry in src.iterdir():
        if entry.name in ("LOCK", leave) or entry.is_dir():
            continue
        target = dst / entry.name
        if entry.suffix == ".sst":
            try:
                os.link(entry, target)
            except OSError:
                shutil.copy2(entry, target)
        else:
            shutil.copy2(entry, target)
        _step("copy-file")


def _copy_durably(source: Path, target: Path) -> None:
    """Copy a file (if there is one) and flush the copy to disk; it appears under its name only when whole."""
    if not source.exists():
        return
    partial = target.with_name(f".{target.name}.copy")
    shutil.copy2(source, partial)
    with open(partial, "rb+") as copied:
        os.fsync(copied.fileno())
    os.replace(partial, target)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
