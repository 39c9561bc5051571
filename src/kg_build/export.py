"""Serializations of the store: Turtle, TriG, N-Quads, JSON-LD and the ontology, byte-stable.

What each format holds:

- ``nquads`` and ``trig``: the named graphs as they are, the ontology graph
  included, so the file is a complete copy of the store that any SPARQL store
  can load (``--report`` narrows it to one report's graph);
- ``turtle``, ``jsonld`` (and ``ntriples``, for tools): the report graphs merged into one graph of triples
  (no ontology; ``--format ontology`` gives that, as the published Turtle file, and
  ``ontology-html`` as one self-contained HTML page);
- ``jsonld``: compacted with the published context (``ontology/context.jsonld``),
  which is *embedded* as the document's ``"@context"`` object rather than
  referenced by URL, so the file reads the same offline and in any JSON-LD
  processor, without fetching anything.

The same store always gives the same bytes: quads are sorted as N-Quads lines
(graph first), blank nodes get labels computed from their surroundings (a
store renames them at every load), and JSON-LD nodes and values are sorted.
Everything but JSON-LD is done by pyoxigraph (fast on big stores); JSON-LD
compaction uses rdflib.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib.term import Node

from kg_build.errors import ReportNotFoundError, StoreError
from kg_build.model.iri import report_iri
from kg_build.model.nquads import term_nt
from kg_build.model.vocab import ONTOLOGY_GRAPH, PREFIXES

# Data IRIs (…/id/report/huli-2026/text#char=33,83) are written in full: as prefixed names they would
# need a backslash before every "/", "#", "=" and ",".
EXPORT_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "id"}
from kg_build.resources import context_file, ontology_file
from kg_build.store import Store

EXPORT_FORMATS = ("turtle", "trig", "nquads", "jsonld", "ontology", "ontology-html", "ntriples")
_BNODE = re.compile(rb"_:[A-Za-z0-9_\-.]+")


def report_graphs(store: Store, report: str | None, *, with_ontology: bool = False) -> list[str]:
    """The named graphs to export: one report (by id or IRI), or every report (and the ontology if asked)."""
    names = store.named_graphs()
    reports = [g for g in names if g != ONTOLOGY_GRAPH]
    if report is None:
        return names if with_ontology else reports
    wanted = report if report.startswith(("http://", "https://")) else str(report_iri(report))
    if wanted not in reports:
        ids = ", ".join(g.rsplit("/", 1)[-1] for g in reports) or "none"
        raise ReportNotFoundError(f"no report {report!r} in the store; the reports are: {ids}")
    return [wanted]


def export_graph(store: Store, *, fmt: str, report: str | None = None) -> bytes:
    """The store (or one report) in a format; the same store gives the same bytes."""
    return b"".join(export_chunks(store, fmt=fmt, report=report))


def export_chunks(store: Store, *, fmt: str, report: str | None = None) -> Iterator[bytes]:
    """``export_graph``'s bytes in pieces. N-Quads and TriG come one named graph at a time, so writing them
    holds one graph in memory, not the store; Turtle and N-Triples, which merge the graphs into one and drop the
    triples that several reports state, come from sorted runs merged on disk (``merged_lines``) a piece at a
    time; JSON-LD holds the merged graph (rdflib compacts it whole)."""
    if fmt == "ontology":
        yield ontology_file().read_bytes()
        return
    if fmt == "ontology-html":  # the shipped ontology as one self-contained HTML page
        from kg_build.ontology_page import render_html, shipped_ontology  # noqa: PLC0415 - only this format needs it

        yield render_html(shipped_ontology()).encode("utf-8")
        return
    if fmt not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    graphs = report_graphs(store, report, with_ontology=fmt in ("trig", "nquads"))
    if fmt in ("nquads", "trig"):
        header = True  # TriG: a graph block written alone is the same as in one document; @prefix lines go first, once
        for graph, lines in iter_graph_lines(store, graphs):
            quads = b"".join(_as_quads(lines, graph))
            if fmt == "nquads":
                yield quads
            elif quads:  # an empty graph has no block (and Oxigraph writes no @prefix lines for nothing)
                yield _with_prefixes(quads, ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, header=header)
                header = False
        return
    merged = merged_lines(store, graphs)
    if fmt == "ntriples":
        for chunk in _batches(merged, lambda held, line: len(held) >= CHUNK_LINES):
            yield b"".join(chunk)
    elif fmt == "turtle":
        # cut between two subjects: Oxigraph writes a subject's triples as one block, the same in a piece as whole
        header, wrote = True, False
        for chunk in _batches(merged, lambda held, line: len(held) >= CHUNK_LINES and _subject(line) != _subject(held[-1])):
            yield _with_prefixes(b"".join(chunk), ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE, header=header)
            header, wrote = False, True
        if not wrote:
            yield _with_prefixes(b"", ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE)
    else:  # JSON-LD is compacted by rdflib, which holds the whole graph
        if report is None:
            _check_jsonld_fits(store.quad_count(), available_memory())
        yield jsonld(b"".join(merged))


# What a JSON-LD export holds per quad of the store: rdflib's merged graph and its compaction (2.4 GiB and 47 s
# for a million quads in the benchmarks), so one that cannot fit says so before it starts, not when it is killed.
JSONLD_BYTES_PER_QUAD = 2_500


def _check_jsonld_fits(quads: int, available: int | None) -> None:
    need = quads * JSONLD_BYTES_PER_QUAD
    if available is not None and need > available:
        raise StoreError(
            f"a JSON-LD export holds the merged graph in memory: about {need / 2**30:.1f} GiB for {quads:,} quads, "
            f"more than the {available / 2**30:.1f} GiB free here; export --format turtle or ntriples (written a piece "
            "at a time), or one report with --report"
        )


def available_memory() -> int | None:
    """Bytes of memory this process could still take: the kernel's MemAvailable, or the cgroup's limit less its
    use where that is lower; None where neither can be read (the JSON-LD check is then left out)."""
    found = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        pass
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit.isdigit():
            found.append(int(limit) - int(Path("/sys/fs/cgroup/memory.current").read_text().strip()))
    except (OSError, ValueError):
        pass
    return min(found) if found else None


CHUNK_LINES = 50_000  # N-Triples lines a piece of a merged export is written from
MERGE_RUN_LINES = 1_000_000  # distinct lines held before they go to a sorted run on disk: about 250 MB


def merged_lines(store: Store, graphs: list[str]) -> Iterator[bytes]:
    """The graphs' triples as sorted, unique N-Triples lines, for the formats that merge them into one graph.

    Graphs are read one at a time; past ``MERGE_RUN_LINES`` distinct lines those held are sorted into a run in a
    temporary file, and the runs are merged as they are read, so the memory a merge holds stays the same however
    many graphs the store has (the whole merge held 6.9 GiB at ten million quads)."""
    held: set[bytes] = set()
    with tempfile.TemporaryDirectory(prefix="kg-export-") as tmp:
        runs: list[Path] = []
        for _, lines in iter_graph_lines(store, graphs):
            held.update(lines)
            if len(held) >= MERGE_RUN_LINES:
                runs.append(_sorted_run(Path(tmp) / f"run-{len(runs)}", held))
                held = set()
        if not runs:
            yield from sorted(held)
            return
        if held:
            runs.append(_sorted_run(Path(tmp) / f"run-{len(runs)}", held))
            held = set()
        with contextlib.ExitStack() as files:
            previous = None
            for line in heapq.merge(*(files.enter_context(run.open("rb")) for run in runs)):
                if line != previous:
                    yield line
                    previous = line


def _sorted_run(path: Path, lines: set[bytes]) -> Path:
    try:
        with path.open("wb") as out:
            out.writelines(sorted(lines))
    except OSError as exc:
        raise StoreError(
            f"could not write the export's sorted runs in {path.parent} ({exc.strerror or exc}): a merged export "
            "needs about its own size free in the temporary folder; free space there or set TMPDIR to a bigger one"
        ) from exc
    return path


def _batches(lines: Iterator[bytes], full) -> Iterator[list[bytes]]:  # noqa: ANN001 - (held, next line) -> bool
    """``lines`` in lists, a list ending before the line at which ``full(held, line)`` says so."""
    held: list[bytes] = []
    for line in lines:
        if held and full(held, line):
            yield held
            held = []
        held.append(line)
    if held:
        yield held


def _subject(line: bytes) -> bytes:
    """An N-Triples line's subject (an IRI or a blank node: neither holds a space)."""
    return line[: line.index(b" ")]


