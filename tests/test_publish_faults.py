"""A real build killed (SIGKILL) at every file-system step of its write and publish.

Each case runs `kg-build build` in a subprocess that kills itself at one named step
(``KG_BUILD_FAULT``, read by ``kg_build.store.faults._step``), then checks that the store
opens at a published generation with that generation's quads, that ``check`` finds
nothing wrong, and that the next build succeeds, publishes, and leaves no leftover.
The steps are taken from the code: the table must name every ``_step`` in store/local.py,
and a build must pass through every one of them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from integration_helpers import copy_store, store_nquads
from kg_build.store import faults as store_module
from kg_build.store import local as local_store
from kg_build.build import build, content_hash, stored_hashes
from kg_build.errors import InputError, StoreError
from kg_build.resources import bundled_reports_dir
from kg_build.store import FAULT_ENV, GENERATIONS, KEEP_GENERATIONS, GenerationWriter, LocalStore

PREVIOUS, NEW = "previous", "new"  # what a kill at a step leaves published: the generation before, or the build's own

# (step, what the store holds after a kill there), in the order a build passes the steps
STEPS = [
    ("make-directories", PREVIOUS),
    ("remove-leftovers", PREVIOUS),
    ("copy-generation", PREVIOUS),
    ("copy-file", PREVIOUS),  # after the first file of the copy
    ("open-generation", PREVIOUS),
    ("drop-graph", PREVIOUS),
    ("load", PREVIOUS),
    ("flush", PREVIOUS),
    ("compact", PREVIOUS),
    ("write-index", PREVIOUS),  # the search index, written into the unpublished generation
    ("write-record", PREVIOUS),
    ("replace-record", PREVIOUS),
    ("close-generation", PREVIOUS),
    ("rename-generation", PREVIOUS),
    ("link-current", PREVIOUS),  # renamed into place, not published: what used to block every later build
    ("switch-current", PREVIOUS),
    ("prune", NEW),
    ("retire-generation", NEW),
    ("remove-generation", NEW),  # an old generation half removed
]
# steps only a build that fails passes (two files are one report): it is killed while it discards its copy
FAILING_STEPS = [("discard", PREVIOUS)]
# a store's first build, killed before anything was published: there is still no store, and the next build makes one
FIRST_BUILD_STEPS = ["load", "rename-generation", "link-current", "switch-current"]

# the build run in the subprocess: the CLI itself, compacting every generation so that step is reached too
BUILD_SCRIPT = (
    "import sys; from kg_build.store import GenerationWriter; "
    "GenerationWriter.COMPACT_AFTER_LOADS = 1; GenerationWriter.COMPACT_SHARE = 0; "
    "from kg_build.cli import main; main(sys.argv[1:], prog_name='kg-build')"
)


def _changed_report(folder: Path) -> Path:
    """The seed report with its sidecar, its text changed a little (so its graph changes)."""
    folder.mkdir(parents=True, exist_ok=True)
    seed = bundled_reports_dir() / "huli-2026.txt"
    shutil.copy(seed.with_name("huli-2026.meta.json"), folder / "huli-2026.meta.json")
    (folder / "huli-2026.txt").write_text(seed.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    return folder / "huli-2026.txt"


def _clashing_report(folder: Path) -> Path:
    """Another copy of the seed under another name: the same report id, so the build fails inside its writer
    once both are built (after the first one's graph was written to the new generation)."""
    folder.mkdir(parents=True, exist_ok=True)
    seed = bundled_reports_dir() / "huli-2026.txt"
    shutil.copy(seed.with_name("huli-2026.meta.json"), folder / "zz-clash.meta.json")
    (folder / "zz-clash.txt").write_text(seed.read_text(encoding="utf-8") + "\n\n\n", encoding="utf-8")
    return folder / "zz-clash.txt"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A store of two generations of the seed report, its quads, and the changed report."""
    root = tmp_path_factory.mktemp("faults")
    seed = bundled_reports_dir() / "huli-2026.txt"
    store = LocalStore(root / "store")
    build([seed], store=store)
    build([seed], store=store, force=True)  # two published generations: the next publish prunes one
    changed = _changed_report(root / "reports")
    return {
        "store": store,
        "changed": changed,
        "clashing": _clashing_report(root / "clash"),
        "before": store_nquads(store),
        "after": {"https://w3id.org/policy-kg/id/report/huli-2026": content_hash(changed)},
    }


def _holds_the_changed_report(store: LocalStore, hashes: dict[str, str]) -> bool:
    """The changed report's graph is published (by its content hash: extraction may change while tests run)."""
    return stored_hashes(store) == hashes and store_nquads(store) != b""


def _killed_build(step: str, store: Path, reports: list[Path]) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", BUILD_SCRIPT, "build", *map(str, reports), "--store", str(store)]
    return subprocess.run(command, env={**os.environ, FAULT_ENV: step}, capture_output=True, text=True, timeout=300)


def _numbers_on_disk(root: Path) -> list[int]:
    return [int(p.name.split(".", 1)[0]) for p in (root / GENERATIONS).iterdir() if p.name.split(".", 1)[0].isdigit()]


def _assert_the_next_build_publishes(store: LocalStore, changed: Path, expected: dict[str, str], above: int) -> None:
    summary = build([changed], store=store, force=True)
    assert [r.report_id for r in summary.built] == ["huli-2026"]
    reader = LocalStore(store.root)
    assert int(reader.generation()) > above  # never a number a stopped build left on disk
    assert _holds_the_changed_report(reader, expected)
    names = sorted(p.name for p in (store.root / GENERATIONS).iterdir())
    assert all(n.isdigit() for n in names) and len(names) <= KEEP_GENERATIONS, names  # no leftover kept
    assert reader.generation() in names and not (store.root / ".current.tmp").is_symlink()
    assert not [c for c in reader.check() if c.problem]


CASES = [(step, left, False) for step, left in STEPS] + [(step, left, True) for step, left in FAILING_STEPS]


@pytest.mark.parametrize(("step", "left", "failing"), CASES, ids=[c[0] for c in CASES])
def test_a_build_killed_at_each_step(base: dict, tmp_path: Path, step: str, left: str, failing: bool) -> None:
    store = copy_store(base["store"], tmp_path / "store")
    previous = store.generation()
    reports = [base["changed"], base["clashing"]] if failing else [base["changed"]]
    proc = _killed_build(step, store.root, reports)
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr[-2000:])  # it reached the step
    reader = LocalStore(store.root)
    if left == PREVIOUS:
        assert reader.generation() == previous
        assert store_nquads(reader) == base["before"]
    else:
        assert int(reader.generation()) > int(previous)
        assert _holds_the_changed_report(reader, base["after"])
    assert not [c.line() for c in reader.check() if c.problem]
    _assert_the_next_build_publishes(store, base["changed"], base["after"], max(_numbers_on_disk(store.root)))


