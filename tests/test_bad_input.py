"""Bad input through `kg-build build`: a correct result or a one-line error, and the store keeps what it held."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import struct
import subprocess
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from integration_helpers import alive, copy_store, kg_build_command, live_children, store_nquads, wait_until
from kg_build.cli import main
from kg_build.errors import BuildError
from kg_build.model.vocab import DATA_NS, POL_NS
from kg_build.resources import bundled_reports_dir
from kg_build.store import LocalStore, SelectResult


REPORT = "hebei-2026"  # a real provincial report, small enough to build in a second
PILLAR = f"<{POL_NS}Pillar>"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")


def _report_text() -> str:
    return (bundled_reports_dir() / f"{REPORT}.txt").read_text(encoding="utf-8")


def _sidecar() -> bytes:
    return (bundled_reports_dir() / f"{REPORT}.meta.json").read_bytes()


@pytest.fixture(scope="module")
def template_store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    """A store holding one good report, built once for the module."""
    store = LocalStore(tmp_path_factory.mktemp("template") / "store")
    result = _build(store, bundled_reports_dir() / f"{REPORT}.txt")
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture
def good_store(template_store: LocalStore, tmp_path: Path) -> LocalStore:
    """A private copy of the store with the good report (built first)."""
    return copy_store(template_store, tmp_path / "store")


@pytest.fixture(scope="module")
def good_nquads(template_store: LocalStore) -> bytes:
    return store_nquads(template_store)


def _build(store: LocalStore, *paths: Path):  # noqa: ANN202
    return CliRunner().invoke(main, ["build", *map(str, paths), "--store", str(store.root)])


def _assert_one_line_error(result, words: str) -> None:  # noqa: ANN001
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and words in errors[0], result.stderr
    assert "Traceback" not in result.output


TEXT, CHANGED_TEXT = "{text}", "{changed text}"  # stand for the report's text (read when the test runs)
ERROR_CASES = [
    # (case, files to write {name: bytes}, paths given to build, words the error says)
    ("empty file", {"empty.txt": b""}, ["empty.txt"], "empty"),
    ("whitespace only", {"blank.txt": " \n\t\r\n\u3000\n".encode()}, ["blank.txt"], "empty"),
    ("binary bytes named .txt", {"blob.txt": bytes(range(256)) * 40}, ["blob.txt"], "not text"),
    ("png image named .txt", {"image.txt": _png()}, ["image.txt"], "not text"),
    ("jpeg image named .txt", {"photo.txt": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200)}, ["photo.txt"], "not text"),
    ("sidecar not JSON", {"r.txt": TEXT, "r.meta.json": b'{"region": '}, ["r.txt"], "not valid JSON"),
    ("sidecar not an object", {"r.txt": TEXT, "r.meta.json": b"[2026]"}, ["r.txt"], "JSON object"),
    ("sidecar year not a year", {"r.txt": TEXT, "r.meta.json": b'{"plan_year": "next"}'}, ["r.txt"], "plan_year"),
    ("sidecar region not text", {"r.txt": TEXT, "r.meta.json": b'{"region": 123}'}, ["r.txt"], "region"),
    ("path does not exist", {}, ["missing.txt"], "no such file"),
    ("folder with no reports", {"folder/notes.pdf": b"%PDF-1.4"}, ["folder"], "no reports"),
    ("sidecar given as the report", {"r.txt": TEXT, "r.meta.json": _sidecar()}, ["r.meta.json"], "sidecar"),
    ("two files, one report id", {"a/r.txt": CHANGED_TEXT + "2", "a/r.meta.json": _sidecar(), "b/r.txt": CHANGED_TEXT,
                                  "b/r.meta.json": _sidecar()}, ["a", "b"], "both report"),
    # sidecar fields (issue 16): refused before anything is built, so nothing is written
    ("sidecar source_url closes the IRI", {"r.txt": TEXT, "r.meta.json": json.dumps(
        {"source_url": f"http://x/> <http://a> <http://b> <{DATA_NS}report/{REPORT}> .\n<http://y"}).encode()},
     ["r.txt"], "'source_url' must be an absolute http(s) URL"),
    ("sidecar source_url without scheme", {"r.txt": TEXT, "r.meta.json": b'{"source_url": "www.gov.cn/a.htm"}'},
     ["r.txt"], "'source_url' must be an absolute http(s) URL"),
    ("sidecar source_url with a space", {"r.txt": TEXT, "r.meta.json": b'{"source_url": "https://gov.cn/a b.htm"}'},
     ["r.txt"], "'source_url' must be an absolute http(s) URL"),
    ("sidecar published year-month", {"r.txt": TEXT, "r.meta.json": b'{"published": "2026-02"}'}, ["r.txt"],
     "'published' must be a full ISO date"),
    ("sidecar review after plan", {"r.txt": TEXT, "r.meta.json": b'{"plan_year": 2026, "review_year": 2027}'},
     ["r.txt"], "'review_year' 2027 is after 'plan_year' 2026"),
    ("sidecar id not a slug", {"r.txt": TEXT, "r.meta.json": b'{"id": "../other"}'}, ["r.txt"], "'id' must be lowercase"),
    ("sidecar nested deeply", {"r.txt": TEXT, "r.meta.json": b'{"notes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"},
     ["r.txt"], "nested too deeply"),
    ("sidecar title on two lines", {"r.txt": TEXT, "r.meta.json": b'{"title": "a\\nb"}'}, ["r.txt"], "one line of text"),
    ("sidecar a directory", {"r.txt": TEXT, "r.meta.json/x": b""}, ["r.txt"], "is a directory"),
]


@pytest.mark.parametrize(("case", "files", "paths", "words"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_bad_input_is_a_one_line_error_and_changes_nothing(
    good_store: LocalStore, good_nquads: bytes, tmp_path: Path, case: str, files: dict, paths: list[str], words: str
) -> None:
    for name, data in files.items():
        target = tmp_path / "in" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (
            _report_text() + "\n" * data.count("changed") + "\n\n" * data.count("2") if isinstance(data, str) else None
        )
        target.write_bytes(text.encode() if text is not None else data)
    _assert_one_line_error(_build(good_store, *(tmp_path / "in" / p for p in paths)), words)
    assert store_nquads(good_store) == good_nquads


def test_over_the_size_limit_is_refused_quickly(good_store: LocalStore, good_nquads: bytes, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as out:
        out.truncate(80 * 1024 * 1024)  # sparse: 80 MiB of NUL bytes
    started = time.monotonic()
    _assert_one_line_error(_build(good_store, huge), "too large")
    assert time.monotonic() - started < 60  # liveness, not speed
    assert store_nquads(good_store) == good_nquads


def _bytes_read() -> int:
    """Bytes this process has read through read() calls so far (Linux /proc/self/io)."""
    return int(re.search(r"^rchar: (\d+)$", Path("/proc/self/io").read_text(), re.M).group(1))


def _sparse_gigabyte(path: Path) -> Path:
    with open(path, "wb") as out:
        out.truncate(1024**3)  # sparse: a gigabyte of NUL bytes that takes no disk
    return path


def _socket(path: Path) -> Path:
    import socket

    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()  # the socket file stays
    return path


def _link_to_dev_zero(path: Path) -> Path:
    path.symlink_to("/dev/zero")
    return path


SPECIAL_FILES = [
    # (case, make the path in a folder, words the one-line error says)
    ("/dev/zero", lambda folder: Path("/dev/zero"), "is a character device, not a regular file"),
    ("a link to /dev/zero named .txt", lambda folder: _link_to_dev_zero(folder / "zero.txt"), "character device"),
    ("a sparse 1 GB file", lambda folder: _sparse_gigabyte(folder / "big.txt"), "too large (1024 MiB, the limit is 64 MiB)"),
    ("a unix socket", lambda folder: _socket(folder / "sock.txt"), "is a socket, not a regular file"),
]


@pytest.mark.parametrize(("case", "make", "words"), SPECIAL_FILES, ids=[c[0] for c in SPECIAL_FILES])
def test_special_and_huge_files_are_refused_before_reading(
    good_store: LocalStore, good_nquads: bytes, tmp_path: Path, case: str, make, words: str  # noqa: ANN001
) -> None:
    path = make(tmp_path)
    before = _bytes_read()
    result = _build(good_store, path)
    assert _bytes_read() - before < 16 * 1024 * 1024  # refused unread: not a gigabyte, not an endless device
    _assert_one_line_error(result, words)
    assert store_nquads(good_store) == good_nquads


def test_a_named_pipe_is_refused_without_reading_from_it(good_store: LocalStore, good_nquads: bytes, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    held = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer exists, so opening it never waits
    try:
        os.write(held, "示例区政府工作报告".encode())
        result = _build(good_store, fifo)
        _assert_one_line_error(result, "named pipe (FIFO), not a regular file")
        assert os.read(held, 4096) == "示例区政府工作报告".encode()  # still in the pipe: nothing was read
    finally:
        os.close(held)
    assert store_nquads(good_store) == good_nquads


def test_a_region_no_gazetteer_knows_is_a_warning(good_store: LocalStore, good_nquads: bytes, tmp_path: Path) -> None:
    (tmp_path / "mars-2026.txt").write_text(_report_text(), encoding="utf-8")
    (tmp_path / "mars-2026.meta.json").write_text('{"region": "火星区", "plan_year": 2026}', encoding="utf-8")
    result = _build(good_store, tmp_path / "mars-2026.txt")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "gazetteer" in line]
    assert warnings == ["warning: mars-2026.txt: region '火星区' is not in the gazetteer of divisions (GB/T 2260); check its spelling"]
    _keeps(good_nquads, good_store, "huoxing-2026")


HTML_DETECTION = [
    # (file name, text, read as HTML)
    ("r.txt", "正文<p>一</p><p>二</p><div>三</div><br><span>四</span><b>五</b>", False),
    ("r.txt", "<p>一</p><p>二</p><div>三</div><br><span>四</span>", False),  # tags, but no document start
    ("r.txt", "计划 a<b 的对比，<body> 与 <html> 写在句中", False),
    ("r.txt", "标题\n<!DOCTYPE html><html><body>正文</body></html>", False),  # not at the start
    ("r.md", "<div>一</div><div>二</div><div>三</div><div>四</div><div>五</div>", False),
    ("r.txt", "<!DOCTYPE html><html><body><p>正文</p></body></html>", True),
    ("r.txt", "\ufeff \n\t<!doctype HTML><title>标题</title><p>正文</p>", True),
    ("r.txt", "<html lang='zh'><body>正文</body></html>", True),
    ("r.txt", "<?xml version='1.0'?>\n<!-- 说明 -->\n<html><body>正文</body></html>", True),
    ("r.html", "没有任何标签的正文", True),
    ("r.HTM", "<p>正文</p>", True),
    ("r.xhtml", "<p>正文</p>", True),
]


@pytest.mark.parametrize(("name", "text", "is_html"), HTML_DETECTION)
def test_html_by_extension_or_document_start(tmp_path: Path, name: str, text: str, is_html: bool) -> None:
    from kg_build.normalize import read_text

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = read_text(path)
    assert result.was_html is is_html
    if not is_html:
        assert "<" in result.text  # the tags are kept as the text they are


def test_a_text_file_quoting_tags_builds_as_text(good_store: LocalStore, good_nquads: bytes, tmp_path: Path) -> None:
    tagged = "<b>注意</b>：本文转载自<a>网站</a>，<p>段落</p><br><span>样式</span>\n" + _report_text()
    (tmp_path / f"{REPORT}.txt").write_text(tagged, encoding="utf-8")
    (tmp_path / f"{REPORT}.meta.json").write_bytes(_sidecar())
    result = _build(good_store, tmp_path / f"{REPORT}.txt")
    assert result.exit_code == 0, result.output
    assert not re.search(r"built \S+: 0 sections", result.output), result.output
    pillars = _select(good_store, f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a {PILLAR} }}")
    assert int(pillars[0][0]) > 0
    texts = _select(good_store, f"SELECT ?t WHERE {{ ?c <{NIF}isString> ?t }}")
    assert any("<b>注意</b>" in t for (t,) in texts)


def test_tens_of_megabytes_on_one_line(good_store: LocalStore, good_nquads: bytes, tmp_path: Path) -> None:
    line = tmp_path / "one-line.txt"
    line.write_text("推进改革，扩大开放，建设现代化产业体系。" * 1_000_000, encoding="utf-8")  # 60 MB, one line
    started = time.monotonic()
    result = _build(good_store, line)
    assert time.monotonic() - started < 300  # liveness: a scan quadratic in the line would take hours
    _assert_one_line_error(result, "split it into one file per report")
    assert store_nquads(good_store) == good_nquads


def _without_hashes(nquads: bytes) -> bytes:
    return b"".join(line for line in nquads.splitlines(keepends=True) if f"<{POL_NS}contentHash>".encode() not in line)


@pytest.fixture(scope="module")
def utf8_versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The report built from UTF-8 text, simplified and (for Big5) in Taiwan's traditional characters."""
    import opencc

    simplified = _report_text()
    versions = {"simplified": simplified, "traditional": opencc.OpenCC("s2tw").convert(simplified)}
    built = {}
    for name, text in versions.items():
        folder = tmp_path_factory.mktemp(f"utf8-{name}")
        (folder / f"{REPORT}.txt").write_text(text, encoding="utf-8")
        (folder / f"{REPORT}.meta.json").write_bytes(_sidecar())
        store = LocalStore(folder / "store")
        assert _build(store, folder / f"{REPORT}.txt").exit_code == 0
        built[name] = _without_hashes(store_nquads(store))
    return built