def _with_prefixes(data: bytes, source: ox.RdfFormat, target: ox.RdfFormat, *, header: bool = True) -> bytes:
    """Sorted N-Triples/N-Quads as Turtle/TriG with our prefixes, the @prefix lines in alphabetical order
    (or left out: ``header=False``, for a graph block that follows another)."""
    text = ox.serialize(ox.parse(data, format=source), format=target, prefixes=EXPORT_PREFIXES)
    lines = text.splitlines(keepends=True)
    head = 0
    while head < len(lines) and lines[head].startswith(b"@prefix "):
        head += 1
    return (b"".join(sorted(lines[:head])) if header else b"") + b"".join(lines[head:])


def iter_graph_lines(store: Store, graphs: list[str]) -> Iterator[tuple[str, list[bytes]]]:
    """Each graph's triples as sorted, unique N-Triples lines (blank nodes relabelled), graphs in N-Quads order,
    one graph at a time: each graph is read from the store when its turn comes."""
    for graph in sorted(graphs, key=_graph_term):
        ntriples = store.graph_ntriples(graph)
        if _BNODE.search(ntriples):
            ntriples = _strip_graphs(canonical_blank_nodes(b"".join(_as_quads(ntriples.splitlines(keepends=True), graph))))
        yield graph, sorted(set(ntriples.splitlines(keepends=True)))


