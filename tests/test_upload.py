"""Adding a report from the browser, as a library: the operator's settings, the checks of an upload (size, type by
name and content, metadata by the sidecar's schema, the file name never a path), and its build into a real
on-disk store (the report appears; a refused or failing build leaves the store's generation as it was)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from kg_build import explore, upload
from kg_build.errors import InputError, StoreBusyError, StoreError
from kg_build.store import LocalStore, RemoteStore
from kg_build.store import faults as store_faults

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "upload_report.txt"
REPORT = FIXTURE.read_bytes()
META = {"region": "思明区", "plan_year": "2026", "title": "思明区2026年政府工作报告"}
MIB = 1024 * 1024

# --- the operator's settings -------------------------------------------------------------------------------

# (environment, allowed, max_bytes)
SETTINGS = [
    ({}, False, 5 * MIB),
    ({"KG_ALLOW_UPLOADS": "1"}, True, 5 * MIB),
    ({"KG_ALLOW_UPLOADS": "true"}, True, 5 * MIB),
    ({"KG_ALLOW_UPLOADS": " YES "}, True, 5 * MIB),
    ({"KG_ALLOW_UPLOADS": "0"}, False, 5 * MIB),
    ({"KG_ALLOW_UPLOADS": ""}, False, 5 * MIB),
    ({"KG_ALLOW_UPLOADS": "off"}, False, 5 * MIB),
    ({"KG_ALLOW_UPLOADS": "1", "KG_UPLOAD_MAX_MB": "2"}, True, 2 * MIB),
    ({"KG_UPLOAD_MAX_MB": "0.5"}, False, MIB // 2),
    ({"KG_UPLOAD_MAX_MB": "64"}, False, 64 * MIB),
]

BAD_LIMITS = ["0", "-1", "65", "five", "nan", "inf", "1e9"]


@pytest.mark.parametrize(("environ", "allowed", "max_bytes"), SETTINGS)
def test_settings_are_read_from_the_environment(environ, allowed, max_bytes):
    assert upload.settings(environ) == upload.UploadSettings(allowed=allowed, max_bytes=max_bytes)


@pytest.mark.parametrize("limit", BAD_LIMITS)
def test_a_malformed_limit_is_one_line_naming_the_setting(limit):
    with pytest.raises(InputError) as err:
        upload.settings({"KG_ALLOW_UPLOADS": "1", "KG_UPLOAD_MAX_MB": limit})
    assert str(err.value).startswith(f"KG_UPLOAD_MAX_MB={limit}:") and "\n" not in str(err.value)


# --- the checks of an upload -------------------------------------------------------------------------------

def _word(document: bytes | None = None) -> bytes:
    """A Word document (.docx) holding the report's lines as paragraphs."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in REPORT.decode().splitlines())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", document or f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>')
    return buffer.getvalue()


HTML_PAGE = "<!DOCTYPE html><html><body><h1>思明区2026年政府工作报告</h1><p>地区生产总值增长5.5%左右。</p></body></html>"

