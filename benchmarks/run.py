"""Run every benchmark once and write benchmarks/RESULTS.md (and results.json beside it).

    python benchmarks/run.py                       # the full run (about 15 minutes on 2 cores)
    python benchmarks/run.py --triples 200000 --copies 2 --skip app   # a quick look

Sections: build (bundled corpus vs its tokenizer floor, peak memory, where the time goes),
jobs (a corpus ``--copies`` times the bundled one, ``--jobs 1`` vs ``--jobs 2``), store (a store
of ``--triples`` quads generated from the built graphs), incremental (one report into that store
vs into an empty one), queries (every saved query on that store, Oxigraph vs rdflib), app (time
to first render of every page on that store). Everything heavy runs as a separate process; builds
are timed as whole ``kg-build`` processes, their memory read from ``wait4``'s rusage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import REPORT_NS, SHAPES, copied_sidecar, copy_corpus, generate_store  # noqa: E402
from benchmarks.report import ALL_ROWS  # noqa: E402

REPORTS = ROOT / "data" / "reports"
SECTIONS = ("build", "jobs", "store", "incremental", "queries", "search", "app", "commands")
PACKAGES = (
    "policy-kg", "spacy", "jieba", "opencc", "pypinyin", "pyoxigraph", "rdflib", "pyshacl",
    "streamlit", "pandas", "pyvis", "playwright", "pyinstrument",
)
GOALS = {
    "build_ratio": 1.5,
    "jobs_speedup": 1.6,
    "two_cpus": 1.85,  # the same build on two CPUs against one (#19's restatement of the --jobs goal)
    "peak_rss_gib": 1.0,
    "query_p50_s": 0.100,
    "query_speedup": 20.0,
    "page_s": 2.0,
    "incremental_ratio": 2.0,
}

FLOOR = """
import sys
from pathlib import Path
import spacy
from kg_build.build import discover
from kg_build.normalize import read_text
nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
files = discover([Path(a) for a in sys.argv[1:]])
tokens = sum(len(nlp.make_doc(read_text(p).text)) for p in files)
print(f"{len(files)} reports, {tokens} tokens")
"""

STAGES = """
import json, sys, tempfile, time
from pathlib import Path
t0 = time.perf_counter()
import kg_build
from kg_build.build import content_hash, discover
from kg_build.extract import extract
from kg_build.extract.pipeline import get_pipeline
from kg_build.model.graph import document_quads
from kg_build.model.nquads import serialize
from kg_build.reader import read_document
from kg_build.store import LocalStore
stages = {"imports": time.perf_counter() - t0}
t = time.perf_counter(); get_pipeline(); stages["pipeline (spaCy + jieba + patterns)"] = time.perf_counter() - t
for key in ("read + normalize + structure", "extract", "model (quads)", "serialize", "store write"):
    stages[key] = 0.0
graphs = []
for path in discover([Path(a) for a in sys.argv[1:]]):
    t = time.perf_counter(); doc = read_document(path); stages["read + normalize + structure"] += time.perf_counter() - t
    t = time.perf_counter(); ex = extract(doc); stages["extract"] += time.perf_counter() - t
    t = time.perf_counter()
    quads = document_quads(doc, ex, content_hash=content_hash(path), builder_version=kg_build.__version__)
    stages["model (quads)"] += time.perf_counter() - t
    t = time.perf_counter(); graphs.append((doc.meta.report_id, serialize(quads))); stages["serialize"] += time.perf_counter() - t
t = time.perf_counter()
with LocalStore(Path(tempfile.mkdtemp())).writer() as writer:
    for report_id, data in graphs:
        writer.replace_graph(f"https://w3id.org/policy-kg/id/report/{report_id}", data)
stages["store write"] = time.perf_counter() - t
print(json.dumps(stages))
"""

WRITES = """
import json, resource, sys, tempfile, time
from pathlib import Path
from kg_build.store import LocalStore
source = LocalStore(Path(sys.argv[1]))
graphs = {g: source.dump(fmt=__import__("pyoxigraph").RdfFormat.N_QUADS, graph=g) for g in source.named_graphs()}
before = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
with tempfile.TemporaryDirectory() as tmp, LocalStore(Path(tmp)).writer() as writer:
    for graph, data in graphs.items():
        writer.replace_graph(graph, data)
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
print(json.dumps({"graphs": len(graphs), "quads": sum(d.count(b"\\n") for d in graphs.values()),
                  "seconds": time.perf_counter() - t0, "cpu_s": cpu}))
