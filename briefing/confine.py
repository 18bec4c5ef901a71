"""What the build reads stays inside the project: a symbolic link under ``content/``, ``templates/`` or
``theme/`` that resolves outside the project folder is refused with its file name (``/etc/passwd`` as an
article, ``/proc/self/environ`` as a stylesheet). Links that stay inside the project keep working."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .errors import SourceError


def resolves_inside(path: str | Path, root: str | Path) -> bool:
    """True if ``path``, every symbolic link followed, is ``root`` or under it (``root`` resolved too)."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def check_inside(path: str | Path, root: str | Path) -> None:
    """Raise ``SourceError`` naming ``path`` if it is a link (or under a linked folder) leading out of ``root``."""
    if not resolves_inside(path, root):
        raise SourceError(
            path,
            f"a symbolic link to {os.path.realpath(path)}, outside the project {root}: refused "
            "(copy the file into the project instead)",
        )


def project_files(folder: Path, root: Path) -> Iterator[Path]:
    """Every file under ``folder``, sorted, following links that stay inside ``root`` (each folder once, so a
    link loop ends); a link leading outside raises ``SourceError``."""
    seen: set[str] = set()
    for here, dirs, files in os.walk(folder, followlinks=True):
        for name in [*dirs, *files]:
            check_inside(os.path.join(here, name), root)
        real = os.path.realpath(here)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        yield from (Path(here) / name for name in sorted(files))
