"""SHACL validation engines side by side on one store: time, peak memory and the violations each reports.

Each candidate runs as a process of its own (this script with ``--candidate NAME``), timed from
start to exit with its peak RSS from ``os.wait4``; it writes the results it found as JSON, and
the driver compares them (focus node, path, shape, message, value) with pySHACL's.

Candidates:

* ``pyshacl``: today's path before this change: the store exported as N-Triples, parsed by
  rdflib with the ontology, validated by pySHACL.
* ``pyshacl-turbo``: the same export and ontology given to pyshacl-turbo (a Rust engine with
  pySHACL's API) as a file; its results graph read as pySHACL's.
* ``pyrudof``: the same file read by rudof, its SHACL validator, results as Turtle.
* ``sparql``: ``kg-build validate``: the shapes compiled to SPARQL (``kg_build.validate.sparql``),
  each query run on the store where it is, in a sandboxed query worker.
* ``sparql-changed``: ``validate_graphs`` on one report graph (what ``build --validate`` runs for
  each report it adds), timed alone.

Usage (stores under /tmp; the 1M store takes about two minutes to make)::

    python benchmarks/validation.py --make /tmp/v/bundled /tmp/v/s1m --quads 1000000
    python benchmarks/validation.py --store /tmp/v/s1m --candidates pyshacl,sparql --json out.json --md out.md
    python benchmarks/validation.py --seeded /tmp/v/seeded     # a small store with one violation per kind

Candidates whose package is not installed are reported as such (``pip install pyshacl-turbo pyrudof``
to measure them; the project declares neither).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = ("sparql", "sparql-changed", "pyshacl", "pyshacl-turbo", "pyrudof")


# --- the candidates, each in its own process -------------------------------------------------------


def _export_file(store_path: Path, work: Path) -> Path:
    """The store's triples (every named graph, graph names dropped) and the ontology, as one N-Triples file."""
    import pyoxigraph as ox

    from kg_build.export import export_graph
    from kg_build.resources import ontology_file
    from kg_build.store import LocalStore

    target = work / f"{store_path.name}.export.nt"
    if target.exists():
        return target
    data = export_graph(LocalStore(store_path), fmt="ntriples")
    ontology = ox.Store()
    ontology.load(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(data + (ontology.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""))
    tmp.rename(target)
    return target


def _rows(violations: list) -> list[list[str | None]]:
    return sorted(([v.focus, v.path, v.shape, v.message, v.value] for v in violations), key=lambda r: [x or "" for x in r])


def run_candidate(name: str, store_path: Path, work: Path) -> dict:
    """Validate the store with one candidate; what it found (rows) and its own phases' seconds."""
    from rdflib import Graph

    from kg_build.validate import _violations, load_shapes, validate_graph, validate_graphs, validate_store
    from kg_build.resources import shapes_file
    from kg_build.store import LocalStore

    phases: dict[str, float] = {}
    t0 = time.perf_counter()
    if name == "sparql":
        result = validate_store(LocalStore(store_path))
        phases["validate"] = time.perf_counter() - t0
        return {"rows": _rows(result.violations), "phases": phases}
    if name == "sparql-changed":
        store = LocalStore(store_path)
        graph = sorted(g for g in store.named_graphs() if "/id/report/" in g)[-1]
        result = validate_graphs(store, [graph])
        phases["validate one report"] = time.perf_counter() - t0
        return {"rows": _rows(result.violations), "phases": phases, "graph": graph}
    if name == "pyshacl":
        from kg_build.export import export_graph

        data = Graph()  # as `kg-build validate` did before the compiled queries
        data.parse(data=export_graph(LocalStore(store_path), fmt="ntriples").decode("utf-8"), format="nt")
        phases["export+parse"] = time.perf_counter() - t0
        result = validate_graph(data, consume=True, engine="pyshacl")
        phases["validate"] = time.perf_counter() - t0 - phases["export+parse"]
        return {"rows": _rows(result.violations), "phases": phases}
    export = _export_file(store_path, work)  # made once per store, before timing matters (see the driver)
    phases["export"] = time.perf_counter() - t0
    shapes = load_shapes()
    if name == "pyshacl-turbo":
        import pyshacl_turbo

        _conforms, results, _ = pyshacl_turbo.validate(
            str(export), shacl_graph=str(shapes_file()), data_graph_format="nt", shacl_graph_format="turtle",
            inference="none", allow_warnings=False, abort_on_first=False, advanced=False,
        )
        phases["validate"] = time.perf_counter() - t0 - phases["export"]
        if not isinstance(results, Graph):
            results = Graph().parse(data=str(results), format="turtle")
        return {"rows": _rows(_violations(results, shapes)), "phases": phases}
    if name == "pyrudof":
        import pyrudof

        rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        rudof.read_data(str(export), format=pyrudof.RDFFormat.NTriples)
        rudof.read_shacl(str(shapes_file()), format=pyrudof.ShaclFormat.Turtle)
        phases["read"] = time.perf_counter() - t0 - phases["export"]
        rudof.validate_shacl()
        turtle = rudof.serialize_shacl_validation_results(format=pyrudof.ResultShaclValidationFormat.Turtle)
        phases["validate"] = time.perf_counter() - t0 - phases["export"] - phases["read"]
        return {"rows": _rows(_violations(Graph().parse(data=turtle, format="turtle"), shapes)), "phases": phases}
    raise SystemExit(f"unknown candidate {name}")


# --- the driver ----------------------------------------------------------------------------------


def measure(name: str, store_path: Path, work: Path, python: str) -> dict:
    """One candidate as a whole process: wall seconds, CPU seconds and peak RSS (os.wait4), and its rows."""
    out = work / f"{store_path.name}.{name}.json"
    out.unlink(missing_ok=True)
    if name in ("pyshacl-turbo", "pyrudof"):  # the export they read is made outside the timing
        _export_file(store_path, work)
    load = os.getloadavg()[0]  # the machine is shared: wall seconds say little without it
    start = time.perf_counter()
    proc = subprocess.Popen(
        [python, __file__, "--candidate", name, "--store", str(store_path), "--work", str(work), "--out", str(out)],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read() if proc.stderr else ""
    figure = {
        "candidate": name,
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),  # the largest of the process and its waited-for children
        "exit": os.waitstatus_to_exitcode(status),
        "load_before": round(load, 1),
    }
    if out.exists():
        found = json.loads(out.read_text(encoding="utf-8"))
        figure.update(rows=found["rows"], phases={k: round(v, 2) for k, v in found["phases"].items()})
    else:
        figure["error"] = stderr.strip().splitlines()[-1] if stderr.strip() else "no output"
    return figure


def compare(reference: list, other: list) -> dict:
    """How a candidate's violations differ from the reference's (as (focus, path, shape, message, value) rows)."""
    ref = {tuple(r) for r in reference}
    got = {tuple(r) for r in other}
    def key(row: tuple) -> list[str]:
        return [x or "" for x in row]

    loose = {(r[0], r[1], r[3], r[4]) for r in ref} == {(r[0], r[1], r[3], r[4]) for r in got}
    return {"same": ref == got, "same_but_shape_names": loose, "missing": sorted(ref - got, key=key)[:5], "extra": sorted(got - ref, key=key)[:5],
            "n_missing": len(ref - got), "n_extra": len(got - ref)}


def markdown(store: Path, quads: int, figures: list[dict]) -> str:
    lines = [
        f"Store `{store.name}`: {quads:,} quads. Each candidate a process of its own; wall and CPU seconds, peak RSS "
        "(os.wait4), per million quads in brackets; same report = the same (focus, path, shape, message, value) "
        "rows as pySHACL (\"only the shape names\": the same but for the names of anonymous property shapes, "
        "which the engine's results graph does not link to the shapes file's).",
        "",
        "| candidate | wall s | CPU s | peak RSS MiB | wall s / M quads | MiB / M quads | violations | same report as pySHACL | phases |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    per_m = 1_000_000 / max(1, quads)
    for f in figures:
        if "rows" not in f:
            lines.append(f"| {f['candidate']} | – | – | – | – | – | – | {f.get('error', '')} | |")
            continue
        same = f.get("same_as_pyshacl")
        lines.append(
            f"| {f['candidate']} | {f['wall_s']} | {f['cpu_s']} | {f['peak_rss_mib']} | {f['wall_s'] * per_m:.1f} | "
            f"{f['peak_rss_mib'] * per_m:.0f} | {len(f['rows'])} | {same} | "
            + ", ".join(f"{k} {v}" for k, v in f.get("phases", {}).items()) + " |"
        )
    return "\n".join(lines) + "\n"


def make_store(source: Path, target: Path, quads: int) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate_store
    from kg_build.build import build
    from kg_build.resources import bundled_reports_dir
    from kg_build.store import LocalStore

    src = LocalStore(source)
    if not src.exists():
        build([bundled_reports_dir()], store=src)
    big = generate_store(src, target, quads=quads, nquads_file=target.with_suffix(".nq"))
    print(f"{target}: {big.quads} quads, {big.reports} reports in {big.seconds:.0f} s")


def make_seeded(target: Path) -> None:
    """The test suite's seeded store: one report graph per kind of violation the shapes define (and two valid ones)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_validate_engines import CASES, variant

    from kg_build.build import ontology_nquads
    from kg_build.model.vocab import ONTOLOGY_GRAPH
    from kg_build.store import LocalStore

    store = LocalStore(target)
    with store.writer() as writer:
        writer.replace_graph(ONTOLOGY_GRAPH, ontology_nquads())
        for number, case in enumerate(CASES):
            writer.replace_graph(*variant(number, case[1], case[2]))
    print(f"{target}: {len(CASES)} report graphs, {store.quad_count()} quads")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/validation-bench"))
    parser.add_argument("--candidate")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    parser.add_argument("--python", default=sys.executable, help="Interpreter of the candidates (a venv with them).")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--md", type=Path)
    parser.add_argument("--make", nargs=2, type=Path, metavar=("SOURCE", "TARGET"))
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument("--seeded", type=Path, metavar="TARGET", help="Make the store with one violation per kind.")
    args = parser.parse_args()
    if args.make:
        make_store(*args.make, args.quads)
        return
    if args.seeded:
        make_seeded(args.seeded)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    if args.candidate:
        found = run_candidate(args.candidate, args.store, args.work)
        args.out.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
        return
    from kg_build.store import LocalStore

    quads = LocalStore(args.store).quad_count()
    figures = []
    for name in args.candidates.split(","):
        figure = measure(name, args.store, args.work, args.python)
        print(json.dumps({k: v for k, v in figure.items() if k != "rows"}), flush=True)
        figures.append(figure)
    reference = next((f for f in figures if f["candidate"] == "pyshacl" and "rows" in f), None)
    for f in figures:
        if reference is not None and "rows" in f and f["candidate"] != "sparql-changed":
            diff = compare(reference["rows"], f["rows"])
            f["same_as_pyshacl"] = diff["same"] or ("only the shape names" if diff["same_but_shape_names"] else False)
            f["difference"] = diff
    if args.json:
        args.json.write_text(json.dumps({"store": str(args.store), "quads": quads, "figures": figures},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    text = markdown(args.store, quads, figures)
    print(text)
    if args.md:
        args.md.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
