#!/usr/bin/env python3
"""Review page benchmark: how long `serve`'s ``/_review/`` queue and one article page take to compute.

On a generated corpus (default 200 articles per language, ~16 segments each), with the same ``ProjectDesk``
that `serve` uses: the queue (every article through the desk's ``review_queue``), then one article page and
one approval (median of --runs). The HTTP layer and the browser are not part of these figures.

Usage: python bench/review_bench.py [--n 200] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    from generate_corpus import generate

    from briefing.config import load_config
    from briefing.review_desk import ProjectDesk

    work = Path(tempfile.mkdtemp(prefix="briefing-review-bench-"))
    try:
        project = work / "portal"
        generate(project, args.n)
        desk = ProjectDesk(load_config(project))
        queue = desk.queue()
        slug = queue["articles"][0]["slug"]
        segments = len(desk.article(slug)["segments"])
        q = [_timed(desk.queue) for _ in range(max(1, args.runs // 2))]
        a = [_timed(lambda: desk.article(slug)) for _ in range(args.runs)]
        ap_ = [_timed(lambda i=i: desk.approve(slug, i, f"Approved sentence number {i}.")) for i in range(args.runs)]
        print(f"{args.n} articles, {queue['awaiting']} segments awaiting review")
        print(f"queue page: {statistics.median(q):.2f} s median of {len(q)}")
        print(f"article page ({segments} segments): {statistics.median(a) * 1000:.0f} ms median of {len(a)}")
        print(f"approval: {statistics.median(ap_) * 1000:.0f} ms median of {len(ap_)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
