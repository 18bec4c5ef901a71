"""The single place that writes the site and the editor's files: atomic, and only what changed.

* ``write_text_atomic``: temp file in the same folder, fsync, rename; a crash leaves the old file.
* ``Staging``: the whole site goes into a staging folder beside ``output/``; unchanged files are
  hard-linked from the current site (no rewrite), changed ones written (by forked workers too);
  then the staging folder is swapped in. A failed or killed build never leaves a half-written ``output/``.
* ``project_lock``: one build/translate at a time per project.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LockError


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


@dataclass
class PublishReport:
    written: set[str] = field(default_factory=set)  # new or changed files (site-relative, posix)
    unchanged: int = 0
    removed: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        return len(self.written) + self.unchanged


def _safe_rel(rel: str) -> Path:
    p = Path(rel)
    if p.is_absolute() or ".." in p.parts or not p.parts:
        raise ValueError(f"refusing to write outside the site: {rel!r}")
    return p


class Staging:
    """A fresh copy of the site beside ``output/``: ``put`` each file, then ``commit`` swaps it in.

    ``put`` hard-links a file whose bytes equal the published one (no rewrite) and writes the others.
    It may be called from forked worker processes, each with its own share of the files; ``commit``
    and ``abort`` belong to the process that made the staging folder."""

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.staging-", dir=self.output.parent))
        self._dirs: set[Path] = set()
        self._had_output = self.output.is_dir()

    def put(self, rel: str, data: bytes) -> bool:
        """Stage one file; True if written, False if linked unchanged from the published site."""
        relp = _safe_rel(rel)
        dest = self.path / relp
        parent = dest.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        if self._had_output:
            old = self.output / relp
            try:
                if os.stat(old).st_size == len(data) and old.read_bytes() == data:
                    os.link(old, dest)
                    return False
            except OSError:
                pass
        with open(dest, "wb") as fh:
            fh.write(data)
        return True

    def commit(self, seen: set[str], report: PublishReport, finish: Callable[[Path], None] | None = None) -> None:
        """Record what the new site drops, run ``finish`` on the staged copy, swap it in."""
        if self._had_output:
            for old in self.output.rglob("*"):
                if old.is_file():
                    rel = old.relative_to(self.output).as_posix()
                    if rel not in seen and not rel.startswith("pagefind/"):
                        report.removed.add(rel)
        if finish is not None:
            finish(self.path)
        _swap(self.path, self.output)

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def write_changed(files: list[tuple[str, bytes]], removed: set[str], output: Path) -> PublishReport:
    """Incremental publish (serve): replace each changed file atomically in place, delete vanished ones."""
    report = PublishReport()
    for rel, data in files:
        write_bytes_atomic(output / _safe_rel(rel), data)
        report.written.add(rel)
    for rel in removed:
        with contextlib.suppress(FileNotFoundError):
            (output / _safe_rel(rel)).unlink()
        report.removed.add(rel)
    return report


def _swap(staging: Path, output: Path) -> None:
    os.chmod(staging, 0o755)
    if output.exists():
        trash = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        os.replace(output, trash / "site")
        os.replace(staging, output)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.replace(staging, output)


def clean_stale_staging(output: Path) -> None:
    """Remove staging/old folders left by a killed build (they never replace ``output/``). A build killed
    between the two renames of the swap left no ``output/``: the previous site is put back first."""
    if not output.exists():
        for old in sorted(output.parent.glob(f".{output.name}.old-*")):
            if (old / "site").is_dir():
                os.replace(old / "site", output)
                break
    for p in output.parent.glob(f".{output.name}.staging-*"):
        shutil.rmtree(p, ignore_errors=True)
    for p in output.parent.glob(f".{output.name}.old-*"):
        shutil.rmtree(p, ignore_errors=True)


@contextlib.contextmanager
def project_lock(root: Path, what: str) -> Iterator[None]:
    """Hold an exclusive lock on ``root/.briefing.lock``; a second run fails fast with ``LockError``."""
    path = root / ".briefing.lock"
    fh = open(path, "a+")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another run"
            raise LockError(f"{what}: the project is busy ({holder}); wait for it to finish and retry") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{what} (pid {os.getpid()})")
        fh.flush()
        yield
    finally:
        fh.close()