@pytest.mark.parametrize(
    ("encoding", "script"),
    [("gb18030", "simplified"), ("utf-16", "simplified"), ("utf-8-sig", "simplified"), ("big5", "traditional")],
)
def test_other_encodings_build_the_same_graph(
    utf8_versions: dict[str, bytes], tmp_path: Path, encoding: str, script: str
) -> None:
    import opencc

    text = _report_text() if script == "simplified" else opencc.OpenCC("s2tw").convert(_report_text())
    source = tmp_path / f"{REPORT}.txt"
    source.write_bytes(text.encode(encoding))
    (tmp_path / f"{REPORT}.meta.json").write_bytes(_sidecar())
    store = LocalStore(tmp_path / "store")
    result = _build(store, source)
    assert result.exit_code == 0, result.output
    assert _without_hashes(store_nquads(store)) == utf8_versions[script]


def _select(store: LocalStore, query: str) -> list[tuple]:
    result = store.query(query)
    assert isinstance(result, SelectResult)
    return [tuple(None if v is None else str(v) for v in row) for row in result.rows]


def _keeps(before: bytes, store: LocalStore, *new_reports: str) -> None:
    """The store holds every graph it held, unchanged, plus the new reports' graphs."""
    after = store_nquads(store)
    new_graphs = tuple(f"<{DATA_NS}report/{r}> .\n".encode() for r in new_reports)
    assert b"".join(line for line in after.splitlines(keepends=True) if not line.endswith(new_graphs)) == before
    assert all(graph in after for graph in new_graphs)


