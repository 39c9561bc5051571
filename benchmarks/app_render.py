"""Time to first render of each page of the Streamlit app, in headless Chromium driven by Playwright.

``python benchmarks/app_render.py STORE [--entity IRI]`` prints one JSON line per page.

What "rendered" means: a new browser tab (a new Streamlit session, nothing in its session state;
the browser's HTTP cache holds Streamlit's scripts from the warm-up visit, as a returning
reader's would) opens the page's URL; the clock starts just before navigation and stops when
the page's title (``h1`` in the main area) *and* its main content element are visible. The
pages are the ones app.py registers (read from its ``st.Page`` calls, so a new page is measured
too), each with the URL and content elements of ``PAGE_CONTENT``, for example:

* ``/`` overview — the reports table (``stDataFrame``);
* ``/sparql`` — the gallery of saved queries and the code editor (CodeMirror in its iframe);
* ``/graph`` — the graph's iframe with vis-network's ``canvas`` drawn inside it;
* ``/entity?iri=…`` — the entity's facts table (a ``table`` in the main area);
* ``/figures`` — the figures table (``stDataFrame``) and the chart (a Vega ``canvas``/``svg``);
* ``/search?q=经济`` — the first hit; ``/report?iri=…`` — the plan tree; ``/browse`` — the
  entities table; ``/ontology`` — the terms table; ``/upload`` — its form, or the notice that
  uploads are off.

A page app.py registers that ``PAGE_CONTENT`` does not know is timed to its title only
(``content_known`` false in its result).

"Settled" is later: Streamlit's script run for the page has ended (its status widget is gone).
The floor: a one-file Streamlit app that shows a title and a 20-row table, timed the same way
after one warm-up visit — what Streamlit and the browser cost before any page reads data.
The app's server is started and warmed by one visit to ``/entity`` without an IRI (the picker,
which reads no data), then left until it is idle (its CPU time, with its query workers', stops growing: after
the first page the router imports the libraries the other pages draw with and reads the labels), so module
imports are not counted; every later visit also starts on an idle server; each page's own data is computed
(``st.cache_data`` empty) on its first visit. A second visit in another new tab shows
the page with the server's caches warm. All of it — floor included — is repeated in rounds
(3 by default), each with fresh servers: one visit is one sample of a shared machine's load,
so the report gives each page's median.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-sync",
    "--metrics-recording-only",
    "--no-first-run",
]
MAIN = '[data-testid="stMain"]'
TITLE = f"{MAIN} h1"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    content: tuple[str, ...]  # selectors that must all be visible; "iframe >> canvas" looks inside the iframe


@dataclass
class PageTiming:
    name: str
    path: str
    visit: str  # "first" or "again"
    rendered_s: float | None
    settled_s: float | None
    error: str | None = None
    round: int = 1  # measure() repeats everything with a fresh server; the report takes each page's median
    content_known: bool = True  # false: PAGE_CONTENT has no entry for the page, so only its title was waited for


# Each page by its url path in app.py: (the query string of the URL measured, the selectors of its content).
# "{entity}" and "{report}" are filled in (URL-quoted); "iframe >> …" looks inside the page's first iframe.
PAGE_CONTENT: dict[str, tuple[str, tuple[str, ...]]] = {
    "": ("", (f'{MAIN} [data-testid="stDataFrame"]',)),
    "sparql": ("", (f'{MAIN} [data-testid="stExpander"]', "iframe >> .CodeMirror")),
    "graph": ("", (f"{MAIN} iframe", "iframe >> canvas")),
    "entity": ("iri={entity}", (f"{MAIN} table",)),
    "figures": ("", (f'{MAIN} [data-testid="stDataFrame"]', f"{MAIN} .vega-embed canvas, {MAIN} .vega-embed svg")),
    "outcomes": ("", (f'{MAIN} [data-testid="stDataFrame"]', f"{MAIN} .vega-embed canvas, {MAIN} .vega-embed svg")),
    "search": ("q=" + quote("经济"), (f"{MAIN} .kg-hit",)),
    "report": ("iri={report}", (f"{MAIN} details",)),
    "browse": ("", (f"{MAIN} table.kg-browse",)),
    "ontology": ("", (f"{MAIN} table.kg-ontology",)),
    "upload": ("", (f'{MAIN} [data-testid="stFileUploader"], {MAIN} [data-testid="stAlert"]',)),
}
PAGE_NAMES = {"": "overview"}


def app_pages(app: Path = ROOT / "app.py") -> list[str]:
    """The url path of every page app.py registers (``st.Page(..., url_path=...)``, else its file's stem), in order."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(app.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "Page"):
            continue
        given = [k.value.value for k in node.keywords if k.arg == "url_path" and isinstance(k.value, ast.Constant)]
        files = [c.value for c in ast.walk(node.args[0]) if isinstance(c, ast.Constant) and str(c.value).endswith(".py")]
        if given or files:
            found.append((node.lineno, given[0] if given else Path(files[0]).stem))
    return [path for _, path in sorted(found)]


def pages(entity: str, report: str = "") -> list[Page]:
    """Every page app.py registers and the elements that show each one's content."""
    specs = []
    for path in app_pages():
        query, content = PAGE_CONTENT.get(path, ("", ()))
        query = query.format(entity=quote(entity, safe=""), report=quote(report, safe=""))
        specs.append(Page(PAGE_NAMES.get(path, path), f"/{path}" + (f"?{query}" if query else ""), content))
    return specs


def a_report(store: Path) -> str:
    """A report the store holds (the first by IRI), for /report."""
    from kg_build.store import open_store

    rows = open_store(str(store)).query(
        "SELECT ?r WHERE { ?r a <https://w3id.org/policy-kg/def#WorkReport> } ORDER BY ?r LIMIT 1"
    ).rows
    if not rows:
        raise SystemExit(f"no report in the store at {store}")
    return str(rows[0][0])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


FLOOR_APP = """
import pandas as pd
import streamlit as st

st.title("floor")
st.dataframe(pd.DataFrame({"a": list(range(20)), "b": [str(i) for i in range(20)]}), hide_index=True)
"""


@dataclass(frozen=True)
class Server:
    base: str  # http://127.0.0.1:PORT
    pid: int


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and of every process under it now (the app's query workers), from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):  # gone since the listing
            continue
    tree, todo = {pid}, [pid]
    while todo:
        parent = todo.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in tree:
                tree.add(child)
                todo.append(child)
    total = 0.0
    for member in tree:
        try:
            total += cpu_seconds(member)
        except (OSError, ValueError, IndexError):
            continue
    return total


def wait_idle(pid: int, *, quiet_s: float = 0.5, busy_cpu_s: float = 0.02, timeout_s: float = 20.0) -> float:
    """Wait until a process and its children stop working: under ``busy_cpu_s`` of CPU over ``quiet_s``. Returns the
    seconds waited.

    After the warm-up visit the app's router imports what the other pages draw with (``_ui.preload``) and has a
    query worker read every label for the search by name (2.2 s at ten million quads shaped like county reports);
    a page opened while that runs would be charged for it, and the worker's CPU is not the server's own.
    """
    t0 = time.perf_counter()
    last = tree_cpu_seconds(pid)
    while time.perf_counter() - t0 < timeout_s:
        time.sleep(quiet_s)
        now = tree_cpu_seconds(pid)
        if now - last < busy_cpu_s:
            break
        last = now
    return time.perf_counter() - t0


@contextmanager
def streamlit_server(
    store: Path, *, log: Path, timeout_s: float = 60.0, app: Path | None = None, port: int | None = None
) -> Iterator[Server]:
    """``streamlit run APP`` on a loopback port (a free one by default) with KG_STORE=store; stopped (by pid) after."""
    port = port or free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(app or ROOT / "app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    env = {**os.environ, "KG_STORE": str(store)}
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited: {log.read_text(errors='replace')[-1500:]}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not answer its health check in time")
            time.sleep(0.1)
        yield Server(base, process.pid)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _visible(page, selector: str, timeout_ms: float) -> None:  # noqa: ANN001 - a Playwright page
    if selector.startswith("iframe >> "):
        page.frame_locator(f"{MAIN} iframe").first.locator(selector.split(" >> ", 1)[1]).first.wait_for(
            state="visible", timeout=timeout_ms
        )
    else:
        page.locator(selector).first.wait_for(state="visible", timeout=timeout_ms)


def visit(context, base: str, spec: Page, *, visit_name: str, timeout_s: float) -> PageTiming:  # noqa: ANN001
    """Open one page in a new tab (a new Streamlit session) and time it until rendered, then until settled."""
    page = context.new_page()
    rendered = settled = None
    error = None
    try:
        t0 = time.perf_counter()
        page.goto(base + spec.path, wait_until="commit", timeout=timeout_s * 1000)
        for selector in (TITLE, *spec.content):
            left = timeout_s - (time.perf_counter() - t0)
            _visible(page, selector, max(left, 0.001) * 1000)
        rendered = time.perf_counter() - t0
        left = timeout_s - rendered
        # the status widget shows "Running…" while the page's script runs
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
            " && document.querySelector('[data-testid=\"stMain\"]')",
            timeout=max(left, 0.001) * 1000,
            polling=50,
        )
        settled = time.perf_counter() - t0
        problems = page.locator(f'{MAIN} [data-testid="stException"]')
        if problems.count():
            error = "exception: " + " ".join(problems.first.inner_text().split())[:200]
    except Exception as exc:  # noqa: BLE001 - a page that never renders is a result, not a crash
        error = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
    finally:
        page.close()
    return PageTiming(spec.name, spec.path, visit_name, rendered, settled, error, content_known=bool(spec.content))


def _context(browser):  # noqa: ANN001, ANN202 - Playwright objects
    """One browser profile for all visits: its HTTP cache keeps Streamlit's scripts after the warm-up visit."""
    return browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")


def measure(
    store: Path, *, entity: str, log: Path, timeout_s: float = 60.0, rounds: int = 3, report: str | None = None
) -> dict:
    """Time every page on a first and a second visit, ``rounds`` times, each round with a fresh server.

    A round starts the floor app, then the app itself (warmed by one visit), so both see the same
    machine; one visit is one sample of a shared machine's load, and the report takes medians.
    """
    from dataclasses import replace

    from playwright.sync_api import sync_playwright

    report = report or a_report(store)
    results: list[PageTiming] = []
    floor: list[PageTiming] = []
    warm_ups: list[float] = []
    floor_app = log.with_name("floor_app.py")
    floor_app.write_text(FLOOR_APP, encoding="utf-8")
    for number in range(1, rounds + 1):
        with streamlit_server(store, log=log.with_name("streamlit-floor.log"), app=floor_app) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            context = _context(browser)
            spec = Page("floor", "/", (f'{MAIN} [data-testid="stDataFrame"]',))
            for visit_name in ("warm-up", "first", "again"):
                floor.append(replace(visit(context, server.base, spec, visit_name=visit_name, timeout_s=timeout_s), round=number))
                wait_idle(server.pid)
            browser.close()
        with streamlit_server(store, log=log) as server, sync_playwright() as p:
            t0 = time.perf_counter()
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            context = _context(browser)
            visit(context, server.base, Page("warm-up", "/entity", (f"{MAIN} input",)), visit_name="warm-up", timeout_s=timeout_s)
            wait_idle(server.pid)  # the router's preload of other pages' libraries is part of the warm-up
            warm_ups.append(time.perf_counter() - t0)
            for visit_name in ("first", "again"):
                for spec in pages(entity, report):
                    results.append(replace(visit(context, server.base, spec, visit_name=visit_name, timeout_s=timeout_s), round=number))
                    wait_idle(server.pid)  # each page starts on an idle server, as a reader's would
            browser.close()
    return {
        "rounds": rounds,
        "warm_up_s": statistics.median(warm_ups),
        "pages": [asdict(r) for r in results],
        "entity": entity,
        "report": report,
        "floor": [asdict(r) for r in floor],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--entity", required=True, help="IRI for the /entity page")
    parser.add_argument("--report", help="IRI for the /report page (default: the store's first report by IRI)")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=3, help="times every page is measured, each with a fresh server")
    parser.add_argument("--log", type=Path, default=Path("/tmp/benchmark-streamlit.log"))
    args = parser.parse_args()
    result = measure(args.store, entity=args.entity, log=args.log, timeout_s=args.timeout, rounds=args.rounds, report=args.report)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