"""

PROFILE = """
import sys
from pathlib import Path
from pyinstrument import Profiler
from kg_build.build import build_report, discover
from kg_build.extract.pipeline import get_pipeline
get_pipeline()
profiler = Profiler(interval=0.002)
profiler.start()
for path in discover([Path(a) for a in sys.argv[1:]]):
    build_report(path)
profiler.stop()
print(profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False))
"""


# --- processes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessRun:
    """One whole process: wall time, peak resident memory (itself and its children), exit code."""

    seconds: float
    max_rss_mib: float
    returncode: int
    cpu_s: float = 0.0  # user + system time of the process and the children it waited for


def kg_build_command() -> list[str]:
    script = Path(sys.executable).parent / "kg-build"
    if script.is_file():
        return [str(script)]
    found = shutil.which("kg-build")
    return [found] if found else [sys.executable, "-m", "kg_build.cli"]


def run_process(command: list[str], *, log: Path, env: dict[str, str] | None = None, cpus: set[int] | None = None) -> ProcessRun:
    """Run a command to its end; time it and read its peak RSS from wait4 (covers the children it waited for).

    ``cpus``: the CPUs the process (and every thread and child it starts) may run on.
    """
    with open(log, "ab") as out:
        out.write(f"$ {' '.join(command)}\n".encode())
        out.flush()
        t0 = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - t0
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}); see {log}")
    return ProcessRun(seconds, usage.ru_maxrss / 1024, process.returncode, usage.ru_utime + usage.ru_stime)


def build_command(paths: list[Path], store: Path, *, jobs: int = 1, force: bool = True) -> list[str]:
    return [*kg_build_command(), "build", *map(str, paths), "--store", str(store), "--jobs", str(jobs), *(["--force"] if force else [])]


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    return path


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], q: float) -> float | None:
    """The q-quantile by the nearest-rank method (p95 of 20 runs is the 19th)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-int(q * 100) * len(ordered) // 100)))
    return ordered[rank - 1]


def log_step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the machine ------------------------------------------------------------------------------


def machine() -> dict:
    """CPU, cores, memory, OS, Python, package versions, and how busy the machine was."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    chromium = ""
    try:
        chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        chromium = "not found"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": versions,
        "chromium": chromium,
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted": len([line for line in _git("status", "--porcelain").splitlines() if line.strip()]),
        "load_before": os.getloadavg(),
        "drift_before": drift(),
    }


def drift(loops: int = 60, n: int = 200_000) -> dict:
    """How steady the machine's speed is: the same CPU-bound Python loop timed ``loops`` times (ms)."""
    times = []
    for _ in range(loops):
        t0 = time.perf_counter()
        total = 0
        for i in range(n):
            total += i
        times.append((time.perf_counter() - t0) * 1000)
    return {"min_ms": min(times), "median_ms": median(times), "max_ms": max(times), "loops": loops}


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


# --- the benchmarks ---------------------------------------------------------------------------


def bench_build(work: Path, *, repeat: int, profile: bool) -> dict:
    """The bundled corpus built as a whole process vs the tokenizer floor (both ``repeat`` times, interleaved)."""
    log = work / "build.log"
    floors, builds = [], []
    for i in range(repeat):
        log_step(f"build: floor run {i + 1}/{repeat}")
        floors.append(run_process([sys.executable, "-c", FLOOR, str(REPORTS)], log=log))
        log_step(f"build: kg-build run {i + 1}/{repeat}")
        builds.append(run_process(build_command([REPORTS], fresh(work / f"bundled-{i}")), log=log))
    stages = _json_process([sys.executable, "-c", STAGES, str(REPORTS)], log=log)
    result = {
        "floor_s": [r.seconds for r in floors],
        "build_s": [r.seconds for r in builds],
        "floor_rss_mib": [r.max_rss_mib for r in floors],
        "build_rss_mib": [r.max_rss_mib for r in builds],
        "stages_s": stages,
        "store": str(work / "bundled-0"),
    }
    result["ratio"] = min(result["build_s"]) / min(result["floor_s"])  # best runs: other work only adds time
    if profile:
        result["profile"] = _text_process([sys.executable, "-c", PROFILE, str(REPORTS)], log=log)
    return result


def _json_process(command: list[str], *, log: Path) -> dict:
    try:
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=True).stdout
        return json.loads(out.strip().splitlines()[-1])
    except (subprocess.SubprocessError, ValueError, IndexError) as exc:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{command[:3]} failed: {exc}\n{getattr(exc, 'stderr', '')}\n")
        return {"error": f"{type(exc).__name__}"}


def _text_process(command: list[str], *, log: Path) -> str:
    try:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900, check=True).stdout
    except subprocess.SubprocessError as exc:
        return f"profile failed: {exc} {getattr(exc, 'stderr', '')[-500:]}"