@pytest.mark.parametrize("step", FIRST_BUILD_STEPS)
def test_a_first_build_killed_before_it_published(base: dict, tmp_path: Path, step: str) -> None:
    root = tmp_path / "store"
    proc = _killed_build(step, root, [base["changed"]])
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr[-2000:])
    reader = LocalStore(root)
    assert reader.generation() is None and not reader.exists()
    with pytest.raises(StoreError, match="kg-build build"):
        reader.open_read()
    summary = build([base["changed"]], store=reader)
    assert [r.report_id for r in summary.built] == ["huli-2026"]
    assert int(reader.generation()) > max([0, *_numbers_on_disk(root)]) - 1
    assert [p.name for p in (root / GENERATIONS).iterdir()] == [reader.generation()]


def test_the_table_names_every_step_in_the_code() -> None:
    source = Path(local_store.__file__).read_text(encoding="utf-8")
    in_code = set(re.findall(r'\b_step\("([a-z-]+)"\)', source))
    assert in_code == {step for step, _ in STEPS + FAILING_STEPS}
    assert set(FIRST_BUILD_STEPS) <= in_code


def test_a_build_passes_every_step_of_the_table(base: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    passed: list[str] = []
    monkeypatch.setattr(store_module, "step_hook", passed.append)
    monkeypatch.setattr(GenerationWriter, "COMPACT_AFTER_LOADS", 1)
    monkeypatch.setattr(GenerationWriter, "COMPACT_SHARE", 0)
    store = copy_store(base["store"], tmp_path / "store")
    with pytest.raises(InputError, match="both report huli-2026"):
        build([base["changed"], base["clashing"]], store=store)
    build([base["changed"]], store=store)
    assert set(passed) == {step for step, _ in STEPS + FAILING_STEPS}
    # and in the table's order (each step's first pass)
    first = sorted(set(passed), key=passed.index)
    assert [s for s in first if s != "discard"] == [step for step, _ in STEPS]
