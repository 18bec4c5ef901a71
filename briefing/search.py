"""Full-text search that works on a static host: a Pagefind index built over the finished site.

Pagefind (from PyPI, with its binary) reads every article page (``data-pagefind-body``), keeps one
index per ``<html lang>``, and ships a small UI; the search page of each language loads only that
language's index, so French readers get French results and English readers English ones.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

from .errors import BriefingError
from .pages import SECTIONS
from .procs import die_with_parent


def available() -> bool:
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return False
    return True


# Only article pages carry ``data-pagefind-body``, so only they are indexed; pointing Pagefind at them alone gives
# the same index (checked by ``verify``, which counts the marked pages of the whole site) without reading the
# other pages: the dossiers hold every article again. At 2,000 articles per language: 7.8 s and 415 MB instead
# of 16.9 s and 813 MB (``bench/search_bench.py``).
def article_pages(*langs: str) -> str:
    """Pagefind's ``--glob`` for the article pages of ``langs`` (default: every language)."""
    folders = [f"{lang}/{SECTIONS[lang]['article']}" for lang in langs or sorted(SECTIONS)]
    return (folders[0] if len(folders) == 1 else "{" + ",".join(folders) + "}") + "/*/index.html"


# Pagefind keeps one index per language and holds all of them in memory until it writes: run once per language
# into the same bundle, it writes the same files (each language's index is made alone either way) at 60 % of the
# peak memory (at 5,000 articles per language 967 → 566 MB, 21.2 → 17.8 s; ``bench/search_bench.py``). Each run
# lists only its own language in ``pagefind-entry.json``; ``index`` joins them.
def index(site: Path, published: Path | None = None) -> None:
    """Build ``site/pagefind/`` and verify it; a failure stops the build (the old site stays).
    ``published``: the site being replaced, whose copy of Pagefind's own scripts is the reference."""
    if not available():
        raise BriefingError(
            "search index: the 'pagefind' package is missing (pip install 'pagefind[bin]'); or build with --no-search"
        )
    entry_path = site / "pagefind" / "pagefind-entry.json"
    entries = [_index_language(site, lang, entry_path) for lang in sorted(SECTIONS)]
    written = [entry for entry in entries if entry is not None]
    if not written:
        raise BriefingError("search index: the site has no article to index yet; build with --no-search until it has")
    languages = {lang: info for entry in written for lang, info in entry["languages"].items()}
    # sorted keys: two builds stay byte-identical (Pagefind lists the languages in hash-map order)
    joined = {**written[-1], "languages": languages}
    entry_path.write_text(
        json.dumps(joined, sort_keys=True, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    verify(site, published)


def _index_language(site: Path, lang: str, entry_path: Path) -> dict[str, Any] | None:
    """Pagefind over ``lang``'s article pages into ``site/pagefind/``; the entry it wrote, None for a language
    without articles (Pagefind refuses a run with nothing to index: that language has no index)."""
    if next(site.glob(article_pages(lang)), None) is None:
        return None
    entry_path.unlink(missing_ok=True)  # so the entry read below is this run's
    proc = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", article_pages(lang), "--silent"],
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=functools.partial(die_with_parent, os.getpid()),
    )
    if proc.returncode != 0 or not entry_path.exists():
        raise BriefingError(f"search index: pagefind failed: {(proc.stderr or proc.stdout).strip()[:500]}")
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        if not isinstance(entry["languages"], dict):
            raise TypeError("'languages' is not a mapping")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BriefingError(f"search index: pagefind-entry.json is unreadable ({exc}); nothing was published") from None
    return entry


# --- verification: Pagefind exits 0 even when it could not write its files (a full disk) ---

_HTML_LANG = re.compile(rb"<html[^>]*\slang=\"([a-zA-Z-]+)\"")
_GZIP_SUFFIXES = (".pf_meta", ".pf_index", ".pf_fragment", ".pagefind")


def _indexed_pages(site: Path) -> dict[str, int]:
    """How many pages of each language carry ``data-pagefind-body`` (what the index must hold)."""
    counts: dict[str, int] = {}
    for page in site.rglob("*.html"):
        if page.parts[len(site.parts)] == "pagefind":
            continue
        data = page.read_bytes()
        if b"data-pagefind-body" in data:
            m = _HTML_LANG.search(data, 0, 2000)
            lang = m.group(1).decode() if m else "unknown"
            counts[lang] = counts.get(lang, 0) + 1
    return counts


def _whole_gzip(path: Path) -> bool:
    try:
        return gzip.decompress(path.read_bytes()).startswith(b"pagefind_dcd")
    except (OSError, EOFError, zlib.error):
        return False


def verify(site: Path, published: Path | None = None) -> None:
    """Every file of the index whole, every language with exactly the pages it should hold; else BriefingError."""
    bundle = site / "pagefind"
    problems: list[str] = []
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages = {lang: info for lang, info in entry["languages"].items()}
        counts = {lang: int(info["page_count"]) for lang, info in languages.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BriefingError(f"search index: pagefind-entry.json is unreadable ({exc}); nothing was published") from None
    expected = _indexed_pages(site)
    if counts != expected:
        problems.append(f"pages indexed per language {counts}, expected {expected}")
    for lang, info in languages.items():
        for rel in (f"pagefind.{info.get('hash')}.pf_meta", f"wasm.{info.get('wasm')}.pagefind"):
            if not (bundle / rel).is_file():
                problems.append(f"{rel} is missing")
        fragments = len(list((bundle / "fragment").glob(f"{lang}_*.pf_fragment")))
        if fragments != counts.get(lang):
            problems.append(f"{fragments} {lang} fragment(s) for {counts.get(lang)} page(s)")
    for path in sorted(bundle.rglob("*")):
        rel = path.relative_to(bundle).as_posix()
        if path.name.endswith(_GZIP_SUFFIXES) and not _whole_gzip(path):
            problems.append(f"{rel} is truncated or damaged")
        elif path.suffix in (".js", ".css") and not _same_as_published(path, rel, published, entry):
            problems.append(f"{rel} is truncated or damaged")
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise BriefingError(
            f"search index is incomplete (disk full?): {'; '.join(problems[:3])}{more}; nothing was published"
        )


def _same_as_published(path: Path, rel: str, published: Path | None, entry: dict[str, object]) -> bool:
    """Pagefind's own scripts and styles: never empty, and byte for byte the published copy when the published
    index was made by the same Pagefind version (they ship inside the binary)."""
    size = path.stat().st_size
    if size == 0:
        return False
    if published is None:
        return True
    try:
        old_entry = json.loads((published / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        if old_entry.get("version") != entry.get("version"):
            return True
        old = published / "pagefind" / rel
        return old.stat().st_size == size and old.read_bytes() == path.read_bytes()
    except (OSError, ValueError, AttributeError):
        return True