def bench_jobs(work: Path, *, copies: int) -> dict:
    """A corpus ``copies`` times the bundled one built with --jobs 1 and --jobs 2 (fresh stores)."""
    corpus = work / "corpus"
    files = copy_corpus(REPORTS, corpus, copies=copies)
    log = work / "jobs.log"
    runs, loads = {}, {}
    for jobs in (1, 2):
        log_step(f"jobs: {len(files)} reports with --jobs {jobs}")
        loads[jobs] = os.getloadavg()[0]
        runs[jobs] = run_process(build_command([corpus], fresh(work / f"jobs-{jobs}"), jobs=jobs), log=log)
    # the same --jobs 1 build held to one CPU: what two cores give over one, since --jobs 1 already uses both
    # (the store's loader and RocksDB's compactions run on threads of their own)
    one_cpu = {min(os.sched_getaffinity(0))}
    log_step(f"jobs: {len(files)} reports with --jobs 1 on one CPU")
    loads["1-one-cpu"] = os.getloadavg()[0]
    one = run_process(build_command([corpus], fresh(work / "jobs-1-one-cpu"), jobs=1), log=log, cpus=one_cpu)
    shutil.rmtree(work / "jobs-1-one-cpu")
    log_step("jobs: the same graphs written alone (what the store costs)")
    writes = _json_process([sys.executable, "-c", WRITES, str(work / "jobs-1")], log=log)
    return {
        "writes_alone": writes,
        "reports": len(files),
        "copies": copies,
        "corpus_bytes": sum(p.stat().st_size for p in files),
        "jobs1_s": runs[1].seconds,
        "jobs2_s": runs[2].seconds,
        "jobs1_rss_mib": runs[1].max_rss_mib,
        "jobs2_rss_mib": runs[2].max_rss_mib,
        "jobs1_cpu_s": runs[1].cpu_s,
        "jobs2_cpu_s": runs[2].cpu_s,
        "jobs1_one_cpu_s": one.seconds,
        "jobs1_one_cpu_cpu_s": one.cpu_s,
        "jobs1_one_cpu_rss_mib": one.max_rss_mib,
        "load_before": loads,
        "speedup": runs[1].seconds / runs[2].seconds,
    }


def bench_store(work: Path, *, source: Path, triples: int, name: str = "big", shape: str = "series") -> dict:
    from kg_build.store import LocalStore

    log_step(f"store: generating {triples:,} quads ({shape})")
    big = generate_store(
        LocalStore(source), fresh(work / name), quads=triples, nquads_file=work / f"{name}.nq", shape=shape
    )
    probe = _union_probe(big.root)
    return {**{k: str(v) if isinstance(v, Path) else v for k, v in asdict(big).items()}, **probe, "shape": shape}


def _union_probe(root: Path) -> dict:
    """How often report graphs repeat shared triples: what Oxigraph's own union (a bag) would match, vs the stored set union."""
    from pyoxigraph import DefaultGraph

    from kg_build.store import LocalStore

    store = LocalStore(root)
    q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a <https://w3id.org/policy-kg/def#Indicator> } }"
    d = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/policy-kg/def#Indicator> }"
    bag = int(store.query(q, union_default=False).rows[0][0])
    distinct = int(store.query(d).rows[0][0])
    handle = store.open_read()
    default_quads = sum(1 for _ in handle.quads_for_pattern(None, None, None, DefaultGraph()))
    return {"indicator_type_matches": bag, "indicators": distinct, "default_graph_quads": default_quads,
            "default_graph_is_union": store.info().get("default_graph") == "set-union"}


def moved_report(stem: str, sidecar: dict, offset: int) -> str:
    """The IRI of a report's copy moved ``offset`` years on (``copied_sidecar``)."""
    plan = int(sidecar["plan_year"])
    base = stem[: -len(str(plan))] if stem.endswith(str(plan)) else f"{stem}-"
    return f"{REPORT_NS}{base}{plan + offset}"


def free_offset(stem: str, sidecar: dict, taken: set[str]) -> int:
    """The smallest move of a report's plan year (forward, else back) whose report is not in the store: a new report."""
    plan = int(sidecar["plan_year"])
    for step in range(1, 200):
        for offset in (step, -step):
            if 1900 <= plan - 1 + offset and plan + offset <= 2100 and moved_report(stem, sidecar, offset) not in taken:
                return offset
    raise RuntimeError(f"no free year for {stem}")


