"""Extraction on many machines, one load: `extract` + `load` give the store `build` gives, byte for byte.

Two "machines" are two processes, each extracting half of a small corpus (the layout fixtures,
with sidecars) into a folder of its own; one `load` of both folders must export the same
N-Quads as one `build` of the whole corpus, into a local store and into a real `oxigraph serve`.
A file that is not what `extract` wrote is refused in one line, the store unchanged.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from integration_helpers import copy_store, kg_build_command, oxigraph_server, store_nquads
from kg_build.build import build, content_hash, extract_files, load
from kg_build.cli import main
from kg_build.errors import InputError
from kg_build.export import export_graph
from kg_build.quadfiles import HEADER, ONTOLOGY_FILE, file_name, read_report_file
from kg_build.store import FAULT_ENV, LocalStore
from kg_build.store.remote import RemoteStore

LAYOUTS = Path(__file__).resolve().parent / "layouts"
# (layout fixture, report id, region): machine A extracts the first two, machine B the others
CORPUS = [
    ("numbered", "numbered-2026", "厦门市"),
    ("summary_with_items", "summary-2026", "湖里区"),
    ("bare_headings", "headings-2026", "福州市"),
    ("dot_numbered", "dotted-2026", "示例市"),  # in no gazetteer: a warning that travels in the file's header
]


def _write_corpus(root: Path) -> tuple[Path, Path]:
    halves = (root / "machine-a", root / "machine-b")
    for index, (layout, report_id, region) in enumerate(CORPUS):
        folder = halves[index // 2]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{layout}.txt").write_bytes((LAYOUTS / f"{layout}.txt").read_bytes())
        sidecar = {"id": report_id, "region": region, "plan_year": 2026, "review_year": 2025}
        (folder / f"{layout}.meta.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    return halves


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The corpus in two halves, each extracted by a process of its own, and the store `build` makes of it all."""
    root = tmp_path_factory.mktemp("extract-load")
    half_a, half_b = _write_corpus(root / "reports")
    out_a, out_b = root / "quads-a", root / "quads-b"
    machines = [
        subprocess.Popen([*kg_build_command(), "extract", str(half), "-o", str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for half, out in ((half_a, out_a), (half_b, out_b))
    ]  # both at once, as two machines would
    outputs = [machine.communicate(timeout=300) for machine in machines]
    for machine, (stdout, stderr) in zip(machines, outputs):
        assert machine.returncode == 0, stderr
    built = LocalStore(root / "built")
    build([half_a, half_b], store=built)
    return {
        "root": root, "halves": (half_a, half_b), "quads": (out_a, out_b), "outputs": outputs,
        "built": built, "expected": export_graph(built, fmt="nquads"),
    }


def _reports(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.nq") if p.name != ONTOLOGY_FILE)


def test_each_machine_wrote_one_file_a_report_named_by_its_content_hash(corpus: dict) -> None:
    for half, out, (stdout, _) in zip(corpus["halves"], corpus["quads"], corpus["outputs"]):
        reports = sorted(half.glob("*.txt"))
        assert sorted(p.name for p in _reports(out)) == sorted(file_name(content_hash(r)) for r in reports)
        assert (out / ONTOLOGY_FILE).is_file()
        assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left
        assert stdout.count("\nextracted ") + stdout.startswith("extracted ") == len(reports), stdout
    headers = {h["report_id"]: h for h in (read_report_file(p).header for p in _reports(corpus["quads"][1]))}
    assert sorted(headers) == ["dotted-2026", "headings-2026"]
    assert any("示例市" in w for w in headers["dotted-2026"]["warnings"])  # the warning travels in the file
    assert headers["dotted-2026"]["source"] == "dot_numbered.txt"  # not where it was on the machine


def test_one_load_of_both_machines_exports_what_build_gives_byte_for_byte(corpus: dict, tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "loaded")
    result = CliRunner().invoke(main, ["load", *map(str, corpus["quads"]), "--store", str(store.root)])
    assert result.exit_code == 0, result.output
    assert sorted(line.split(":")[0] for line in result.stdout.splitlines() if line.startswith("loaded ")) == sorted(
        f"loaded {report_id}" for _, report_id, _ in CORPUS
    )
    assert export_graph(store, fmt="nquads") == corpus["expected"]
    assert store.info()["graph_quads"] == corpus["built"].info()["graph_quads"]
    assert store.info()["stats"] == corpus["built"].info()["stats"]  # the counts readers show, recorded alike
    assert store.info()["search_sentences"] == corpus["built"].info()["search_sentences"]
    assert not [c.line() for c in store.check() if c.problem]


def test_extracting_and_loading_again_skips_every_report(corpus: dict, tmp_path: Path) -> None:
    half_a, _ = corpus["halves"]
    out_a = corpus["quads"][0]
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out_a.iterdir()}
    result = CliRunner().invoke(main, ["extract", str(half_a), "-o", str(out_a), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "0 written, 2 already there" in result.stdout
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out_a.iterdir()} == before
    store = LocalStore(tmp_path / "store")
    load(list(corpus["quads"]), store=store)
    generation = store.generation()
    again = load(list(corpus["quads"]), store=store)
    assert again.built == [] and len(again.skipped) == len(CORPUS) and store.generation() == generation


def test_extraction_is_deterministic_whatever_the_jobs(corpus: dict, tmp_path: Path) -> None:
    half_a, _ = corpus["halves"]
    summary = extract_files([half_a], output=tmp_path / "again", jobs=2)
    assert len(summary.written) == 2
    assert {p.name: p.read_bytes() for p in (tmp_path / "again").iterdir()} == {
        p.name: p.read_bytes() for p in corpus["quads"][0].iterdir()
    }


def test_a_load_replaces_a_changed_report_and_keeps_the_others(corpus: dict, tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    load(list(corpus["quads"]), store=store)
    changed = tmp_path / "changed"
    changed.mkdir()
    source = corpus["halves"][0] / "numbered.txt"
    (changed / "numbered.txt").write_text(source.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    (changed / "numbered.meta.json").write_bytes(source.with_name("numbered.meta.json").read_bytes())
    extract_files([changed], output=tmp_path / "quads-changed")
    summary = load([tmp_path / "quads-changed"], store=store)
    assert [r.report_id for r in summary.built] == ["numbered-2026"]
    expected = LocalStore(tmp_path / "built")
    build([changed, corpus["halves"][0] / "summary_with_items.txt", corpus["halves"][1]], store=expected)
    assert export_graph(store, fmt="nquads") == export_graph(expected, fmt="nquads")


# --- files that are not what extract wrote: refused in one line, the store as it was ----------------


def _split(data: bytes) -> tuple[dict, list[bytes]]:
    head, _, body = data.partition(b"\n")
    return json.loads(head[len(HEADER) :]), body.splitlines(keepends=True)


def _forged(header: dict, lines: list[bytes]) -> bytes:
    """A file whose header agrees with its (changed) quads: only the quads themselves can be refused."""
    import hashlib

    body = b"".join(lines)
    counts = {**header["counts"], "quads": len(lines)}
    header = {**header, "counts": counts, "nquads_sha256": hashlib.sha256(body).hexdigest()}
    return HEADER + json.dumps(header, ensure_ascii=False).encode() + b"\n" + body


def _cut_at_a_line(data: bytes) -> bytes:
    header, lines = _split(data)
    return HEADER + json.dumps(header).encode() + b"\n" + b"".join(lines[:-3])


def _one_byte_changed(data: bytes) -> bytes:
    index = data.rindex(b'"', 0, len(data) - 100) - 1
    return data[:index] + (b"X" if data[index:index + 1] != b"X" else b"Y") + data[index + 1 :]


def _quad_in_another_graph(data: bytes) -> bytes:
    header, lines = _split(data)
    graph = f" <{header['report_iri']}> .\n".encode()
    other = b" <https://w3id.org/policy-kg/id/report/other> .\n"
    return _forged(header, [*lines[:-1], lines[-1].replace(graph, other)])


def _quad_in_the_default_graph(data: bytes) -> bytes:
    header, lines = _split(data)
    graph = f" <{header['report_iri']}> .\n".encode()
    return _forged(header, [*lines[:-1], lines[-1].replace(graph, b" .\n")])


def _not_nquads(data: bytes) -> bytes:
    header, lines = _split(data)
    return _forged(header, [*lines, b"<https://w3id.org/policy-kg/id/x> is not a quad .\n"])


def _no_header(data: bytes) -> bytes:
    return data.partition(b"\n")[2]


def _hash_not_stated(data: bytes) -> bytes:
    header, lines = _split(data)
    return _forged(header, [line for line in lines if b"#contentHash>" not in line])


# (what is done to the first file of machine A, words of the one-line error)
BAD_FILES = [
    (_cut_at_a_line, "cut short or changed"),
    (_one_byte_changed, "cut short or changed"),
    (_quad_in_another_graph, "not in the report's graph"),
    (_quad_in_the_default_graph, "not in the report's graph"),
    (_not_nquads, "invalid N-Quads"),
    (_no_header, "not the `# policy-kg report` header"),
    (_hash_not_stated, "does not state the content hash"),
    (lambda data: data.replace(b'"report_iri"', b'"report"', 1), "no str 'report_iri'"),
]


@pytest.fixture(scope="module")
def half_loaded(corpus: dict, tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    """A store holding machine B's reports: what a bad load must leave as it is."""
    store = LocalStore(tmp_path_factory.mktemp("half") / "store")
    load([corpus["quads"][1]], store=store)
    return store


def _bad_folder(corpus: dict, tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "quads-a"
    folder.mkdir()
    for path in corpus["quads"][0].iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder, _reports(folder)[0]


@pytest.mark.parametrize(("damage", "words"), BAD_FILES, ids=[case[0].__name__.strip("_") for case in BAD_FILES])
def test_a_bad_file_is_refused_in_one_line_and_the_store_is_unchanged(
    corpus: dict, half_loaded: LocalStore, tmp_path: Path, damage, words: str  # noqa: ANN001
) -> None:
    store = copy_store(half_loaded, tmp_path / "store")
    before, generation = store_nquads(store), store.generation()
    folder, victim = _bad_folder(corpus, tmp_path)
    victim.write_bytes(damage(victim.read_bytes()))
    result = CliRunner().invoke(main, ["load", str(folder), str(corpus["quads"][1]), "--store", str(store.root)])
    assert result.exit_code == InputError.exit_code, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"Error: {victim}: refused, "), result.stderr
    assert words in result.stderr
    assert store.generation() == generation and store_nquads(store) == before


def test_two_files_of_one_report_are_refused(corpus: dict, half_loaded: LocalStore, tmp_path: Path) -> None:
    """What a folder holds after a report changed and was extracted again into it: its old file too."""
    store = copy_store(half_loaded, tmp_path / "store")
    before = store_nquads(store)
    folder, victim = _bad_folder(corpus, tmp_path)
    header, lines = _split(victim.read_bytes())
    zeros = "0" * 64
    old_hash = header["content_hash"].encode()
    stale = _forged({**header, "content_hash": zeros}, [line.replace(old_hash, zeros.encode()) for line in lines])
    (folder / file_name("0" * 64)).write_bytes(stale)
    with pytest.raises(InputError, match="are both report .*extract into a new folder"):
        load([folder], store=store)
    assert store_nquads(store) == before


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({"notes.nq": b""}, "not a report file"),  # a .nq file not named by a content hash
        ({}, "no report files"),
    ],
)
def test_a_folder_that_is_not_an_extraction_is_refused(tmp_path: Path, files: dict, words: str) -> None:
    folder = tmp_path / "quads"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    result = CliRunner().invoke(main, ["load", str(folder), "--store", str(tmp_path / "store")])
    assert result.exit_code == InputError.exit_code and words in result.stderr, result.output
    assert not LocalStore(tmp_path / "store").exists()


def test_a_bad_sidecar_stops_extract_before_its_file_is_written(tmp_path: Path) -> None:
    half_a, _ = _write_corpus(tmp_path / "reports")
    (half_a / "numbered.meta.json").write_text('{"plan_year": "next year"}', encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(half_a), "-o", str(tmp_path / "quads")])
    assert result.exit_code == InputError.exit_code and "numbered.meta.json" in result.stderr, result.output
    assert result.stderr.count("\n") == 1
    assert _reports(tmp_path / "quads") == []


@pytest.mark.parametrize("step", ["write-ontology-file", "write-report-file"])
def test_a_killed_extract_leaves_no_half_file_and_runs_again(corpus: dict, tmp_path: Path, step: str) -> None:
    half_a, _ = corpus["halves"]
    out = tmp_path / "quads"
    proc = subprocess.run(
        [*kg_build_command(), "extract", str(half_a), "-o", str(out)],
        env={**os.environ, FAULT_ENV: step}, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]  # killed between writing and renaming
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] in ([], [ONTOLOGY_FILE])
    assert [p.name for p in out.iterdir() if p.name.startswith(".")]  # the temporary file, never read as a report
    extract_files([half_a], output=out)
    expected = {p.name: p.read_bytes() for p in corpus["quads"][0].iterdir()}
    assert {p.name: p.read_bytes() for p in out.glob("*.nq")} == expected


# --- a remote store: a real oxigraph serve -------------------------------------------------------------


def test_load_into_a_remote_store_exports_what_build_gives(corpus: dict, tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "data", tmp_path) as base:
        result = CliRunner().invoke(main, ["load", *map(str, corpus["quads"]), "--store", base])
        assert result.exit_code == 0, result.output
        remote = RemoteStore(base)
        assert export_graph(remote, fmt="nquads") == corpus["expected"]
        again = load(list(corpus["quads"]), store=remote)
        assert again.built == [] and len(again.skipped) == len(CORPUS)
        folder, victim = _bad_folder(corpus, tmp_path)
        victim.write_bytes(_not_nquads(victim.read_bytes()))
        with pytest.raises(InputError, match="invalid N-Quads"):
            load([folder], store=remote, force=True)
        assert export_graph(remote, fmt="nquads") == corpus["expected"]


def _a_span_without_its_begin(data: bytes) -> bytes:
    """Well-formed, checked by its digest, but its graph breaks a shape: a text span with no nif:beginIndex."""
    header, lines = _split(data)
    first = next(i for i, line in enumerate(lines) if b"#beginIndex>" in line)
    return _forged(header, lines[:first] + lines[first + 1 :])


@pytest.mark.parametrize(("validate", "published"), [(True, False), (False, True)])
def test_load_validate_refuses_a_graph_that_breaks_the_shapes(
    corpus: dict, half_loaded: LocalStore, tmp_path: Path, validate: bool, published: bool
) -> None:
    store = copy_store(half_loaded, tmp_path / "store")
    before, generation = store_nquads(store), store.generation()
    folder, victim = _bad_folder(corpus, tmp_path)
    victim.write_bytes(_a_span_without_its_begin(victim.read_bytes()))
    options = ["--validate"] if validate else []
    result = CliRunner().invoke(main, ["load", str(folder), "--store", str(store.root), *options])
    if published:
        assert result.exit_code == 0, result.output
        assert store.generation() != generation
    else:
        assert result.exit_code != 0 and result.stderr.count("\n") == 1, result.output
        assert "does not conform to the shapes" in result.stderr and "nif:beginIndex" in result.stderr
        assert store.generation() == generation and store_nquads(store) == before
