"""The on-disk store: generations published atomically, failures change nothing, readers stay safe."""

import os
import subprocess
import sys
import textwrap

import pytest

from kg_build.errors import StoreError
from kg_build.store import LocalStore, SelectResult

G1, G2 = "http://example.org/g/1", "http://example.org/g/2"


def nq(graph: str, value: str) -> bytes:
    return f'<http://example.org/s> <http://example.org/p> "{value}" <{graph}> .\n'.encode()


def values(store: LocalStore) -> list[tuple[str, str]]:
    result = store.query("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?o", union_default=False)
    assert isinstance(result, SelectResult)
    return [(str(g), str(o)) for g, o in result.rows]


def test_a_store_that_was_never_built_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="kg-build build"):
        LocalStore(tmp_path / "none").query("ASK {}")


def test_replacing_one_graph_leaves_the_others(tmp_path):
    store = LocalStore(tmp_path)
    with store.writer() as w:
        w.replace_graph(G1, nq(G1, "a"))
        w.replace_graph(G2, nq(G2, "b"))
    with store.writer() as w:
        w.replace_graph(G1, nq(G1, "c"))
    assert values(store) == [(G1, "c"), (G2, "b")]


def test_a_failed_write_publishes_nothing(tmp_path):
    store = LocalStore(tmp_path)
    with store.writer() as w:
        w.replace_graph(G1, nq(G1, "a"))
    before = store.generation()
    with pytest.raises(RuntimeError):
        with store.writer() as w:
            w.replace_graph(G1, nq(G1, "changed"))
            w.drop_graph(G1)
            raise RuntimeError("half-way")
    assert store.generation() == before
    assert values(store) == [(G1, "a")]
    assert not list((tmp_path / "generations").glob("*.partial"))


def test_a_killed_writer_publishes_nothing(tmp_path):
    store = LocalStore(tmp_path)
    with store.writer() as w:
        w.replace_graph(G1, nq(G1, "a"))
    before = store.generation()
    script = textwrap.dedent(
        f"""
        import os
        from kg_build.store import LocalStore
        with LocalStore({str(tmp_path)!r}).writer() as w:
            w.replace_graph({G1!r}, b'<http://example.org/s> <http://example.org/p> "killed" <{G1}> .\\n')
            os._exit(9)  # dies inside the write, like SIGKILL: no cleanup runs
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], check=False)
    assert proc.returncode == 9
    assert store.generation() == before
    assert values(store) == [(G1, "a")]
    with store.writer() as w:  # the next build removes the leftover and works
        w.replace_graph(G2, nq(G2, "b"))
    assert values(store) == [(G1, "a"), (G2, "b")]
    assert not list((tmp_path / "generations").glob("*.partial"))


def test_readers_keep_the_generation_they_opened(tmp_path):
    store = LocalStore(tmp_path)
    with store.writer() as w:
        w.replace_graph(G1, nq(G1, "a"))
    reader = LocalStore(tmp_path)
    assert values(reader) == [(G1, "a")]
    old = reader.open_read()
    with store.writer() as w:
        w.replace_graph(G1, nq(G1, "b"))
    assert len(old) == 1  # the open handle still answers from its own generation
    assert values(reader) == [(G1, "b")]  # and the next query sees the new one


def test_old_generations_are_pruned(tmp_path):
    store = LocalStore(tmp_path)
    for value in "abcd":
        with store.writer() as w:
            w.replace_graph(G1, nq(G1, value))
    published = sorted(p.name for p in (tmp_path / "generations").iterdir())
    assert published == ["000003", "000004"]
    assert os.readlink(tmp_path / "current") == "generations/000004"


def test_one_writer_at_a_time(tmp_path):
    store = LocalStore(tmp_path)
    with store.writer():
        with pytest.raises(StoreError, match="another build"):
            with LocalStore(tmp_path).writer():
                pass