def new_report(folder: Path, stem: str, sidecar: dict, offset: int) -> tuple[Path, dict]:
    """A bundled report copied into a fresh ``folder`` with its sidecar moved ``offset`` years on: its text file and
    the moved sidecar."""
    folder = fresh(folder)
    folder.mkdir(parents=True)
    shutil.copyfile(REPORTS / f"{stem}.txt", folder / f"{stem}.txt")
    moved = copied_sidecar(sidecar, offset=offset)
    (folder / f"{stem}.meta.json").write_text(json.dumps(moved, ensure_ascii=False), encoding="utf-8")
    return folder / f"{stem}.txt", moved


def bench_incremental(work: Path, *, big_root: Path, reports: list[str], repeat: int) -> dict:
    """One new report into a copy of the big store vs into an empty store (whole processes, medians); and the same
    with ``--validate`` (the changed graph checked against the shapes before it is published)."""
    from kg_build.store import LocalStore

    log = work / "incremental.log"
    taken = set(LocalStore(big_root).named_graphs())
    results = {}
    for stem in reports:
        sidecar = json.loads((REPORTS / f"{stem}.meta.json").read_text(encoding="utf-8"))
        # at a year the big store lacks
        report, moved = new_report(work / f"new-{stem}", stem, sidecar, free_offset(stem, sidecar, taken))
        runs: dict[str, list[float]] = {"alone_s": [], "into_big_s": [], "alone_validated_s": [], "into_big_validated_s": []}
        for i in range(repeat):
            log_step(f"incremental: {stem} run {i + 1}/{repeat}")
            for validated in (False, True):
                extra = ["--validate"] if validated else []
                tag = "_validated" if validated else ""
                runs[f"alone{tag}_s"].append(run_process([*build_command([report], fresh(work / "inc-empty"), force=False), *extra], log=log).seconds)
                copy = _link_copy_store(big_root, fresh(work / "inc-big"))
                runs[f"into_big{tag}_s"].append(run_process([*build_command([report], copy, force=False), *extra], log=log).seconds)
        results[stem] = {
            "plan_year": moved["plan_year"],
            **runs,
            "ratio": median(runs["into_big_s"]) / median(runs["alone_s"]),
            "validated_ratio": median(runs["into_big_validated_s"]) / median(runs["alone_s"]),
        }
    shutil.rmtree(work / "inc-big", ignore_errors=True)
    shutil.rmtree(work / "inc-empty", ignore_errors=True)
    return results


SAVED_FIRST_PAGES = """
import json, sys, time
from pathlib import Path
from statistics import median
from kg_build.queries import saved_queries
from kg_build.store import LocalStore
runs = int(sys.argv[2])
store = LocalStore(Path(sys.argv[1]))
out = {}
for name, query in sorted(saved_queries().items()):
    sparql = query.bind()
    store.query(sparql).rows  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter(); store.query(sparql).rows; times.append(time.perf_counter() - t0)
    out[name] = median(times)
print(json.dumps(out))
"""


def bench_in_turn(work: Path, *, big_root: Path, stem: str, count: int, runs: int) -> dict:
    """``count`` new reports (``stem`` at years the store lacks) built one at a time into one copy of the big store,
    as a user adds a year's reports: each build's time and what it leaves unmerged (the record's counts), whether it
    compacted the store, and the saved queries' first pages (median of ``runs``) on the store then and on the big
    store, compacted when it was generated."""
    from kg_build.store import GenerationWriter, LocalStore

    log = work / "in-turn.log"
    sidecar = json.loads((REPORTS / f"{stem}.meta.json").read_text(encoding="utf-8"))
    taken = set(LocalStore(big_root).named_graphs())
    copy = _link_copy_store(big_root, fresh(work / "turn-big"))
    builds = []
    for i in range(count):
        offset = free_offset(stem, sidecar, taken)
        taken.add(moved_report(stem, sidecar, offset))
        report, moved = new_report(work / "turn-reports" / str(i), stem, sidecar, offset)
        log_step(f"in turn: {stem} at {moved['plan_year']} ({i + 1}/{count})")
        seconds = run_process(build_command([report], copy, force=False), log=log).seconds
        record = LocalStore(copy).info()
        builds.append({
            "plan_year": moved["plan_year"],
            "seconds": seconds,
            "loads_unmerged": record.get("loads_since_compaction"),
            "quads_written": record.get("quads_written_since_compaction"),
            "quads": record.get("quads"),
        })
    queries = {
        name: _json_process([sys.executable, "-c", SAVED_FIRST_PAGES, str(root), str(runs)], log=log)
        for name, root in (("compacted", big_root), ("after", copy))
    }
    shutil.rmtree(work / "turn-big", ignore_errors=True)
    shutil.rmtree(work / "turn-reports", ignore_errors=True)
    return {
        "report": stem,
        "builds": builds,
        "queries": queries,
        "compact_after_loads": GenerationWriter.COMPACT_AFTER_LOADS,
        "compact_share": GenerationWriter.COMPACT_SHARE,
    }


