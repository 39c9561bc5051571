"""What a report's graph keeps when the report comes as text taken from a PDF, against the same report as text.

Each report is laid out as a PDF the way work reports are printed (A4, 16 pt, each paragraph's first line indented
two characters, justified: chromium prints an HTML page of its paragraphs), in six styles of page (``STYLES``): a
page number at the foot; the title at the head as well; 第n页 共N页; a newspaper's name and date at the head and no
page number; a web page printed as the browser prints it, with the date and title at the head and the address and
n/N at the foot; and a newspaper's page, four columns of small type on A3. Each PDF is read back with pdftotext without and with ``-layout``, and built; so is the text itself. Compared, report by report:
the figures (their surface forms), pillars, measures and entities (class and label) each build gives. Lost: in the
text's graph and not in the PDF text's; extra: the other way round.

    python benchmarks/pdf_text.py                     # the bundled reports (those without pinyin annotations)
    python benchmarks/pdf_text.py --reports a.txt b.txt --baseline REV --styles "page number"

``--baseline REV`` builds the PDF texts with that commit's code too (a ``git archive``, first on ``PYTHONPATH``).
Needs chromium and pdftotext (Debian: ``apt-get install chromium poppler-utils``). Writes
``benchmarks/results-pdf-text.json`` and ``benchmarks/results-pdf-text.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
CATEGORIES = ("Figure", "Pillar", "Measure", "entity")
HEADINGS = {"Figure": "figures", "Pillar": "pillars", "Measure": "measures", "entity": "entities"}
ENTITY_CLASSES = (
    "Project", "Platform", "Company", "GovernmentBody", "Organization", "Initiative", "Place", "Event", "Honor",
)
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title><style>
@page {{ size: A4; margin: 25mm 26mm; {boxes} }}
body {{ font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', serif; font-size: 16pt; line-height: 1.6; }}
p {{ text-indent: 2em; margin: 0; text-align: justify; }}
{more}
</style></head><body>{paragraphs}</body></html>"""
# how each page is printed: what its margins hold (CSS page-margin boxes), any other style (a newspaper's page: A3, four
# columns of small type), and whether the browser adds its own header and footer (the date and the page's title, its
# address and n/N: a web page printed as it is)
STYLES = {
    "page number": ('@bottom-center { content: "— " counter(page) " —"; }', "", False),
    "title and page number": (
        '@top-center { content: "政府工作报告"; font-size: 10pt; } @bottom-center { content: "— " counter(page) " —"; }',
        "", False,
    ),
    "第n页 共N页": ('@bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页"; }', "", False),
    "newspaper header only": ('@top-right { content: "人民日报 2026年3月6日"; font-size: 10pt; }', "", False),
    "browser header and footer": ("", "", True),
    "newspaper, four columns": (
        '@top-center { content: "厦门日报 2026年1月5日 第A3版"; font-size: 9pt; }',
        "@page { size: A3; margin: 15mm; } body { font-size: 10pt; line-height: 1.5; column-count: 4; column-gap: 6mm; }",
        False,
    ),
}
ITEMS = """PREFIX pol: <https://w3id.org/policy-kg/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?g ?c ?l WHERE { GRAPH ?g {
  { ?s a pol:QuantifiedStatement ; pol:surfaceForm ?l BIND("Figure" AS ?c) }
  UNION { VALUES ?k { pol:Pillar pol:Measure %s } ?s a ?k ; skos:prefLabel ?l
          BIND(STRAFTER(STR(?k), "#") AS ?c) } } }"""


def _print_pdf(text_file: Path, pdf: Path, work: Path, style: str = "page number") -> None:
    lines = text_file.read_text("utf-8-sig").splitlines()
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    boxes, more, browser_margins = STYLES[style]
    page = work / f"{text_file.stem}.html"
    title = html.escape(f"{text_file.stem} 政府工作报告")
    page.write_text(PAGE.format(paragraphs=paragraphs, boxes=boxes, more=more, title=title), encoding="utf-8")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu",
         *([] if browser_margins else ["--no-pdf-header-footer"]), f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=300,
    )


def _build(folder: Path, store: Path, pythonpath: str | None = None) -> dict[tuple[str, str, str], int]:
    """The items each report's graph holds: (report, category, label) -> how many."""
    env = dict(os.environ, **({"PYTHONPATH": pythonpath} if pythonpath else {}))
    code = (
        "import json, sys\nfrom pathlib import Path\nfrom kg_build.build import build\n"
        "from kg_build.store import LocalStore\n"
        "store = LocalStore(Path(sys.argv[2]))\nbuild([Path(sys.argv[1])], store=store)\n"
        "rows = store.query(sys.argv[3]).rows\n"
        "print(json.dumps([[str(g).rsplit('/', 1)[-1], str(c), str(l)] for g, c, l in rows], ensure_ascii=False))\n"
    )
    query = ITEMS % " ".join(f"pol:{c}" for c in ENTITY_CLASSES)
    out = subprocess.run([sys.executable, "-c", code, str(folder), str(store), query], check=True, capture_output=True,
                         text=True, env=env).stdout
    found: Counter = Counter()
    for report, cls, label in json.loads(out.strip().splitlines()[-1]):
        found[(report, cls if cls in ("Figure", "Pillar", "Measure") else "entity", label)] += 1
    return dict(found)


