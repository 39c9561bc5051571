"""Measured what-ifs for the proposed fixes (not the real code: RESULTS.md's goal tables measure that).

``python benchmarks/experiments.py build [REPEAT]`` — the bundled build as whole processes, as it is and
with two library changes monkeypatched in: namespace terms looked up once (``kg_build.model.graph``'s
``NIF``/``POL``/``XSD``/… attribute lookups cached) and new graphs written with Oxigraph's
``bulk_load`` instead of a transactional ``load`` (``GenerationWriter.replace_graph``).

``python benchmarks/experiments.py jobs CORPUS [REPEAT]`` — ``--jobs 1`` and ``--jobs 2`` over a corpus,
as is and with those two changes plus streaming writes (``build.build`` opens the unpublished
generation first and writes each report as the workers hand it back, so the parent's writes
overlap the extraction; a failure still publishes nothing).

``python benchmarks/experiments.py union BIG.nq WORKDIR`` — the saved queries on a store whose default
graph *is* the set union of the report graphs (each distinct triple once), queried with
``use_default_graph_as_union=False``, against the same data queried the way ``LocalStore.query``
does today (Oxigraph's union default graph, which is a bag: a triple that k report graphs hold
matches k times).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox


def union_store(nquads_file: Path, target: Path) -> ox.Store:
    """The N-Quads in their named graphs, plus every distinct triple once in the default graph."""
    store = ox.Store(str(target))
    store.bulk_load(path=str(nquads_file), format=ox.RdfFormat.N_QUADS)
    triples: set[str] = set()
    with open(nquads_file, encoding="utf-8") as lines:
        for line in lines:
            body = line.rstrip()[:-1].rstrip()
            if body.endswith(">") and not line.startswith("#"):
                triples.add(body[: body.rfind(" <")] + " .")
    store.bulk_load("\n".join(sorted(triples)).encode() + b"\n", format=ox.RdfFormat.N_TRIPLES)
    store.optimize()
    return store


def time_query(store: ox.Store, sparql: str, *, union: bool, runs: int, budget_s: float) -> dict:
    """Warm-up plus up to ``runs`` timed runs (fewer once ``budget_s`` is spent); rows materialized."""
    t0 = time.perf_counter()
    rows = len(list(store.query(sparql, use_default_graph_as_union=union)))
    first = time.perf_counter() - t0
    times = []
    spent = first
    while len(times) < runs and (spent < budget_s or len(times) < 1):
        t = time.perf_counter()
        list(store.query(sparql, use_default_graph_as_union=union))
        times.append(time.perf_counter() - t)
        spent += times[-1]
    return {"rows": rows, "first_s": first, "p50_s": statistics.median(times), "runs": len(times)}


PATCHED_BUILD = """
import sys
import pyoxigraph as ox
import kg_build.model.graph as graph
import kg_build.store as store


class Cached:
    \"\"\"A namespace whose attribute terms are computed once.\"\"\"

    def __init__(self, ns):
        object.__setattr__(self, "_ns", ns)

    def __getattr__(self, name):
        value = getattr(self._ns, name)
        object.__setattr__(self, name, value)
        return value

    def __getitem__(self, key):
        return self._ns[key]

    def __str__(self):
        return str(self._ns)


for name in ("NIF", "POL", "QUDT", "XSD", "RDF", "RDFS", "SKOS", "PROV", "DCTERMS"):
    if hasattr(graph, name):
        setattr(graph, name, Cached(getattr(graph, name)))


def replace_graph(self, graph_iri, nquads):
    name = ox.NamedNode(graph_iri)
    if self.store.contains_named_graph(name):
        self.store.update(f"DROP SILENT GRAPH <{graph_iri}>")
        if nquads:
            self.store.load(nquads, format=ox.RdfFormat.N_QUADS)
    elif nquads:
        self.store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    if not self.store.contains_named_graph(name):
        self.store.add_graph(name)


