"""Helpers for the integration tests: real servers on free loopback ports, store snapshots, the CLI."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from kg_build.store import LocalStore

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def kg_build_command() -> list[str]:
    """How to run ``kg-build`` in a subprocess: the installed script, else ``python -m kg_build.cli``."""
    script = Path(sys.executable).parent / "kg-build"
    if script.is_file():
        return [str(script)]
    found = shutil.which("kg-build")
    return [found] if found else [sys.executable, "-m", "kg_build.cli"]


def wait_until(check, *, timeout: float = 20.0, step: float = 0.05) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return False


def _answers_http(url: str) -> bool:
    try:
        return httpx.get(url, params={"query": "ASK {}"}, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def running(command: list[str], *, ready_url: str, log: Path, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    """Start a server process, wait until ``ready_url`` answers an ASK, and stop it (and only it) afterwards."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
    try:
        if not wait_until(lambda: process.poll() is not None or _answers_http(ready_url)) or process.poll() is not None:
            raise RuntimeError(f"server did not start: {log.read_text(errors='replace')[-2000:]}")
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class EndpointURL(str):
    """The query URL of a running endpoint, with its server process."""

    process: subprocess.Popen


@contextmanager
def kg_endpoint(store: Path, tmp_path: Path, *, timeout_s: float = 10.0, extra: tuple[str, ...] = ()) -> Iterator[EndpointURL]:
    """``kg-build serve`` over a local store on a free port; yields the query URL."""
    port = free_port()
    url = EndpointURL(f"http://{HOST}:{port}/query")
    command = [*kg_build_command(), "serve", "--store", str(store), "--port", str(port), "--timeout-s", str(timeout_s), *extra]
    with running(command, ready_url=url, log=tmp_path / f"serve-{port}.log") as process:
        url.process = process
        yield url


def _state_and_parent(pid_dir: Path) -> tuple[str, int]:
    """A process's state letter (``Z``: a zombie, finished) and its parent's pid, from /proc/PID/stat."""
    fields = (pid_dir / "stat").read_text().rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    """True while a process runs (a zombie has finished)."""
    try:
        return _state_and_parent(Path(f"/proc/{pid}"))[0] != "Z"
    except (OSError, IndexError, ValueError):
        return False


def live_children(pid: int) -> dict[int, str]:
    """A process's live children: pid → command line (Linux /proc)."""
    found = {}
    for pid_dir in Path("/proc").glob("[0-9]*"):
        try:
            state, parent = _state_and_parent(pid_dir)
            if parent == pid and state != "Z":
                found[int(pid_dir.name)] = (pid_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except (OSError, IndexError, ValueError):
            continue
    return found


def child_commands(pid: int) -> list[str]:
    """The command lines of a process's live children (Linux /proc)."""
    return sorted(live_children(pid).values())


@contextmanager
def oxigraph_server(location: Path, tmp_path: Path) -> Iterator[str]:
    """A real read-write ``oxigraph serve`` on a free port; yields its base URL."""
    from kg_build.serve import oxigraph_binary

    port = free_port()
    base = f"http://{HOST}:{port}"
    command = [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"{HOST}:{port}"]
    with running(command, ready_url=f"{base}/query", log=tmp_path / f"oxigraph-{port}.log"):
        yield base


def store_nquads(store: LocalStore) -> bytes:
    """Every quad of a local store as sorted N-Quads (blank nodes canonical): what 'unchanged' is checked on."""
    from kg_build.export import export_graph

    if not store.exists():
        return b""
    return export_graph(store, fmt="nquads")


def copy_store(src: LocalStore, dst: Path) -> LocalStore:
    """A private copy of a store (tests that write must not touch shared fixtures)."""
    shutil.copytree(src.root, dst, symlinks=True, ignore=shutil.ignore_patterns("writer.lock", "*.partial"))
    return LocalStore(dst)
