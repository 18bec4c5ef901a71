#!/usr/bin/env python3
"""The search index's cost: Pagefind over the whole built site (every page read, the dossiers included) against
Pagefind over the article pages alone (what ``search.index`` runs: only they carry ``data-pagefind-body``), on
the same built site, interleaved, wall time, CPU-seconds and peak PSS of the process tree; and whether the two
indexes are the same files.

Usage: python bench/search_bench.py --n 2000 [--rounds 3]   (a generated corpus in a temporary folder on tmpfs)
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_measure import Sample, run_command  # noqa: E402

from briefing.search import _ARTICLE_PAGES  # noqa: E402


def _pagefind(site: Path, glob: str | None) -> Sample:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
    return run_command([*cmd, "--glob", glob] if glob else cmd)


def _same_index(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b, ignore=["pagefind-entry.json"])  # its language order is a hash map's

    def same(c: filecmp.dircmp) -> bool:
        return not (c.left_only or c.right_only or c.diff_files) and all(same(s) for s in c.subdirs.values())

    return same(cmp)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="articles per language")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    try:
        project = tmp / "project"
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate_corpus.py"), str(project), "--n", str(args.n)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "build", "--no-search"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        sites = {"whole site": tmp / "whole", "article pages (the build's)": tmp / "articles"}
        for site in sites.values():
            shutil.copytree(project / "output", site)
        pages = sum(1 for _ in sites["whole site"].rglob("*.html"))
        runs: dict[str, list[Sample]] = {name: [] for name in sites}
        for _ in range(args.rounds):
            for name, site in sites.items():
                runs[name].append(_pagefind(site, None if name == "whole site" else _ARTICLE_PAGES))
        print(f"Pagefind over {pages:,} pages ({args.n:,} articles per language), median of {args.rounds}:")
        for name, samples in runs.items():
            wall = statistics.median(s.wall for s in samples)
            cpu = statistics.median(s.cpu for s in samples)
            peak = statistics.median(s.peak_mb for s in samples)
            print(f"  {name:30} {wall:6.2f} s wall  {cpu:6.2f} CPU-s  {peak:6.0f} MB peak PSS")
        same = _same_index(*(site / "pagefind" for site in sites.values()))
        print(f"  the two indexes are {'the same files' if same else 'DIFFERENT'}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
