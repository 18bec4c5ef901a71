"""The single place that writes the site and the editor's files: atomic, and only what changed.

* ``write_text_atomic``: temp file in the same folder, fsync, rename; a crash leaves the old file.
* ``Staging``: the whole site goes into a staging folder; unchanged files are hard-linked from the
  current site (no rewrite), changed ones written (by forked workers too); then it is swapped in.
  A failed or killed build never leaves a half-written ``output/``, and never no ``output/``:
  - usually the staging folder is beside ``output/`` and the two folders are exchanged in one
    ``renameat2(RENAME_EXCHANGE)`` call: readers see the old site or the new one, nothing between;
  - when ``output/`` is a mount point (a container volume) or its parent cannot be written, the
    folder itself cannot be renamed: the staging folder is made *inside* it and its top-level
    entries (``fr/``, ``en/``, ``assets/``, ``index.html``…) are exchanged one by one, each
    atomically. For the microseconds between the first and the last exchange a reader may get a
    new ``fr/`` beside an old ``en/``; a build killed in that window leaves such a mix (every file
    whole) until the next build.
* ``project_lock`` and ``output_lock``: one build/translate at a time per project, and one publish at
  a time per output folder (two projects, or two ``--output``s, may point at the same one).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BriefingError, LockError


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


IN_PLACE_PREFIX = ".briefing-"  # staging folders made inside output/ (mount point): never published, never swapped


def swaps_in_place(output: Path) -> bool:
    """True when ``output/`` cannot be renamed as a whole: a mount point, or a folder whose parent is read-only."""
    return output.is_dir() and (os.path.ismount(output) or not os.access(output.parent, os.W_OK))


class Staging:
    """A fresh copy of the site: ``put`` each file, then ``commit`` swaps it in.

    ``put`` hard-links a file whose bytes equal the published one (no rewrite) and writes the others.
    It may be called from forked worker processes, each with its own share of the files; ``commit``
    and ``abort`` belong to the process that made the staging folder."""

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.in_place = swaps_in_place(self.output)
        where, prefix = (
            (self.output, IN_PLACE_PREFIX) if self.in_place else (self.output.parent, f".{self.output.name}.")
        )
        self.path = Path(tempfile.mkdtemp(prefix=prefix + "staging-", dir=where))
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

    def link(self, rel: str) -> None:
        """Stage the published file ``rel`` as it is (an incremental build keeps it): a hard link, no copy."""
        relp = _safe_rel(rel)
        dest = self.path / relp
        if dest.parent not in self._dirs:
            dest.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(dest.parent)
        os.link(self.output / relp, dest)

    def commit(self, seen: set[str], report: PublishReport, finish: Callable[[Path], None] | None = None) -> None:
        """Record what the new site drops, run ``finish`` on the staged copy, swap it in."""
        if self._had_output:
            for rel in _files_under(self.output):
                if rel not in seen and not rel.startswith(("pagefind/", IN_PLACE_PREFIX)):
                    report.removed.add(rel)
        if finish is not None:
            finish(self.path)
        os.chmod(self.path, 0o755)
        if self.in_place:
            _swap_contents(self.path, self.output)
        else:
            _swap(self.path, self.output)

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _files_under(root: Path) -> Iterator[str]:
    """The site-relative path of every file under ``root`` (``os.scandir``: a few times faster than ``rglob``)."""
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        for e in os.scandir(folder):
            if e.is_dir(follow_symlinks=False):
                stack.append((prefix + e.name + "/", e.path))
            elif e.is_file():
                yield prefix + e.name


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


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> None:
    """Swap two existing paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``): at no moment is either
    missing. OSError when the system or the filesystem cannot (ENOSYS, EINVAL) or ``b`` is a mount point (EBUSY)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        raise OSError(errno.ENOSYS, "renameat2 is not available") from None
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


_CANNOT_EXCHANGE = (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP)
_CANNOT_RENAME = (errno.EBUSY, errno.EXDEV, errno.EACCES, errno.EPERM, errno.EROFS)


