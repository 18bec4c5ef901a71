"""Watching the project's inputs for ``serve``: the kernel says which files changed (inotify on Linux, through the
maintained ``watchfiles`` library), so a save is seen within milliseconds and no rescan of the inputs is needed
to find it. livereload still serves the browser protocol; only its polling watcher is replaced.

Two watchers run in daemon threads: one over ``content/``, ``templates/`` and ``theme/`` (recursive), one over the
project folder itself for ``site.yaml`` alone (an editor that saves by renaming replaces the file, which a watch
on the file would lose). Neither ever looks into ``output/`` or ``.cache/``: the build's own writes raise no event.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

STEP_MS = 10  # a burst of events is yielded once this long has passed without a new one
DEBOUNCE_MS = 400  # and at the latest after this long


class Watch:
    """Calls ``on_change`` (from a watcher thread) with the set of changed paths; ``stop`` ends both threads."""

    def __init__(self, folders: list[Path], config_file: Path, on_change: Callable[[set[Path]], None]) -> None:
        self._stop = threading.Event()
        self._threads = [
            self._start([f for f in folders if f.is_dir()], on_change, recursive=True, only=None),
            self._start([config_file.parent], on_change, recursive=False, only=config_file.name),
        ]

    def _start(
        self, paths: list[Path], on_change: Callable[[set[Path]], None], recursive: bool, only: str | None
    ) -> threading.Thread:
        usual = watchfiles.DefaultFilter()  # editors' swap and backup files, version control folders

        def keep(change: watchfiles.Change, path: str) -> bool:
            return Path(path).name == only if only else usual(change, path)

        def loop() -> None:
            if not paths:
                return
            for changes in watchfiles.watch(
                *paths,
                watch_filter=keep,
                debounce=DEBOUNCE_MS,
                step=STEP_MS,
                stop_event=self._stop,
                recursive=recursive,
                raise_interrupt=False,
            ):
                on_change({Path(p) for _, p in changes})

        thread = threading.Thread(target=loop, name="briefing-watch", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)