def _graph_term(graph: str) -> bytes:
    """How a graph ends an N-Quads line; sorting on it orders lines by graph, then by triple."""
    return f"<{graph}> .\n".encode()


def _as_quads(lines: list[bytes], graph: str) -> list[bytes]:
    """N-Triples lines (``s p o .``) as N-Quads lines in ``graph`` (same order: the suffix is shared)."""
    suffix = _graph_term(graph)
    return [line[:-2] + suffix for line in lines if line.strip()]


def _strip_graphs(nquads: bytes) -> bytes:
    """N-Quads lines written by Oxigraph (``s p o <g> .``, named graphs only) as N-Triples lines."""
    return b"".join(line[: line.rindex(b" <")] + b" .\n" for line in nquads.splitlines() if line)


def canonical_blank_nodes(nquads: bytes) -> bytes:
    """The same quads with blank nodes labelled by a hash of their neighbourhood (stable across loads)."""
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    bnodes = sorted({t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)})
    label = {b: "" for b in bnodes}
    for _ in range(4):  # colour refinement: each round sees one more hop
        signature: dict[str, list[str]] = {b: [label[b]] for b in bnodes}
        for q in quads:
            s, o, g = _name(q.subject, label), _name(q.object, label), str(q.graph_name)
            if isinstance(q.subject, ox.BlankNode):
                signature[q.subject.value].append(f"out {q.predicate} {o} {g}")
            if isinstance(q.object, ox.BlankNode):
                signature[q.object.value].append(f"in {s} {q.predicate} {g}")
        label = {b: hashlib.sha256("\n".join(sorted(sig)).encode()).hexdigest()[:16] for b, sig in signature.items()}
    seen: dict[str, int] = {}
    final = {}
    for b in sorted(bnodes, key=lambda b: (label[b], b)):
        n = seen.get(label[b], 0)
        seen[label[b]] = n + 1
        final[b] = ox.BlankNode(f"b{label[b]}{n or ''}")
    relabel = [
        ox.Quad(
            final[q.subject.value] if isinstance(q.subject, ox.BlankNode) else q.subject,
            q.predicate,
            final[q.object.value] if isinstance(q.object, ox.BlankNode) else q.object,
            q.graph_name,
        )
        for q in quads
    ]
    return ox.serialize(relabel, format=ox.RdfFormat.N_QUADS)


def _name(term: object, label: dict[str, str]) -> str:
    return f"_:{label[term.value]}" if isinstance(term, ox.BlankNode) else str(term)


def jsonld_context() -> dict:
    """The published context (``ontology/context.jsonld``), else one made of our prefixes."""
    path = context_file()
    if path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))["@context"]
        except (ValueError, KeyError) as exc:
            raise StoreError(f"{path} is not a JSON-LD context document ({exc}); fix or remove it") from None
    return dict(sorted(PREFIXES.items()))


def jsonld(ntriples: bytes) -> bytes:
    """N-Triples as JSON-LD compacted with the published context (embedded), nodes and values sorted."""
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=ntriples.decode("utf-8"), format="nt")
    context = jsonld_context()
    text = graph.serialize(format="json-ld", context=context, auto_compact=False)
    document = json.loads(text)
    nodes = document.get("@graph", []) if isinstance(document, dict) and "@graph" in document else document
    if isinstance(nodes, dict):
        nodes.pop("@context", None)
        nodes = [nodes]
    out = {"@context": context, "@graph": sorted((_sorted_values(n) for n in nodes), key=_node_key)}
    return (json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _node_key(node: object) -> tuple[str, str]:
    ident = node.get("@id", "") if isinstance(node, dict) else ""
    return (str(ident), json.dumps(node, ensure_ascii=False, sort_keys=True))


def _sorted_values(value: object, *, ordered: bool = False) -> object:
    """Sort every JSON-LD array (sets of values) except @list ones, recursively."""
    if isinstance(value, dict):
        return {k: _sorted_values(v, ordered=k == "@list") for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_values(v) for v in value]
        return items if ordered else sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def triples_turtle(triples: list[tuple[Node, Node, Node]]) -> bytes:
    """CONSTRUCT results as Turtle with our prefixes."""
    lines = sorted({f"{term_nt(s)} {term_nt(p)} {term_nt(o)} .\n" for s, p, o in triples})
    return _with_prefixes(b"".join(line.encode("utf-8") for line in lines), ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE)
