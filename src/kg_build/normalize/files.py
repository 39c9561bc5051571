"""Opening input files: only regular files, size checked on the open file before any byte is read.

``open_regular`` stats the path (which never blocks, even on a named pipe), refuses directories,
pipes, sockets and devices (``/dev/zero``), opens without blocking, and checks type and size again
on the open descriptor, so a path swapped in between is caught too. Reads and hashes are bounded
by the size limit and stream in chunks: nothing ever holds more than the limit in memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO, Protocol

from kg_build.errors import InputError

__all__ = ["DEFAULT_MAX_BYTES", "open_regular", "read_limited", "hash_file"]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
REPORT_HINT = "give a report file (.txt or .html)"
SIZE_HINT = "split the report or raise the size limit"
_CHUNK = 1024 * 1024
_KINDS = (
    (stat.S_ISDIR, "is a directory"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
    (stat.S_ISCHR, "is a character device, not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
)


class _Hash(Protocol):
    def update(self, data: bytes, /) -> None: ...


def open_regular(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, hint: str = REPORT_HINT, size_hint: str = SIZE_HINT) -> BinaryIO:
    """The file opened for binary reading; InputError (one line) for a missing path, a special file or one over the limit."""
    path = Path(path)
    try:
        _check(path, os.stat(path), max_bytes=max_bytes, hint=hint, size_hint=size_hint)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror or err}); check the path and its permissions") from None
    try:
        _check(path, os.fstat(fd), max_bytes=max_bytes, hint=hint, size_hint=size_hint)  # the file opened is the one checked
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_limited(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, hint: str = REPORT_HINT, size_hint: str = SIZE_HINT) -> bytes:
    """A regular file's bytes, never more than ``max_bytes`` (a file that grew while read is refused)."""
    with open_regular(path, max_bytes=max_bytes, hint=hint, size_hint=size_hint) as handle:
        try:
            data = handle.read(max_bytes + 1)
        except OSError as err:
            raise InputError(f"{path}: cannot be read ({err.strerror or err}); check its permissions") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: too large (over {_size(max_bytes)}); {size_hint}")
    return data


def hash_file(
    digest: _Hash, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, hint: str = REPORT_HINT, size_hint: str = SIZE_HINT
) -> None:
    """Feed a regular file's bytes to a hashlib object in chunks (the same digest as one update of them all)."""
    total = 0
    with open_regular(path, max_bytes=max_bytes, hint=hint, size_hint=size_hint) as handle:
        while chunk := handle.read(_CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise InputError(f"{path}: too large (over {_size(max_bytes)}); {size_hint}")
            digest.update(chunk)


def _check(path: Path, info: os.stat_result, *, max_bytes: int, hint: str, size_hint: str) -> None:
    for is_kind, what in _KINDS:
        if is_kind(info.st_mode):
            raise InputError(f"{path}: {what}; {hint}")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: not a regular file; {hint}")
    if info.st_size > max_bytes:
        raise InputError(f"{path}: too large ({_size(info.st_size)}, the limit is {_size(max_bytes)}); {size_hint}")


def _size(size: int) -> str:
    """A byte count in MiB (KiB below one MiB, bytes below one KiB), without a needless decimal."""
    if size < 1024:
        return f"{size} bytes"
    unit, scale = ("MiB", 1024 * 1024) if size >= 1024 * 1024 else ("KiB", 1024)
    value = size / scale
    return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
