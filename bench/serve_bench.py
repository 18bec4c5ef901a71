#!/usr/bin/env python3
"""Live-preview benchmark: how long `serve` takes from a saved article to its rebuilt pages on disk.

On a generated corpus (default 2,000 articles per language), with the same ``BuildSession`` that `serve`
uses: a cold build, then one-article edits (median of --edits), then a change to the base template
(which every page extends). Targets: one-article edit < 200 ms median; base template < cold build.
The watcher's own latency (livereload polls every 0.8 s without inotify) is not part of these figures.

Usage: python bench/serve_bench.py [--n 2000] [--edits 20]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--edits", type=int, default=20)
    args = ap.parse_args()

    from generate_corpus import generate

    from briefing.config import load_config
    from briefing.session import BuildSession

    work = Path(tempfile.mkdtemp(prefix="briefing-serve-bench-"))
    project = work / "portal"
    generate(project, args.n)
    builder = BuildSession(load_config(project).for_serve("http://127.0.0.1:8000/"))
    t = time.perf_counter()
    first = builder.build()
    cold = time.perf_counter() - t
    print(
        f"corpus: {args.n} articles per language; cold build {first.pages} pages in {cold:.2f}s "
        f"({first.pages / cold:.0f} pages/s)"
    )

    rng = random.Random(7)
    files = sorted((project / "content" / "fr").glob("*.md"))
    times, written = [], []
    for i in range(args.edits):
        md = rng.choice(files)
        md.write_text(md.read_text(encoding="utf-8").rstrip() + f"\n\nParagraphe ajouté {i}.\n", encoding="utf-8")
        t = time.perf_counter()
        r = builder.build()
        times.append(time.perf_counter() - t)
        written.append(len(r.publish.written))
    print(
        f"one-article edit: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
        f"over {args.edits} edits (target < 200 ms); {statistics.median(written):.0f} files written per edit"
    )

    base = project / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<footer", '<footer data-bench="1"'), encoding="utf-8")
    t = time.perf_counter()
    r = builder.build()
    full = time.perf_counter() - t
    print(f"base template edit: {full:.2f}s, {len(r.publish.written)} files rewritten (cold build: {cold:.2f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
