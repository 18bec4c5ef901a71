#!/usr/bin/env python3
"""The search index's cost: Pagefind over the whole built site (every page read, the dossiers included), over the
article pages alone in one run (only they carry ``data-pagefind-body``), and over each language's article pages in
its own run into the same bundle (what ``search.index`` does), on the same built site, interleaved: wall time,
CPU-seconds and peak PSS of the process tree; and whether the indexes are the same files.

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

from briefing.pages import SECTIONS  # noqa: E402
from briefing.search import article_pages  # noqa: E402


def _pagefind(site: Path, globs: list[str]) -> Sample:
    """Pagefind over ``site`` once per glob (none: once over every page), into one bundle: times and CPU added,
    the peak the highest of the runs."""
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
    runs = [run_command([*cmd, "--glob", glob]) for glob in globs] if globs else [run_command(cmd)]
    return Sample(
        sum(r.wall for r in runs), sum(r.cpu for r in runs), sum(r.others for r in runs), max(r.peak_mb for r in runs)
    )


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
        globs = {
            "whole site": [],
            "article pages, one run": [article_pages()],
            "one run per language (the build's)": [article_pages(lang) for lang in sorted(SECTIONS)],
        }
        sites = {name: tmp / str(k) for k, name in enumerate(globs)}
        for site in sites.values():
            shutil.copytree(project / "output", site)
        pages = sum(1 for _ in sites["whole site"].rglob("*.html"))
        runs: dict[str, list[Sample]] = {name: [] for name in sites}
        for _ in range(args.rounds):
            for name, site in sites.items():
                runs[name].append(_pagefind(site, globs[name]))
        print(f"Pagefind over {pages:,} pages ({args.n:,} articles per language), median of {args.rounds}:")
        for name, samples in runs.items():
            wall = statistics.median(s.wall for s in samples)
            cpu = statistics.median(s.cpu for s in samples)
            peak = statistics.median(s.peak_mb for s in samples)
            print(f"  {name:36} {wall:6.2f} s wall  {cpu:6.2f} CPU-s  {peak:6.0f} MB peak PSS")
        bundles = [site / "pagefind" for site in sites.values()]
        same = all(_same_index(bundles[0], other) for other in bundles[1:])
        print(f"  the indexes are {'the same files' if same else 'DIFFERENT'} (pagefind-entry.json aside)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