COMMANDS = {
    # name: (arguments after kg-build, with {store} and {out}), as a user runs them on the big store
    "stats": ["stats", "--store", "{store}"],
    "export nquads": ["export", "--store", "{store}", "--format", "nquads", "-o", "{out}/export.nq"],
    "export turtle": ["export", "--store", "{store}", "--format", "turtle", "-o", "{out}/export.ttl"],
    "validate": ["validate", "--store", "{store}"],
}


def bench_commands(work: Path, *, big: dict, repeat: int = 1) -> dict:
    """Whole ``kg-build`` processes on the big store: wall time, CPU time and peak memory (``wait4``)."""
    log = work / "commands.log"
    out_dir = fresh(work / "command-out")
    out_dir.mkdir(parents=True)
    results = {}
    for name, args in COMMANDS.items():
        runs = []
        for i in range(repeat):
            log_step(f"commands: kg-build {name} ({i + 1}/{repeat})")
            command = [*kg_build_command(), *(a.format(store=big["root"], out=out_dir) for a in args)]
            try:
                runs.append(run_process(command, log=log))
            except RuntimeError as exc:  # validate exits 1 on violations: a result, not a failure of the benchmark
                if name != "validate":
                    results[name] = {"error": str(exc)}
                    break
                runs.append(ProcessRun(float("nan"), float("nan"), 1))
        if runs:
            results[name] = {
                "seconds": [r.seconds for r in runs], "cpu_s": [r.cpu_s for r in runs],
                "max_rss_mib": [r.max_rss_mib for r in runs], "returncode": [r.returncode for r in runs],
            }
    for path in out_dir.iterdir():
        results.setdefault("files", {})[path.name] = path.stat().st_size
    shutil.rmtree(out_dir, ignore_errors=True)
    return results


SEARCH = """
import json, sys, time
from pathlib import Path
from kg_build.search import search
from kg_build.store import LocalStore
directories = [LocalStore(Path(root)).local_root / "current" for root in json.loads(sys.argv[1])]
texts = json.loads(sys.argv[2])
runs = int(sys.argv[3])
out = [{} for _ in directories]
for text in texts:
    for directory in directories:
        search(directory, text)  # warm-up: the index's pages into the OS cache
    times = [[] for _ in directories]
    results = [None for _ in directories]
    for _ in range(runs):  # the stores in turn, run by run: the machine's drift falls on each alike
        for i, directory in enumerate(directories):
            t0 = time.perf_counter(); results[i] = search(directory, text); times[i].append(time.perf_counter() - t0)
    for i, result in enumerate(results):
        out[i][text] = {"runs": times[i], "total": result.total, "hits": len(result.hits)}
print(json.dumps(out, ensure_ascii=False))
"""
SEARCH_TEXTS = ("经济", "高质量发展", "GDP", "新质生产力 数字经济", "就业 收入")


def bench_search(work: Path, *, stores: list[dict], runs: int) -> list[dict]:
    """The full-text search (sentences, facets, the first page of 20 hits) as the /search page calls it: each store's
    {text: runs, total, hits}, the stores timed in turn run by run."""
    log_step(f"search: {len(SEARCH_TEXTS)} searches, {runs} runs each, on {len(stores)} store(s) in turn")
    roots = json.dumps([str(store["root"]) for store in stores])
    return _json_process([sys.executable, "-c", SEARCH, roots, json.dumps(SEARCH_TEXTS, ensure_ascii=False), str(runs)], log=work / "search.log")


NAMES = """
import json, sys, time
from pathlib import Path
from kg_build import explore
from kg_build.store import LocalStore
store = LocalStore(Path(sys.argv[1]))
texts = json.loads(sys.argv[2])
runs = int(sys.argv[3])
explore.query_words("预热")  # jieba's dictionary, which the app loads before its first search
t0 = time.perf_counter(); labels = explore.label_texts(store); read_s = time.perf_counter() - t0
out = {"labels": {"read_s": read_s, "distinct": len(labels)}, "texts": {}}
for text in texts:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter(); hits = explore.search(store, text, limit=40); times.append(time.perf_counter() - t0)
    out["texts"][text] = {"runs": times, "hits": len(hits)}
print(json.dumps(out, ensure_ascii=False))
"""
NAME_TEXTS = ("厦门", "湖里区", "Xiahang", "数字经济", "招商")


