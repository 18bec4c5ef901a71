"""Child processes of a build (forked render workers, the search indexer) never outlive it."""

from __future__ import annotations

import os
import signal


def die_with_parent(parent: int | None = None) -> None:
    """Ask Linux to kill this process when its parent dies (PR_SET_PDEATHSIG): a killed build must not leave a
    worker writing into its staging folder or holding the project lock. ``parent``: the pid that forked us;
    if it is already gone (it died before we got here), exit now."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)