def test_html_page_builds(good_store: LocalStore, good_nquads: bytes, tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in _report_text().splitlines() if line.strip())
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>河北省政府工作报告</title>"
        "<style>p { color: red }</style><script>var tracker = 'x';</script></head>"
        f"<body><nav><a href='/'>首页</a></nav><div class='article'>{paragraphs}</div></body></html>"
    )
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "page.html").write_text(page, encoding="utf-8")
    sidecar = {"region": "石家庄市", "province": "河北省", "level": "city", "plan_year": 2026}
    (folder / "page.meta.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    result = _build(good_store, folder / "page.html")
    assert result.exit_code == 0, result.output
    report_id = re.search(r"built (\S+):", result.output).group(1)
    _keeps(good_nquads, good_store, report_id)
    graph = f"<{DATA_NS}report/{report_id}>"
    texts = _select(good_store, f"SELECT ?t WHERE {{ GRAPH {graph} {{ ?c <{NIF}isString> ?t }} }}")
    assert texts and all("<p>" not in t and "tracker" not in t and "color: red" not in t for (t,) in texts)
    pillars = _select(good_store, f"SELECT (COUNT(?p) AS ?n) WHERE {{ GRAPH {graph} {{ ?p a {PILLAR} }} }}")
    assert int(pillars[0][0]) > 0


def test_text_with_no_structure_builds_a_report_without_pillars(good_store: LocalStore, good_nquads: bytes, tmp_path: Path) -> None:
    plain = tmp_path / "paragraph-2026.txt"
    plain.write_text("今天天气很好，我们一起去公园散步，看到了很多花，大家都很高兴。", encoding="utf-8")
    result = _build(good_store, plain)
    assert result.exit_code == 0, result.output
    assert re.search(r"built \S+: \d+ sections, 0 pillars", result.output), result.output
    report_id = re.search(r"built (\S+):", result.output).group(1)
    _keeps(good_nquads, good_store, report_id)


def test_script_in_a_heading_is_stored_verbatim_and_escaped_in_html(tmp_path: Path) -> None:
    attack = "<script>alert(1)</script>"
    text = _report_text()
    heading = _select_first_pillar_label()
    assert heading in text
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"{REPORT}.txt").write_text(text.replace(heading, heading[:2] + attack + heading[2:], 1), encoding="utf-8")
    (folder / f"{REPORT}.meta.json").write_bytes(_sidecar())
    store = LocalStore(tmp_path / "store")
    assert _build(store, folder / f"{REPORT}.txt").exit_code == 0
    rows = _select(store, f"SELECT ?p ?l WHERE {{ ?p a {PILLAR} ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?l "
                          f"FILTER(CONTAINS(?l, '{attack}')) }}")
    assert len(rows) == 1 and rows[0][1] == heading[:2] + attack + heading[2:]
    pillar = rows[0][0]
    try:
        from kg_build import explore, graphview
    except ImportError:
        return
    page = graphview.graph_html(explore.neighbourhood(store, pillar), class_names={}, property_names={})
    assert attack not in page
    for source in explore.entity_sources(store, pillar):
        assert attack not in source.html
    assert attack not in graphview.tooltip_html(rows[0][1], "Pillar", rows[0][1])


