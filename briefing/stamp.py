""" "Nothing changed since the last build": the command-line build's make-style up-to-date check.

After a successful build, ``record`` writes ``.cache/last-build-<output>.json``: a fingerprint of
every input the build reads (content, templates, theme, ``site.yaml``, the portal's own code, the
versions of the libraries that shape the output, the settings) and the listing of the published
site (path, size, mtime, inode of every file). ``check`` compares both with the disk: if no
input was touched and ``output/`` is exactly what that build left, building again would write the
same bytes, so the command line says so and stops. It only stats files (no reading, no imports of
the rendering stack): well under a second at 10,000 pages. ``build --force`` skips the check; any
doubt (a missing or unreadable stamp, an edited, added or removed file on either side) means build.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from pathlib import Path
from typing import Any

from .config import Config

STAMP_VERSION = 1
_LIBRARIES = ("jinja2", "markdown", "nh3", "babel", "feedgen", "pagefind", "pyyaml", "markupsafe")
_PACKAGE = Path(__file__).resolve().parent


def _walk(root: Path) -> list[tuple[str, int, int, int]]:
    """(relative path, size, mtime_ns, inode) of every file under ``root``, sorted; [] if it does not exist."""
    out: list[tuple[str, int, int, int]] = []
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for e in entries:
            rel = prefix + e.name
            if e.is_dir(follow_symlinks=False):
                stack.append((rel + "/", e.path))
            else:
                st = e.stat(follow_symlinks=True) if e.is_symlink() else e.stat(follow_symlinks=False)
                out.append((rel, st.st_size, st.st_mtime_ns, st.st_ino))
    out.sort()
    return out


def _feed(h: hashlib._Hash, files: list[tuple[str, int, int, int]]) -> None:
    """Add (path, size, mtime, inode) records to a fingerprint."""
    for rel, size, mtime, ino in files:
        h.update(f"{rel}\x1f{size}\x1f{mtime}\x1f{ino}\x1e".encode("utf-8", "surrogateescape"))


def _versions() -> list[str]:
    out = []
    for name in _LIBRARIES:
        try:
            out.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return out


def inputs_digest(cfg: Config, options: dict[str, Any]) -> str:
    h = hashlib.sha256(json.dumps([STAMP_VERSION, repr(cfg), sorted(options.items()), _versions()]).encode())
    for root in (cfg.content_dir, cfg.templates_dir, cfg.theme_dir, _PACKAGE):
        h.update(f"\x1d{root}\x1d".encode("utf-8", "surrogateescape"))
        _feed(h, [f for f in _walk(root) if "__pycache__" not in f[0]])
    try:
        st = os.stat(cfg.root / "site.yaml")
        _feed(h, [("site.yaml", st.st_size, st.st_mtime_ns, st.st_ino)])
    except OSError:
        h.update(b"no site.yaml")
    return h.hexdigest()


def _stamp_path(cfg: Config, output: Path) -> Path:
    name = hashlib.sha256(str(output.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return cfg.cache_dir / f"last-build-{name}.json"


def check(cfg: Config, output: Path, options: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """(the recorded build — pages, files, warnings — if nothing changed since it, else None; the inputs digest)."""
    inputs = inputs_digest(cfg, options)
    try:
        stamp = json.loads(_stamp_path(cfg, output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, inputs
    if not isinstance(stamp, dict) or stamp.get("version") != STAMP_VERSION or stamp.get("inputs") != inputs:
        return None, inputs
    if stamp.get("output") != _listing_digest(output):
        return None, inputs
    return stamp, inputs


def _listing_digest(output: Path) -> str:
    h = hashlib.sha256()
    _feed(h, _walk(output))
    return h.hexdigest()


def record(
    cfg: Config, output: Path, options: dict[str, Any], inputs: str, pages: int, files: int, warnings: list[str]
) -> None:
    """Write the stamp of a build that just succeeded. ``inputs`` is the digest taken *before* it read
    anything, so a file edited while it ran makes the next check fail and the next build run."""
    from .write import write_text_atomic

    stamp = {
        "version": STAMP_VERSION,
        "inputs": inputs,
        "output": _listing_digest(output),
        "pages": pages,
        "files": files,
        "warnings": warnings,
    }
    try:
        write_text_atomic(_stamp_path(cfg, output), json.dumps(stamp, ensure_ascii=False))
    except OSError:
        pass  # the stamp is only a shortcut: without it the next build just runs


def forget(cfg: Config, output: Path) -> None:
    try:
        _stamp_path(cfg, output).unlink()
    except OSError:
        pass