def bench_names(work: Path, *, big: dict, runs: int) -> dict:
    """The search by name (/graph's find, /entity?q=): the store's distinct labels read once per build, then each
    search's p50/p95 (40 hits, their labels and classes included)."""
    log_step(f"names: {len(NAME_TEXTS)} searches by name, {runs} runs each")
    return _json_process([sys.executable, "-c", NAMES, big["root"], json.dumps(NAME_TEXTS, ensure_ascii=False), str(runs)],
                         log=work / "names.log")


def _link_copy_store(src: Path, dst: Path) -> Path:
    """A private copy of a store: RocksDB's immutable .sst files hard-linked (as the store's own writer does)."""

    def copy(a: str, b: str) -> None:
        if a.endswith(".sst"):
            try:
                os.link(a, b)
                return
            except OSError:
                pass
        shutil.copy2(a, b)

    shutil.copytree(src, dst, symlinks=True, copy_function=copy, ignore=shutil.ignore_patterns("writer.lock", "*.partial"))
    return dst


def bench_queries(
    work: Path, *, big: dict, runs: int, ox_timeout: float, ox_budget: float, rdflib_timeout: float, side_by_side: bool,
    rdflib: bool = True, baseline: dict | None = None,
) -> dict:
    """Every saved query, bound with its defaults, on Oxigraph (LocalStore.query) and on rdflib, in killable workers;
    with a ``baseline`` store, on it too with Oxigraph (``baseline`` in the result), in turn with this one."""
    from kg_build.queries import saved_queries

    queries = {name: q.bind() for name, q in saved_queries().items()}
    rdflib_queries = {name: q.bind(sparql11=True) for name, q in saved_queries().items()}  # rdflib has no LATERAL
    # the paged queries' every row too (kg-build query NAME --all), on Oxigraph only: what a full listing costs
    every_row = {f"{name}{ALL_ROWS}": q.bind(page=None) for name, q in saved_queries().items() if q.page_size}
    worker = HERE / "query_worker.py"
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    side_by_side = side_by_side and rdflib and baseline is None
    pin = side_by_side and len(cpus) >= 2
    ox_jobs = work / "jobs-oxigraph.json"
    rdf_jobs = work / "jobs-rdflib.json"
    ask = not side_by_side  # in turn: the benchmark names each query on the workers' standard input
    ox_jobs.write_text(json.dumps({"runs": runs, "warmup": True, "budget_s": ox_budget, "timeout_s": ox_timeout, "cpu": cpus[0] if pin else None, "ask": ask, "queries": {**queries, **every_row}}, ensure_ascii=False), encoding="utf-8")
    rdf_jobs.write_text(json.dumps({"runs": 3, "warmup": False, "budget_s": rdflib_timeout, "timeout_s": rdflib_timeout, "cpu": cpus[1] if pin else None, "ask": ask, "queries": rdflib_queries}, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}

    def start(engine: str, data: str, jobs: Path, log: str | None = None) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, str(worker), engine, data, str(jobs)], cwd=ROOT, env=env, bufsize=1,
            stdin=subprocess.PIPE if ask else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=open(work / f"queries-{log or engine}.log", "wb"), text=True,
        )

    record = {"side_by_side": pin, "runs": runs, "ox_timeout_s": ox_timeout, "ox_budget_s": ox_budget, "rdflib_timeout_s": rdflib_timeout}
    if side_by_side and rdflib:
        log_step(f"queries: {len(queries)} saved queries on oxigraph and rdflib side by side")
        ox, rdf = start("oxigraph", big["root"], ox_jobs), start("rdflib", big["nquads_file"], rdf_jobs)
        return {"oxigraph": _collect(ox), "rdflib": _collect(rdf), **record}
    # in turn: each query on Oxigraph, then at once on rdflib, so the two are timed in the same minutes of a
    # shared machine whose speed drifts; neither runs while the other does (rdflib's memory traffic slows Oxigraph)
    if rdflib:
        log_step(f"queries: {len(queries)} saved queries, each on oxigraph then rdflib (loading rdflib's copy of the store first)")
        workers = {"oxigraph": start("oxigraph", big["root"], ox_jobs), "rdflib": start("rdflib", big["nquads_file"], rdf_jobs)}
    else:
        log_step(f"queries: {len(queries)} saved queries on oxigraph (rdflib left out: {big['quads']:,} quads)")
        workers = {"oxigraph": start("oxigraph", big["root"], ox_jobs)}
    if baseline is not None:
        log_step(f"  each in turn with the {baseline['quads']:,}-quad store (the baseline), query by query")
        workers = {"baseline": start("oxigraph", baseline["root"], ox_jobs, log="baseline"), **workers}
    out: dict = {"oxigraph": {"queries": {}}, "rdflib": {"queries": {}, "skipped": not rdflib}}
    if baseline is not None:
        out["baseline"] = {"queries": {}, "store": str(baseline["root"]), "quads": baseline["quads"]}
    alive = dict(workers)

    def ask(engine: str, name: str | None) -> dict | None:
        """One answer of a worker (its load time when ``name`` is None); a worker that stopped is left out after."""
        try:
            if name is not None:
                alive[engine].stdin.write(name + "\n")
            return json.loads(_answer(alive[engine], engine, work))
        except (RuntimeError, OSError, ValueError) as exc:  # it died (rdflib out of memory, …): keep the other's figures
            out[engine]["error"] = f"{type(exc).__name__}: {exc}"
            log_step(f"  {engine} stopped: {exc}")
            del alive[engine]
            return None

    try:
        for engine in list(alive):
            if (loaded := ask(engine, None)) is not None:
                out[engine]["loaded_s"] = loaded["loaded_s"]
        for name in [*queries, *every_row]:
            for engine in ("baseline", "oxigraph", "rdflib"):
                if engine not in alive or (engine == "rdflib" and name not in rdflib_queries):
                    continue
                if (answer := ask(engine, name)) is not None:
                    out[engine]["queries"][answer.pop("name")] = answer
                    log_step(f"  {engine} {name}: {answer.get('rows')} rows, runs {[round(r, 3) for r in answer['runs']]}, timed out {answer['timed_out']}")
    finally:
        for process in workers.values():  # end of input: each worker stops; one that does not is killed
            try:
                process.stdin.close()
                process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
    return {**out, **record}


