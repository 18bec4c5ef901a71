"""A full disk while Pagefind writes the index: Pagefind itself exits 0 with truncated files. The build must
notice before the swap, fail (exit 1, one clear line) and leave the published site as it was.

The full disk is made real for the indexer only: a stand-in ``pagefind`` module (first on PYTHONPATH, so
``python -m pagefind`` finds it) runs the real Pagefind binary under RLIMIT_FSIZE with SIGXFSZ ignored, so every
write past the limit fails the way a full disk makes it fail (a short write, then an error)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli, snapshot

from briefing.search import _indexed_pages, article_pages, verify

_SHIM = """
import os, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(os.environ["FULL_DISK_AT"])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
real = os.environ["REAL_PAGEFIND"]
os.execv(real, [real, *sys.argv[1:]])
"""


def _full_disk_env(tmp_path: Path, limit: int) -> dict[str, str]:
    from pagefind.service import _must_get_executable

    shim = tmp_path / "shim" / "pagefind"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("", encoding="utf-8")
    (shim / "__main__.py").write_text(_SHIM, encoding="utf-8")
    return {
        "PYTHONPATH": str(shim.parent),
        "REAL_PAGEFIND": str(_must_get_executable().resolve()),
        "FULL_DISK_AT": str(limit),
    }


@pytest.mark.parametrize("limit", [3000, 100_000])  # most files cut short / only the two biggest scripts cut short
def test_a_full_disk_during_indexing_fails_the_build_and_keeps_the_site(bundled, tmp_path, limit):
    first = run_cli(bundled, "build")
    assert first.returncode == 0, first.stderr
    before = snapshot(bundled / "output")
    fr = sorted((bundled / "content" / "fr").glob("*.md"))[0]
    fr.write_text(fr.read_text(encoding="utf-8").replace("title: ", "title: Nouveau ", 1), encoding="utf-8")
    proc = run_cli(bundled, "build", env=_full_disk_env(tmp_path, limit))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "search index" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert snapshot(bundled / "output") == before
    again = run_cli(bundled, "build")  # disk freed: the next build publishes, and is not "up to date"
    assert again.returncode == 0 and "built" in again.stdout


def test_the_verified_index_holds_every_article_page(bundled):
    assert run_cli(bundled, "build").returncode == 0
    out = bundled / "output"
    verify(out)
    counts = _indexed_pages(out)
    assert counts == {
        "fr": len(list((bundled / "content" / "fr").glob("*.md"))),
        "en": len(list((bundled / "content" / "en").glob("*.md"))),
    }


def test_one_run_per_language_writes_the_index_one_run_over_both_would(bundled, tmp_path):
    """``search.index`` runs Pagefind once per language (less peak memory); the bundle must be the one a single run
    over both languages' article pages writes: the same files, the same entry once read."""
    assert run_cli(bundled, "build").returncode == 0
    ours = bundled / "output" / "pagefind"
    single = tmp_path / "single"
    cmd = [sys.executable, "-m", "pagefind", "--site", str(bundled / "output"), "--glob", article_pages()]
    subprocess.run([*cmd, "--output-path", str(single), "--silent"], check=True, capture_output=True, timeout=300)
    entry = "pagefind-entry.json"
    theirs = {k: v for k, v in snapshot(single).items() if k != entry}
    assert {k: v for k, v in snapshot(ours).items() if k != entry} == theirs
    assert json.loads((ours / entry).read_text()) == json.loads((single / entry).read_text())
    assert set(json.loads((ours / entry).read_text())["languages"]) == {"fr", "en"}


def test_a_language_without_articles_has_no_index_and_a_site_without_any_says_so(bundled):
    for md in (bundled / "content" / "en").glob("*.md"):
        md.unlink()
    assert run_cli(bundled, "build").returncode == 0
    verify(bundled / "output")  # the French index, whole, and no English one expected
    assert not list((bundled / "output" / "pagefind" / "fragment").glob("en_*"))
    for md in (bundled / "content" / "fr").glob("*.md"):
        md.unlink()
    before = snapshot(bundled / "output")
    proc = run_cli(bundled, "build")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert (
        proc.stderr.strip()
        == "error: search index: the site has no article to index yet; build with --no-search until it has"
    )
    assert snapshot(bundled / "output") == before
    assert run_cli(bundled, "build", "--no-search").returncode == 0
