"""What is checked is what runs, and SERVICE is impossible: the canonical text, and a canary no entry point may reach.

The property tests hide SERVICE behind comments ending in every kind of line break, codepoint
escapes and odd whitespace, and send it through every entry point (the endpoint, the workbench,
the CLI, the explorer's path) at a canary HTTP server on 127.0.0.1 that must never be called. The
same queries with the guard and the sandbox switched off (``QueryLimits(service=True)``) do reach
the canary, so the test can fail.
"""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg_build import explore, workbench
from kg_build.cli import main
from kg_build.engine import QueryLimits, QueryRefused, QuerySyntaxError, QueryTooLarge, WorkerPool, run_query
from kg_build.engine.guard import canonical
from kg_build.errors import QueryError
from kg_build.serve import make_server
from kg_build.store import LocalStore

LIMITS = QueryLimits()
LINE_ENDS = ["\r", "\r\n", "\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]
ODD_SPACES = [" ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\xa0", "\u2028", "\u2029", "\u3000", "\ufeff"]
EXAMPLES = settings(
    max_examples=30, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- the canonical text ------------------------------------------------------------------------

CANONICAL = [
    # (text, canonical text)
    ("SELECT * { ?s ?p ?o } # a comment", "SELECT * { ?s ?p ?o } "),
    ("SELECT * { # c\r SERVICE <http://x/> { } }", "SELECT * { \r SERVICE <http://x/> { } }"),
    ("SELECT * { # c\r\n?s ?p ?o }", "SELECT * { \r\n?s ?p ?o }"),
    ("SELECT * { # c\u2028 SERVICE <http://x/> { } \n?s ?p ?o }", "SELECT * { \n?s ?p ?o }"),
    ("SELECT * { ?s ?p '# not a comment' }", "SELECT * { ?s ?p '# not a comment' }"),
    ('SELECT * { ?s ?p """a\n# in a long string""" }', 'SELECT * { ?s ?p """a\n# in a long string""" }'),
    ("SELECT * { ?s <http://x/#frag> ?o }", "SELECT * { ?s <http://x/#frag> ?o }"),
    ("SELECT * { ?s ?p ?o FILTER(?o <3) } #c", "SELECT * { ?s ?p ?o FILTER(?o <3) } "),
    ("SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) } # <x>", "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) } "),
    ("SELECT * {\x0b?s\x0c?p\xa0?o\u3000}", "SELECT * { ?s ?p ?o }"),
    ('SELECT * { ?s ?p "C:\\\\Users" }', 'SELECT * { ?s ?p "C:\\\\Users" }'),  # an escaped backslash, then U
    ("SELECT * { ?s ?p 'it\\'s # here' } # gone", "SELECT * { ?s ?p 'it\\'s # here' } "),
]


@pytest.mark.parametrize(("text", "expected"), CANONICAL)
def test_the_canonical_text_has_no_comments_and_plain_spaces(text: str, expected: str) -> None:
    assert canonical(text, LIMITS) == expected


REFUSED_BEFORE_PARSING = [
    # (text, error type, words in the message)
    ('SELECT ("\\u0022" AS ?x) {}', QueryRefused, "write the character itself"),
    ('SELECT ("\\U00000022" AS ?x) {}', QueryRefused, "codepoint escapes"),
    ("SELECT * { ?s <http://x/\\u0041> ?o }", QueryRefused, "codepoint escapes"),
    ("SELECT * { \\u0053ERVICE <http://x/> { } }", QueryRefused, "codepoint escapes"),
    ('SELECT ("\\\\\\u0041" AS ?x) {}', QueryRefused, "codepoint escapes"),  # \\ then \u: still an escape
    ('SELECT ("\\U0011FFFF" AS ?x) {}', QueryRefused, "codepoint escapes"),  # out of range
    ("SELECT ('a\nb' AS ?x) {}", QuerySyntaxError, "line break inside"),
    ("SELECT ('open AS ?x) {}", QuerySyntaxError, "never closed"),
    ("SELECT (" + "+".join(["1"] * 10_000) + " AS ?x) {}", QueryRefused, "operators"),
    ("SELECT (" + "(" * 100 + "1" + ")" * 100 + " AS ?x) {}", QueryRefused, "brackets deep"),
    ("SELECT * { ?s ?p ?o } #" + "x" * 70_000, QueryTooLarge, "characters"),
]


@pytest.mark.parametrize(("text", "kind", "words"), REFUSED_BEFORE_PARSING)
def test_escapes_line_breaks_in_strings_and_limits_are_refused_before_parsing(text: str, kind: type, words: str) -> None:
    with pytest.raises(kind, match=words) as caught:
        canonical(text, LIMITS)
    assert "\n" not in str(caught.value)


def test_a_long_run_of_names_is_lexed_in_linear_time() -> None:
    """A name scanned to its colon must not make the lexer quadratic ("a-a-a-…" has no colon)."""
    text = "SELECT * { " + "-".join(["a"] * 20_000) + " }"
    with pytest.raises(QueryRefused, match="operators"):
        canonical(text, LIMITS)


# --- the canary and the entry points -----------------------------------------------------------


class Canary:
    """An HTTP server on 127.0.0.1 that records every request (and answers as a SPARQL endpoint would)."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                hits.append(self.path)
                body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"canary"}}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    server = Canary()
    yield server
    server.close()


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool()
    yield workers
    workers.close()


@pytest.fixture(scope="module")
def endpoint(sample_store: LocalStore) -> Iterator[str]:
    server, endpoint = make_server(sample_store, port=0, timeout_s=10)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/query"
    server.shutdown()
    server.server_close()
    endpoint.close()


def _via_endpoint(url: str, text: str) -> None:
    response = httpx.post(url, data={"query": text}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code in (200, 400, 413), response.text
    assert "\n" not in response.text.strip() or response.status_code == 200


def _via_cli(store: LocalStore, text: str) -> None:
    result = CliRunner().invoke(main, ["query", text, "--store", str(store.root), "--format", "json"])
    assert result.exit_code in (0, QueryError.exit_code), result.output
    if result.exit_code != 0:
        assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output


def _via_workbench(store: LocalStore, text: str, pool: WorkerPool) -> None:
    try:
        workbench.run_query(store.root, text, pool=pool)
    except QueryError as exc:
        assert "\n" not in str(exc)


def _via_explorer(store: LocalStore, text: str, pool: WorkerPool) -> None:
    """The explorer's path skips the parse (its queries are built from escaped terms): only the sandbox stops SERVICE."""
    try:
        run_query(store, text, explore.EXPLORER_LIMITS, pool=pool)
    except QueryError as exc:
        assert "\n" not in str(exc)


def _case(text: str) -> str:
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(text))


@st.composite
def hidden_service(draw: st.DrawFn, url: str) -> str:
    """A query with a SERVICE call to ``url`` hidden one way or another (or not hidden at all)."""
    space = st.lists(st.sampled_from(ODD_SPACES), min_size=1, max_size=3).map("".join)
    escaped = draw(st.integers(0, 3)) == 0  # one in four carries a codepoint escape somewhere
    keyword = draw(st.sampled_from(["\\u0053ERVICE", "SERV\\u0049CE"] if escaped else ["SERVICE", "service", _case("SERVICE")]))
    silent = draw(st.sampled_from(["", "SILENT", "silent"]))
    target = draw(st.sampled_from([f"<{url}>", f"<{url[:-6]}\\u0073parql>", f"<{url}\\U0000003F>"] if escaped else [f"<{url}>"]))
    call = f"{keyword}{draw(space)}{silent}{draw(space)}{target}{draw(space)}{{ ?x ?q ?r }}"
    comment = draw(st.text(alphabet=st.characters(blacklist_characters="\n\r"), max_size=12))
    hide = draw(st.sampled_from(["string", "escaped-quote"] if escaped else ["none", "comment", "comment"]))
    if hide == "comment":  # "# …<line end> SERVICE": a parser that misses the line end sees a comment
        call = f"#{comment}{draw(st.sampled_from(LINE_ENDS))}{call}\n"
    elif hide == "string":  # a string whose end only a codepoint escape makes
        call = f'BIND("a\\U00000022 AS ?z) {call} BIND("" AS ?w)'
    elif hide == "escaped-quote":
        call = f"BIND('a\\u0027 AS ?z) {call} BIND('' AS ?w)"
    wrap = draw(st.sampled_from(["{}", "OPTIONAL {{ {} }}", "{{ SELECT * WHERE {{ {} }} }}", "LATERAL {{ {} }}"]))
    return f"SELECT * WHERE {{ ?s ?p ?o {draw(space)}{wrap.format(call)} }} LIMIT 1"


ENTRY_POINTS = ["endpoint", "workbench", "cli", "explorer"]


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_no_entry_point_reaches_the_canary(sample_store, canary, pool, endpoint, entry) -> None:
    @EXAMPLES
    @given(text=hidden_service(canary.url))
    def check(text: str) -> None:
        before = len(canary.hits)
        if entry == "endpoint":
            _via_endpoint(endpoint, text)
        elif entry == "cli":
            _via_cli(sample_store, text)
        elif entry == "workbench":
            _via_workbench(sample_store, text, pool)
        else:
            _via_explorer(sample_store, text, pool)
        assert canary.hits[before:] == [], f"{entry} called the canary for {text!r}"

    check()


VISIBLE_SERVICE = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?x ?q ?r }} }}",
    "SELECT * WHERE {{ ?s ?p ?o # c\r SERVICE SILENT <{url}> {{ ?x ?q ?r }}\n}} LIMIT 1",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ # c\r\nSERVICE <{url}> {{ ?x ?q ?r }} }} }} LIMIT 1",
]