def _answer(process: subprocess.Popen, engine: str, work: Path) -> str:
    line = process.stdout.readline()
    if not line:
        raise RuntimeError(f"the {engine} query worker stopped; see {work / f'queries-{engine}.log'}")
    return line


def _collect(process: subprocess.Popen) -> dict:
    records: dict = {"queries": {}}
    for line in process.stdout:
        record = json.loads(line)
        if "loaded_s" in record:
            records["loaded_s"] = record["loaded_s"]
        else:
            records["queries"][record.pop("name")] = record
            log_step(f"  {record.get('rows')} rows, runs {[round(r, 3) for r in record['runs']]}, timed out {record['timed_out']}")
    process.wait()
    return records


def bench_app(work: Path, *, big: dict, timeout_s: float, rounds: int) -> dict:
    from benchmarks.app_render import measure
    from kg_build.store import LocalStore

    store = LocalStore(Path(big["root"]))
    rows = store.query(
        "SELECT ?r WHERE { ?report a <https://w3id.org/policy-kg/def#WorkReport> ; <https://w3id.org/policy-kg/def#region> ?r } ORDER BY ?report LIMIT 1"
    ).rows
    entity = str(rows[0][0])
    log_step(f"app: every page on the big store (entity {entity})")
    return measure(Path(big["root"]), entity=entity, log=work / "streamlit.log", timeout_s=timeout_s, rounds=rounds)


def bench_size(
    work: Path, *, build: dict, triples: int, name: str, skip: set[str], args: argparse.Namespace, baseline: dict | None = None,
) -> dict:
    """Every measurement of one big store: the store, one report added, the saved queries, search, the pages, commands.

    ``baseline``: a smaller store measured before (its ``store`` record). Its saved queries and searches are timed
    again here, in turn with this store's, query by query: a ratio of two figures taken seconds apart, which the
    machine's drift over the minutes between the two sizes does not move."""
    size: dict = {"store": bench_store(work, source=Path(build["store"]), triples=triples, name=name, shape=args.shape)}
    big = size["store"]
    if "incremental" not in skip:
        reports = [r.strip() for r in args.incremental_reports.split(",") if r.strip()]
        size["incremental"] = bench_incremental(work, big_root=Path(big["root"]), reports=reports, repeat=args.incremental_repeat)
        if args.in_turn:
            size["in_turn"] = bench_in_turn(work, big_root=Path(big["root"]), stem=reports[0], count=args.in_turn, runs=args.query_runs)
    if "queries" not in skip:
        with_rdflib = big["quads"] <= args.rdflib_max_quads  # rdflib holds the store in memory: ~4 GiB a million quads
        size["queries"] = bench_queries(
            work, big=big, runs=args.query_runs, ox_timeout=args.ox_timeout, ox_budget=args.ox_budget,
            rdflib_timeout=args.rdflib_timeout, side_by_side=args.side_by_side, rdflib=with_rdflib, baseline=baseline,
        )
    if "search" not in skip:
        size["search"], *paired = bench_search(work, stores=[big, *([baseline] if baseline else [])], runs=args.query_runs)
        if paired:
            size["search_baseline"] = {"store": baseline["root"], "quads": baseline["quads"], "texts": paired[0]}
        size["names"] = bench_names(work, big=big, runs=args.query_runs)
    if "app" not in skip:
        size["app"] = bench_app(work, big=big, timeout_s=args.page_timeout, rounds=args.page_rounds)
    if "commands" not in skip:
        size["commands"] = bench_commands(work, big=big)
    return size