store.GenerationWriter.replace_graph = replace_graph
if "--stream" in sys.argv:
    sys.argv.remove("--stream")
    import multiprocessing
    from pathlib import Path

    import kg_build.build as b

    def build(paths, *, store, jobs=1, force=False, progress=None):
        # open the (unpublished) generation first and write each report as it arrives, so the
        # parent's store writes overlap the workers' extraction; a failure still publishes nothing
        files = b.discover(paths)
        known = set() if force else set(b.stored_hashes(store).values())
        todo = [p for p in files if b.content_hash(p) not in known]
        skipped = [str(p) for p in files if p not in todo]
        built, seen = [], {}
        with store.writer() as writer:
            if hasattr(b, "ontology_nquads"):
                writer.replace_graph(b.ONTOLOGY_GRAPH, b.ontology_nquads())
            else:
                writer.replace_graph_turtle(b.ONTOLOGY_GRAPH, b.ontology_file().read_bytes())
            if jobs <= 1 or len(todo) <= 1:
                results = map(b.build_report, todo)
                pool = None
            else:
                pool = multiprocessing.get_context("spawn").Pool(processes=min(jobs, len(todo)))
                results = pool.imap(b.build_report, todo, chunksize=1)
            try:
                for report in results:
                    if report.report_iri in seen:
                        raise b.InputError(f"{seen[report.report_iri]} and {report.source} are both report {report.report_id}")
                    seen[report.report_iri] = report.source
                    writer.replace_graph(report.report_iri, report.nquads)
                    built.append(report)
                    if progress:
                        progress(Path(report.source).name)
            finally:
                if pool is not None:
                    pool.close()
                    pool.join()
        return b.BuildSummary(built=built, skipped=skipped, generation=store.generation())

    b.build = build
from kg_build.cli import main
sys.argv = ["kg-build", *sys.argv[1:]]
main()
"""


def build_experiment(repeat: int, *, corpus: Path | None = None, jobs: int = 1, stream: bool = False) -> None:
    """The bundled build (or ``corpus``) as it is and patched, interleaved, whole processes; medians printed as JSON."""
    import shutil
    import subprocess
    import tempfile

    root = Path(__file__).resolve().parents[1]
    reports = corpus or root / "data" / "reports"
    kg_build = Path(sys.executable).parent / "kg-build"
    times: dict[str, list[float]] = {"as is": [], "patched": []}
    for _ in range(repeat):
        for kind in times:
            store = Path(tempfile.mkdtemp())
            shutil.rmtree(store)
            args = ["build", str(reports), "--store", str(store), "--force", "--jobs", str(jobs)]
            patched = [sys.executable, "-c", PATCHED_BUILD, *args, *(["--stream"] if stream else [])]
            command = [str(kg_build), *args] if kind == "as is" else patched
            t0 = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times[kind].append(time.perf_counter() - t0)
            shutil.rmtree(store, ignore_errors=True)
    print(json.dumps({"jobs": jobs, "stream": stream, **{k: {"runs": v, "median_s": statistics.median(v)} for k, v in times.items()}}))


def main() -> None:
    kind = sys.argv[1]
    if kind == "build":
        build_experiment(int(sys.argv[2]) if len(sys.argv) > 2 else 3)
        return
    if kind == "jobs":  # experiments.py jobs CORPUS [REPEAT]: --jobs 1 and 2, as is and patched (streaming writes)
        for jobs in (1, 2):
            build_experiment(int(sys.argv[3]) if len(sys.argv) > 3 else 1, corpus=Path(sys.argv[2]), jobs=jobs, stream=True)
        return
    nquads_file, workdir = Path(sys.argv[2]), Path(sys.argv[3])
    if kind != "union":
        raise SystemExit(f"unknown experiment {kind!r}")
    from kg_build.queries import saved_queries

    t0 = time.perf_counter()
    store = union_store(nquads_file, workdir / "union-store")
    print(json.dumps({"built_s": time.perf_counter() - t0, "quads": len(store)}), flush=True)
    names = sys.argv[4:] or list(saved_queries())
    for name in names:
        sparql = saved_queries()[name].bind()
        print(json.dumps({"name": name, **time_query(store, sparql, union=False, runs=10, budget_s=10)}), flush=True)


if __name__ == "__main__":
    main()