def _select_first_pillar_label() -> str:
    """A pillar heading of the bundled report, as written in its text."""
    from kg_build.build import build_report

    nquads = build_report(bundled_reports_dir() / f"{REPORT}.txt").nquads.decode()
    labels = sorted(
        m.group(2) for m in re.finditer(r'<([^>]*/pillar/\d+)> <http://www.w3.org/2004/02/skos/core#prefLabel> "([^"]+)"', nquads)
    )
    return labels[0]


def test_regions_that_romanize_alike_stay_apart(good_store: LocalStore, good_nquads: bytes, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, region in [("a", "山西省"), ("b", "陕西省")]:  # both romanize to "shanxi sheng"
        (folder / f"{name}.txt").write_text(_report_text().replace("河北", region[:2]), encoding="utf-8")
        (folder / f"{name}.meta.json").write_text(
            json.dumps({"region": region, "level": "province", "plan_year": 2026}, ensure_ascii=False), encoding="utf-8"
        )
    result = _build(good_store, folder)
    assert result.exit_code == 0, result.output
    new_ids = re.findall(r"built (\S+):", result.output)
    assert len(set(new_ids)) == 2
    _keeps(good_nquads, good_store, *new_ids)
    rows = _select(good_store, f"SELECT ?r ?place ?name WHERE {{ ?r a <{POL_NS}WorkReport> ; <{POL_NS}region> ?place . "
                               f"?place <http://www.w3.org/2004/02/skos/core#prefLabel> ?name "
                               f"FILTER(?name IN ('山西省'@zh-Hans, '陕西省'@zh-Hans)) }} ORDER BY ?name")
    assert [name for _, _, name in rows] == ["山西省", "陕西省"]
    assert len({r for r, _, _ in rows}) == 2 and len({p for _, p, _ in rows}) == 2


def _changed_copies(folder: Path, names: tuple[str, ...]) -> None:
    """Copies of bundled reports with one byte changed, so a build rebuilds and writes every one."""
    folder.mkdir()
    for name in names:
        shutil.copy(bundled_reports_dir() / f"{name}.meta.json", folder)
        (folder / f"{name}.txt").write_text((bundled_reports_dir() / f"{name}.txt").read_text(encoding="utf-8") + "\n",
                                            encoding="utf-8")


def _workers(pid: int) -> list[int]:
    """The build's worker processes (spawned children of ``pid``; not multiprocessing's resource tracker)."""
    return [child for child, command in live_children(pid).items()
            if "spawn_main" in command and "resource_tracker" not in command]


@contextmanager
def _parallel_build(store: LocalStore, tmp_path: Path, *, workers: int) -> Iterator[tuple[subprocess.Popen, set[int]]]:
    """``kg-build build --jobs 2`` of four changed reports into ``store``, once ``workers`` of its workers run."""
    folder = tmp_path / "reports"
    _changed_copies(folder, ("beijing-2026", "fujian-2026", "henan-2026", REPORT))
    build = subprocess.Popen(
        [*kg_build_command(), "build", str(folder), "--store", str(store.root), "--jobs", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    found: set[int] = set()

    def started() -> bool:
        found.update(_workers(build.pid))
        return len(found) >= workers or build.poll() is not None

    try:
        assert wait_until(started, timeout=60, step=0.01)
        assert len(found) >= workers, "the build ended before its workers started"
        yield build, found
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()


def test_a_build_whose_worker_is_killed_stops_with_one_line_and_keeps_the_store(
    good_store: LocalStore, good_nquads: bytes, tmp_path: Path
) -> None:
    before = good_store.generation()
    with _parallel_build(good_store, tmp_path, workers=1) as (build, found):
        os.kill(min(found), signal.SIGKILL)  # as the kernel's out-of-memory killer would
        _, err = build.communicate(timeout=120)
    assert build.returncode == BuildError.exit_code
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert "worker process stopped" in lines[0] and "--jobs" in lines[0]
    assert good_store.generation() == before
    assert store_nquads(LocalStore(good_store.root)) == good_nquads


@pytest.mark.parametrize(("signum", "returncode"), [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGKILL, -signal.SIGKILL)])
def test_a_parallel_build_stopped_from_outside_leaves_no_worker_and_the_store_as_it_was(
    good_store: LocalStore, good_nquads: bytes, tmp_path: Path, signum: int, returncode: int
) -> None:
    before = good_store.generation()
    with _parallel_build(good_store, tmp_path, workers=2) as (build, found):
        build.send_signal(signum)
        _, err = build.communicate(timeout=120)
    assert build.returncode == returncode
    if signum == signal.SIGTERM:
        assert "Traceback" not in err, err
    # the workers end with the build: on SIGTERM it stops them; killed, they see it gone within a second
    assert wait_until(lambda: not any(alive(pid) for pid in found), timeout=15, step=0.1)
    assert good_store.generation() == before
    assert store_nquads(LocalStore(good_store.root)) == good_nquads


def test_a_build_killed_while_writing_leaves_the_store_as_it_was(good_store: LocalStore, good_nquads: bytes, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    _changed_copies(folder, ("beijing-2026", "fujian-2026", "henan-2026", REPORT))
    generations = good_store.root / "generations"
    before = good_store.generation()
    build = subprocess.Popen(
        [*kg_build_command(), "build", str(folder), "--store", str(good_store.root)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        started_writing = wait_until(lambda: any(generations.glob("*.partial")) or build.poll() is not None,
                                     timeout=60, step=0.005)
        time.sleep(0.1)  # well into the write: the copy is loading (the whole write takes ~0.6 s here)
        build.send_signal(signal.SIGKILL)
    finally:
        build.wait()
    assert started_writing
    assert build.returncode == -signal.SIGKILL, "the build finished before it could be killed while writing"
    assert good_store.generation() == before
    assert store_nquads(LocalStore(good_store.root)) == good_nquads
    # the next build works and clears the unpublished copy
    result = _build(good_store, folder / f"{REPORT}.txt")
    assert result.exit_code == 0, result.output
    assert not any(generations.glob("*.partial"))
    assert good_store.generation() != before


def test_a_malformed_sidecar_stops_the_build_before_any_report_is_built(
    good_store: LocalStore, good_nquads: bytes, tmp_path: Path
) -> None:
    from kg_build.build import build
    from kg_build.errors import InputError

    folder = tmp_path / "in"
    _changed_copies(folder, ("beijing-2026", REPORT))
    (folder / f"{REPORT}.meta.json").write_text('{"region": "河北省", "published": "2026-02"}', encoding="utf-8")
    before = sorted(p.name for p in (good_store.root / "generations").iterdir())
    built: list[str] = []
    with pytest.raises(InputError, match="'published' must be a full ISO date"):
        build([folder], store=good_store, progress=built.append)
    assert built == []  # checked up front: beijing (sorted first) was not built, no generation was begun
    assert sorted(p.name for p in (good_store.root / "generations").iterdir()) == before
    assert store_nquads(good_store) == good_nquads


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


QUERY_FILES = [
    # (case, make the .rq path in a folder, words the one-line error says)
    ("a named pipe", lambda folder: _fifo(folder / "q.rq"), "named pipe (FIFO)"),
    ("a sparse 1 GB file", lambda folder: _sparse_gigabyte(folder / "q.rq"), "too large (1024 MiB, the limit is 1 MiB)"),
    ("a directory", lambda folder: (folder / "q.rq").mkdir() or folder / "q.rq", "is a directory"),
]


@pytest.mark.parametrize(("case", "make", "words"), QUERY_FILES, ids=[c[0] for c in QUERY_FILES])
def test_a_query_file_that_is_not_a_small_regular_file_is_refused_unread(
    good_store: LocalStore, tmp_path: Path, case: str, make, words: str  # noqa: ANN001
) -> None:
    path = make(tmp_path)
    before = _bytes_read()
    result = CliRunner().invoke(main, ["query", str(path), "--store", str(good_store.root)])
    assert _bytes_read() - before < 16 * 1024 * 1024
    _assert_one_line_error(result, words)


GOLD_FILES = [
    ("a named pipe", lambda folder: _fifo(folder / "gold.json"), "named pipe (FIFO)"),
    ("a link to /dev/zero", lambda folder: _link_to_dev_zero(folder / "gold.json"), "character device"),
    ("deep nesting", lambda folder: _written(folder / "gold.json", b"[" * 100_000 + b"]" * 100_000), "not valid JSON"),
    ("missing", lambda folder: folder / "gold.json", "no such gold file"),
]


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("case", "make", "words"), GOLD_FILES, ids=[c[0] for c in GOLD_FILES])
def test_a_gold_file_that_is_not_readable_json_is_one_line(tmp_path: Path, case: str, make, words: str) -> None:  # noqa: ANN001
    from kg_build.errors import InputError
    from kg_build.evaluate.gold import load_gold

    with pytest.raises(InputError, match=re.escape(words)) as caught:
        load_gold(make(tmp_path))
    assert "\n" not in str(caught.value)
