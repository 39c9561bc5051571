"""What a query worker does to itself before it touches a store: no network, capped memory, no core files.

The network rule is a seccomp-BPF filter (Linux, x86_64 and aarch64): ``socket()`` for any family but
``AF_UNIX`` fails with EPERM, as does ``io_uring_setup`` (which could open sockets behind the filter's
back), every x32 system call and every call made through another architecture's ABI. A worker is
started with no socket open (only its two pipes), so once the filter is in, nothing it runs — a
``SERVICE`` the guard missed included — can reach another host or a port on this one. The filter is
installed with ``PR_SET_NO_NEW_PRIVS`` before any thread starts, and threads inherit it.

Where seccomp is not available (not Linux, another architecture, a kernel without it) the worker
says so in every reply (``QueryRun.sandbox``) and the guard is the only wall.
"""

from __future__ import annotations

import ctypes
import platform
import resource
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
EPERM = 1
AF_UNIX = 1
X32_SYSCALL_BIT = 0x40000000
# architecture word (AUDIT_ARCH_*) and the numbers of the calls the filter looks at
_ARCHES = {
    "x86_64": (0xC000003E, {"socket": 41, "io_uring_setup": 425}),
    "aarch64": (0xC00000B7, {"socket": 198, "io_uring_setup": 425}),
}
_ARCHES["amd64"] = _ARCHES["x86_64"]
_ARCHES["arm64"] = _ARCHES["aarch64"]

# classic BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06


def _instruction(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def network_filter(machine: str) -> bytes:
    """The BPF program (as bytes of ``struct sock_filter``) that denies outbound networking on ``machine``."""
    arch, calls = _ARCHES[machine]
    deny = SECCOMP_RET_ERRNO | EPERM
    program = [
        (_LD_W_ABS, 0, 0, 4),  # 0: seccomp_data.arch
        (_JEQ_K, 1, 0, arch),  # 1: our ABI? else fall through to deny
        (_RET_K, 0, 0, deny),  # 2: another architecture's calls (e.g. int 0x80): none allowed
        (_LD_W_ABS, 0, 0, 0),  # 3: seccomp_data.nr
        (_JGE_K, 5, 0, X32_SYSCALL_BIT),  # 4: x32 calls -> 10 (deny)
        (_JEQ_K, 4, 0, calls["io_uring_setup"]),  # 5: -> 10 (deny)
        (_JEQ_K, 0, 2, calls["socket"]),  # 6: socket -> 7, else -> 9 (allow)
        (_LD_W_ABS, 0, 0, 16),  # 7: args[0] (low 32 bits, little-endian): the address family
        (_JEQ_K, 0, 1, AF_UNIX),  # 8: AF_UNIX -> 9 (allow), else -> 10 (deny)
        (_RET_K, 0, 0, SECCOMP_RET_ALLOW),  # 9
        (_RET_K, 0, 0, deny),  # 10
    ]
    return b"".join(_instruction(*step) for step in program)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def deny_network() -> str:
    """Install the network filter on this process; returns "seccomp", or why it could not."""
    machine = platform.machine().lower()
    if not sys.platform.startswith("linux"):
        return f"unavailable on {sys.platform}: the query guard is the only wall"
    if machine not in _ARCHES:
        return f"unavailable on {machine}: the query guard is the only wall"
    program = network_filter(machine)
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as exc:
        return f"unavailable ({exc}): the query guard is the only wall"
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return f"unavailable (PR_SET_NO_NEW_PRIVS: errno {ctypes.get_errno()}): the query guard is the only wall"
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        return f"unavailable (seccomp: errno {ctypes.get_errno()}): the query guard is the only wall"
    return "seccomp"


def cap_memory(memory_mb: int) -> None:
    """Cap this process's address space (RLIMIT_AS) and write no core file when it dies."""
    cap = memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def cap_cpu(seconds: float) -> None:
    """Let this process use at most ``seconds`` more CPU time (then SIGXCPU ends it)."""
    if not hasattr(resource, "RLIMIT_CPU"):
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    limit = int(usage.ru_utime + usage.ru_stime + seconds) + 1
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))


def enter(*, memory_mb: int, network: bool) -> str:
    """Everything a worker does first: memory cap, then (unless ``network``) the network filter."""
    try:
        cap_memory(memory_mb)
    except (ValueError, OSError) as exc:  # e.g. a platform without RLIMIT_AS
        memory = f"; no memory cap ({exc})"
    else:
        memory = ""
    if network:
        return "off (network allowed)" + memory
    return deny_network() + memory