# --- RESULTS.md -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the policy-kg benchmarks and write benchmarks/RESULTS.md.")
    parser.add_argument(
        "--triples", default="1000000,10000000",
        help="quads in the generated stores, comma-separated: each size is measured in turn (default one and ten million)",
    )
    parser.add_argument("--rdflib-max-quads", type=int, default=2_000_000, help="rdflib runs the queries only on stores up to this size")
    parser.add_argument("--copies", type=int, default=10, help="copies of the bundled corpus for the --jobs benchmark")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the bundled build and of its floor")
    parser.add_argument("--incremental-repeat", type=int, default=3)
    parser.add_argument("--incremental-reports", default="huli-2026,guangdong-2026", help="bundled reports added to the big store")
    parser.add_argument("--in-turn", type=int, default=10, help="copies of the first incremental report built one after another into the big store (0: none)")
    parser.add_argument("--query-runs", type=int, default=20, help="timed runs per query on Oxigraph (after a warm-up)")
    parser.add_argument("--ox-timeout", type=float, default=30.0, help="seconds one Oxigraph run may take")
    parser.add_argument("--ox-budget", type=float, default=10.0, help="seconds of runs per Oxigraph query before stopping early")
    parser.add_argument("--rdflib-timeout", type=float, default=60.0, help="seconds of rdflib runs per query (at most 3 runs)")
    parser.add_argument(
        "--side-by-side", action="store_true",
        help="run rdflib beside Oxigraph, one core each (about 2 min sooner; rdflib's memory traffic slows Oxigraph)",
    )
    parser.add_argument("--page-timeout", type=float, default=30.0)
    parser.add_argument("--page-rounds", type=int, default=3, help="rounds of page visits, each with fresh servers (medians reported)")
    parser.add_argument("--profile", action="store_true", help="add a pyinstrument profile of the build")
    parser.add_argument("--skip", default="", help=f"comma-separated sections to skip: {','.join(SECTIONS)}")
    parser.add_argument("--workdir", type=Path, default=None, help="kept afterwards when given")
    parser.add_argument(
        "--shape", choices=SHAPES, default="series",
        help="how the generated stores spread their copies: long series of years in a few regions (series), or many "
        "regions in the corpus's own years (regions: every county's reports of one year)",
    )
    parser.add_argument(
        "--out", type=Path, default=HERE / "RESULTS.md",
        help="the results page; its raw numbers go beside it (results.json for RESULTS.md, else NAME.json)",
    )
    args = parser.parse_args()

    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict = {
        "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join(["python", "benchmarks/run.py", *sys.argv[1:]]),
        "machine": machine(),
        "goals": GOALS,
    }
    try:
        build = bench_build(work, repeat=args.repeat, profile=args.profile)
        results["build"] = build
        if "jobs" not in skip:
            results["jobs"] = bench_jobs(work, copies=args.copies)
        if "store" not in skip:
            sizes = [int(t) for t in str(args.triples).split(",") if t.strip()]
            baseline = None
            for i, triples in enumerate(sizes):
                size = bench_size(
                    work, build=build, triples=triples, name="big" if i == 0 else f"big-{triples}", skip=skip, args=args,
                    baseline=baseline,
                )
                baseline = baseline or size["store"]  # every larger size is timed in turn with the first
                results.setdefault("scale", {})[str(triples)] = size
                if i == 0:  # the first size also fills the sections of earlier runs (report.py's tables)
                    results.update({k: size[k] for k in ("store", "incremental", "queries", "app") if k in size})
    finally:
        results["machine"]["load_after"] = os.getloadavg()
        results["machine"]["drift_after"] = drift()
        results["total_s"] = time.perf_counter() - started
        from benchmarks.report import MAIN_PAGE, raw_numbers, write_results

        raw_numbers(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
        write_results(results, args.out, notes=args.out.resolve() == MAIN_PAGE)
        log_step(f"wrote {args.out} ({results['total_s'] / 60:.1f} min)")
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
