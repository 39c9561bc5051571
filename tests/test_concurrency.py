"""Readers while a writer runs: the endpoint and a LocalStore keep answering, then see the new data."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from integration_helpers import alive, child_commands, kg_build_command, kg_endpoint, wait_until
from kg_build.model.vocab import DATA_NS, POL_NS
from kg_build.store import LocalStore, SelectResult

COUNT_REPORTS = f"SELECT (COUNT(?r) AS ?n) WHERE {{ ?r a <{POL_NS}WorkReport> }}"


def _endpoint_count(url: str, query: str = COUNT_REPORTS) -> int:
    response = httpx.post(url, data={"query": query}, headers={"Accept": "text/csv"}, timeout=10)
    assert response.status_code == 200, response.text
    return int(response.text.split()[1])


def _local_count(store: LocalStore, query: str = COUNT_REPORTS) -> int:
    result = store.query(query)
    assert isinstance(result, SelectResult)
    return int(result.rows[0][0])


def _report_quads(report_id: str) -> bytes:
    g = f"{DATA_NS}report/{report_id}"
    return (
        f"<{g}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{POL_NS}WorkReport> <{g}> .\n"
        f'<{g}> <{POL_NS}contentHash> "{report_id}" <{g}> .\n'
    ).encode()


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    from conftest import write_sample_store

    return write_sample_store(tmp_path / "store")


def test_readers_answer_during_a_write_and_then_see_it(store: LocalStore, tmp_path: Path) -> None:
    reader = LocalStore(store.root)  # another reader of the same store, as the app would hold
    written, release = threading.Event(), threading.Event()

    def write() -> None:
        with store.writer() as writer:
            writer.replace_graph(f"{DATA_NS}report/extra-2026", _report_quads("extra-2026"))
            written.set()
            release.wait(20)  # hold the writer open while the readers work

    with kg_endpoint(store.root, tmp_path) as url:
        assert _endpoint_count(url) == _local_count(reader) == 1
        before = store.generation()
        thread = threading.Thread(target=write)
        thread.start()
        assert written.wait(20)
        during = [(_endpoint_count(url), _local_count(reader)) for _ in range(20)]
        assert during == [(1, 1)] * 20  # the unpublished generation is invisible
        release.set()
        thread.join(20)
        assert store.generation() != before
        assert _endpoint_count(url) == 2  # the very next query sees the published generation
        assert _local_count(reader) == 2


def test_endpoint_follows_several_quick_builds(store: LocalStore, tmp_path: Path) -> None:
    with kg_endpoint(store.root, tmp_path) as url:
        assert _endpoint_count(url) == 1
        for i in range(3):  # three generations; the oldest ones are pruned meanwhile
            with store.writer() as writer:
                writer.replace_graph(f"{DATA_NS}report/quick{i}-2026", _report_quads(f"quick{i}-2026"))
        assert wait_until(lambda: _endpoint_count(url) == 4, timeout=10)
        assert sorted(p.name for p in (store.root / "generations").iterdir()) == ["000003", "000004"]
        # the endpoint's children are query workers (no oxigraph server), and none keeps a pruned generation open
        children = child_commands(url.process.pid)
        assert children and all("kg_build.engine.worker" in c for c in children)
        assert wait_until(lambda: not _open_generations(url.process.pid) - {"000004"}, timeout=10), _open_generations(url.process.pid)


def _open_generations(pid: int) -> set[str]:
    """The generations whose files a process's children hold open (Linux /proc)."""
    from integration_helpers import live_children

    names: set[str] = set()
    for child in live_children(pid):
        for fd in Path(f"/proc/{child}/fd").glob("*"):
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if "/generations/" in target:
                names.add(target.split("/generations/", 1)[1].split("/", 1)[0])
    return names


def test_many_clients_at_once(store: LocalStore, tmp_path: Path) -> None:
    with kg_endpoint(store.root, tmp_path) as url, ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(lambda _: _endpoint_count(url), range(64)))
    assert counts == [1] * 64


def test_endpoint_answers_while_kg_build_runs(store: LocalStore, tmp_path: Path) -> None:
    from kg_build.resources import bundled_reports_dir

    seed = bundled_reports_dir() / "huli-2026.txt"
    with kg_endpoint(store.root, tmp_path) as url:
        build = subprocess.Popen(
            [*kg_build_command(), "build", str(seed), "--store", str(store.root)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        answers = []
        while build.poll() is None:
            answers.append(_endpoint_count(url))
            time.sleep(0.02)
        output = build.communicate()[0].decode()
        assert build.returncode == 0, output
        assert answers and set(answers) <= {1, 2}
        assert len(answers) >= 2  # it kept answering while the build ran (no speed asked of it)
        assert _endpoint_count(url) == 2
        ask = f"ASK {{ <{DATA_NS}report/huli-2026> a <{POL_NS}WorkReport> }}"
        response = httpx.get(url, params={"query": ask}, headers={"Accept": "application/sparql-results+json"}, timeout=10)
        assert response.json()["boolean"] is True


def test_engine_started_by_a_request_outlives_the_request(store: LocalStore) -> None:
    """A query worker started while answering a request is kept warm after the request's thread has ended."""
    from kg_build.serve import make_server

    server, endpoint = make_server(store, port=0, timeout_s=5)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/query"
        assert _endpoint_count(url) == 1
        with store.writer() as writer:
            writer.replace_graph(f"{DATA_NS}report/extra-2026", _report_quads("extra-2026"))
        assert _endpoint_count(url) == 2  # the new generation, seen by the next query
        worker = endpoint.pool.last_pid
        for _ in range(5):  # each on a new connection, so each request thread has ended
            assert _endpoint_count(url) == 2
        assert endpoint.pool.last_pid == worker and alive(worker)
    finally:
        server.shutdown()
        server.server_close()
        endpoint.close()
