"""Named steps of a store write, where tests stop a build to prove every step safe.

``_step`` is called with the name of every file-system step of a local build and its
publish (``local.py``) and with every graph a remote writer sends (``remote.py``).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

FAULT_ENV = "KG_BUILD_FAULT"  # for tests: the process kills itself (SIGKILL) at the build step this names

step_hook: Callable[[str], None] | None = None  # for tests: called with the name of every build step passed


def _step(name: str) -> None:
    """A named step of a build or its publish: where tests kill a build to prove every step safe."""
    if step_hook is not None:
        step_hook(name)
    if os.environ.get(FAULT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
