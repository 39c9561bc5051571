"""Warm query workers, one per running query; a worker over its limit is killed and replaced, never abandoned."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable

from kg_build.engine.errors import EngineBusy, EngineStopped, QueryTimeout
from kg_build.engine.limits import DEFAULT_LIMITS, QueryLimits

_POLL_S = 0.1
START_S = 60.0  # how long a fresh worker may take to start (imports on a loaded machine)
IDLE_WORKERS = 2  # kept warm per sandbox profile
MAX_WORKERS = 4  # queries running at once in one pool; more wait for a worker (up to their time limit)


class _Worker:
    """One worker process (a fresh interpreter, so no caller's __main__ is re-run) and the pipes to it."""

    def __init__(self, memory_mb: int, network: bool) -> None:
        from multiprocessing.connection import Connection

        req_r, req_w = os.pipe()
        res_r, res_w = os.pipe()
        code = f"from kg_build.engine.worker import main; main({req_r}, {res_w}, {memory_mb}, {network})"
        self.log = tempfile.TemporaryFile()  # the worker's stderr: why it stopped, if it says
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", code],
                pass_fds=(req_r, res_w),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self.log,
                close_fds=True,
                # glibc reserves 64 MiB of address space per thread's malloc arena; the cap counts it
                env={**os.environ, "MALLOC_ARENA_MAX": "2"},
            )
        finally:
            os.close(req_r)
            os.close(res_w)
        self.requests = Connection(req_w, readable=False)
        self.replies = Connection(res_r, writable=False)
        self.profile = (memory_mb, network)
        self.ready = False  # True once it said so (sandboxed, engine loaded)

    def wait_ready(self) -> bool:
        """Wait (outside any query's time limit) until a fresh worker has started; False if it died first."""
        if self.ready:
            return True
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            try:
                if self.replies.poll(_POLL_S):
                    self.ready = self.replies.recv() == "ready"
                    return self.ready
            except (EOFError, OSError):
                return False
            if not self.alive():
                return False
        return False

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """Kill the process now (a query may be running in it) and reap it."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.requests.close()
        self.replies.close()
        self.log.close()

    def last_words(self) -> str:
        """The last line the worker wrote to stderr (a Python error at start, Rust's "memory allocation … failed")."""
        try:
            self.log.seek(0)
            lines = self.log.read()[-4096:].decode("utf-8", "replace").strip().splitlines()
        except (OSError, ValueError):
            return ""
        return " ".join(lines[-1].split())[:200] if lines else ""

    def stop(self) -> None:
        """Ask an idle worker to end (it closes its store), killing it if it does not."""
        try:
            self.requests.send(None)
            self.process.wait(2)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        self.kill()


def _stopped(worker: _Worker, limits: QueryLimits) -> EngineStopped:
    try:
        returncode = worker.process.wait(1)
    except subprocess.TimeoutExpired:
        returncode = None
    said = worker.last_words()
    if returncode is not None and returncode > 0:
        return EngineStopped(f"the query worker could not run (exit {returncode}{': ' + said if said else ''})")
    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
    else:
        name = f"exit {returncode}"
    if name == "SIGXCPU":
        why = f"its CPU time limit of {limits.timeout_s + 1:g} s"
    elif "memory allocation" in said:
        why = f"over the memory limit of {limits.memory_mb} MB"
    else:
        why = f"the memory limit of {limits.memory_mb} MB, or a query too deep for it?"
    last = f'; its last words: "{said[:120]}"' if said else ""
    return EngineStopped(f"the query engine stopped ({name}: {why}){last}; a fresh one is ready: simplify the query")


class WorkerPool:
    """Warm worker processes handed out one per running query; a stopped query's worker is killed."""

    def __init__(self, *, idle: int = IDLE_WORKERS, max_workers: int = MAX_WORKERS) -> None:
        self._idle: dict[tuple[int, bool], list[_Worker]] = {}
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_workers)
        self._keep = idle
        self.started = 0  # workers started so far (for tests)
        self.last_pid: int | None = None  # the worker that ran (or is running) the latest query (for tests)

    def _take(self, profile: tuple[int, bool]) -> _Worker:
        with self._lock:
            idle = self._idle.get(profile, [])
            while idle:
                worker = idle.pop()
                if worker.alive():
                    return worker
                worker.kill()
            self.started += 1
        return _Worker(*profile)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            idle = self._idle.setdefault(worker.profile, [])
            if worker.alive() and len(idle) < self._keep:
                idle.append(worker)
                return
        worker.stop()

    def warm(self, limits: QueryLimits = DEFAULT_LIMITS) -> None:
        """Start a worker ahead of the first query, so that query does not wait for Python to start."""
        profile = (limits.memory_mb, limits.service)
        with self._lock:
            if self._idle.get(profile):
                return
            self.started += 1
        self._give_back(_Worker(*profile))

    def close(self) -> None:
        with self._lock:
            idle, self._idle = [w for ws in self._idle.values() for w in ws], {}
        for worker in idle:
            worker.stop()

    def run(self, request: tuple, limits: QueryLimits, *, on_wait: Callable[[float], None] | None = None) -> tuple:
        """Send one request to a worker and wait for its reply at most ``limits.timeout_s`` seconds."""
        if not self._slots.acquire(timeout=limits.timeout_s):
            raise EngineBusy(
                f"every query worker was busy for {limits.timeout_s:g} s: try again in a moment"
            )
        try:
            return self._run(request, limits, on_wait)
        finally:
            self._slots.release()

    def _run(self, request: tuple, limits: QueryLimits, on_wait: Callable[[float], None] | None) -> tuple:
        worker = self._take((limits.memory_mb, limits.service))
        self.last_pid = worker.pid
        done = False
        try:
            if not worker.wait_ready():  # a Python start is not the query's time
                raise _stopped(worker, limits)
            started = time.monotonic()
            try:
                worker.requests.send(request)
            except OSError:
                raise _stopped(worker, limits) from None
            while True:
                waited = time.monotonic() - started
                try:
                    ready = worker.replies.poll(min(_POLL_S, max(limits.timeout_s - waited, 0)))
                    if ready:
                        reply = worker.replies.recv()
                        done = True
                        return reply
                except (EOFError, OSError):
                    raise _stopped(worker, limits) from None
                if time.monotonic() - started >= limits.timeout_s:
                    raise QueryTimeout(
                        f"the query ran longer than the time limit of {limits.timeout_s:g} s and was stopped; "
                        "narrow it down (LIMIT, more specific patterns) or raise the limit"
                    )
                if not worker.alive():
                    raise _stopped(worker, limits)
                if on_wait is not None:
                    on_wait(time.monotonic() - started)
        finally:
            if done:
                self._give_back(worker)
            else:
                worker.kill()


_POOL = WorkerPool()


def default_pool() -> WorkerPool:
    """The process-wide pool of query workers."""
    return _POOL
