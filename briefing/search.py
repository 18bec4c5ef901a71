"""Full-text search that works on a static host: a Pagefind index built over the finished site.

Pagefind (from PyPI, with its binary) reads every article page (``data-pagefind-body``), keeps one
index per ``<html lang>``, and ships a small UI; the search page of each language loads only that
language's index, so French readers get French results and English readers English ones.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

from .errors import BriefingError
from .procs import die_with_parent


def available() -> bool:
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return False
    return True


def index(site: Path) -> None:
    """Build ``site/pagefind/``; a failure stops the build (the old site stays)."""
    if not available():
        raise BriefingError(
            "search index: the 'pagefind' package is missing (pip install 'pagefind[bin]'); or build with --no-search"
        )
    proc = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"],
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=functools.partial(die_with_parent, os.getpid()),
    )
    if proc.returncode != 0 or not (site / "pagefind" / "pagefind.js").exists():
        raise BriefingError(f"search index: pagefind failed: {(proc.stderr or proc.stdout).strip()[:500]}")
    # Pagefind lists the languages in hash-map order; sort them so two builds stay byte-identical
    entry = site / "pagefind" / "pagefind-entry.json"
    entry.write_text(
        json.dumps(
            json.loads(entry.read_text(encoding="utf-8")), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ),
        encoding="utf-8",
    )