# (file name, bytes, metadata, limit, a fragment of the one-line error)
REFUSED = [
    ("big.txt", "增长".encode() * 600, {}, 1000, "too large (3.5 KiB, the limit is 1000 bytes)"),
    ("report.pdf", b"%PDF-1.7\n", {}, MIB, "only .txt, .html, .htm, .docx files can be added, not .pdf;"),
    ("report.docx", REPORT, {}, MIB, "named .docx but is no Word document"),
    ("report.docx", _word(document=b'<!DOCTYPE x [<!ENTITY a "a">]><x/>'), {}, MIB, "declares a document type"),
    ("report", REPORT, {}, MIB, "not a name without a suffix"),
    ("report.txt.exe", REPORT, {}, MIB, "not .exe;"),
    ("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), {}, MIB, "not text (looks like a PNG image)"),
    ("zeros.txt", b"\x00\x01\x02\x03" * 100, {}, MIB, "not text"),
    ("empty.txt", b" \n\t\n", {}, MIB, "is empty"),
    ("page.html", "just a sentence that mentions <p> once".encode(), {}, MIB, "does not start like an HTML page"),
    ("page.htm", REPORT, {}, MIB, "named .htm but does not start like an HTML page"),
    ("r.txt", REPORT, {"plan_year": "20x6"}, MIB, "'plan_year' must be a year from 1900 to 2100"),
    ("r.txt", REPORT, {"plan_year": "2026", "review_year": "2027"}, MIB,
     "'review_year' 2027 is after 'plan_year' 2026"),
    ("r.txt", REPORT, {"region": "思明\n区"}, MIB, "'region' must be one line of text"),
    ("r.txt", REPORT, {"title": "长" * 501}, MIB, "'title' is 501 characters long (at most 500)"),
    ("r.txt", REPORT, {"source_url": "ftp://example.org/r.txt"}, MIB, "'source_url' must be an absolute http(s) URL"),
    ("r.txt", REPORT, {"source_url": "https://exa mple.org/"}, MIB, "'source_url' must be an absolute http(s) URL"),
    ("r.txt", REPORT, {"published": "2026-02-30"}, MIB, "'published' must be a full ISO date"),
    ("r.txt", REPORT, {"id": "Siming_2026"}, MIB, "'id' must be lowercase ASCII words joined by hyphens"),
]


@pytest.mark.parametrize(("name", "data", "meta", "limit", "fragment"), REFUSED)
def test_a_refused_upload_is_one_line_saying_why(name, data, meta, limit, fragment):
    with pytest.raises(InputError) as err:
        upload.check_upload(name, data, meta, max_bytes=limit)
    message = str(err.value)
    assert fragment in message and "\n" not in message, message


# (file name, bytes, metadata, the stem it is saved under, the suffix, the checked metadata)
ACCEPTED = [
    ("siming-2026.txt", REPORT, {}, "siming-2026", ".txt", {}),
    ("思明区 报告.TXT", REPORT, META, "simingqu-baogao", ".txt", {**META, "plan_year": 2026}),
    ("gb.txt", REPORT.decode().encode("gb18030"), {"plan_year": 2026}, "gb", ".txt", {"plan_year": 2026}),
    ("page.html", HTML_PAGE.encode(), {"region": " 思明区 ", "title": ""}, "page", ".html", {"region": "思明区"}),
    ("page.htm", ("\ufeff  <html><body>" + REPORT.decode() + "</body></html>").encode(), {}, "page", ".htm", {}),
    ("../../etc/cron.d/evil.txt", REPORT, {}, "evil", ".txt", {}),
    ("C:\\Users\\a\\..\\报告.txt", REPORT, {}, "baogao", ".txt", {}),
    ("..txt", REPORT, {}, "upload", ".txt", {}),
    ("\x00\n.txt", REPORT, {}, "upload", ".txt", {}),
    ("r.txt", REPORT, {"source_url": "https://www.siming.gov.cn/zfxxgk/2026.htm", "published": "2026"}, "r", ".txt",
     {"source_url": "https://www.siming.gov.cn/zfxxgk/2026.htm", "published": "2026"}),
    ("x" * 300 + ".txt", REPORT, {}, "x" * 48, ".txt", {}),
    ("思明区报告.docx", _word(), {}, "simingqubaogao", ".docx", {}),
]


@pytest.mark.parametrize(("name", "data", "meta", "stem", "suffix", "checked"), ACCEPTED)
def test_an_accepted_upload_is_saved_under_a_safe_stem(name, data, meta, stem, suffix, checked):
    got = upload.check_upload(name, data, meta, max_bytes=MIB)
    assert (got.stem, got.suffix, got.meta, got.data) == (stem, suffix, checked, data)
    assert "/" not in got.stem and "\\" not in got.stem and not got.stem.startswith(".")


def test_exactly_the_limit_is_accepted():
    assert upload.check_upload("r.txt", REPORT, {}, max_bytes=len(REPORT)).data == REPORT


# --- building an upload into a store ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> LocalStore:
    """A store holding one report, built once: the tests that change it work on copies."""
    store = LocalStore(tmp_path_factory.mktemp("upload-store"))
    upload.build_upload(upload.check_upload("other.txt", REPORT.replace("思明区".encode(), "湖里区".encode()),
                                            {"region": "湖里区", "plan_year": 2026}, max_bytes=MIB), store=store)
    return store


@pytest.fixture
def store(small_store, tmp_path) -> LocalStore:
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(small_store.root, copy, symlinks=True)
    return LocalStore(copy)


def test_a_good_upload_appears_in_a_new_generation(store):
    before = store.generation()
    stages: list[str] = []
    result = upload.build_upload(upload.check_upload("思明区.txt", REPORT, META, max_bytes=MIB), store=store,
                                 progress=stages.append)
    assert result.added and result.report_id == "siming-2026" and stages == ["read", "built", "published"]
    assert result.generation == store.generation() != before
    rows = {r.iri: r for r in explore.reports(store)}
    added = rows[result.report_iri]
    assert len(rows) == 2 and added.title == META["title"] and added.plan_year == 2026
    assert added.counts["figures"] > 0


def test_a_word_document_upload_builds_as_its_text_does(store, tmp_path):
    result = upload.build_upload(upload.check_upload("思明区.docx", _word(), META, max_bytes=MIB), store=store)
    assert result.added and result.report_id == "siming-2026"
    added = {r.iri: r for r in explore.reports(store)}[result.report_iri]
    text = LocalStore(tmp_path / "text")
    upload.build_upload(upload.check_upload("思明区.txt", REPORT, META, max_bytes=MIB), store=text)
    assert added.counts == {r.iri: r for r in explore.reports(text)}[result.report_iri].counts
    assert added.counts["figures"] > 0


def test_the_same_upload_twice_adds_nothing(store):
    checked = upload.check_upload("思明区.txt", REPORT, META, max_bytes=MIB)
    first = upload.build_upload(checked, store=store)
    again = upload.build_upload(checked, store=store)
    assert first.added and not again.added and again.generation == first.generation == store.generation()


def _hook_failing_at(name):
    def hook(step: str) -> None:
        if step == name:
            raise RuntimeError(f"stopped at {step}")

    return hook


# (what goes wrong, the upload, a step where the store's writer fails or None, the error, a fragment of it)
FAILURES = [
    ("an id the store holds, other text", ("other.txt", REPORT, {"region": "湖里区", "plan_year": 2026}), None,
     InputError, "the store already holds report huli-2026"),
    ("its explicit id names a report of another region", ("x.txt", REPORT, {"id": "huli-2026", "region": "思明区"}),
     None, InputError, "the store already holds report huli-2026"),
    ("nothing left after normalizing", ("chrome.html", b"<html><body><script>x()</script></body></html>", {}), None,
     InputError, "chrome.html: is empty"),
    ("the writer fails while loading the graph", ("思明区.txt", REPORT, META), "load", RuntimeError, "stopped at load"),
    ("the writer fails writing the search index", ("思明区.txt", REPORT, META), "write-index", RuntimeError,
     "stopped at write-index"),
    ("the writer fails writing its record", ("思明区.txt", REPORT, META), "write-record", RuntimeError,
     "stopped at write-record"),
]


@pytest.mark.parametrize(("case", "given", "step", "error", "fragment"), FAILURES, ids=[f[0] for f in FAILURES])
def test_a_failing_upload_leaves_the_store_as_it_was(store, monkeypatch, case, given, step, error, fragment):
    before, graphs = store.generation(), sorted(store.named_graphs())
    if step is not None:
        monkeypatch.setattr(store_faults, "step_hook", _hook_failing_at(step))
    with pytest.raises(error) as err:
        upload.build_upload(upload.check_upload(*given, max_bytes=MIB), store=store)
    assert fragment in str(err.value) and "\n" not in str(err.value)
    monkeypatch.setattr(store_faults, "step_hook", None)
    assert store.generation() == before and sorted(store.named_graphs()) == graphs
    assert not [p for p in (store.root / "generations").iterdir() if p.name.endswith(".partial")]


def test_an_upload_while_another_build_writes_is_store_busy(store):
    before = store.generation()
    checked = upload.check_upload("思明区.txt", REPORT, META, max_bytes=MIB)
    with store.writer():
        with pytest.raises(StoreBusyError, match="another build is writing"):
            upload.build_upload(checked, store=store)
        assert store.generation() == before  # the other writer publishes its own generation when it ends


def test_a_remote_store_takes_no_uploads():
    remote = RemoteStore("http://127.0.0.1:9/sparql")  # nothing listens: the refusal comes before any request
    with pytest.raises(StoreError, match="uploads are added to a local store only"):
        upload.build_upload(upload.check_upload("r.txt", REPORT, {}, max_bytes=MIB), store=remote)


# --- the page, as the server runs it ----------------------------------------------------------------------

# (environment, what the page shows: the kind of element and a fragment of it, whether a file uploader is made)
PAGE_STATES = [
    ({}, "info", "KG_ALLOW_UPLOADS=1", False),
    ({"KG_ALLOW_UPLOADS": "0"}, "info", "kg-build app --allow-uploads", False),
    ({"KG_ALLOW_UPLOADS": "0", "KG_UPLOAD_MAX_MB": "abc"}, "info", "KG_ALLOW_UPLOADS=1", False),
    ({"KG_ALLOW_UPLOADS": "1", "KG_UPLOAD_MAX_MB": "abc"}, "error", "KG_UPLOAD_MAX_MB=abc:", False),
    ({"KG_ALLOW_UPLOADS": "1", "KG_STORE": "http://127.0.0.1:9/sparql"}, "warning", "kg-build build --store", False),
    ({"KG_ALLOW_UPLOADS": "1", "KG_UPLOAD_MAX_MB": "2"}, "markdown", "不超过 2 MiB", True),
]


@pytest.mark.parametrize(("environ", "kind", "fragment", "uploader"), PAGE_STATES)
def test_the_page_offers_an_upload_only_when_the_operator_allows_it(small_store, monkeypatch, environ, kind, fragment,
                                                                    uploader):
    from streamlit.testing.v1 import AppTest

    for name in ("KG_ALLOW_UPLOADS", "KG_UPLOAD_MAX_MB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KG_STORE", str(small_store.root))
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    page = Path(__file__).resolve().parents[1] / "pages" / "upload.py"
    at = AppTest.from_file(str(page), default_timeout=60).run()
    assert not at.exception
    assert any(fragment in element.value for element in getattr(at, kind)), [e.value for e in getattr(at, kind)]
    assert bool(at.get("file_uploader")) is uploader