def _swap(staging: Path, output: Path) -> None:
    """The staging folder (beside ``output/``) becomes ``output/``; the old site is deleted."""
    if not output.exists():
        os.replace(staging, output)
        return
    try:
        exchange(staging, output)  # output/ is the new site, staging/ holds the old one
    except OSError as exc:
        if exc.errno in _CANNOT_RENAME:  # output/ is a mount point after all: swap what is inside it
            inside = Path(tempfile.mkdtemp(prefix=IN_PLACE_PREFIX + "staging-", dir=output))
            _move_tree(staging, inside)
            _swap_contents(inside, output)
            return
        if exc.errno not in _CANNOT_EXCHANGE:
            raise
        _swap_by_two_renames(staging, output)
        return
    shutil.rmtree(staging, ignore_errors=True)


def _swap_by_two_renames(staging: Path, output: Path) -> None:
    """Where the filesystem cannot exchange: for a moment there is no ``output/`` (``clean_stale_staging``
    puts the old site back if the build is killed in that moment)."""
    trash = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    os.replace(output, trash / "site")
    os.replace(staging, output)
    shutil.rmtree(trash, ignore_errors=True)


def _move_tree(src: Path, dest: Path) -> None:
    """Move a staged site into ``dest`` (an empty folder), across filesystems if need be."""
    try:
        os.rmdir(dest)
        os.rename(src, dest)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.copytree(src, dest, dirs_exist_ok=True)
        shutil.rmtree(src, ignore_errors=True)


def _swap_contents(staging: Path, output: Path) -> None:
    """``output/`` stays (a mount point): each top-level entry of the staged site replaces its old one
    atomically (exchanged, or renamed over a file); entries the new site lacks go; then the old ones are deleted."""
    new = sorted(os.listdir(staging))
    old = {n for n in os.listdir(output) if not n.startswith(IN_PLACE_PREFIX)}
    for name in new:
        src, dest = staging / name, output / name
        if name not in old:
            os.rename(src, dest)
            continue
        try:
            exchange(src, dest)  # src now holds the old entry, deleted with the staging folder
        except OSError as exc:
            if exc.errno not in _CANNOT_EXCHANGE:
                raise
            if dest.is_dir() and not dest.is_symlink():
                os.rename(dest, staging / f"{IN_PLACE_PREFIX}old-{name}")
            os.replace(src, dest)
    for name in sorted(old - set(new)):
        os.rename(output / name, staging / f"{IN_PLACE_PREFIX}gone-{name}")
    shutil.rmtree(staging, ignore_errors=True)


def clean_stale_staging(output: Path) -> None:
    """Remove staging/old folders left by a killed build (they never replace ``output/``). A build killed
    between the two renames of the fallback swap left no ``output/``: the previous site is put back first.
    Call it only while holding ``output_lock``: another build's staging folder is not stale."""
    if not output.exists():
        for old in sorted(output.parent.glob(f".{output.name}.old-*")):
            if (old / "site").is_dir():
                os.replace(old / "site", output)
                break
    for pattern in (f".{output.name}.staging-*", f".{output.name}.old-*"):
        for p in output.parent.glob(pattern):
            shutil.rmtree(p, ignore_errors=True)
    for p in output.glob(IN_PLACE_PREFIX + "staging-*"):
        shutil.rmtree(p, ignore_errors=True)


@contextlib.contextmanager
def output_lock(output: Path, what: str) -> Iterator[None]:
    """One publish at a time into ``output``: a second build (another project, another ``--output`` spelling
    of the same folder, or ``serve``) fails fast with ``LockError`` instead of deleting the first one's staging
    folder. The lock is a file beside ``output/`` (its inode survives the swap), or the folder itself when it is
    swapped in place (a mount point: its inode never changes)."""
    output = output.resolve()
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        if swaps_in_place(output):
            fd = os.open(output, os.O_RDONLY | os.O_DIRECTORY)
        else:
            fd = os.open(output.parent / f".{output.name}-publish.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise BriefingError(f"{what}: cannot lock the output folder {output}: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockError(
                f"{what}: the output folder {output} is busy (another build is publishing to it); "
                "wait for it to finish and retry"
            ) from None
        yield
    finally:
        os.close(fd)


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