def _compare(text: dict, other: dict) -> dict[str, dict[str, int]]:
    lost, extra = Counter(text) - Counter(other), Counter(other) - Counter(text)
    return {
        category: {
            "text": sum(n for (_, c, _), n in text.items() if c == category),
            "lost": sum(n for (_, c, _), n in lost.items() if c == category),
            "extra": sum(n for (_, c, _), n in extra.items() if c == category),
        }
        for category in CATEGORIES
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", nargs="*", type=Path, help="report text files (default: the bundled reports)")
    parser.add_argument("--baseline", help="a commit whose code also builds the PDF texts")
    parser.add_argument("--styles", nargs="*", choices=list(STYLES), help="how pages are printed (default: all)")
    parser.add_argument("--out", type=Path, default=HERE / "results-pdf-text.json")
    parser.add_argument("--markdown", type=Path, default=HERE / "results-pdf-text.md")
    args = parser.parse_args()
    from kg_build.resources import bundled_reports_dir

    from kg_build.normalize import strip_pinyin_annotations

    # a web page's pinyin after its characters (擴(kuò)) is nothing a printed report holds: those are left out
    reports = args.reports or [
        p for p in sorted(bundled_reports_dir().glob("*.txt"))
        if strip_pinyin_annotations(p.read_text("utf-8-sig")) == p.read_text("utf-8-sig")
    ]
    if not (shutil.which("chromium") or shutil.which("chromium-browser")) or not shutil.which("pdftotext"):
        sys.exit("needs chromium and pdftotext: apt-get install chromium poppler-utils")
    styles = args.styles or list(STYLES)
    readers = {"pdftotext": [], "pdftotext -layout": ["-layout"]}
    with tempfile.TemporaryDirectory(prefix="kg-pdf-text-") as tmp:
        work = Path(tmp)
        (work / "text").mkdir()
        folders = {(style, reader): work / f"{n}-{m}" for n, style in enumerate(styles) for m, reader in enumerate(readers)}
        for folder in folders.values():
            folder.mkdir()
        for report in reports:
            shutil.copy(report, work / "text" / report.name)
            sidecar = report.with_suffix(".meta.json")
            for style in styles:
                pdf = work / f"{report.stem}.pdf"
                _print_pdf(report, pdf, work, style)
                for reader, flags in readers.items():
                    folder = folders[style, reader]
                    subprocess.run(["pdftotext", *flags, "-enc", "UTF-8", str(pdf), str(folder / report.name)],
                                   check=True, timeout=300)
                    if sidecar.exists():
                        shutil.copy(sidecar, folder / sidecar.name)
            if sidecar.exists():
                shutil.copy(sidecar, work / "text" / sidecar.name)
        text = _build(work / "text", work / "store-text")
        runs = {}
        code = None
        if args.baseline:
            code = work / "baseline"
            code.mkdir()
            archive = subprocess.run(
                ["git", "archive", args.baseline], check=True, capture_output=True, cwd=HERE.parent
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
        for (style, reader), folder in folders.items():
            runs[f"{style} | {reader}"] = _compare(text, _build(folder, work / f"store-{folder.name}"))
            if code is not None:
                runs[f"{style} | {reader}, {args.baseline}"] = _compare(
                    text, _build(folder, work / f"store-{folder.name}-baseline", pythonpath=str(code / "src"))
                )
    result = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "reports": [r.stem for r in reports],
        "runs": runs,
    }
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    command = f" --baseline {args.baseline}" if args.baseline else ""
    lines = [
        "## Reports read from PDF text",
        "",
        f"{len(reports)} reports (the bundled ones without pinyin after their characters), each printed to A4 PDFs "
        "(16 pt, paragraphs indented two characters, justified) in six styles of page, read back with pdftotext, "
        "built, and compared with the same reports built from their text "
        f"({result['date']}; `python benchmarks/pdf_text.py{command}`). Lost: in the text's graph, not in the PDF "
        "text's; extra: the other way round.",
        "",
        "| pages | read with | " + " | ".join(f"{HEADINGS[c]}: lost / extra (of)" for c in CATEGORIES) + " |",
        "|---|---|" + "---|" * len(CATEGORIES),
    ]
    for name, counts in runs.items():
        cells = [f"{counts[c]['lost']} / {counts[c]['extra']} ({counts[c]['text']})" for c in CATEGORIES]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
