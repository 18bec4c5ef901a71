"""A full disk while Pagefind writes the index: Pagefind itself exits 0 with truncated files. The build must
notice before the swap, fail (exit 1, one clear line) and leave the published site as it was.

The full disk is made real for the indexer only: a stand-in ``pagefind`` module (first on PYTHONPATH, so
``python -m pagefind`` finds it) runs the real Pagefind binary under RLIMIT_FSIZE with SIGXFSZ ignored, so every
write past the limit fails the way a full disk makes it fail (a short write, then an error)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli, snapshot

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
    from briefing.search import _indexed_pages, verify

    assert run_cli(bundled, "build").returncode == 0
    out = bundled / "output"
    verify(out)
    counts = _indexed_pages(out)
    assert counts == {
        "fr": len(list((bundled / "content" / "fr").glob("*.md"))),
        "en": len(list((bundled / "content" / "en").glob("*.md"))),
    }