@pytest.mark.parametrize("template", VISIBLE_SERVICE)
def test_with_the_guard_and_the_sandbox_off_the_canary_is_reached(sample_store, canary, pool, template) -> None:
    """The switch the property test relies on: nothing but the guard and the sandbox stands between a query and the URL."""
    before = len(canary.hits)
    off = QueryLimits(service=True)
    run = run_query(sample_store, template.format(url=canary.url), off, pool=pool)
    assert len(canary.hits) > before
    assert run.sandbox.startswith("off")


@EXAMPLES
@given(data=st.data())
def test_the_property_test_can_fail(sample_store, canary, pool, data) -> None:
    """Generated queries whose SERVICE survives canonicalization reach the canary once the guard and sandbox are off."""
    text = data.draw(hidden_service(canary.url))
    try:
        canonical_text = canonical(text, QueryLimits())
    except QueryError:
        return  # refused before any parser: the switch cannot matter
    before = len(canary.hits)
    try:
        run_query(sample_store, text, QueryLimits(service=True), pool=pool)
    except QueryError:
        return  # e.g. a string made by an odd space's position: not SPARQL
    if "SERVICE" in canonical_text.upper():
        assert len(canary.hits) > before, text


@pytest.mark.parametrize("text", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?x ?q ?r }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?x ?q ?r }} }}",
])
def test_the_sandbox_alone_stops_service(sample_store, canary, pool, text) -> None:
    """With the parse skipped (the explorer's limits), the worker still cannot open a socket."""
    before = len(canary.hits)
    try:
        run = run_query(sample_store, text.format(url=canary.url), explore.EXPLORER_LIMITS, pool=pool)
        assert run.sandbox == "seccomp"
    except QueryError as exc:
        assert "\n" not in str(exc)
    assert canary.hits[before:] == []


SANDBOXED_CALLS = [
    # (python statement run after the sandbox is in, expected last line)
    ("socket.socket(socket.AF_INET, socket.SOCK_STREAM)", "PermissionError"),
    ("socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)", "PermissionError"),
    ("socket.socket(socket.AF_NETLINK, socket.SOCK_RAW)", "PermissionError"),
    ("socket.create_connection(('127.0.0.1', 9), timeout=1)", "PermissionError"),
    ("socket.socketpair()", "ok"),
    ("socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)", "ok"),
    ("open('/dev/null').read()", "ok"),
]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="seccomp is Linux's")
@pytest.mark.parametrize(("statement", "expected"), SANDBOXED_CALLS)
def test_a_sandboxed_process_opens_no_network_socket(statement: str, expected: str) -> None:
    code = (
        "import socket\nfrom kg_build.engine import sandbox\n"
        "print(sandbox.enter(memory_mb=1024, network=False))\n"
        f"try:\n    {statement}\n    print('ok')\nexcept OSError as exc:\n    print(type(exc).__name__)\n"
    )
    lines = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout.split()
    assert lines == ["seccomp", expected]
