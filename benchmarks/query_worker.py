"""Time saved queries in a process the benchmark can kill: ``python query_worker.py ENGINE DATA JOBS.json``.

ENGINE is ``oxigraph`` (DATA: a LocalStore directory, queried through ``LocalStore.query``) or
``rdflib`` (DATA: an N-Quads file loaded into ``rdflib.Dataset(default_union=True)``).
JOBS.json is ``{"runs": N, "warmup": bool, "budget_s": B, "timeout_s": T, "cpu": C|null, "ask": bool, "queries": {name: sparql}}``
(with ``ask``, the names of the queries to run come on standard input, one a line, each answered before the next is read).

The runs of each query happen in a forked child, so a run that passes its time limit is
killed (the child, by its own pid) without losing the loaded data, and the query is not
run again. One JSON line per query goes to stdout:
``{"name", "first_s", "runs": [seconds…], "rows", "timed_out", "error"}`` (``runs`` leaves
out the warm-up run); the first line says how long loading took.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path


def load(engine: str, data: str):  # noqa: ANN201 - an engine's dataset
    """The dataset to query: rdflib's loaded in memory, or the LocalStore (opened again in each child)."""
    if engine == "rdflib":
        from rdflib import Dataset

        dataset = Dataset(default_union=True)
        dataset.parse(data, format="nquads")
        return dataset
    from kg_build.store import LocalStore

    return LocalStore(Path(data))


def timed_runs(engine: str, dataset, sparql: str, *, runs: int, warmup: bool, budget_s: float) -> Iterator[tuple[float, int]]:  # noqa: ANN001, E501
    """(seconds, rows) of each run, every row materialized: a warm-up run when asked, then up to ``runs`` runs.

    Runs stop early when one more would likely pass ``budget_s``, after at least three runs (one
    when a run takes over a third of the budget), so slow queries do not eat the benchmark's time.
    """
    if engine == "rdflib":
        def once() -> tuple[float, int]:
            t0 = time.perf_counter()
            rows = len(list(dataset.query(sparql)))
            return time.perf_counter() - t0, rows
    else:
        from kg_build.store import LocalStore

        store = LocalStore(dataset.root)  # a fresh handle: the child does not share the parent's RocksDB
        store.open_read()

        def once() -> tuple[float, int]:
            t0 = time.perf_counter()
            result = store.query(sparql)
            elapsed = time.perf_counter() - t0
            return elapsed, len(result.rows) if hasattr(result, "rows") else 1

    if warmup:
        yield once()
    spent, done = 0.0, 0
    while done < runs:
        seconds, rows = once()
        yield seconds, rows
        spent += seconds
        done += 1
        least = 1 if seconds > budget_s / 3 else 3
        if done >= least and spent + seconds > budget_s:  # the next run would likely pass the budget
            break


def in_child(engine: str, dataset, sparql: str, *, runs: int, warmup: bool, budget_s: float, timeout_s: float) -> dict:  # noqa: ANN001, E501
    """timed_runs in a forked child, each run given ``timeout_s``; a run over it kills the child (by its pid)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        try:
            for seconds, rows in timed_runs(engine, dataset, sparql, runs=runs, warmup=warmup, budget_s=budget_s):
                os.write(write_fd, (json.dumps({"seconds": seconds, "rows": rows}) + "\n").encode())
            os.write(write_fd, b'{"done": true}\n')
        except Exception as exc:  # noqa: BLE001 - reported, not hidden
            message = {"error": f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"}
            os.write(write_fd, (json.dumps(message) + "\n").encode())
        os._exit(0)
    os.close(write_fd)
    record: dict = {"runs": [], "first_s": None, "rows": None, "timed_out": False, "error": None}
    buffer = b""
    seen = 0
    finished = False
    with os.fdopen(read_fd, "rb", buffering=0) as pipe:
        while not finished:
            ready, _, _ = select.select([pipe], [], [], timeout_s)
            if not ready:
                os.kill(pid, signal.SIGKILL)
                record["timed_out"] = True
                break
            chunk = pipe.read(65536)
            if not chunk:
                record["error"] = record["error"] or "the child died"
                break
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                answer = json.loads(line)
                if "done" in answer or "error" in answer:
                    record["error"] = answer.get("error")
                    finished = True
                    break
                if seen == 0:
                    record["first_s"] = answer["seconds"]
                if seen >= int(warmup):
                    record["runs"].append(answer["seconds"])
                record["rows"] = answer["rows"]
                seen += 1
    os.waitpid(pid, 0)
    return record


def main(engine: str, data: str, jobs_file: str) -> None:
    jobs = json.loads(Path(jobs_file).read_text(encoding="utf-8"))
    if jobs.get("cpu") is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {int(jobs["cpu"])})  # the benchmark runs the two engines side by side
    t0 = time.perf_counter()
    dataset = load(engine, data)
    print(json.dumps({"loaded_s": time.perf_counter() - t0}), flush=True)
    # with "ask": true the names come on standard input, one a line, and each answer is printed before the next
    # name is read, so the benchmark can time the engines query by query in turn (in the same minutes)
    names = (line.strip() for line in sys.stdin) if jobs.get("ask") else iter(jobs["queries"])
    for name in names:
        sparql = jobs["queries"][name]
        record = in_child(
            engine, dataset, sparql, runs=int(jobs["runs"]), warmup=bool(jobs.get("warmup", False)),
            budget_s=float(jobs.get("budget_s", jobs["timeout_s"])), timeout_s=float(jobs["timeout_s"]),
        )
        print(json.dumps({"name": name, **record}), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
